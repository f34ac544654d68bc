/**
 * measObjLdn → cellId. A lookup table (exact LDN) wins; otherwise a regular expression with a
 * template built from its groups. The default turns
 * `ManagedElement=ENB-HZ-0001,ENBFunction=1,EUtranCellFDD=1` into `ENB-HZ-0001-1` and leaves
 * objects that are not cells (relations such as `…,EUtranRelation=3`, whole functions) unmapped.
 */
import { z } from 'zod';

export const DEFAULT_LDN_PATTERN =
  '(?:^|,)ManagedElement=(?<me>[^,]+)(?:,[^,]+)*?,(?:EUtranCellFDD|EUtranCellTDD|EUtranCell|NRCellDU|NRCellCU|NRCell|GsmCell|UtranCell)=(?<cell>[^,]+)$';
export const DEFAULT_CELL_ID_TEMPLATE = '${me}-${cell}';

/** A regular expression in config, checked at load time. */
export const zRegex = z.string().min(1).superRefine((src, ctx) => {
  try {
    new RegExp(src);
  } catch (err) {
    ctx.addIssue({ code: 'custom', message: `invalid regular expression: ${(err as Error).message}` });
  }
});

export const ldnMappingConfigSchema = z.strictObject({
  /** Regular expression over measObjLdn; named (`(?<me>…)`) or numbered groups feed the template. */
  pattern: zRegex.default(DEFAULT_LDN_PATTERN),
  /** cellId from the groups: `${name}` or `$1`. */
  cellIdTemplate: z.string().min(1).default(DEFAULT_CELL_ID_TEMPLATE),
  /** Exact measObjLdn → cellId, checked before the pattern. */
  table: z.record(z.string().min(1), z.string().min(1).max(128)).default({}),
});
export type LdnMappingConfig = z.output<typeof ldnMappingConfigSchema>;

/** Remembered LDNs; the same cells come back every period, so this saves the regex. */
const CACHE_LIMIT = 200_000;

export class LdnMapper {
  private readonly re: RegExp;
  private readonly table: Map<string, string>;
  private readonly cache = new Map<string, string | null>();

  constructor(private readonly config: LdnMappingConfig) {
    this.re = new RegExp(config.pattern);
    this.table = new Map(Object.entries(config.table));
  }

  /** The cellId of an object, or undefined when it is not a cell nocwatch knows how to name. */
  cellId(ldn: string): string | undefined {
    const hit = this.cache.get(ldn);
    if (hit !== undefined) return hit ?? undefined;
    const id = this.table.get(ldn) ?? this.fromPattern(ldn);
    if (this.cache.size >= CACHE_LIMIT) this.cache.clear();
    this.cache.set(ldn, id ?? null);
    return id;
  }

  private fromPattern(ldn: string): string | undefined {
    const m = this.re.exec(ldn);
    if (!m) return undefined;
    const id = this.config.cellIdTemplate.replace(/\$\{(\w+)\}|\$(\d+)/g, (_all, name: string | undefined, num: string | undefined) =>
      (name !== undefined ? m.groups?.[name] : m[Number(num)]) ?? '',
    );
    return id.length > 0 && id.length <= 128 ? id : undefined;
  }
}
