import { Queue } from 'bullmq';
import { redis } from './redis';

export const emailQueue = new Queue('order-emails', { connection: redis });

export async function enqueueOrderConfirmation(orderId: number, email: string) {
  await emailQueue.add('order-confirmation', { orderId, email });
}
