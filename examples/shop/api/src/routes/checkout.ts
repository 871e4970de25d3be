import { Router } from 'express';
import axios from 'axios';
import { pool } from '../db';
import { INVENTORY_API_KEY, INVENTORY_URL } from '../config';
import { createPaymentIntent } from '../payments';
import { enqueueOrderConfirmation } from '../queue';
import { asyncHandler } from '../utils/asyncHandler';

const router = Router();

interface CheckoutItem {
  sku: string;
  quantity: number;
}

router.post(
  '/',
  asyncHandler(async (req, res) => {
    const items: CheckoutItem[] = req.body.items;
    if (!Array.isArray(items) || items.length === 0) {
      return res.status(400).json({ error: 'cart is empty' });
    }

    const client = await pool.connect();
    try {
      await client.query('BEGIN');
      let total = 0;
      const priced: { sku: string; quantity: number; price: number }[] = [];
      for (const item of items) {
        const { rows } = await client.query(
          'SELECT price_cents FROM products WHERE sku = $1 AND active = true',
          [item.sku],
        );
        if (rows.length === 0) throw new Error(`unknown sku ${item.sku}`);
        total += rows[0].price_cents * item.quantity;
        priced.push({ sku: item.sku, quantity: item.quantity, price: rows[0].price_cents });
        await axios.post(
          `${INVENTORY_URL}/stock/reserve`,
          { sku: item.sku, quantity: item.quantity },
          { timeout: 2000, headers: { 'X-Api-Key': INVENTORY_API_KEY } },
        );
      }

      const order = await client.query(
        'INSERT INTO orders (user_id, status, total_cents) VALUES ($1, $2, $3) RETURNING id',
        [req.user!.id, 'pending', total],
      );
      const orderId: number = order.rows[0].id;
      for (const p of priced) {
        await client.query(
          'INSERT INTO order_items (order_id, sku, quantity, price_cents) VALUES ($1, $2, $3, $4)',
          [orderId, p.sku, p.quantity, p.price],
        );
      }

      const intent = await createPaymentIntent(total, orderId);
      await client.query('COMMIT');
      await enqueueOrderConfirmation(orderId, req.user!.email);
      res.status(201).json({ orderId, clientSecret: intent.client_secret });
    } catch (err) {
      await client.query('ROLLBACK');
      console.error('checkout failed', err);
      res.status(500).json({ error: 'checkout failed' });
    } finally {
      client.release();
    }
  }),
);

export default router;
