/**
 * The map's state: every cell of the inventory at a fixed index, and its status as a byte. Status is
 * derived from two inputs — the detector's view of the cell (anomalous / outage) and the open
 * incidents covering it — and changes are collected so the hub can send only (index, status) pairs
 * of cells whose colour actually changed since the last message.
 *
 * Memory is a few typed arrays of the cell count (300,000 cells ≈ 2 MB); updates are O(changes).
 */
import type { Cell } from '../model/index.js';
import { STATUS_ANOMALOUS, STATUS_INCIDENT, STATUS_NORMAL, STATUS_OUTAGE } from './protocol.js';

/** Detector view of one cell, as a byte: 0 normal, 1 anomalous, 3 outage. */
export type DetectorCode = typeof STATUS_NORMAL | typeof STATUS_ANOMALOUS | typeof STATUS_OUTAGE;

export class CellBoard {
  readonly ids: string[];
  readonly cells: Cell[];
  private readonly index = new Map<string, number>();
  private readonly detector: Uint8Array;
  /** Open incidents covering the cell, and those of them whose category means service is down. */
  private readonly incidentRefs: Uint16Array;
  private readonly outageRefs: Uint16Array;
  /** Status as last handed out by `takeChanges` (what clients have). */
  private readonly sent: Uint8Array;
  private readonly dirtyFlag: Uint8Array;
  private dirty: number[] = [];

  constructor(cells: Iterable<Cell>) {
    this.cells = [...cells];
    this.ids = this.cells.map((c) => c.cellId);
    this.ids.forEach((id, i) => this.index.set(id, i));
    const n = this.ids.length;
    this.detector = new Uint8Array(n);
    this.incidentRefs = new Uint16Array(n);
    this.outageRefs = new Uint16Array(n);
    this.sent = new Uint8Array(n);
    this.dirtyFlag = new Uint8Array(n);
  }

  get size(): number {
    return this.ids.length;
  }

  indexOf(cellId: string): number | undefined {
    return this.index.get(cellId);
  }

  /** The colour a cell has now: outage beats incident beats anomalous. */
  statusAt(i: number): number {
    if (this.detector[i] === STATUS_OUTAGE || this.outageRefs[i]! > 0) return STATUS_OUTAGE;
    if (this.incidentRefs[i]! > 0) return STATUS_INCIDENT;
    return this.detector[i] === STATUS_ANOMALOUS ? STATUS_ANOMALOUS : STATUS_NORMAL;
  }

  setDetector(cellId: string, code: DetectorCode): void {
    const i = this.index.get(cellId);
    if (i === undefined || this.detector[i] === code) return;
    this.detector[i] = code;
    this.touch(i);
  }

  /** Adds (+1) or removes (−1) one open incident's cover of these cells. */
  coverCells(cellIds: readonly string[], delta: 1 | -1, outage: boolean): void {
    for (const id of cellIds) {
      const i = this.index.get(id);
      if (i === undefined) continue;
      this.incidentRefs[i] = Math.max(0, this.incidentRefs[i]! + delta);
      if (outage) this.outageRefs[i] = Math.max(0, this.outageRefs[i]! + delta);
      this.touch(i);
    }
  }

  private touch(i: number): void {
    if (this.dirtyFlag[i]) return;
    this.dirtyFlag[i] = 1;
    this.dirty.push(i);
  }

  /** Cells whose colour differs from what was last handed out, as flat (index, status) pairs. */
  takeChanges(): number[] {
    const out: number[] = [];
    for (const i of this.dirty) {
      this.dirtyFlag[i] = 0;
      const s = this.statusAt(i);
      if (s !== this.sent[i]) {
        this.sent[i] = s;
        out.push(i, s);
      }
    }
    this.dirty = [];
    return out;
  }

  /** Every non-normal cell as handed out so far, as flat pairs (the snapshot's map). */
  sentPairs(): number[] {
    const out: number[] = [];
    const s = this.sent;
    for (let i = 0; i < s.length; i++) if (s[i] !== STATUS_NORMAL) out.push(i, s[i]!);
    return out;
  }

  /** Counts per status as handed out. */
  sentCounts(): [number, number, number, number] {
    const c: [number, number, number, number] = [0, 0, 0, 0];
    for (const s of this.sent) c[s]!++;
    return c;
  }
}
