/**
 * The errors the ticket stage throws. Same shape as the shared catalogue (code, HTTP status,
 * whether a retry can help), so the HTTP error handler answers them as any other NocwatchError.
 */
export class TicketError extends Error {
  constructor(
    readonly code: string,
    readonly status: number,
    message: string,
    readonly retryable = false,
  ) {
    super(message);
    this.name = 'TicketError';
  }
}

export const ticketNotFound = (id: string): TicketError =>
  new TicketError('NOCWATCH_ERR_TICKET_NOT_FOUND', 404, `ticket ${id} not found`);

export const invalidTransition = (id: string, state: string, input: string): TicketError =>
  new TicketError(
    'NOCWATCH_ERR_TICKET_TRANSITION',
    409,
    `ticket ${id} is ${state}: event "${input}" is not allowed in that state`,
  );
