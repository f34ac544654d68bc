/**
 * Reads a 3GPP TS 32.435 `measCollecFile` (as XmlScanner events) into PmEvents.
 *
 * - Both counter layouts: `<measType p>`/`<r p>` and `<measTypes>`/`<measResults>`.
 * - `NIL` and empty values are "no value"; values that are not numbers are skipped (counted).
 * - Counters of one object may be spread over several `measInfo` blocks (one per counter family),
 *   so counters are merged per (object, granularity period end, duration) and turned into KPIs
 *   when their `measData` (one managed element) ends. Only counters some formula reads are kept
 *   (under their lower-case name): memory is bounded by one managed element's cells, not by the
 *   file size.
 * - `suspect` marks the event; several granularity periods in one file give several events.
 */
import { isImpossibleDateTime, parseTime, type PmEvent } from '../../model/index.js';
import { computeKpis, type KpiFormulaSet } from '../kpi-formulas.js';
import type { LdnMapper } from './ldn-mapper.js';
import type { XmlAttributes, XmlHandler } from './xml-scanner.js';

/** The file is well-formed XML but not a usable measCollecFile. */
export class PmFileError extends Error {
  readonly code = 'NOCWATCH_ERR_PM_FILE';
  constructor(message: string) {
    super(message);
    this.name = 'PmFileError';
  }
}

/** What a file held besides its events: for logs, the reason/result files and tests. */
export interface PmFileStats {
  vendorName?: string;
  fileFormatVersion?: string;
  managedElements: number;
  measInfos: number;
  measValues: number;
  /** NIL or empty values of counters the formulas read. */
  nilValues: number;
  /** Counter values that are not numbers (kept out of the formulas). */
  nonNumericValues: number;
  suspectObjects: number;
  /** Objects whose LDN maps to no cell (relations, functions, unknown naming). */
  unmappedObjects: number;
  /** Up to 5 unmapped LDNs, to help write the mapping. */
  unmappedExamples: string[];
  /** Cells and periods for which no formula had a value. */
  objectsWithoutKpis: number;
  events: number;
}

interface Group {
  ldn: string;
  endMs: number;
  periodS: number;
  counters: Record<string, number>;
  suspect: boolean;
}

/** The value of a counter: plain digits (nearly all of them) without Number()'s general parsing. */
function digitsValue(t: string): number {
  if (t.length <= 15) {
    let v = 0;
    for (let i = 0; i < t.length; i++) {
      const c = t.charCodeAt(i) - 48;
      if (c < 0 || c > 9) return Number(t);
      v = v * 10 + c;
    }
    return v;
  }
  return Number(t);
}

/** ISO 8601 duration (`PT900S`, `PT15M`, `PT1H`, `P1D`) in whole seconds. */
export function parseIsoDuration(s: string): number {
  const m = /^P(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+(?:\.\d+)?)S)?)?$/.exec(s.trim());
  if (!m || s.trim() === 'P' || s.trim().endsWith('T')) return NaN;
  const [, d, h, min, sec] = m;
  return Math.round(Number(d ?? 0) * 86_400 + Number(h ?? 0) * 3600 + Number(min ?? 0) * 60 + Number(sec ?? 0));
}

const MAX_POSITION = 100_000;

export class MeasCollecReader implements XmlHandler {
  wantText = false;
  readonly stats: PmFileStats = {
    managedElements: 0, measInfos: 0, measValues: 0, nilValues: 0, nonNumericValues: 0,
    suspectObjects: 0, unmappedObjects: 0, unmappedExamples: [], objectsWithoutKpis: 0, events: 0,
  };

  private out: PmEvent[] = [];
  /** Objects of the current measData by period (`endMs|periodS|`) and LDN. */
  private readonly groups = new Map<string, Map<string, Group>>();
  /** Parsed `<measTypes>` lists by their text: every element of a vendor repeats the same few. */
  private readonly typeLists = new Map<string, { names: string[]; keys: string[]; needed: boolean[] }>();
  /** Lower-case key and need of each counter name seen. */
  private readonly nameInfo = new Map<string, { key: string; needed: boolean }>();
  private sawRoot = false;
  private textBuf = '';

  // Current measInfo.
  private measInfoId = '';
  private endMs = NaN;
  private periodS = NaN;
  /** `endMs|periodS|`, the first part of the merge key of this measInfo's objects. */
  private periodKey = '';
  /** Counter name (and its lower-case key) and whether a formula reads it, by position `p`. */
  private names: string[] = [];
  private keys: string[] = [];
  private needed: boolean[] = [];
  private typeCount = 0;

