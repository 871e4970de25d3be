import { Pool } from 'pg';

export const pool = new Pool({ connectionString: process.env.DATABASE_URL });

pool.on('error', (err) => {
  console.error('Unexpected error on idle postgres client', err);
  process.exit(-1);
});
