/** ServiceNow target: the Table API `incident` table (create with POST, later versions PATCH by sys_id). */
import { z } from 'zod';
import { targetBase } from '../../http-auth.js';

export const servicenowTargetSchema = z.strictObject({
  kind: z.literal('servicenow'),
  ...targetBase,
  table: z.string().min(1).default('incident'),
  /** `assignment_group` per department (a group name or sys_id). */
  assignmentGroups: z
    .strictObject({ maintenance: z.string().optional(), optimization: z.string().optional(), construction: z.string().optional() })
    .default({}),
  category: z.string().default('network'),
  /** `caller_id` on created incidents (a user name or sys_id), when the instance requires one. */
  callerId: z.string().nullable().default(null),
  closeCode: z.string().default('Solved (Permanently)'),
});
export type ServicenowTarget = z.infer<typeof servicenowTargetSchema>;
