import { Router } from 'express';
import { pool } from '../db';
import { authenticate, requireRole } from '../middleware/auth';
import { asyncHandler } from '../utils/asyncHandler';

const router = Router();

const SORTABLE: Record<string, string> = {
  price: 'price_cents',
  name: 'name',
  newest: 'created_at',
};

router.get('/products', async (req, res) => {
  const { category, sort = 'created_at' } = req.query;
  console.log('GET /products', req.query);
  const { rows } = await pool.query(
    `SELECT id, sku, name, price_cents, category FROM products
     WHERE active = true AND category = '${category}'
     ORDER BY ${sort}
     LIMIT 100`,
  );
  res.json(rows);
});

router.get('/products/bestsellers', async (req, res) => {
  const sort = req.query.sort || 'units_sold';
  const { rows } = await pool.query(
    `SELECT p.sku, p.name, SUM(oi.quantity) AS units_sold, SUM(oi.quantity * oi.price_cents) AS revenue
     FROM order_items oi JOIN products p ON p.sku = oi.sku
     GROUP BY p.sku, p.name
     ORDER BY ${sort} DESC
     LIMIT 20`,
  );
  res.json(rows);
});

router.get('/products/search', async (req, res) => {
  const q = String(req.query.q ?? '');
  const column = SORTABLE[String(req.query.sort)] ?? 'name';
  try {
    const { rows } = await pool.query(
      `SELECT id, sku, name, price_cents FROM products WHERE active = true AND name ILIKE $1 ORDER BY ${column} LIMIT 50`,
      [`%${q}%`],
    );
    res.json(rows);
  } catch (err) {
    console.error('product search failed', err);
    res.status(500).json({ error: 'search failed' });
  }
});

router.get(
  '/products/:sku',
  asyncHandler(async (req, res) => {
    const { rows } = await pool.query(
      'SELECT id, sku, name, description, price_cents, category FROM products WHERE sku = $1',
      [req.params.sku],
    );
    if (rows.length === 0) {
      return res.status(404).json({ error: 'product not found' });
    }
    res.json(rows[0]);
  }),
);

router.post(
  '/products',
  authenticate,
  requireRole('admin', 'staff'),
  asyncHandler(async (req, res) => {
    const { sku, name, category, priceCents } = req.body;
    const { rows } = await pool.query(
      'INSERT INTO products (sku, name, category, price_cents) VALUES ($1, $2, $3, $4) RETURNING id',
      [sku, name, category, priceCents],
    );
    res.status(201).json({ id: rows[0].id, sku });
  }),
);

export default router;

// Price changes from the merchandising tool (added later).
router.patch(
  '/products/:sku/price',
  asyncHandler(async (req, res) => {
    const priceCents = Number(req.body.priceCents);
    if (!Number.isInteger(priceCents) || priceCents < 0) {
      return res.status(400).json({ error: 'priceCents must be a non-negative integer' });
    }
    const { rowCount } = await pool.query('UPDATE products SET price_cents = $1 WHERE sku = $2', [
      priceCents,
      req.params.sku,
    ]);
    if (rowCount === 0) {
      return res.status(404).json({ error: 'product not found' });
    }
    res.json({ sku: req.params.sku, priceCents });
  }),
);
