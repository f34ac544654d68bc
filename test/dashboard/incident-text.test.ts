/** The incident row's and detail's words: where, the ticket, why there is no ticket. */
import { describe, expect, it } from 'vitest';
import { noTicket, ticketBadge, ticketLine, whereLine, whereText } from '../../src/dashboard/page/incident-text.js';
import { incidentItem } from './fixtures.js';

const text = (html: string) => html.replace(/<[^>]+>/g, '').replace(/\s+/g, ' ').trim();

describe('incident text', () => {
  it('an unconfirmed incident says it waits for more evidence where the ticket would be (it read "no ticket yet" for 8 h)', () => {
    const i = incidentItem('INC-1', { ticket: null, confirmed: false, confidence: 0.5, feeds: ['complaints'], triage: { class: 'must_solve', score: 83, reasons: [] } });
    expect(noTicket(i).long).toBe('unconfirmed — waiting for more evidence (confidence 0.50, evidence from complaints)');
    expect(text(ticketLine(i))).toBe('unconfirmed — waiting for more evidence (confidence 0.50, evidence from complaints)');
    expect(text(ticketBadge(i, 0))).toBe('unconfirmed');
  });

  it('a deferred incident says triage deferred it; a confirmed one without a ticket yet says so', () => {
    expect(noTicket(incidentItem('INC-1', { ticket: null, triage: { class: 'defer', score: 12, reasons: [] } })).short).toBe('deferred');
    expect(noTicket(incidentItem('INC-1', { ticket: null })).long).toBe('no ticket yet');
  });

  it('a core root cause is region-wide, not in the district of its first cell; counts get separators', () => {
    const core = incidentItem('INC-1', {
      rootCause: { objectType: 'core', objectId: 'MME-CS-01', category: 'core' }, region: 'Changsha', district: 'Tianxin',
      cellCount: 1105, anomalies: 1261, feeds: ['alarm', 'signaling'],
    });
    expect(whereText(core)).toBe('Changsha (region-wide, core MME-CS-01)');
    expect(text(whereLine(core))).toBe('Changsha (region-wide, core MME-CS-01) · 1,105 cells · 1,261 anomalies · feeds alarm, signaling');
    expect(whereText(incidentItem('INC-2'))).toBe('Changsha / Yuelu');
    expect(text(whereLine(incidentItem('INC-2', { cellCount: 1, anomalies: 1 })))).toContain('1 cell · 1 anomaly');
  });
});
