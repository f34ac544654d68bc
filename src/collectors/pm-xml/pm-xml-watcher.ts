/**
 * Watches the PM drop directory (`collectors.pmXml.dir`) and takes in each 3GPP measCollecFile once.
 *
 * - Complete files only: a file is read when its size and mtime held still since the previous poll
 *   and it is at least `settleMs` old, so a file still being copied in is never read half-way.
 *   Names that do not match `include` (`.tmp`, `.part`…) are left alone.
 * - Once, also across restarts: each file name is recorded in the store (ProcessedFileStore) before
 *   its first event, with the count of events accepted after every chunk. After a crash the file is
 *   still in the directory, recorded `processing`: it is read again and the events already accepted
 *   are skipped. A name recorded `done` that shows up again is a re-delivery and goes to `failed/`.
 *   (The crash window: events of the chunk being handed over when the process died may be sent
 *   twice — at most `chunkEvents`.)
 * - Afterwards the file moves to `done/`, or to `failed/` with `<file>.reason.txt` beside it.
 * - Backpressure: events go to the pipeline in chunks; while it is over its queue limit the
 *   watcher waits (Retry-After) and reads on afterwards, never dropping events.
 * Wall-clock polling is fine here: this is I/O, not event-time logic.
 */
import { mkdir, readdir, rename, stat, writeFile, access } from 'node:fs/promises';
import { join } from 'node:path';
import { setTimeout as sleepMs } from 'node:timers/promises';
import { BatchTooLargeError, NocwatchError } from '../../errors.js';
import type { PmEvent } from '../../model/index.js';
import type { IngestPort } from '../../pipeline/ingest-port.js';
import type { ProcessedFileStore } from '../../store/processed-file-store.js';
import type { Logger } from '../../telemetry/logger.js';
import type { PmXmlConfig } from '../config.js';
import type { KpiFormulaSet } from '../kpi-formulas.js';
import { LdnMapper } from './ldn-mapper.js';
import { PmFileError } from './meas-collec-reader.js';
import { ReadAbortedError, openPmXmlStream, readPmXml } from './read-pm-xml-file.js';
import { XmlSyntaxError } from './xml-scanner.js';

export type PmXmlFileResult = 'done' | 'failed' | 'duplicate';

export interface PmXmlWatcherDeps {
  config: PmXmlConfig;
  formulas: KpiFormulaSet;
  ingest: Pick<IngestPort, 'acceptEvents'>;
  files: ProcessedFileStore;
  logger: Logger;
  /** Counts finished files by result (a Prometheus counter in the app). */
  countFile?: (result: PmXmlFileResult) => void;
  wallClock?: () => number;
  /** Waits while the pipeline is overloaded; tests pass a fast one. */
  sleep?: (ms: number) => Promise<void>;
}

interface Seen {
  size: number;
  mtimeMs: number;
}

const DAY = 86_400_000;

/** Where a processed file went and what it held. */
export interface PmXmlFileOutcome {
  name: string;
  result: PmXmlFileResult;
  events: number;
  reason?: string;
}

export class PmXmlWatcher {
  private readonly dir: string;
  private readonly include: RegExp;
  private readonly ldnMapper: LdnMapper;
  private readonly log: Logger;
  private readonly now: () => number;
  private readonly sleep: (ms: number) => Promise<void>;
  private readonly seen = new Map<string, Seen>();
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<unknown> = Promise.resolve();
  private stopping = false;
  private lastPrune = 0;
  /** The directory could not be listed at the last poll (logged once until it can again). */
  private dirBroken = false;

  constructor(private readonly deps: PmXmlWatcherDeps) {
    this.dir = deps.config.dir;
    this.include = new RegExp(deps.config.include, 'i');
    this.ldnMapper = new LdnMapper(deps.config.ldn);
    this.log = deps.logger.child({ component: 'pm-xml' });
    this.now = deps.wallClock ?? Date.now;
    this.sleep = deps.sleep ?? ((ms) => sleepMs(ms));
  }

  /** Creates `done/` and `failed/` (start() does it too; tests that poll by hand call this). */
  async prepare(): Promise<void> {
    await mkdir(join(this.dir, 'done'), { recursive: true });
    await mkdir(join(this.dir, 'failed'), { recursive: true });
  }

  /** Creates `done/` and `failed/` and starts polling. */
  async start(): Promise<void> {
    await this.prepare();
    this.log.info({ dir: this.dir, pollIntervalMs: this.deps.config.pollIntervalMs }, 'watching for PM XML files');
    this.schedule(0);
  }

