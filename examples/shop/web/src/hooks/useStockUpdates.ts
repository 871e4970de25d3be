import { useEffect, useState } from 'react';

interface StockMessage {
  type: 'hello' | 'stock';
  sku?: string;
}

export function useStockUpdates(): string | null {
  const [changedSku, setChangedSku] = useState<string | null>(null);

  useEffect(() => {
    const proto = window.location.protocol === 'https:' ? 'wss' : 'ws';
    const ws = new WebSocket(`${proto}://${window.location.host}/ws/stock`);

    ws.onmessage = (event) => {
      const msg = JSON.parse(event.data) as StockMessage;
      if (msg.type === 'stock' && msg.sku) {
        setChangedSku(msg.sku);
      }
    };
    ws.onclose = () => {
      console.log('stock feed disconnected');
    };
    ws.onerror = () => {
      debugger;
    };

    return () => ws.close();
  }, []);

  return changedSku;
}
