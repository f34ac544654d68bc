/** The errors the ticket stage throws, from the shared catalogue (stable codes, HTTP status). */
import { ConflictError, NotFoundError } from '../errors.js';

export const ticketNotFound = (id: string): NotFoundError => new NotFoundError(`ticket ${id} not found`);

export const invalidTransition = (id: string, state: string, input: string): ConflictError =>
  new ConflictError(`ticket ${id} is ${state}: event "${input}" is not allowed in that state`, 'NOCWATCH_ERR_TICKET_TRANSITION');
