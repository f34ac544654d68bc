/**
 * The error catalogue. Every error nocwatch raises on purpose is a `NocwatchError` with a stable
 * code, the HTTP status it maps to, and whether retrying the same request can succeed.
 */

export class NocwatchError extends Error {
  constructor(
    message: string,
    readonly code: string,
    readonly status: number,
    readonly retryable: boolean,
  ) {
    super(message);
    this.name = new.target.name;
  }
}

/** The request or record is malformed; retrying it unchanged will fail again. */
export class ValidationError extends NocwatchError {
  constructor(message: string, code = 'NOCWATCH_ERR_VALIDATION') {
    super(message, code, 400, false);
  }
}

export class NotFoundError extends NocwatchError {
  constructor(message: string) {
    super(message, 'NOCWATCH_ERR_NOT_FOUND', 404, false);
  }
}

/** The request conflicts with the current state (e.g. an invalid ticket transition). */
export class ConflictError extends NocwatchError {
  constructor(message: string, code = 'NOCWATCH_ERR_CONFLICT') {
    super(message, code, 409, false);
  }
}

export class UnauthorizedError extends NocwatchError {
  constructor(message = 'missing or invalid bearer token') {
    super(message, 'NOCWATCH_ERR_UNAUTHORIZED', 401, false);
  }
}

export class ForbiddenError extends NocwatchError {
  constructor(scope: string) {
    super(`the token lacks the '${scope}' scope`, 'NOCWATCH_ERR_FORBIDDEN', 403, false);
  }
}

export class PayloadTooLargeError extends NocwatchError {
  constructor(limitBytes: number) {
    super(`request body exceeds the limit of ${limitBytes} bytes`, 'NOCWATCH_ERR_TOO_LARGE', 413, false);
  }
}

/**
 * A batch with more records than the queue can ever hold (`pipeline.queueLimit`): a 503 would be
 * retried forever, so it is a 413 telling the client to split it (the simulator and Telegraf do).
 */
export class BatchTooLargeError extends NocwatchError {
  constructor(records: number, queueLimit: number) {
    super(
      `the batch has ${records} records, more than the queue limit of ${queueLimit} (pipeline.queueLimit): it can never be accepted whole; split it into batches of at most ${queueLimit} records`,
      'NOCWATCH_ERR_TOO_LARGE', 413, false,
    );
  }
}

/** Over the queue limit: nothing of the request was accepted; retry after `retryAfterS`. */
export class OverloadedError extends NocwatchError {
  constructor(readonly retryAfterS: number, detail: string) {
    super(`overloaded: ${detail}; retry after ${retryAfterS} s`, 'NOCWATCH_ERR_OVERLOADED', 503, true);
  }
}

/** The durable store failed; the request was not accepted. */
export class StoreError extends NocwatchError {
  constructor(message: string) {
    super(message, 'NOCWATCH_ERR_STORE', 503, true);
  }
}

/** Configuration is invalid; lists every offending field. */
export class ConfigError extends NocwatchError {
  constructor(readonly problems: string[], source: string) {
    super(`invalid configuration in ${source}:\n  ${problems.join('\n  ')}`, 'NOCWATCH_ERR_CONFIG', 400, false);
  }
}
