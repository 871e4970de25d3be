export const PORT = Number(process.env.PORT || 3000);

export const JWT_SECRET = process.env.JWT_SECRET || 'dev-secret-change-me';
export const SESSION_SECRET = process.env.SESSION_SECRET || process.env.JWT_SECRET || 'dev-secret-change-me';

export const INVENTORY_URL = process.env.INVENTORY_URL || 'http://localhost:8081';
export const INVENTORY_API_KEY = process.env.INVENTORY_API_KEY;
