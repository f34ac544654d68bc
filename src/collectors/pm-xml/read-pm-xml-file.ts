/**
 * Streams one PM XML file (`.xml`, or `.xml.gz` through zlib) into PmEvents, handing them on in
 * chunks and waiting for each hand-over before reading on: a 50 MB file never sits in memory,
 * and a busy pipeline slows the reading down instead of piling events up.
 */
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { pipeline, type Readable } from 'node:stream';
import { createGunzip } from 'node:zlib';
import type { PmEvent } from '../../model/index.js';
import type { KpiFormulaSet } from '../kpi-formulas.js';
import type { LdnMapper } from './ldn-mapper.js';
import { MeasCollecReader, PmFileError, type PmFileStats } from './meas-collec-reader.js';
import { XmlScanner } from './xml-scanner.js';

export interface ReadPmXmlOptions {
  formulas: KpiFormulaSet;
  ldnMapper: LdnMapper;
  /** Events per hand-over. */
  chunkEvents: number;
  /** Skip this many events first (resuming a file a restart interrupted). */
  skipEvents?: number;
  /** Refuse files that decompress to more than this (a gzip bomb, a runaway export). */
  maxBytes: number;
  /** Checked between chunks; when it returns true reading stops with ReadAbortedError. */
  aborted?: () => boolean;
}

export interface ReadPmXmlResult {
  stats: PmFileStats;
  /** Events handed on (not counting skipped ones). */
  emitted: number;
  /** Uncompressed size and SHA-256 of the XML. */
  bytes: number;
  sha256: string;
}

/** Reading stopped because the collector is shutting down; the file is resumed on restart. */
export class ReadAbortedError extends Error {
  constructor() {
    super('reading stopped by shutdown');
    this.name = 'ReadAbortedError';
  }
}

/** The bytes of a file, decompressed when its name ends in `.gz`. */
export function openPmXmlStream(path: string): Readable {
  const file = createReadStream(path, { highWaterMark: 256 * 1024 });
  if (!/\.gz$/i.test(path)) return file;
  // pipeline() destroys the gunzip stream with the first error, so iterating it throws.
  return pipeline(file, createGunzip({ chunkSize: 256 * 1024 }), () => {});
}

/**
 * Parses `source` and calls `emit` with each chunk of events, awaiting it before reading on.
 * Throws XmlSyntaxError / PmFileError for a bad file, zlib errors for a bad gzip, and whatever
 * `emit` throws.
 */
export async function readPmXml(
  source: AsyncIterable<Buffer>,
  opts: ReadPmXmlOptions,
  emit: (events: PmEvent[]) => Promise<void>,
): Promise<ReadPmXmlResult> {
  const reader = new MeasCollecReader(opts.formulas, opts.ldnMapper);
  const scanner = new XmlScanner(reader);
  const hash = createHash('sha256');
  let toSkip = opts.skipEvents ?? 0;
  let emitted = 0;
  let bytes = 0;
  const handOn = async (force: boolean): Promise<void> => {
    if (!force && reader.pendingEvents < opts.chunkEvents) return;
    let events = reader.takeEvents();
    if (toSkip > 0) {
      const skip = Math.min(toSkip, events.length);
      events = events.slice(skip);
      toSkip -= skip;
    }
    for (let i = 0; i < events.length; i += opts.chunkEvents) {
      const chunk = events.slice(i, i + opts.chunkEvents);
      if (opts.aborted?.()) throw new ReadAbortedError();
      await emit(chunk);
      emitted += chunk.length;
    }
  };
  for await (const chunk of source) {
    bytes += chunk.length;
    if (bytes > opts.maxBytes) throw new PmFileError(`file is larger than ${opts.maxBytes} bytes (uncompressed); raise collectors.pmXml.maxFileBytes if this is expected`);
    hash.update(chunk);
    scanner.write(chunk);
    await handOn(false);
    if (opts.aborted?.()) throw new ReadAbortedError();
  }
  scanner.end();
  reader.finish();
  await handOn(true);
  return { stats: reader.stats, emitted, bytes, sha256: hash.digest('hex') };
}
