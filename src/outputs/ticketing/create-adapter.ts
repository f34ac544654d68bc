/** Builds the adapter for the configured target. */
import type { TicketingAdapter } from './adapter.js';
import { alertmanagerAdapter } from './adapters/alertmanager/requests.js';
import { jiraAdapter } from './adapters/jira/requests.js';
import { servicenowAdapter } from './adapters/servicenow/requests.js';
import { webhookAdapter } from './adapters/webhook/requests.js';
import type { TicketingTarget } from './config.js';

export function createAdapter(target: TicketingTarget): TicketingAdapter {
  switch (target.kind) {
    case 'webhook': return webhookAdapter();
    case 'alertmanager': return alertmanagerAdapter(target);
    case 'servicenow': return servicenowAdapter(target);
    case 'jira': return jiraAdapter(target);
  }
}
