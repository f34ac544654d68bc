/**
 * Configuration of the ticket stage: SLA per triage class, routing rules, verification, callbacks
 * and the audit. Every field has a default, so `{}` parses to a full, sensible config.
 */
import { z } from 'zod';
import { ROOT_CAUSE_CATEGORIES } from '../model/index.js';

const HOUR_S = 3600;
const DAY_S = 24 * HOUR_S;
const seconds = z.number().int().min(0);

/** Deadlines of one class, in seconds from the ticket's creation; `null` = no clock for that stage. */
const slaSchema = z.strictObject({
  respondS: seconds.nullable(),
  onsiteS: seconds.nullable(),
  resolveS: seconds.nullable(),
});
export type SlaConfig = z.infer<typeof slaSchema>;

const category = z.enum(ROOT_CAUSE_CATEGORIES);
const department = z.enum(['maintenance', 'optimization', 'construction']);

export const ticketsConfigSchema = z.strictObject({
  /** Incidents below this confidence (0..1) wait for more evidence before a ticket opens. */
  minConfidence: z.number().min(0).max(1).default(0),
  /** When the incident resolves (the network recovered) the ticket moves to `resolved` and verification starts. */
  resolveOnIncidentRecovery: z.boolean().default(true),
  sla: z
    .strictObject({
      must_solve: slaSchema.default({ respondS: 2 * HOUR_S, onsiteS: 24 * HOUR_S, resolveS: 48 * HOUR_S }),
      routine: slaSchema.default({ respondS: 8 * HOUR_S, onsiteS: 3 * DAY_S, resolveS: 7 * DAY_S }),
      defer: slaSchema.default({ respondS: null, onsiteS: null, resolveS: null }),
      /**
       * Per class, for a service that is down — root cause `outage`, `transport` or `core`: minutes
       * and hours, not the days an optimisation task gets (a site without power is not fixed "within
       * 48 h", and the hotline reads this deadline out to callers).
       */
      serviceDown: z
        .strictObject({
          must_solve: slaSchema.default({ respondS: HOUR_S / 2, onsiteS: 4 * HOUR_S, resolveS: 8 * HOUR_S }),
          routine: slaSchema.default({ respondS: HOUR_S, onsiteS: 12 * HOUR_S, resolveS: DAY_S }),
          defer: slaSchema.default({ respondS: null, onsiteS: null, resolveS: null }),
        })
        .prefault({}),
    })
    .prefault({}),
  routing: z
    .strictObject({
      /** Department for each root-cause category. */
      byCategory: z.partialRecord(category, department).default({
        outage: 'maintenance', transport: 'maintenance', core: 'maintenance',
        degradation: 'optimization', interference: 'optimization', congestion: 'optimization',
        coverage: 'optimization', unknown: 'optimization',
      }),
      /** Alarm probable causes (regular expressions, case-insensitive) that mean equipment or power: maintenance. */
      maintenanceSignals: z.array(z.string()).default([
        'power', 'mains', 'battery', 'rectifier', 'equipment', 'hardware', 'board', 'rru', 'bbu', 'antenna',
        'vswr', 'fan', 'temperature', 'link', 'fiber', 'fibre', 'transmission', 'cell_unavailable', 'unavailable',
        'out_of_service', 'ne_disconnected',
      ]),
      /**
       * Only alarms this severe route to maintenance: background warnings and a flapping minor alarm
       * on a cell with an interference problem do not make it a field job.
       */
      maintenanceAlarmSeverities: z.array(z.enum(['critical', 'major', 'minor', 'warning'])).default(['critical', 'major']),
      /** Construction: only these categories, and only when optimisation has not fixed them. */
      constructionCategories: z.array(category).default(['coverage', 'congestion']),
      /** Look back this many weeks for earlier optimisation tickets on the same cells. */
      constructionLookbackWeeks: z.number().int().min(1).max(104).default(8),
      /**
       * Earlier optimisation tickets (same cells, same category) that make it chronic. 0 sends these
       * categories to construction at once (for operators who treat every coverage hole as a build).
       */
      constructionMinRepeats: z.number().int().min(0).default(2),
    })
    .prefault({}),
  verification: z
    .strictObject({
      /** A resolved ticket's cells must stay normal this long before it is verified. */
      windowS: seconds.default(2 * HOUR_S),
      /** A resolved ticket whose cells never turn normal within this time is reopened. */
      maxWaitS: seconds.default(12 * HOUR_S),
      /** Verified tickets close after this long without a relapse. */
      closeAfterS: seconds.default(DAY_S),
      /**
       * A cell that goes bad during verification with no open incident explaining it counts as a
       * relapse after this long: the incident stage may hold a finding back before placing it (a
       * signaling failure waits `incidents.grouping.signalingHoldMinutes`, 10, for the region-wide
       * picture), and a core fault's first cells must not reopen tickets before its incident opens.
       */
      relapseGraceS: seconds.default(15 * 60),
    })
    .prefault({}),
  callbacks: z
    .strictObject({
      /** Share (0..1) of regular complainants called back; VIP and enterprise are always called. */
      sampleRate: z.number().min(0).max(1).default(0.2),
      /** Salt of the deterministic sample, so a different salt draws a different sample. */
      sampleSalt: z.string().default('nocwatch'),
      /** A complainant who complains again within this many days of verification is dissatisfied. */
      repeatWindowDays: z.number().int().min(1).max(365).default(30),
    })
    .prefault({}),
  audit: z
    .strictObject({
      /** A ticket with no progress for this long (seconds, per class) is flagged stale. */
      staleAfterS: z
        .strictObject({ must_solve: seconds.default(4 * HOUR_S), routine: seconds.default(DAY_S), defer: seconds.default(7 * DAY_S) })
        .prefault({}),
    })
    .prefault({}),
  /**
   * Complaints and cells joining a ticket are pushed as at most one version per this many seconds
   * of event time (a complaint storm is one update, not hundreds); class raises and state changes
   * go out at once.
   */
  updateCoalesceS: z.number().int().min(0).max(86_400).default(300),
  /** Notes kept on a ticket (newest last). */
  maxNotes: z.number().int().min(1).max(1000).default(50),
});

export type TicketsConfig = z.infer<typeof ticketsConfigSchema>;
