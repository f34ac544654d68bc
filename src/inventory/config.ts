/** Where the inventory comes from. */
import { z } from 'zod';

export const inventoryConfigSchema = z.strictObject({
  /** Inventory CSV loaded at start (cells posted over the API are kept in the store as well). */
  file: z.string().min(1).nullable().default(null),
});
export type InventoryConfig = z.infer<typeof inventoryConfigSchema>;
