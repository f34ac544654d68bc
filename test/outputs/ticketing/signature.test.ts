import { describe, expect, it } from 'vitest';
import { parseRetryAfter } from '../../../src/outputs/ticketing/http-sender.js';
import { sign, verifySignature } from '../../../src/outputs/ticketing/signature.js';

describe('HMAC signatures', () => {
  const secret = 'a-secret-of-enough-length';
  const body = '{"type":"acknowledged","at":"2026-11-23T10:30:00+08:00"}';

  it('signs as sha256=<hex> and verifies exactly that body with that secret', () => {
    const sig = sign(secret, body);
    expect(sig).toMatch(/^sha256=[0-9a-f]{64}$/);
    expect(verifySignature(secret, body, sig)).toBe(true);
    expect(verifySignature(secret, Buffer.from(body), sig)).toBe(true);
  });

  it.each([
    ['missing', undefined],
    ['empty', ''],
    ['without the scheme', sign(secret, body).slice(7)],
    ['of another body', sign(secret, `${body} `)],
    ['with another secret', sign('another-secret-entirely', body)],
    ['truncated', sign(secret, body).slice(0, 40)],
    ['of another body in upper case', sign(secret, `${body} `).toUpperCase()],
    ['with a non-hex character', `${sign(secret, body).slice(0, -1)}g`],
  ])('refuses a signature %s', (_what, header) => {
    expect(verifySignature(secret, body, header)).toBe(false);
  });

  it('reads the hex digits (and the scheme name) in either case, as hex is case-insensitive', () => {
    const hex = sign(secret, body).slice('sha256='.length);
    expect(verifySignature(secret, body, `sha256=${hex.toUpperCase()}`)).toBe(true);
    expect(verifySignature(secret, body, `SHA256=${hex.toUpperCase()}`)).toBe(true);
    expect(verifySignature(secret, body, `sha256=${hex.slice(0, 32)}${hex.slice(32).toUpperCase()}`)).toBe(true);
  });
});

describe('Retry-After', () => {
  const now = Date.UTC(2026, 10, 23, 10, 0, 0);
  it.each([
    ['30', 30_000],
    ['0', 0],
    ['Mon, 23 Nov 2026 10:01:00 GMT', 60_000],
    ['Mon, 23 Nov 2026 09:00:00 GMT', 0],
    ['soon', null],
    [null, null],
  ])('%s → %s ms', (value, expected) => {
    expect(parseRetryAfter(value, now)).toBe(expected);
  });
});
