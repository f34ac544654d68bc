/**
 * A local HTTP server standing in for a ticketing system: records every request and answers with
 * what the test's handler says (status, JSON body, headers, a delay, or a dropped connection).
 */
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface Received {
  method: string;
  url: string;
  headers: IncomingMessage['headers'];
  raw: string;
  body: unknown;
}

export interface Reply {
  status?: number;
  json?: unknown;
  headers?: Record<string, string>;
  delayMs?: number;
  /** Close the socket without answering (the request may have been applied: a lost response). */
  drop?: boolean;
}

export type Handler = (req: Received, n: number) => Reply | undefined;

export class Receiver {
  readonly requests: Received[] = [];
  private server: Server | null = null;
  url = '';

  constructor(public handler: Handler = () => ({ status: 200 })) {}

  async start(): Promise<this> {
    this.server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const raw = Buffer.concat(chunks).toString('utf8');
        let body: unknown = null;
        try { body = raw ? JSON.parse(raw) : null; } catch { body = raw; }
        const rec: Received = { method: req.method ?? '', url: req.url ?? '', headers: req.headers, raw, body };
        this.requests.push(rec);
        const reply = this.handler(rec, this.requests.length) ?? { status: 200 };
        const answer = () => {
          if (reply.drop) { req.socket.destroy(); return; }
          res.writeHead(reply.status ?? 200, { 'content-type': 'application/json', ...reply.headers });
          res.end(reply.json === undefined ? '' : JSON.stringify(reply.json));
        };
        if (reply.delayMs) setTimeout(answer, reply.delayMs).unref();
        else answer();
      });
    });
    await new Promise<void>((r) => this.server!.listen(0, '127.0.0.1', r));
    this.url = `http://127.0.0.1:${(this.server!.address() as AddressInfo).port}`;
    return this;
  }

  async stop(): Promise<void> {
    this.server?.closeAllConnections();
    await new Promise((r) => this.server?.close(r));
  }

  /** Idempotency keys seen, in order (with repeats). */
  keys(): string[] {
    return this.requests.map((r) => String(r.headers['idempotency-key']));
  }
}
