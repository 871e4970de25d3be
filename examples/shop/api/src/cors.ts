import cors from 'cors';

// The production CORS policy: only the web app's origins (comma-separated in CORS_ORIGINS),
// with credentials for the session cookie. It is to replace the open `cors()` in index.ts.
export const corsPolicy = cors({
  origin: process.env.CORS_ORIGINS?.split(',') ?? [],
  credentials: true,
});
