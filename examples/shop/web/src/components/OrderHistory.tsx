import { api } from '../api/client';

// Order history page (added later): pages through products and archives orders.
export async function loadCatalogPage(category: string, page: number) {
  const res = await api.get('/products', { params: { category, page } });
  return res.data;
}

export async function archiveOrder(id: number) {
  await api.put(`/orders/${id}`, { archived: true });
}
