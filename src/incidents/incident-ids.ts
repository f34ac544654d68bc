/**
 * Incident ids are derived from what opened the incident (its first anomaly or complaint) and the
 * event-time day, so replaying the same data gives the same ids and nothing random is involved.
 */

/** 32-bit FNV-1a of a string, as 7 base-36 digits. */
export function shortHash(s: string): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h.toString(36).padStart(7, '0');
}

/** `INC-20261123-0k2j9x1`: the event-time day (UTC) and a hash of the seed; `taken` avoids collisions. */
export function incidentId(seed: string, at: number, taken: (id: string) => boolean): string {
  const day = new Date(at).toISOString().slice(0, 10).replaceAll('-', '');
  const base = `INC-${day}-${shortHash(seed)}`;
  let id = base;
  for (let n = 2; taken(id); n++) id = `${base}-${n}`;
  return id;
}
