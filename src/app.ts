/**
 * The composition root: builds every component from the configuration and wires them together.
 * No side effects on import; nothing listens here (main.ts does). Tests build an app with an
 * in-memory store and talk to it through `server.inject()`.
 */
import type { FastifyInstance } from 'fastify';
import pkg from '../package.json' with { type: 'json' };
import { registerCellRoutes } from './api/routes/cells.js';
import { registerComplaintRoutes } from './api/routes/complaints.js';
import { registerIncidentRoutes } from './api/routes/incidents.js';
import { registerInfluxWriteRoutes } from './api/routes/influx-write.js';
import { registerIngestRoutes } from './api/routes/ingest.js';
import { registerInventoryRoutes } from './api/routes/inventory.js';
import { registerStatusRoutes } from './api/routes/status.js';
import { registerVesRoutes } from './api/routes/ves.js';
import { registerTicketRoutes } from './api/routes/tickets.js';
import { registerCallbackRoutes } from './api/routes/callbacks.js';
import { registerOutboxRoutes } from './api/routes/outbox.js';
import { registerEvaluationRoutes } from './api/routes/evaluation.js';
import { collectEvaluationData } from './evaluation/evaluation-source.js';
import { RollingEvaluation } from './evaluation/rolling-evaluation.js';
import { DeliveryWorker } from './outputs/ticketing/delivery-worker.js';
import { CallbackService } from './tickets/callback-service.js';
import { TicketEngine, ticketIdFor } from './tickets/ticket-engine.js';
import { TicketPersister } from './tickets/ticket-persister.js';
import { TicketTelemetry } from './tickets/ticket-telemetry.js';
import { TokenAuth } from './api/auth.js';
import { createServer } from './api/server.js';
import { RecordDecoder } from './collectors/json-records.js';
import { compileKpiFormulas, computeKpis } from './collectors/kpi-formulas.js';
import { PmXmlWatcher } from './collectors/pm-xml/pm-xml-watcher.js';
import { InfluxHistoryWriter } from './outputs/influx/influx-history-writer.js';
import { pushStateOf } from './outputs/ticketing/outbox-entry.js';
import { InfluxClientSink, type InfluxWriteSink } from './outputs/influx/influx-sink.js';
import type { Config } from './config/schema.js';
import { evaluationTiles } from './dashboard/evaluation-tiles.js';
import { DashboardHub } from './dashboard/hub.js';
import { registerDashboard } from './dashboard/plugin.js';
import type { DashboardSources } from './dashboard/sources.js';
import { Detectors } from './detectors/detectors.js';
import { IncidentEngine } from './incidents/incident-engine.js';
import { KnownIssues } from './incidents/known-issues.js';
import { IncidentTicketNotes } from './incidents/ticket-notes.js';
import { Inventory } from './inventory/inventory.js';
import { readInventoryCsv } from './inventory/inventory-csv.js';
import { FeedStats } from './pipeline/feed-stats.js';
import { IngestService } from './pipeline/ingest-service.js';
import { Pipeline } from './pipeline/pipeline.js';
import type { PacingClock } from './simulator/driver.js';
import { generateNetwork } from './simulator/inventory-generator.js';
import { networkFromCells } from './simulator/network-from-cells.js';
import type { SimNetwork } from './simulator/network.js';
import { Simulator } from './simulator/simulator.js';
import { openSqliteStore, type Store } from './store/store.js';
import { createLogger, type Logger } from './telemetry/logger.js';
import { IncidentGauges } from './telemetry/incident-gauges.js';
import { Metrics } from './telemetry/metrics.js';

export const VERSION: string = pkg.version;

export interface AppOptions {
  config: Config;
  logger?: Logger;
  /** Defaults to the SQLite store under `config.dataDir`. Tests pass `createMemoryStore()`. */
  store?: Store;
  /** Wall clock, for latency metrics and pacing only. */
  wallClock?: () => number;
  /** Pacing clock of the built-in simulator (tests pass a fake one). */
  simulatorClock?: PacingClock;
  /** Where history goes when `history.influx.url` is set; defaults to the InfluxDB client. */
  historySink?: InfluxWriteSink;
}

