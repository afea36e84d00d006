import { createHash, randomBytes } from 'node:crypto';

/** A fresh link token: 32 random bytes, base64url (43 characters). */
export const newLinkToken = () => randomBytes(32).toString('base64url');

/** What the database keeps of a confirmation token. */
export const tokenHash = (token: string) => createHash('sha256').update(token, 'utf8').digest('hex');