  /** Stops polling; a file being read stops between chunks and is resumed on the next start. */
  async stop(): Promise<void> {
    this.stopping = true;
    clearTimeout(this.timer);
    await this.running;
  }

  private schedule(delay: number): void {
    if (this.stopping) return;
    this.timer = setTimeout(() => {
      this.running = this.pollOnce()
        .catch((err: unknown) => this.log.error({ err, dir: this.dir }, 'PM XML poll failed'))
        .finally(() => this.schedule(this.deps.config.pollIntervalMs));
    }, delay);
    this.timer.unref();
  }

  /** One look at the directory: takes in every file that has become complete. */
  async pollOnce(): Promise<PmXmlFileOutcome[]> {
    const now = this.now();
    if (now - this.lastPrune > DAY / 24) {
      this.lastPrune = now;
      const pruned = this.deps.files.prune(now - this.deps.config.retentionDays * DAY);
      if (pruned > 0) this.log.info({ pruned }, 'forgot processed PM files past retention');
    }
    let entries;
    try {
      entries = await readdir(this.dir, { withFileTypes: true });
    } catch (err) {
      if (!this.dirBroken) this.log.error({ err, dir: this.dir }, 'cannot list the PM XML directory; retrying every poll');
      this.dirBroken = true;
      return [];
    }
    if (this.dirBroken) this.log.info({ dir: this.dir }, 'the PM XML directory can be listed again');
    this.dirBroken = false;
    const ready: Array<[string, Seen]> = [];
    const present = new Set<string>();
    for (const e of entries) {
      if (!e.isFile() || !this.include.test(e.name)) continue;
      present.add(e.name);
      let st;
      try {
        st = await stat(join(this.dir, e.name));
      } catch {
        continue; // moved away between readdir and stat
      }
      const cur = { size: st.size, mtimeMs: Math.floor(st.mtimeMs) };
      const prev = this.seen.get(e.name);
      this.seen.set(e.name, cur);
      if (prev && prev.size === cur.size && prev.mtimeMs === cur.mtimeMs && now - cur.mtimeMs >= this.deps.config.settleMs) {
        ready.push([e.name, cur]);
      }
    }
    for (const name of this.seen.keys()) if (!present.has(name)) this.seen.delete(name);
    // 32.432 names start with the period, so name order is time order.
    ready.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
    const outcomes: PmXmlFileOutcome[] = [];
    for (const [name, st] of ready) {
      if (this.stopping) break;
      const outcome = await this.processFile(name, st);
      if (outcome) {
        this.seen.delete(name);
        this.deps.countFile?.(outcome.result);
        outcomes.push(outcome);
      }
    }
    return outcomes;
  }

  /** Takes in one file; undefined when reading was stopped by shutdown (resumed later). */
  private async processFile(name: string, st: Seen): Promise<PmXmlFileOutcome | undefined> {
    const { files, config } = this.deps;
    const path = join(this.dir, name);
    const rec = files.get(name);
    if (rec?.state === 'done') {
      if (rec.size === st.size && rec.mtimeMs === st.mtimeMs) {
        // Taken in, then the process stopped before the move: finish the move.
        await this.move(name, 'done');
        return { name, result: 'done', events: rec.events };
      }
      const reason = `a file named ${name} was already taken in at ${new Date(rec.finishedAt ?? rec.startedAt).toISOString()} ` +
        `(${rec.events} events); files are never taken in twice — give a corrected file a new name`;
      await this.fail(name, reason, 0, undefined, 'Give a corrected file a new name: this one was taken in already.');
      return { name, result: 'duplicate', events: 0, reason };
    }
    let skip = 0;
    if (rec?.state === 'processing' && rec.size === st.size && rec.mtimeMs === st.mtimeMs) {
      skip = rec.events;
      this.log.warn({ file: name, eventsAccepted: skip }, 'resuming a PM XML file interrupted by a restart');
    } else {
      files.begin(name, st.size, st.mtimeMs, this.now());
    }
    let accepted = skip;
    try {
      const result = await readPmXml(
        openPmXmlStream(path),
        {
          formulas: this.deps.formulas, ldnMapper: this.ldnMapper, chunkEvents: config.chunkEvents,
          maxBytes: config.maxFileBytes, skipEvents: skip, aborted: () => this.stopping,
        },
        async (events) => {
          await this.handOver(events, name);
          accepted += events.length;
          files.progress(name, accepted);
        },
      );
      files.finish(name, 'done', this.now(), { events: accepted, sha256: result.sha256, reason: null });
      await this.move(name, 'done');
      const { stats } = result;
      this.log.info({
        file: name, events: accepted, bytes: result.bytes, measValues: stats.measValues, nilValues: stats.nilValues,
        suspectObjects: stats.suspectObjects, unmappedObjects: stats.unmappedObjects, objectsWithoutKpis: stats.objectsWithoutKpis,
      }, 'PM XML file taken in');
      if (stats.unmappedObjects > 0 && stats.events === 0) {
        this.log.warn({ file: name, examples: stats.unmappedExamples }, 'no object of this file maps to a cell: check collectors.pmXml.ldn');
      }
      return { name, result: 'done', events: accepted };
    } catch (err) {
      if (err instanceof ReadAbortedError) {
        this.log.info({ file: name, eventsAccepted: accepted }, 'stopped in the middle of a PM XML file; it resumes on the next start');
        return undefined;
      }
      const reason = describeFailure(err);
      files.finish(name, 'failed', this.now(), { events: accepted, sha256: null, reason });
      await this.fail(name, reason, accepted, err);
      return { name, result: 'failed', events: accepted, reason };
    }
  }

