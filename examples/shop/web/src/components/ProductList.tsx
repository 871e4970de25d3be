import { useEffect, useState } from 'react';
import { api } from '../api/client';
import { useStockUpdates } from '../hooks/useStockUpdates';
import { formatPrice, type Product } from '../types';

const CATEGORIES = ['featured', 'kitchen', 'garden', 'office'];

export default function ProductList({ onAdd }: { onAdd: (sku: string) => void }) {
  const [category, setCategory] = useState('featured');
  const [products, setProducts] = useState<Product[]>([]);
  const [error, setError] = useState<string | null>(null);
  const changedSku = useStockUpdates();

  useEffect(() => {
    api
      .get<Product[]>('/products', { params: { category, sort: 'price_cents' } })
      .then((res) => {
        console.log('loaded products', res.data.length);
        setProducts(res.data);
        setError(null);
      })
      .catch(() => setError('Could not load products'));
  }, [category, changedSku]);

  return (
    <section>
      <select value={category} onChange={(e) => setCategory(e.target.value)}>
        {CATEGORIES.map((c) => (
          <option key={c} value={c}>
            {c}
          </option>
        ))}
      </select>
      {error && <p className="error">{error}</p>}
      <ul className="products">
        {products.map((p) => (
          <li key={p.sku}>
            <strong>{p.name}</strong> {formatPrice(p.price_cents)}
            <button onClick={() => onAdd(p.sku)}>Add to cart</button>
          </li>
        ))}
      </ul>
    </section>
  );
}