  // Current measValue.
  private ldn: string | null = null;
  private counters: Record<string, number> = Object.create(null);
  private group: Group | null = null;
  private suspect = false;
  private rPos = 0;

  constructor(
    private readonly formulas: KpiFormulaSet,
    private readonly ldnMapper: LdnMapper,
  ) {}

  /** Events completed and not yet taken. */
  get pendingEvents(): number {
    return this.out.length;
  }

  /** Events completed so far (emptied by each call). */
  takeEvents(): PmEvent[] {
    const out = this.out;
    this.out = [];
    return out;
  }

  /** The document ended: flush what is left and check it was a measCollecFile. */
  finish(): void {
    if (!this.sawRoot) throw new PmFileError('not a measCollecFile (root element is missing)');
    this.flushGroups();
  }

  openTag(name: string, attrs: XmlAttributes): void {
    switch (name) {
      case 'r': {
        const p = Number(attrs.get('p'));
        if (!Number.isInteger(p) || p < 1) throw new PmFileError(`<r> without a valid p attribute in ${this.where()}`);
        if (this.names[p] === undefined) throw new PmFileError(`value at p=${p} has no counter name in ${this.where()}`);
        this.rPos = p;
        // Values no formula reads are not even decoded.
        if (this.needed[p]) this.beginText();
        return;
      }
      case 'measValue':
        this.openMeasValue(attrs.get('measObjLdn'));
        return;
      case 'measType': {
        const p = Number(attrs.get('p'));
        if (!Number.isInteger(p) || p < 1 || p > MAX_POSITION) throw new PmFileError(`<measType> without a valid p attribute in measInfo "${this.measInfoId}"`);
        this.rPos = p;
        this.beginText();
        return;
      }
      case 'measTypes':
      case 'measResults':
      case 'suspect':
        this.beginText();
        return;
      case 'measInfo':
        this.stats.measInfos++;
        this.measInfoId = attrs.get('measInfoId') ?? `#${this.stats.measInfos}`;
        this.endMs = NaN;
        this.periodS = NaN;
        this.names = [];
        this.keys = [];
        this.needed = [];
        this.typeCount = 0;
        return;
      case 'granPeriod':
        this.granPeriod(attrs);
        return;
      case 'measData':
        this.stats.managedElements++;
        return;
      case 'fileHeader':
        this.stats.vendorName = attrs.get('vendorName');
        this.stats.fileFormatVersion = attrs.get('fileFormatVersion');
        return;
      case 'measCollecFile':
        this.sawRoot = true;
        return;
      default:
        if (!this.sawRoot) throw new PmFileError(`not a measCollecFile (root element is <${name}>)`);
    }
  }

  closeTag(name: string): void {
    switch (name) {
      case 'r':
        if (this.wantText) this.value(this.rPos, this.endText());
        return;
      case 'measType':
        this.setName(this.rPos, this.endText().trim());
        return;
      case 'measTypes': {
        const list = this.endText().trim();
        const known = this.typeLists.get(list);
        if (known && this.typeCount === 0) {
          this.names = known.names.slice();
          this.keys = known.keys.slice();
          this.needed = known.needed.slice();
          this.typeCount = known.names.length - 1;
          return;
        }
        const names = list === '' ? [] : list.split(/\s+/);
        names.forEach((n, i) => this.setName(i + 1, n));
        if (this.typeLists.size < 1000) this.typeLists.set(list, { names: this.names.slice(), keys: this.keys.slice(), needed: this.needed.slice() });
        return;
      }
      case 'measResults':
        this.measResults(this.endText());
        return;
      case 'suspect': {
        const v = this.endText().trim();
        this.suspect = v === 'true' || v === '1';
        return;
      }
      case 'measValue':
        this.endMeasValue();
        return;
      case 'measData':
        this.flushGroups();
        return;
      default:
    }
  }

  text(t: string): void {
    this.textBuf += t;
  }

  private beginText(): void {
    this.textBuf = '';
    this.wantText = true;
  }

  private endText(): string {
    this.wantText = false;
    const t = this.textBuf;
    this.textBuf = '';
    return t;
  }

  private where(): string {
    return this.ldn ? `${this.ldn} (measInfo "${this.measInfoId}")` : `measInfo "${this.measInfoId}"`;
  }

  private granPeriod(attrs: XmlAttributes): void {
    const end = attrs.get('endTime');
    const dur = attrs.get('duration');
    if (!end || !dur) throw new PmFileError(`<granPeriod> of measInfo "${this.measInfoId}" needs duration and endTime`);
    this.endMs = parseTime(end);
    if (Number.isNaN(this.endMs)) {
      const why = isImpossibleDateTime(end) ? 'is not a valid date/time' : 'is not a time with UTC offset between 2000 and 2100';
      throw new PmFileError(`granPeriod endTime "${end}" of measInfo "${this.measInfoId}" ${why}`);
    }
    this.periodS = parseIsoDuration(dur);
    if (!(this.periodS >= 1 && this.periodS <= 86_400)) throw new PmFileError(`granPeriod duration "${dur}" of measInfo "${this.measInfoId}" is not a duration of 1 s to 1 day`);
    this.periodKey = `${this.endMs}|${this.periodS}|`;
  }

