/**
 * The binary container of a detector checkpoint: a JSON header (small and sparse state) followed by
 * the typed arrays of the per-series state, each 8-byte aligned. Layout:
 *
 *   "NWDC" | u32 version | u32 header length | header JSON (UTF-8) | padding to 8 |
 *   per blob: u32 byte length | u32 0 | bytes | padding to 8
 */
const MAGIC = 0x4344574e; // "NWDC" little-endian
export const CHECKPOINT_VERSION = 1;

export interface CheckpointParts {
  header: unknown;
  blobs: ArrayBufferView[];
}

const pad8 = (n: number): number => (n + 7) & ~7;

/**
 * The checkpoint as a list of byte ranges to write one after the other: small framing buffers and
 * views straight over the live typed arrays (no copy of the state — a province's is ~1 GB). The
 * views are only valid until the state changes next.
 */
export function encodeCheckpointParts(parts: CheckpointParts): Uint8Array[] {
  const json = new TextEncoder().encode(JSON.stringify(parts.header));
  const head = new Uint8Array(pad8(12 + json.length));
  const view = new DataView(head.buffer);
  view.setUint32(0, MAGIC, true);
  view.setUint32(4, CHECKPOINT_VERSION, true);
  view.setUint32(8, json.length, true);
  head.set(json, 12);
  const out: Uint8Array[] = [head];
  for (const b of parts.blobs) {
    const frame = new Uint8Array(8);
    new DataView(frame.buffer).setUint32(0, b.byteLength, true);
    out.push(frame, new Uint8Array(b.buffer, b.byteOffset, b.byteLength));
    const padding = pad8(b.byteLength) - b.byteLength;
    if (padding > 0) out.push(new Uint8Array(padding));
  }
  return out;
}

/** The checkpoint as one owned buffer (a copy of the state). */
export function encodeCheckpoint(parts: CheckpointParts): Uint8Array {
  const chunks = encodeCheckpointParts(parts);
  const out = new Uint8Array(chunks.reduce((n, c) => n + c.byteLength, 0));
  let at = 0;
  for (const c of chunks) {
    out.set(c, at);
    at += c.byteLength;
  }
  return out;
}

/**
 * Splits a checkpoint; throws on anything that is not one of ours. Blobs are 8-byte aligned: views
 * into `data` when it is itself aligned (a file read whole), copies otherwise.
 */
export function decodeCheckpoint(data: Uint8Array): { header: unknown; blobs: Uint8Array[] } {
  if (data.byteLength < 12) throw new Error('detector checkpoint is truncated');
  const view = new DataView(data.buffer, data.byteOffset, data.byteLength);
  if (view.getUint32(0, true) !== MAGIC) throw new Error('not a detector checkpoint');
  const version = view.getUint32(4, true);
  if (version !== CHECKPOINT_VERSION) throw new Error(`detector checkpoint version ${version}, expected ${CHECKPOINT_VERSION}`);
  const len = view.getUint32(8, true);
  if (12 + len > data.byteLength) throw new Error('detector checkpoint header is truncated');
  const header = JSON.parse(new TextDecoder().decode(data.subarray(12, 12 + len)));
  const blobs: Uint8Array[] = [];
  let at = pad8(12 + len);
  while (at < data.byteLength) {
    const n = view.getUint32(at, true);
    if (at + 8 + n > data.byteLength) throw new Error('detector checkpoint blob is truncated');
    const start = at + 8;
    blobs.push((data.byteOffset + start) % 8 === 0 ? data.subarray(start, start + n) : data.slice(start, start + n));
    at += 8 + pad8(n);
  }
  return { header, blobs };
}

/** A typed array of `type` over a copied blob (alignment is guaranteed by `decodeCheckpoint`). */
export function asFloat64(b: Uint8Array): Float64Array {
  return new Float64Array(b.buffer, b.byteOffset, b.byteLength / 8);
}
export function asFloat32(b: Uint8Array): Float32Array {
  return new Float32Array(b.buffer, b.byteOffset, b.byteLength / 4);
}
export function asInt32(b: Uint8Array): Int32Array {
  return new Int32Array(b.buffer, b.byteOffset, b.byteLength / 4);
}
