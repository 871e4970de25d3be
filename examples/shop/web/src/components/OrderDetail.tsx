import { useEffect, useState } from 'react';
import { authHeaders } from '../api/client';
import { formatPrice, type Order } from '../types';

export default function OrderDetail({ id }: { id: number }) {
  const [order, setOrder] = useState<Order | null>(null);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    fetch('/api/orders/' + id, { headers: authHeaders() })
      .then((res) => {
        if (!res.ok) throw new Error(`HTTP ${res.status}`);
        return res.json();
      })
      .then((data: Order) => setOrder(data))
      .catch((err) => {
        console.log(err);
        setError('Order not found');
      });
  }, [id]);

  if (error) return <p className="error">{error}</p>;
  if (!order) return <p>Loading order…</p>;

  return (
    <section>
      <h2>Order #{order.id}</h2>
      <p>
        Status: {order.status} · Total: {formatPrice(order.total_cents)}
      </p>
      <table>
        <tbody>
          {order.items.map((item) => (
            <tr key={item.sku}>
              <td>{item.sku}</td>
              <td>{item.quantity}</td>
              <td>{formatPrice(item.price_cents * item.quantity)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}
