/**
 * Names (cell ids, KPI names) mapped to dense integers, so per-series state can live in typed arrays
 * indexed by number. Ids are never reused: an interner only grows (bounded by the network's size).
 */
export class Interner {
  private readonly ids = new Map<string, number>();
  private readonly names: string[] = [];

  get size(): number {
    return this.names.length;
  }

  /** The id of `name`, allocating one the first time. */
  id(name: string): number {
    let id = this.ids.get(name);
    if (id === undefined) {
      id = this.names.length;
      this.ids.set(name, id);
      this.names.push(name);
    }
    return id;
  }

  /** The id of `name`, or -1 when it was never seen. */
  find(name: string): number {
    return this.ids.get(name) ?? -1;
  }

  name(id: number): string {
    return this.names[id];
  }

  toJSON(): string[] {
    return this.names.slice();
  }

  static from(names: readonly string[]): Interner {
    const i = new Interner();
    for (const n of names) i.id(n);
    return i;
  }
}
