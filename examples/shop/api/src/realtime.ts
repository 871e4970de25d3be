import type { Server } from 'http';
import { WebSocket, WebSocketServer } from 'ws';
import { redis } from './redis';

export function attachStockFeed(server: Server) {
  const wss = new WebSocketServer({ server, path: '/ws/stock' });
  const subscriber = redis.duplicate();

  subscriber.subscribe('stock-updates');
  subscriber.on('message', (_channel, sku) => {
    const payload = JSON.stringify({ type: 'stock', sku });
    for (const client of wss.clients) {
      if (client.readyState === WebSocket.OPEN) {
        client.send(payload);
      }
    }
  });

  wss.on('connection', (socket, req) => {
    console.log('stock feed client connected', req.socket.remoteAddress);
    socket.send(JSON.stringify({ type: 'hello' }));
  });

  return wss;
}
