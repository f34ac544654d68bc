/** HTTP server and auth configuration. */
import { z } from 'zod';

export const SCOPES = ['ingest', 'read', 'admin'] as const;
export type Scope = (typeof SCOPES)[number];

export const serverConfigSchema = z.strictObject({
  /** Loopback by default; a non-loopback address requires auth tokens. */
  host: z.string().min(1).default('127.0.0.1'),
  port: z.number().int().min(0).max(65535).default(8080),
  /** Largest request body accepted, in bytes (413 above it). */
  bodyLimitBytes: z.number().int().min(1024).max(1024 * 1024 * 1024).default(8 * 1024 * 1024),
  /** Grace time for draining the queue on SIGTERM/SIGINT. */
  shutdownGraceMs: z.number().int().min(0).max(600_000).default(10_000),
});
export type ServerConfig = z.infer<typeof serverConfigSchema>;

export const tokenSchema = z.strictObject({
  /** Who holds the token, for logs. */
  name: z.string().min(1).max(64),
  token: z.string().min(16, 'tokens must be at least 16 characters'),
  scopes: z.array(z.enum(SCOPES)).min(1),
});

export const authConfigSchema = z.strictObject({
  /** Bearer tokens with scopes. Empty: auth is off (only allowed on a loopback address). */
  tokens: z.array(tokenSchema).default([]),
});
export type AuthConfig = z.infer<typeof authConfigSchema>;
