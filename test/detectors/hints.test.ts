import { describe, expect, it } from 'vitest';
import { kpiHint } from '../../src/detectors/hints.js';

describe('what a KPI deviation points at', () => {
  it.each<{ kpi: string; prb: number; alarmed: boolean; hint: string }>([
    { kpi: 'availability', prb: NaN, alarmed: false, hint: 'outage' },
    { kpi: 'prb_dl_utilization', prb: 95, alarmed: false, hint: 'congestion' },
    { kpi: 'dl_user_throughput_mbps', prb: 92, alarmed: false, hint: 'congestion' },
    { kpi: 'dl_user_throughput_mbps', prb: 40, alarmed: false, hint: 'degradation' },
    // A full cell's admission control turns RRC setups away: capacity, not a fault of the cell.
    { kpi: 'rrc_setup_success_rate', prb: 93, alarmed: false, hint: 'congestion' },
    { kpi: 'rrc_setup_success_rate', prb: 30, alarmed: false, hint: 'degradation' },
    { kpi: 'rrc_setup_success_rate', prb: NaN, alarmed: false, hint: 'degradation' },
    // E-RAB setup involves the core: never read as the cell being full.
    { kpi: 'erab_setup_success_rate', prb: 93, alarmed: false, hint: 'degradation' },
    { kpi: 'erab_drop_rate', prb: 50, alarmed: false, hint: 'interference' },
    { kpi: 'erab_drop_rate', prb: 50, alarmed: true, hint: 'degradation' },
    // A lifted uplink noise floor is interference, alarm or not.
    { kpi: 'ul_interference_dbm', prb: 20, alarmed: true, hint: 'interference' },
  ])('$kpi at PRB $prb % (alarm: $alarmed) → $hint', ({ kpi, prb, alarmed, hint }) => {
    expect(kpiHint(kpi, prb, alarmed)).toBe(hint);
  });
});