export interface App {
  readonly config: Config;
  readonly server: FastifyInstance;
  readonly store: Store;
  readonly inventory: Inventory;
  readonly pipeline: Pipeline;
  readonly detectors: Detectors;
  readonly incidents: IncidentEngine;
  readonly ingest: IngestService;
  readonly metrics: Metrics;
  readonly logger: Logger;
  /** The built-in simulated network feeding the daemon, when `simulator.enabled` (created by start()). */
  readonly simulator: Simulator | null;
  readonly tickets: TicketEngine;
  readonly delivery: DeliveryWorker;
  readonly callbacks: CallbackService;
  /** The dashboard's WebSocket hub (null when `dashboard.enabled` is false). */
  readonly dashboard: DashboardHub | null;
  /** Restores durable state, re-enqueues unprocessed complaints and starts background work. */
  start(): Promise<void>;
  /** Stops accepting, drains the queue within the grace time, checkpoints, closes the store. */
  stop(): Promise<void>;
}

/** Loads the inventory: cells posted earlier (store), then the CSV file (which wins). */
function loadInventory(config: Config, store: Store, log: Logger): Inventory {
  const inventory = new Inventory(store.cells.all());
  if (config.inventory.file) {
    const { cells, problems } = readInventoryCsv(config.inventory.file);
    for (const p of problems.slice(0, 20)) log.warn({ file: config.inventory.file, line: p.line }, `inventory row skipped: ${p.error}`);
    if (problems.length > 20) log.warn({ file: config.inventory.file }, `${problems.length - 20} more inventory rows skipped`);
    inventory.upsert(cells);
    log.info({ file: config.inventory.file, cells: cells.length, skipped: problems.length }, 'inventory loaded');
  }
  return inventory;
}

/** What the dashboard reads, from whichever components this app has. */
function dashboardSources(d: {
  config: Config; store: Store; inventory: Inventory; pipeline: Pipeline; feedStats: FeedStats; wallClock: () => number;
  detectors: Detectors; tickets: TicketEngine; evaluation: RollingEvaluation;
}): DashboardSources {
  const { store, pipeline } = d;
  return {
    topology: d.inventory,
    pipeline: () => ({
      pending: pipeline.pending, queueLimit: d.config.pipeline.queueLimit, watermark: pipeline.watermark,
      newestEventTime: pipeline.newestEventTime, feeds: d.feedStats.snapshot(),
    }),
    // Open incidents only: resolved ones leave the wall.
    liveIncidents: () => store.incidents.live(Number.MAX_SAFE_INTEGER),
    incident: (id) => store.incidents.get(id),
    recentComplaints: (limit) => store.complaints.list({ limit }).items,
    complaint: (id) => store.complaints.get(id),
    complaintTimesSince: (since) => store.complaints.receivedTimesSince(since),
    complaintsOf: (incidentId, limit) => store.complaints.list({ incidentId, limit }).items,
    detectors: d.detectors,
    tickets: {
      live: () => d.tickets.live(),
      get: (id) => d.tickets.get(id) ?? store.tickets.get(id),
      deadLetters: () => store.outbox.counts().dead,
      pushState: (id) => {
        const latest = store.outbox.latest(id);
        return latest ? pushStateOf(latest.state) : undefined;
      },
    },
    processKpis: () => {
      const report = d.evaluation.report();
      return report ? evaluationTiles(report.overall, d.config.evaluation.windowDays) : {};
    },
    wallClock: d.wallClock,
  };
}

