/** Configuration of the built-in simulated network (`simulator:` in the config file). */
import { z } from 'zod';
import { SIGNALING_PROCEDURES } from '../model/index.js';
import { DEFAULT_PROCEDURES } from './feeds/signaling-feed.js';

export const simulatorConfigSchema = z.strictObject({
  /** Feed the daemon from the built-in simulated province (the `npm start` demo). */
  enabled: z.boolean().default(false),
  /** Cells to generate when no inventory file is configured. */
  cells: z.number().int().min(50).max(300_000).default(2000),
  /** Everything the simulator does follows from this seed. */
  seed: z.number().int().min(0).max(2 ** 31 - 1).default(1),
  /** Simulated seconds per wall-clock second once warm-up is done (60: one simulated minute per second). */
  speed: z.number().positive().max(100_000).default(60),
  /** Days of history fed at full speed before the live part, so detectors have baselines to learn. */
  warmupDays: z.number().min(0).max(14).default(1),
  /** Random faults per simulated day after warm-up (the first comes 10 simulated minutes after it). */
  faultsPerDay: z.number().min(0).max(10_000).default(24),
  /** Scenario file (YAML or JSON) with faults to inject; offsets count from the end of warm-up. */
  scenario: z.string().min(1).nullable().default(null),
  /** Where to write the ground truth (JSON) for `nocwatch evaluate`; null: not written. */
  truthFile: z.string().min(1).nullable().default(null),
  /** The simulated network's offset from UTC in minutes (traffic follows local hours). */
  utcOffsetMinutes: z.number().int().min(-720).max(840).default(480),
  /** Records per IngestPort.accept call; the simulator yields to the event loop between calls. */
  batchSize: z.number().int().min(100).max(100_000).default(2000),
  /** Wall-clock pacing interval of the live part, ms. */
  tickMs: z.number().int().min(10).max(60_000).default(250),
  /** Background complaints per subscriber per simulated day. */
  complaintsPerSubscriberDay: z.number().min(0).max(0.01).default(0.00004),
  /** Send the 3GPP counters behind the KPIs in PM records (the daemon recomputes KPIs from them). */
  pmCounters: z.boolean().default(true),
  /** Signaling procedures reported per cell and 5-minute period, by technology (most of the volume). */
  signalingProcedures: z
    .strictObject({
      LTE: z.array(z.enum(SIGNALING_PROCEDURES)).max(SIGNALING_PROCEDURES.length).default([...DEFAULT_PROCEDURES.LTE]),
      NR: z.array(z.enum(SIGNALING_PROCEDURES)).max(SIGNALING_PROCEDURES.length).default([...DEFAULT_PROCEDURES.NR]),
    })
    .prefault({}),
  /** Feeds to produce. */
  feeds: z
    .strictObject({
      pm: z.boolean().default(true),
      signaling: z.boolean().default(true),
      dialtest: z.boolean().default(true),
      alarms: z.boolean().default(true),
      complaints: z.boolean().default(true),
    })
    .prefault({}),
});
export type SimulatorConfig = z.infer<typeof simulatorConfigSchema>;
