/** Generic webhook target: the ticket JSON (as on `GET /api/v1/tickets/:id`) POSTed to one URL. */
import { z } from 'zod';
import { targetBase } from '../../http-auth.js';

export const webhookTargetSchema = z.strictObject({
  kind: z.literal('webhook'),
  ...targetBase,
});
export type WebhookTarget = z.infer<typeof webhookTargetSchema>;
