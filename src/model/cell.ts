/** A radio cell of the inventory and the area classes that weigh its importance. */
import { z } from 'zod';

export const AREA_CLASSES = [
  'core_business', 'transport_hub', 'hospital', 'government', 'campus',
  'residential', 'industrial', 'rural', 'highway', 'scenic',
] as const;
export type AreaClass = (typeof AREA_CLASSES)[number];

export const TECHNOLOGIES = ['LTE', 'NR', 'GSM', 'UMTS'] as const;
export type Technology = (typeof TECHNOLOGIES)[number];

const id = z.string().min(1).max(128);

/** One cell as the inventory CSV and `POST /api/v1/inventory/cells` carry it. */
export const cellSchema = z.object({
  cellId: id,
  siteId: id,
  transportId: id,
  region: id,
  district: id,
  lat: z.number().min(-90).max(90),
  lon: z.number().min(-180).max(180),
  technology: z.enum(TECHNOLOGIES),
  areaClass: z.enum(AREA_CLASSES),
  subscribers: z.number().int().min(0),
});
export type Cell = z.infer<typeof cellSchema>;

export const CELL_COLUMNS = [
  'cellId', 'siteId', 'transportId', 'region', 'district', 'lat', 'lon', 'technology', 'areaClass', 'subscribers',
] as const;
