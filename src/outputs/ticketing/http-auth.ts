/** How nocwatch authenticates to a ticketing system: nothing, a bearer token, basic auth or a header. */
import { z } from 'zod';

export const httpAuthSchema = z
  .discriminatedUnion('kind', [
    z.strictObject({ kind: z.literal('none') }),
    z.strictObject({ kind: z.literal('bearer'), token: z.string().min(1) }),
    z.strictObject({ kind: z.literal('basic'), username: z.string().min(1), password: z.string() }),
    z.strictObject({ kind: z.literal('header'), name: z.string().min(1), value: z.string() }),
  ])
  .default({ kind: 'none' });
export type HttpAuth = z.infer<typeof httpAuthSchema>;

export function authHeaders(auth: HttpAuth): Record<string, string> {
  switch (auth.kind) {
    case 'none': return {};
    case 'bearer': return { authorization: `Bearer ${auth.token}` };
    case 'basic': return { authorization: `Basic ${Buffer.from(`${auth.username}:${auth.password}`).toString('base64')}` };
    case 'header': return { [auth.name.toLowerCase()]: auth.value };
  }
}

/** The fields every target has: where it is and how to log in. */
export const targetBase = {
  /** Base URL of the system (e.g. `https://acme.service-now.com`); for the webhook, the full URL. */
  url: z.url(),
  auth: httpAuthSchema,
  /** Extra headers on every request. */
  headers: z.record(z.string(), z.string()).default({}),
};
