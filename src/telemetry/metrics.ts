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
  readonly lateEvents: Counter<'feed'>;
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
    this.lateEvents = new Counter({
      name: 'nocwatch_pipeline_late_events_total',
      help: 'Events older than the watermark when processed (beyond the allowed lateness)',
      labelNames: ['feed'],
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
  }

  /** Prometheus text exposition. */
  async render(): Promise<{ contentType: string; body: string }> {
    return { contentType: this.registry.contentType, body: await this.registry.metrics() };
  }
}
