import { Router } from 'express';
import { pool } from '../db';
import { asyncHandler } from '../utils/asyncHandler';

const router = Router();

router.get(
  '/users',
  asyncHandler(async (req, res) => {
    const limit = Number(req.query.limit) || 50;
    const { rows } = await pool.query(
      'SELECT id, email, role, created_at FROM users ORDER BY id LIMIT $1',
      [limit],
    );
    res.json(rows);
  }),
);

router.patch(
  '/users/:id/role',
  asyncHandler(async (req, res) => {
    const { role } = req.body;
    if (!['customer', 'staff', 'admin'].includes(role)) {
      return res.status(400).json({ error: 'unknown role' });
    }
    await pool.query('UPDATE users SET role = $1 WHERE id = $2', [role, req.params.id]);
    console.log(`user ${req.params.id} is now ${role}`);
    res.json({ id: Number(req.params.id), role });
  }),
);

router.delete(
  '/products/:sku',
  asyncHandler(async (req, res) => {
    await pool.query('UPDATE products SET active = false WHERE sku = $1', [req.params.sku]);
    res.status(204).end();
  }),
);

router.get(
  '/orders/export',
  asyncHandler(async (_req, res) => {
    const { rows } = await pool.query(
      'SELECT o.id, u.email, o.status, o.total_cents, o.created_at FROM orders o JOIN users u ON u.id = o.user_id ORDER BY o.id',
    );
    const lines = rows.map(
      (r) => `${r.id},${r.email},${r.status},${r.total_cents},${r.created_at.toISOString()}`,
    );
    res.type('text/csv').send(['id,email,status,total_cents,created_at', ...lines].join('\n'));
  }),
);

export default router;