  private setName(p: number, name: string): void {
    if (name === '') throw new PmFileError(`empty counter name at p=${p} in measInfo "${this.measInfoId}"`);
    if (this.names[p] !== undefined) throw new PmFileError(`two counters at p=${p} in measInfo "${this.measInfoId}"`);
    this.typeCount++;
    let info = this.nameInfo.get(name);
    if (info === undefined) {
      info = { key: name.toLowerCase(), needed: this.formulas.isCounterNeeded(name) };
      if (this.nameInfo.size < 100_000) this.nameInfo.set(name, info);
    }
    this.names[p] = name;
    this.keys[p] = info.key;
    this.needed[p] = info.needed;
  }

  private value(p: number, raw: string): void {
    const name = this.names[p];
    if (name === undefined) throw new PmFileError(`value at p=${p} has no counter name in ${this.where()}`);
    if (!this.needed[p]) return;
    const t = raw.length > 0 && raw.charCodeAt(0) > 32 && raw.charCodeAt(raw.length - 1) > 32 ? raw : raw.trim();
    if (t === '' || t === 'NIL') {
      this.stats.nilValues++;
      return;
    }
    const v = digitsValue(t);
    if (!Number.isFinite(v)) {
      this.stats.nonNumericValues++;
      return;
    }
    this.counters[this.keys[p]] = v;
  }

  /** Space-separated values by position; only the ones a formula reads are converted. */
  private measResults(list: string): void {
    let p = 0;
    let i = 0;
    const n = list.length;
    for (;;) {
      while (i < n && list.charCodeAt(i) <= 32) i++;
      if (i >= n) break;
      const start = i;
      while (i < n && list.charCodeAt(i) > 32) i++;
      p++;
      if (p <= this.typeCount && this.needed[p]) this.value(p, list.slice(start, i));
    }
    if (p !== this.typeCount) {
      throw new PmFileError(`<measResults> of ${this.ldn} has ${p} values for ${this.typeCount} counters in measInfo "${this.measInfoId}"`);
    }
  }

  /** Values go straight into the object's group: an earlier measInfo may have started it. */
  private openMeasValue(ldn: string | undefined): void {
    if (!ldn) throw new PmFileError(`<measValue> without measObjLdn in measInfo "${this.measInfoId}"`);
    if (Number.isNaN(this.endMs)) throw new PmFileError(`measInfo "${this.measInfoId}" has values before its <granPeriod>`);
    this.ldn = ldn;
    this.suspect = false;
    let byLdn = this.groups.get(this.periodKey);
    if (!byLdn) this.groups.set(this.periodKey, (byLdn = new Map()));
    let g = byLdn.get(ldn);
    if (!g) byLdn.set(ldn, (g = { ldn, endMs: this.endMs, periodS: this.periodS, counters: Object.create(null), suspect: false }));
    this.group = g;
    this.counters = g.counters;
  }

  private endMeasValue(): void {
    this.stats.measValues++;
    if (this.suspect) {
      this.stats.suspectObjects++;
      this.group!.suspect = true;
    }
    this.ldn = null;
    this.group = null;
  }

  private flushGroups(): void {
    for (const byLdn of this.groups.values()) {
      for (const g of byLdn.values()) this.emit(g);
    }
    this.groups.clear();
  }

  /** One object of one period → a PmEvent, when it is a cell and some KPI has a value. */
  private emit(g: Group): void {
    const cellId = this.ldnMapper.cellId(g.ldn);
    if (cellId === undefined) {
      this.stats.unmappedObjects++;
      if (this.stats.unmappedExamples.length < 5) this.stats.unmappedExamples.push(g.ldn);
      return;
    }
    const { kpis, attempts } = computeKpis(g.counters, this.formulas, g.periodS, { keysAreLowerCase: true });
    if (Object.keys(kpis).length === 0) {
      this.stats.objectsWithoutKpis++;
      return;
    }
    const ev: PmEvent = { kind: 'pm', t: g.endMs, cellId, period: g.periodS, kpis };
    if (Object.keys(attempts).length > 0) ev.attempts = attempts;
    if (g.suspect) ev.suspect = true;
    this.out.push(ev);
    this.stats.events++;
  }

}
