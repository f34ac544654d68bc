/**
 * Named binary checkpoints (detector state). The bytes live in a file of their own under the data
 * directory — a province's detector state is around a gigabyte, beyond SQLite's largest value and
 * twice the write through its WAL — and the `checkpoints` table records which file holds the last
 * complete save. A save writes a new file, fsyncs it, records it, then removes the old one, so a crash
 * at any moment leaves the previous checkpoint intact. The recorded size catches a damaged file.
 */
import { closeSync, fstatSync, mkdirSync, openSync, readSync, rmSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { join } from 'node:path';
import type { Db } from './database.js';

export interface Checkpoint {
  data: Uint8Array;
  /** Wall time of the save (epoch ms). */
  savedAt: number;
}

export interface CheckpointStore {
  /**
   * Writes `parts` one after the other as the checkpoint `name` (off the event loop), fsyncs, then
   * records it as the last complete one. The parts must not change until the promise settles.
   */
  save(name: string, parts: readonly Uint8Array[], savedAt: number): Promise<void>;
  /** The last complete checkpoint; throws when its file is missing or damaged. */
  load(name: string): Checkpoint | undefined;
}

/** Writes in slices so a huge part never needs one giant write call. */
const SLICE = 64 * 1024 * 1024;

const totalBytes = (parts: readonly Uint8Array[]) => parts.reduce((n, p) => n + p.byteLength, 0);

export class SqliteCheckpointStore implements CheckpointStore {
  private readonly stmts;
  private seq = 0;

  constructor(db: Db, private readonly dir: string) {
    mkdirSync(dir, { recursive: true });
    this.stmts = {
      save: db.prepare(
        `INSERT INTO checkpoints (name, saved_at, file, bytes) VALUES (?, ?, ?, ?)
         ON CONFLICT (name) DO UPDATE SET saved_at = excluded.saved_at, file = excluded.file, bytes = excluded.bytes`,
      ),
      load: db.prepare('SELECT saved_at, file, bytes FROM checkpoints WHERE name = ?'),
    };
  }

  async save(name: string, parts: readonly Uint8Array[], savedAt: number): Promise<void> {
    const file = `${name.replace(/[^\w.-]/g, '_')}-${savedAt}-${process.pid}-${this.seq++}.ckpt`;
    const path = join(this.dir, file);
    const fh = await open(path, 'w');
    try {
      for (const part of parts) {
        for (let at = 0; at < part.byteLength; at += SLICE) await fh.write(part, at, Math.min(SLICE, part.byteLength - at));
      }
      await fh.sync();
    } catch (e) {
      await fh.close();
      rmSync(path, { force: true });
      throw e;
    }
    await fh.close();
    // Record the new file, then remove the one it replaces.
    const previous = this.stmts.load.get(name) as { file: string } | undefined;
    this.stmts.save.run(name, savedAt, file, totalBytes(parts));
    if (previous && previous.file !== file) rmSync(join(this.dir, previous.file), { force: true });
  }

  load(name: string): Checkpoint | undefined {
    const r = this.stmts.load.get(name) as { saved_at: number; file: string; bytes: number } | undefined;
    if (!r) return undefined;
    return { data: readWhole(join(this.dir, r.file), r.bytes, r.file), savedAt: r.saved_at };
  }
}

/**
 * Reads a checkpoint file in slices into one array: a province's state is over 2 GiB, which
 * `readFileSync` refuses. A file is recorded only after it was written and fsynced, so a size other
 * than the recorded one means damage on disk. (A checksum over gigabytes costs seconds per save and
 * load; the codec checks its own framing.)
 */
function readWhole(path: string, expected: number, name: string): Uint8Array {
  const fd = openSync(path, 'r');
  try {
    const size = fstatSync(fd).size;
    if (size !== expected) throw new Error(`checkpoint file ${name} is damaged: ${size} bytes, ${expected} recorded`);
    const data = new Uint8Array(size);
    for (let at = 0; at < size;) {
      const n = readSync(fd, data, at, Math.min(SLICE, size - at), at);
      if (n === 0) throw new Error(`checkpoint file ${name} is damaged: ended at ${at} of ${size} bytes`);
      at += n;
    }
    return data;
  } finally {
    closeSync(fd);
  }
}

export class MemoryCheckpointStore implements CheckpointStore {
  private readonly byName = new Map<string, Checkpoint>();

  async save(name: string, parts: readonly Uint8Array[], savedAt: number): Promise<void> {
    const data = new Uint8Array(totalBytes(parts));
    let at = 0;
    for (const p of parts) {
      data.set(p, at);
      at += p.byteLength;
    }
    this.byName.set(name, { data, savedAt });
  }

  load(name: string): Checkpoint | undefined {
    const c = this.byName.get(name);
    return c && { data: c.data.slice(), savedAt: c.savedAt };
  }
}
