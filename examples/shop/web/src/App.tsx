import { useState } from 'react';
import ProductList from './components/ProductList';
import Checkout from './components/Checkout';
import OrderDetail from './components/OrderDetail';
import LoginForm from './components/LoginForm';
import type { CartItem } from './types';

type View =
  | { name: 'catalog' }
  | { name: 'checkout' }
  | { name: 'order'; id: number }
  | { name: 'login' };

export default function App() {
  const [view, setView] = useState<View>({ name: 'catalog' });
  // TODO: persist the cart in localStorage so a reload does not empty it
  const [cart, setCart] = useState<CartItem[]>([]);

  const addToCart = (sku: string) => {
    setCart((items) => {
      if (items.some((i) => i.sku === sku)) {
        return items.map((i) => (i.sku === sku ? { ...i, quantity: i.quantity + 1 } : i));
      }
      return [...items, { sku, quantity: 1 }];
    });
  };

  const orderPlaced = (id: number) => {
    setCart([]);
    setView({ name: 'order', id });
  };

  return (
    <div className="app">
      <header>
        <h1>Acme Shop</h1>
        <nav>
          <button onClick={() => setView({ name: 'catalog' })}>Catalog</button>
          <button onClick={() => setView({ name: 'checkout' })}>Cart ({cart.length})</button>
          <button onClick={() => setView({ name: 'login' })}>Sign in</button>
        </nav>
      </header>
      {view.name === 'catalog' && <ProductList onAdd={addToCart} />}
      {view.name === 'checkout' && <Checkout items={cart} onPlaced={orderPlaced} />}
      {view.name === 'order' && <OrderDetail id={view.id} />}
      {view.name === 'login' && <LoginForm onLoggedIn={() => setView({ name: 'catalog' })} />}
    </div>
  );
}
