/**
 * All Prometheus metrics of one app, on a registry of its own (no global registry, so every test
 * gets a fresh one). The only module that imports prom-client besides this folder's siblings.
 * Naming: `nocwatch_<area>_<name>_<unit>[_total]`, label values from bounded sets only.
 */
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

export class Metrics {
  readonly registry: Registry;

  readonly ingestAccepted: Counter<'feed'>;
  readonly ingestRejected: Counter<'feed' | 'reason'>;
  readonly ingestOverloaded: Counter<'feed'>;
  readonly ingestDuplicates: Counter<'feed'>;
  readonly ingestUnknownObjects: Counter<'feed'>;
  readonly lateEvents: Counter<'feed'>;
  readonly detectorAnomalies: Counter<'source' | 'state'>;
  readonly pending: Gauge;
  readonly watermark: Gauge;
  readonly processingLatency: Histogram;
  readonly batchDuration: Histogram;
  readonly storeErrors: Counter<'op'>;
  readonly inventoryCells: Gauge;
  readonly dashboardClients: Gauge;
  readonly dashboardMessages: Counter<'kind'>;
  readonly dashboardBytes: Counter<'kind'>;
  readonly dashboardSlowClients: Counter<'action'>;
  readonly pmXmlFiles: Counter<'result'>;
  readonly lineProtocolPoints: Counter<'result'>;
  readonly historyPoints: Counter<'result'>;
  readonly historyBuffered: Gauge;
  readonly historyWriteFailures: Counter<'retryable'>;
  readonly incidentsOpen: Gauge<'severity' | 'category' | 'confirmed'>;

  // Tickets, ticketing delivery, callbacks and the process KPIs (the evaluate step).
  readonly ticketChanges: Counter<'type'>;
  readonly slaBreaches: Counter<'stage' | 'class'>;
  readonly tickets: Gauge<'state'>;
  readonly departmentTickets: Gauge<'department' | 'state'>;
  readonly ticketsStale: Gauge<'class'>;
  readonly ticketEventsRefused: Counter<'reason'>;
  readonly outboxEntries: Gauge<'state'>;
  readonly deliveries: Counter<'system' | 'outcome'>;
  readonly callbacks: Gauge<'state'>;
  readonly dissatisfiedCustomers: Gauge;
  /** Process KPIs over the evaluation window, `department` = all | maintenance | optimization | construction. */
  readonly evalRatio: Gauge<'kpi' | 'department'>;
  readonly evalSeconds: Gauge<'kpi' | 'quantile' | 'department'>;
  readonly evalComplaintsPer10k: Gauge<'department'>;

  private readonly scrapeHooks: (() => void)[] = [];

