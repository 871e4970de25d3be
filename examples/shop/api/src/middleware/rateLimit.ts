import rateLimit from 'express-rate-limit';
import { RedisStore } from 'rate-limit-redis';
import { redis } from '../redis';

export const apiLimiter = rateLimit({
  windowMs: 60 * 1000,
  limit: 300,
  standardHeaders: 'draft-7',
  legacyHeaders: false,
});

export const checkoutLimiter = rateLimit({
  windowMs: 10 * 60 * 1000,
  limit: 20,
  standardHeaders: 'draft-7',
  legacyHeaders: false,
  message: { error: 'too many checkout attempts, try again later' },
  // Shared counters when Redis is up; each instance counts alone otherwise.
  store:
    redis.status === 'ready'
      ? new RedisStore({ sendCommand: (...args: string[]) => redis.call(args[0], ...args.slice(1)) as never })
      : undefined,
});
