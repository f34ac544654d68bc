/**
 * HMAC-SHA256 signatures over a raw body, as `X-Nocwatch-Signature: sha256=<hex>`: nocwatch signs
 * what it pushes, and verifies what the ticketing system posts back.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';

export const SIGNATURE_HEADER = 'x-nocwatch-signature';

export function sign(secret: string, body: string | Buffer): string {
  return `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`;
}

/**
 * True when `header` is the signature of `body`; compared in constant time. Hex digits (and the
 * scheme name) are read in either case: some ticketing systems print their HMAC in upper case.
 */
export function verifySignature(secret: string, body: string | Buffer, header: string | undefined): boolean {
  if (typeof header !== 'string') return false;
  const expected = Buffer.from(sign(secret, body));
  // Lower-casing depends only on what the client sent, not on the secret: still constant time.
  const given = Buffer.from(header.trim().toLowerCase());
  return given.length === expected.length && timingSafeEqual(given, expected);
}