  constructor(opts: { defaultMetrics?: boolean } = {}) {
    const registers = [(this.registry = new Registry())];
    if (opts.defaultMetrics !== false) collectDefaultMetrics({ register: this.registry, prefix: 'nocwatch_' });

    this.ingestAccepted = new Counter({
      name: 'nocwatch_ingest_records_accepted_total',
      help: 'Records accepted per feed',
      labelNames: ['feed'],
      registers,
    });
    this.ingestRejected = new Counter({
      name: 'nocwatch_ingest_records_rejected_total',
      help: 'Records rejected per feed and reason (the validation problem kind)',
      labelNames: ['feed', 'reason'],
      registers,
    });
    this.ingestOverloaded = new Counter({
      name: 'nocwatch_ingest_overloaded_requests_total',
      help: 'Ingest requests refused with 503 because the queue was over its limit',
      labelNames: ['feed'],
      registers,
    });
    this.ingestDuplicates = new Counter({
      name: 'nocwatch_ingest_duplicate_records_total',
      help: 'Records whose id was already known (complaints): accepted again, stored once',
      labelNames: ['feed'],
      registers,
    });
    this.ingestUnknownObjects = new Counter({
      name: 'nocwatch_ingest_unknown_objects_total',
      help: 'Accepted records naming a cell, site, transport node or district not in the inventory (a stale inventory: their incidents have no region)',
      labelNames: ['feed'],
      registers,
    });
    this.lateEvents = new Counter({
      name: 'nocwatch_pipeline_late_events_total',
      help: 'Events older than the watermark when processed (beyond the allowed lateness)',
      labelNames: ['feed'],
      registers,
    });
    this.detectorAnomalies = new Counter({
      name: 'nocwatch_detector_anomalies_total',
      help: 'Anomaly state transitions by detector source and the state entered (pending, firing, resolving, resolved)',
      labelNames: ['source', 'state'],
      registers,
    });
    this.pending = new Gauge({
      name: 'nocwatch_pipeline_pending_records',
      help: 'Records accepted but not yet processed (queue depth)',
      registers,
    });
    this.watermark = new Gauge({
      name: 'nocwatch_pipeline_watermark_seconds',
      help: 'Event time the pipeline has reached, as a Unix timestamp',
      registers,
    });
    this.processingLatency = new Histogram({
      name: 'nocwatch_pipeline_latency_seconds',
      help: 'Wall time from a record being accepted to its batch being processed and committed',
      buckets: [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
      registers,
    });
    this.batchDuration = new Histogram({
      name: 'nocwatch_pipeline_batch_duration_seconds',
      help: 'Wall time spent processing one batch through every stage and the store',
      buckets: [0.0005, 0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
      registers,
    });
    this.storeErrors = new Counter({
      name: 'nocwatch_store_errors_total',
      help: 'Failed store operations',
      labelNames: ['op'],
      registers,
    });
    this.inventoryCells = new Gauge({
      name: 'nocwatch_inventory_cells',
      help: 'Cells in the inventory',
      registers,
    });
    this.dashboardClients = new Gauge({
      name: 'nocwatch_dashboard_clients',
      help: 'Dashboard WebSocket clients connected',
      registers,
    });
    this.dashboardMessages = new Counter({
      name: 'nocwatch_dashboard_messages_sent_total',
      help: 'Dashboard WebSocket messages sent, by kind (snapshot, delta, replay)',
      labelNames: ['kind'],
      registers,
    });
    this.dashboardBytes = new Counter({
      name: 'nocwatch_dashboard_sent_bytes_total',
      help: 'Dashboard WebSocket bytes sent, by message kind',
      labelNames: ['kind'],
      registers,
    });
    this.dashboardSlowClients = new Counter({
      name: 'nocwatch_dashboard_slow_clients_total',
      help: 'Dashboard clients over their send buffer: skipped until drained, or dropped when stuck',
      labelNames: ['action'],
      registers,
    });
    this.pmXmlFiles = new Counter({
      name: 'nocwatch_pm_xml_files_total',
      help: 'PM XML files finished, by result: done, failed (moved to failed/ with a reason), duplicate (name already taken in)',
      labelNames: ['result'],
      registers,
    });
    this.lineProtocolPoints = new Counter({
      name: 'nocwatch_line_protocol_points_total',
      help: 'Line protocol points received, by result: accepted, rejected (bad line or record), ignored (a measurement nocwatch does not read)',
      labelNames: ['result'],
      registers,
    });
    this.historyPoints = new Counter({
      name: 'nocwatch_history_points_total',
      help: 'History points for InfluxDB, by result: written, dropped_buffer_full (oldest dropped while the server was slow or down), dropped_rejected (refused by the server)',
      labelNames: ['result'],
      registers,
    });
    this.historyBuffered = new Gauge({
      name: 'nocwatch_history_buffered_points',
      help: 'History points waiting to be written to InfluxDB',
      registers,
    });
    this.historyWriteFailures = new Counter({
      name: 'nocwatch_history_write_failures_total',
      help: 'Failed InfluxDB write requests; retryable ones are retried with backoff',
      labelNames: ['retryable'],
      registers,
    });
    this.incidentsOpen = new Gauge({
      name: 'nocwatch_incidents_open',
      help: 'Open incidents by severity (critical, major, minor, warning), root-cause category and whether confirmed (a ticket opens only for confirmed ones); every combination is present, 0 when none',
      labelNames: ['severity', 'category', 'confirmed'],
      registers,
    });
    this.ticketChanges = new Counter({
      name: 'nocwatch_ticket_changes_total',
      help: 'Ticket versions produced, by kind of change (opened, state, sla_breach, verified, reopened, closed, updated)',
      labelNames: ['type'],
      registers,
    });
    this.slaBreaches = new Counter({
      name: 'nocwatch_ticket_sla_breaches_total',
      help: 'SLA deadlines passed without their milestone, by stage and triage class',
      labelNames: ['stage', 'class'],
      registers,
    });
    this.tickets = new Gauge({
      name: 'nocwatch_tickets',
      help: 'Tickets held live (not closed long ago), by state',
      labelNames: ['state'],
      registers,
    });
    this.departmentTickets = new Gauge({
      name: 'nocwatch_department_tickets',
      help: 'Tickets held live by department (maintenance, optimization, construction) and state; summed over departments it is nocwatch_tickets',
      labelNames: ['department', 'state'],
      registers,
    });
    this.ticketsStale = new Gauge({
      name: 'nocwatch_tickets_stale',
      help: 'Working tickets flagged by the audit: no progress past their class limit',
      labelNames: ['class'],
      registers,
    });
    this.ticketEventsRefused = new Counter({
      name: 'nocwatch_ticket_events_refused_total',
      help: 'Ticketing-system events refused: bad or missing signature, invalid transition, unknown ticket',
      labelNames: ['reason'],
      registers,
    });
    this.outboxEntries = new Gauge({
      name: 'nocwatch_ticketing_outbox_entries',
      help: 'Ticket versions in the outbox by state (pending, retrying, delivered, dead)',
      labelNames: ['state'],
      registers,
    });
    this.deliveries = new Counter({
      name: 'nocwatch_ticketing_delivery_attempts_total',
      help: 'Delivery attempts to the ticketing system by outcome (delivered, retry, dead)',
      labelNames: ['system', 'outcome'],
      registers,
    });
    this.callbacks = new Gauge({
      name: 'nocwatch_callbacks',
      help: 'Customer callback tasks by state (pending, done)',
      labelNames: ['state'],
      registers,
    });
    this.dissatisfiedCustomers = new Gauge({
      name: 'nocwatch_dissatisfied_customers',
      help: 'Customers in the dissatisfied pool (unsatisfied on callback, or complained again after a verified fix)',
      registers,
    });
    this.evalRatio = new Gauge({
      name: 'nocwatch_eval_ratio',
      help: 'Process KPIs that are ratios (0..1) over the evaluation window: proactive, sla_respond, sla_onsite, sla_resolve, verification_pass, reopen, repeat_complaint, callback_reach, callback_satisfaction',
      labelNames: ['kpi', 'department'],
      registers,
    });
    this.evalSeconds = new Gauge({
      name: 'nocwatch_eval_duration_seconds',
      help: 'Process KPIs that are durations over the evaluation window: time_to_detect, time_to_acknowledge, time_to_resolve',
      labelNames: ['kpi', 'quantile', 'department'],
      registers,
    });
    this.evalComplaintsPer10k = new Gauge({
      name: 'nocwatch_eval_complaints_per_10k_subscribers',
      help: 'Complaints per 10,000 subscribers over the evaluation window',
      labelNames: ['department'],
      registers,
    });
  }

  /** Runs `fn` before every scrape, to refresh gauges read from state (ticket counts, outbox, KPIs). */
  onScrape(fn: () => void): void {
    this.scrapeHooks.push(fn);
  }

  /** Prometheus text exposition. */
  async render(): Promise<{ contentType: string; body: string }> {
    for (const hook of this.scrapeHooks) hook();
    return { contentType: this.registry.contentType, body: await this.registry.metrics() };
  }
}
