export interface Product {
  id: number;
  sku: string;
  name: string;
  price_cents: number;
  category: string;
  description?: string | null;
}

export interface CartItem {
  sku: string;
  quantity: number;
}

export interface OrderItem {
  sku: string;
  quantity: number;
  price_cents: number;
}

export interface Order {
  id: number;
  status: string;
  total_cents: number;
  created_at: string;
  items: OrderItem[];
}

export function formatPrice(cents: number): string {
  return (cents / 100).toLocaleString('de-DE', { style: 'currency', currency: 'EUR' });
}
