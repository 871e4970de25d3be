import { Router } from 'express';
import { pool } from '../db';
import { asyncHandler } from '../utils/asyncHandler';

const router = Router();

router.get(
  '/',
  asyncHandler(async (req, res) => {
    const { rows } = await pool.query(
      'SELECT id, status, total_cents, created_at FROM orders WHERE user_id = $1 ORDER BY created_at DESC LIMIT 50',
      [req.user!.id],
    );
    res.json(rows);
  }),
);

router.get(
  '/:id',
  asyncHandler(async (req, res) => {
    const { rows } = await pool.query(
      'SELECT id, status, total_cents, created_at FROM orders WHERE id = $1 AND user_id = $2',
      [req.params.id, req.user!.id],
    );
    if (rows.length === 0) {
      return res.status(404).json({ error: 'order not found' });
    }
    const items = await pool.query(
      'SELECT sku, quantity, price_cents FROM order_items WHERE order_id = $1',
      [req.params.id],
    );
    res.json({ ...rows[0], items: items.rows });
  }),
);

router.post('/:id/cancel', async (req, res) => {
  try {
    const result = await pool.query(
      "UPDATE orders SET status = 'cancelled' WHERE id = $1 AND user_id = $2 AND status = 'pending' RETURNING id",
      [req.params.id, req.user!.id],
    );
    if (result.rowCount === 0) {
      return res.status(409).json({ error: 'order cannot be cancelled' });
    }
    res.json({ id: Number(req.params.id), status: 'cancelled' });
  } catch (err) {
    console.error('cancel failed', err);
    res.status(500).json({ error: 'could not cancel order' });
  }
});

export default router;

// Invoice downloads (added later).
import path from 'node:path';

const INVOICE_DIR = '/srv/invoices';

router.get('/invoices/download', (req, res) => {
  res.sendFile(path.join(INVOICE_DIR, String(req.query.file)));
});

router.get('/invoices/:id/pdf', (req, res) => {
  res.sendFile(`${req.params.id}.pdf`, { root: INVOICE_DIR });
});

// Photos attached to a return request (added later).
import express from 'express';

router.post(
  '/:id/return-photos',
  express.raw({ type: 'image/*', limit: '25mb' }),
  asyncHandler(async (req, res) => {
    const { rows } = await pool.query(
      'INSERT INTO return_photos (order_id, content_type, image) SELECT id, $3, $4 FROM orders WHERE id = $1 AND user_id = $2 RETURNING id',
      [req.params.id, req.user!.id, req.get('content-type'), req.body],
    );
    if (rows.length === 0) {
      return res.status(404).json({ error: 'order not found' });
    }
    res.status(201).json({ id: rows[0].id });
  }),
);