export async function buildApp(opts: AppOptions): Promise<App> {
  const { config } = opts;
  const logger = opts.logger ?? createLogger({ level: config.log.level });
  const wallClock = opts.wallClock ?? Date.now;
  const metrics = new Metrics();
  const store = opts.store ?? openSqliteStore(config.dataDir, config.store);
  const inventory = loadInventory(config, store, logger.child({ component: 'inventory' }));
  // The demo's network: generated from the seed unless an inventory file says what the network is.
  let simNetwork: SimNetwork | null = null;
  if (config.simulator.enabled) {
    if (config.inventory.file) simNetwork = networkFromCells(inventory.allCells());
    else {
      simNetwork = generateNetwork({ cells: config.simulator.cells, seed: config.simulator.seed });
      inventory.upsert(simNetwork.cells);
    }
  }
  metrics.inventoryCells.set(inventory.size);

  const feedStats = new FeedStats(wallClock);

  // Tickets: the stage (pure, event time), its persister (ticket + outbox entry in the batch's
  // transaction), the delivery worker (wall-clock I/O), callbacks and telemetry after each commit.
  // Verification asks the detector stage whether a ticket's cells are normal again.
  const detectors = new Detectors(config.detectors, inventory);
  const complaintLookup = { complaint: (id: string) => store.complaints.get(id)?.complaint };
  const delivery = new DeliveryWorker({
    outbox: store.outbox, config: config.ticketing, log: logger.child({ component: 'ticketing' }),
    metrics: { attempt: (system, outcome) => metrics.deliveries.inc({ system, outcome }) },
  });
  const tickets = new TicketEngine({ config: config.tickets, cellHealth: detectors, complaints: complaintLookup, system: delivery.system ?? 'none' });
  const callbacks = new CallbackService({
    store: store.callbacks, complaints: complaintLookup, config: config.tickets.callbacks,
    onError: (err) => logger.error({ err, component: 'callbacks' }, 'creating callback tasks failed'),
  });
  const incidents = new IncidentEngine({ config: config.incidents, triage: config.triage, topology: inventory });
  const pipeline = new Pipeline({
    config: config.pipeline, store, metrics, logger, wallClock, detectors, incidents, tickets,
    persisters: [new IncidentTicketNotes(incidents, store.incidents), new TicketPersister(store, wallClock)],
  });
  const evaluationData = (from: number, to: number) =>
    collectEvaluationData({ store, topology: inventory, repeatWindowDays: config.tickets.callbacks.repeatWindowDays }, from, to);
  pipeline.addListener(callbacks);
  const rollingEvaluation = new RollingEvaluation({ config: config.evaluation, data: evaluationData, watermark: () => pipeline.watermark, wallClock });
  pipeline.addListener(new TicketTelemetry({
    metrics, store, live: () => tickets.live(), evaluation: rollingEvaluation,
    onError: (err) => logger.warn({ err, component: 'tickets' }, 'refreshing ticket metrics failed'),
  }));
  new IncidentGauges({ metrics, live: () => incidents.live(), onError: (err) => logger.warn({ err, component: 'incidents' }, 'counting open incidents for /metrics failed') });
  pipeline.addListener({ onBatch: (o) => { if (o.ticketChanges.length > 0) delivery.kick(); } });
  const kpiFormulas = compileKpiFormulas(config.collectors.kpiFormulas);
  const decoder = new RecordDecoder({
    topology: inventory,
    countersToKpis: (counters, period) => computeKpis(counters, kpiFormulas, period),
  });
  // The simulated network's clock runs ahead of the wall clock by design (accelerated event time), so
  // the demo lifts the guard against records from the future.
  const ingestConfig = simNetwork ? { ...config.pipeline, maxFutureS: 0 } : config.pipeline;
  const ingest = new IngestService({ config: ingestConfig, decoder, pipeline, store, metrics, feedStats, logger, wallClock, topology: inventory });

  const influx = config.history.influx;
  const history = influx.url
    ? new InfluxHistoryWriter({
      config: influx, sink: opts.historySink ?? new InfluxClientSink(influx, logger), topology: inventory, logger, wallClock,
      metrics: {
        points: (result, n) => metrics.historyPoints.inc({ result }, n),
        buffered: (n) => metrics.historyBuffered.set(n),
        writeFailure: (retryable) => metrics.historyWriteFailures.inc({ retryable: String(retryable) }),
      },
    })
    : undefined;
  if (history) pipeline.addListener(history);

  const pmXml = config.collectors.pmXml.dir
    ? new PmXmlWatcher({
      config: config.collectors.pmXml, formulas: kpiFormulas, ingest, files: store.processedFiles, logger, wallClock,
      countFile: (result) => metrics.pmXmlFiles.inc({ result }),
    })
    : undefined;

  const auth = new TokenAuth(config.auth);
  const server = createServer({ config: config.server, auth, logger });
  const startedAt = wallClock();
  registerIngestRoutes(server, { ingest });
  registerInventoryRoutes(server, { inventory, store, metrics });
  registerStatusRoutes(server, {
    pipeline, feedStats, store, metrics, inventory, version: VERSION, startedAt,
    queueLimit: config.pipeline.queueLimit, overloaded: () => ingest.overloaded,
  });
  registerCellRoutes(server, { topology: inventory, detectors });
  registerComplaintRoutes(server, { store });
  const knownIssues = new KnownIssues({
    incidents, topology: inventory, linking: config.incidents.linking, hotline: config.incidents.hotline,
    utcOffsetMinutes: config.detectors.timezoneOffsetMinutes,
    ticketOf: (i) => {
      const t = tickets.get(i.ticketId ?? ticketIdFor(i.id));
      return t && { id: t.id, state: t.state, resolveBy: t.sla.resolveBy };
    },
  });
  registerIncidentRoutes(server, { store, knownIssues });
  registerVesRoutes(server, { ingest, topology: inventory, config: config.collectors.ves });
  registerInfluxWriteRoutes(server, { ingest, metrics, bodyLimitBytes: config.server.bodyLimitBytes, wallClock });
  registerTicketRoutes(server, { store, pipeline, metrics, system: delivery.system, secret: config.ticketing.secret, maxFutureS: ingestConfig.maxFutureS, wallClock });
  registerCallbackRoutes(server, { store, callbacks });
  registerOutboxRoutes(server, { store, system: delivery.system, kick: () => delivery.kick() });
  registerEvaluationRoutes(server, { evaluationData, watermark: () => pipeline.watermark });

  let dashboard: DashboardHub | null = null;
  if (config.dashboard.enabled) {
    const sources = dashboardSources({ config, store, inventory, pipeline, feedStats, wallClock, detectors, tickets, evaluation: rollingEvaluation });
    dashboard = new DashboardHub({
      config: config.dashboard, sources, logger,
      metrics: {
        clients: (n) => metrics.dashboardClients.set(n),
        messageSent: (kind, bytes) => (metrics.dashboardMessages.inc({ kind }), metrics.dashboardBytes.inc({ kind }, bytes)),
        slowClient: (action) => metrics.dashboardSlowClients.inc({ action }),
      },
    });
    pipeline.addListener(dashboard);
    registerDashboard(server, { hub: dashboard, sources, auth, logger });
  }

  const log = logger.child({ component: 'app' });
  let stopped = false;
  let simulator: Simulator | null = null;
  return {
    config, server, store, inventory, pipeline, detectors, incidents, ingest, metrics, logger, tickets, delivery, callbacks, dashboard,
    get simulator() {
      return simulator;
    },
    async start() {
      const restored = pipeline.restore();
      // Tickets still worked on, and closed ones a relapse may reopen; then rows a crash lost.
      tickets.restore(store.tickets.live((pipeline.watermark ?? 0) - tickets.restoreWindowMs), incidents.live());
      callbacks.reconcile(tickets.live());
      delivery.start();
      const requeued = ingest.requeueUnprocessedComplaints();
      history?.start();
      pipeline.start();
      // Consumers before producers: the file collector starts once the pipeline runs.
      await pmXml?.start();
      dashboard?.start();
      log.info({ ...restored, requeuedComplaints: requeued, cells: inventory.size }, 'state restored');
      if (simNetwork) {
        // After a restart the simulation resumes at the watermark rather than replaying history.
        simulator = new Simulator({
          config: config.simulator, ingest, network: simNetwork, logger, clock: opts.simulatorClock, resumeFrom: restored.watermark,
        });
        simulator.start();
      }
    },
    async stop() {
      if (stopped) return;
      stopped = true;
      // Producers before consumers: the simulator and the file collector stop first.
      await simulator?.stop();
      await pmXml?.stop();
      ingest.close();
      const drained = await pipeline.stop(config.server.shutdownGraceMs);
      // A delivery cut short stays in the outbox (its attempt recorded) and goes again at the next start.
      await delivery.stop(2000);
      // After the drain, so the last batches still reach InfluxDB (bounded: a down server cannot hold the stop).
      await history?.close(Math.min(5_000, config.server.shutdownGraceMs));
      await server.close();
      store.close();
      log.info({ drained }, 'stopped');
    },
  };
}
