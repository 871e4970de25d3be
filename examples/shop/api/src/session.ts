import type { Response } from 'express';

// Sets the login session cookie for browser clients of the api.
export function setSessionCookie(res: Response, token: string) {
  res.cookie('session', token, { httpOnly: true, sameSite: 'lax' });
}
