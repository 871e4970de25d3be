import express, { type NextFunction, type Request, type Response } from 'express';
import cors from 'cors';
import cookieParser from 'cookie-parser';
import { PORT, SESSION_SECRET } from './config';
import { authenticate } from './middleware/auth';
import { apiLimiter, checkoutLimiter } from './middleware/rateLimit';
import productsRouter from './routes/products';
import authRouter from './routes/auth';
import ordersRouter from './routes/orders';
import checkoutRouter from './routes/checkout';
import adminRouter from './routes/admin';
import { attachStockFeed } from './realtime';

const app = express();

app.use(cors());
app.use(express.json());
app.use(cookieParser(SESSION_SECRET));
app.use('/v1', apiLimiter);

app.use('/api', productsRouter);
app.use('/api/auth', authRouter);
app.use('/api/orders', authenticate, ordersRouter);
app.use('/api/v2/checkout', authenticate, checkoutLimiter, checkoutRouter);
app.use('/api/admin', authenticate, adminRouter);

app.use((err: Error, _req: Request, res: Response, _next: NextFunction) => {
  console.error('unhandled error', err);
  res.status(500).json({ error: 'internal server error' });
});

const server = app.listen(PORT, () => {
  console.log(`shop api listening on port ${PORT}`);
});

attachStockFeed(server);

process.on('unhandledRejection', (reason) => {
  console.error('unhandled rejection', reason);
  process.exit(1);
});

process.on('SIGTERM', () => {
  server.close(() => process.exit(0));
});
