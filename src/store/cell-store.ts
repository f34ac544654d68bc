/** The inventory as last upserted, so cells posted over the API survive a restart. */
import type { Cell } from '../model/index.js';
import type { Db } from './database.js';

export interface CellStore {
  upsert(cells: readonly Cell[]): void;
  all(): Cell[];
}

export class SqliteCellStore implements CellStore {
  private readonly stmts;

  constructor(db: Db) {
    this.stmts = {
      upsert: db.prepare(
        'INSERT INTO cells (cell_id, doc) VALUES (?, ?) ON CONFLICT (cell_id) DO UPDATE SET doc = excluded.doc',
      ),
      all: db.prepare('SELECT doc FROM cells'),
    };
  }

  upsert(cells: readonly Cell[]): void {
    for (const c of cells) this.stmts.upsert.run(c.cellId, JSON.stringify(c));
  }

  all(): Cell[] {
    return (this.stmts.all.all() as { doc: string }[]).map((r) => JSON.parse(r.doc) as Cell);
  }
}

export class MemoryCellStore implements CellStore {
  private readonly byId = new Map<string, Cell>();

  upsert(cells: readonly Cell[]): void {
    for (const c of cells) this.byId.set(c.cellId, { ...c });
  }

  all(): Cell[] {
    return [...this.byId.values()].map((c) => ({ ...c }));
  }
}
