/** Jira target: REST API v2 issues (create, then transitions, comments and priority changes). */
import { z } from 'zod';
import { targetBase } from '../../http-auth.js';

export const jiraTargetSchema = z.strictObject({
  kind: z.literal('jira'),
  ...targetBase,
  projectKey: z.string().min(1),
  issueType: z.string().min(1).default('Task'),
  /** Jira priority names for P1…P4. */
  priorities: z.array(z.string()).length(4).default(['Highest', 'High', 'Medium', 'Low']),
  /** Workflow transition id to run when the ticket enters a state (ids are per Jira workflow). */
  transitions: z
    .partialRecord(z.enum(['acknowledged', 'in_progress', 'resolved', 'verified', 'reopened', 'closed']), z.string())
    .default({}),
});
export type JiraTarget = z.infer<typeof jiraTargetSchema>;