  /**
   * Hands a chunk to the pipeline, waiting while it is overloaded (never dropping it), in halves
   * when it is larger than the whole queue (chunkEvents > pipeline.queueLimit).
   */
  private async handOver(events: PmEvent[], name: string): Promise<void> {
    for (let attempt = 0; ; attempt++) {
      if (this.stopping) throw new ReadAbortedError();
      try {
        this.deps.ingest.acceptEvents('pm', events, 'pm-xml');
        return;
      } catch (err) {
        if (err instanceof BatchTooLargeError && events.length > 1) {
          const half = Math.ceil(events.length / 2);
          await this.handOver(events.slice(0, half), name);
          await this.handOver(events.slice(half), name);
          return;
        }
        if (!(err instanceof NocwatchError && err.retryable)) throw err;
        const waitMs = 'retryAfterS' in err && typeof err.retryAfterS === 'number' ? err.retryAfterS * 1000 : 1000;
        if (attempt === 0) this.log.info({ file: name, waitMs }, 'pipeline busy: PM XML reading waits');
        await this.sleep(waitMs);
      }
    }
  }

  private async fail(name: string, reason: string, accepted: number, err: unknown, advice = 'Fix the file and drop it into the directory again (a failed name may be reused).'): Promise<void> {
    const moved = await this.move(name, 'failed');
    const text = [
      `${name} was not taken in: ${reason}`,
      `at: ${new Date(this.now()).toISOString()}`,
      `events accepted before the problem: ${accepted}`,
      advice,
      '',
    ].join('\n');
    try {
      await writeFile(join(this.dir, 'failed', `${moved ?? name}.reason.txt`), text);
    } catch (e) {
      this.log.error({ err: e, file: name }, 'could not write the reason file');
    }
    const level = err instanceof XmlSyntaxError || err instanceof PmFileError || err === undefined ? 'warn' : 'error';
    this.log[level]({ file: name, reason, eventsAccepted: accepted }, 'PM XML file moved to failed/');
  }

  /** Moves a file into `done/` or `failed/` under a name not taken there yet; returns that name. */
  private async move(name: string, to: 'done' | 'failed'): Promise<string | undefined> {
    let target = name;
    for (let n = 1; await exists(join(this.dir, to, target)); n++) target = `${name}.${n}`;
    try {
      await rename(join(this.dir, name), join(this.dir, to, target));
      return target;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      this.log.error({ err, file: name, to }, 'could not move a PM XML file; it stays in place');
      return undefined;
    }
  }
}

async function exists(path: string): Promise<boolean> {
  try {
    await access(path);
    return true;
  } catch {
    return false;
  }
}

/** A readable reason for the reason file. */
function describeFailure(err: unknown): string {
  if (err instanceof XmlSyntaxError || err instanceof PmFileError) return err.message;
  const e = err as NodeJS.ErrnoException;
  if (e?.code === 'Z_DATA_ERROR' || e?.code === 'Z_BUF_ERROR' || e?.code === 'ERR_GUNZIP') return `not a valid gzip file: ${e.message}`;
  if (e?.code === 'ENOENT') return 'the file disappeared while it was being read';
  return `could not be read: ${e?.message ?? String(err)}`;
}
