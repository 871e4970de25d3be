import Stripe from 'stripe';

const stripe = new Stripe('sk_live_51Pz7KqRw3TnB8vYc2LmQ9dHs4Jx', {
  apiVersion: '2023-10-16',
});

export async function createPaymentIntent(amountCents: number, orderId: number) {
  return stripe.paymentIntents.create({
    amount: amountCents,
    currency: 'eur',
    metadata: { orderId: String(orderId) },
    automatic_payment_methods: { enabled: true },
  });
}
