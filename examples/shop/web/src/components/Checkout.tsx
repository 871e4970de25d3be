import { useState } from 'react';
import { api } from '../api/client';
import type { CartItem } from '../types';

interface Props {
  items: CartItem[];
  onPlaced: (orderId: number) => void;
}

export default function Checkout({ items, onPlaced }: Props) {
  const [placing, setPlacing] = useState(false);
  const [error, setError] = useState<string | null>(null);

  const placeOrder = async () => {
    setPlacing(true);
    setError(null);
    try {
      const res = await api.post<{ orderId: number; clientSecret: string }>('/cart/checkout', {
        items,
      });
      console.log('checkout response', res.data);
      onPlaced(res.data.orderId);
    } catch {
      setError('Checkout failed, please try again');
    } finally {
      setPlacing(false);
    }
  };

  if (items.length === 0) return <p>Your cart is empty.</p>;

  return (
    <section>
      <h2>Your cart</h2>
      <ul>
        {items.map((i) => (
          <li key={i.sku}>
            {i.sku} × {i.quantity}
          </li>
        ))}
      </ul>
      {error && <p className="error">{error}</p>}
      <button disabled={placing} onClick={placeOrder}>
        {placing ? 'Placing order…' : 'Place order'}
      </button>
    </section>
  );
}
