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

export function encodeCheckpoint(parts: CheckpointParts): Uint8Array {
  const json = new TextEncoder().encode(JSON.stringify(parts.header));
  let size = pad8(12 + json.length);
  for (const b of parts.blobs) size += 8 + pad8(b.byteLength);
  const out = new Uint8Array(size);
  const view = new DataView(out.buffer);
  view.setUint32(0, MAGIC, true);
  view.setUint32(4, CHECKPOINT_VERSION, true);
  view.setUint32(8, json.length, true);
  out.set(json, 12);
  let at = pad8(12 + json.length);
  for (const b of parts.blobs) {
    view.setUint32(at, b.byteLength, true);
    out.set(new Uint8Array(b.buffer, b.byteOffset, b.byteLength), at + 8);
    at += 8 + pad8(b.byteLength);
  }
  return out;
}

/** Splits a checkpoint; throws on anything that is not one of ours. Blobs are copies (aligned, owned). */
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
    blobs.push(data.slice(at + 8, at + 8 + n));
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
