/**
 * The InfluxDB port of the history writer: write one batch of line protocol lines, or fail with an
 * InfluxWriteError that says whether retrying can help. The real one goes through
 * `@influxdata/influxdb-client` (any server with the InfluxDB v2 write API); tests use a fake.
 */
import { HttpError, InfluxDB, setLogger, type WriteApi } from '@influxdata/influxdb-client';
import type { Logger } from '../../telemetry/logger.js';
import type { InfluxHistoryConfig } from './config.js';

export interface InfluxWriteSink {
  /** Writes the lines (millisecond precision). Rejects with InfluxWriteError. */
  write(lines: readonly string[]): Promise<void>;
}

export class InfluxWriteError extends Error {
  readonly code = 'NOCWATCH_ERR_INFLUX_WRITE';
  constructor(
    message: string,
    /** Network errors, timeouts, 429 and 5xx: the same lines may succeed later. */
    readonly retryable: boolean,
    /** The server's Retry-After, when it sent one. */
    readonly retryAfterMs?: number,
  ) {
    super(message);
    this.name = 'InfluxWriteError';
  }
}

/** Turns what the client throws into an InfluxWriteError. */
export function classifyInfluxError(err: unknown): InfluxWriteError {
  if (err instanceof InfluxWriteError) return err;
  if (err instanceof HttpError) {
    const retryable = err.statusCode === 429 || err.statusCode >= 500;
    const body = (err.body ?? '').slice(0, 300);
    const after = err.headers?.['retry-after'];
    const afterS = typeof after === 'string' ? Number(after) : NaN;
    return new InfluxWriteError(
      `InfluxDB answered ${err.statusCode}${body ? `: ${body}` : ''}`,
      retryable,
      Number.isFinite(afterS) && afterS >= 0 ? afterS * 1000 : undefined,
    );
  }
  const e = err as Error & { code?: string };
  return new InfluxWriteError(`InfluxDB write failed: ${e?.code ? `${e.code} ` : ''}${e?.message ?? String(err)}`, true);
}

let clientLoggerSet = false;

/** The real sink: one WriteApi used as a plain sender (our writer does the batching and retries). */
export class InfluxClientSink implements InfluxWriteSink {
  private readonly api: WriteApi;

  constructor(config: InfluxHistoryConfig, logger: Logger) {
    if (!clientLoggerSet) {
      // The client logs every failed write to the console; ours are counted and logged once a minute.
      const log = logger.child({ component: 'influxdb-client' });
      setLogger({ error: (message, error) => log.debug({ err: error }, message), warn: (message, error) => log.debug({ err: error }, message) });
      clientLoggerSet = true;
    }
    const client = new InfluxDB({ url: config.url, token: config.token || undefined, timeout: config.timeoutMs });
    this.api = client.getWriteApi(config.org, config.bucket, 'ms', {
      // Never auto-flush or retry inside the client: one write() = one request.
      batchSize: config.batchSize + 1,
      flushInterval: 0,
      maxRetries: 0,
      maxBufferLines: config.batchSize + 1,
      gzipThreshold: 64 * 1024,
    });
  }

  async write(lines: readonly string[]): Promise<void> {
    this.api.writeRecords(lines as string[]);
    try {
      await this.api.flush();
    } catch (err) {
      throw classifyInfluxError(err);
    }
  }
}
