import { Readable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { compileKpiFormulas } from '../../../src/collectors/kpi-formulas.js';
import { LdnMapper, ldnMappingConfigSchema } from '../../../src/collectors/pm-xml/ldn-mapper.js';
import { PmFileError, parseIsoDuration } from '../../../src/collectors/pm-xml/meas-collec-reader.js';
import { ReadAbortedError, openPmXmlStream, readPmXml, type ReadPmXmlOptions } from '../../../src/collectors/pm-xml/read-pm-xml-file.js';
import { XmlSyntaxError } from '../../../src/collectors/pm-xml/xml-scanner.js';
import type { PmEvent } from '../../../src/model/index.js';

const fixture = (name: string) => fileURLToPath(new URL(`../../fixtures/pm-xml/${name}`, import.meta.url));
const SAMPLE = 'A20231105.1000+0800-1015+0800_ENB-HZ-0001.xml';

const options = (over: Partial<ReadPmXmlOptions> = {}): ReadPmXmlOptions => ({
  formulas: compileKpiFormulas(),
  ldnMapper: new LdnMapper(ldnMappingConfigSchema.parse({})),
  chunkEvents: 1000,
  maxBytes: 1e9,
  ...over,
});

async function readAll(path: string, over: Partial<ReadPmXmlOptions> = {}) {
  const chunks: PmEvent[][] = [];
  const result = await readPmXml(openPmXmlStream(path), options(over), async (evs) => {
    chunks.push(evs);
  });
  return { ...result, events: chunks.flat(), chunks };
}

describe('readPmXml', () => {
  it('turns the sample file into one event per cell at the period end, with attempts and suspect', async () => {
    const { events, stats } = await readAll(fixture(SAMPLE));
    const t = Date.parse('2023-11-05T10:15:00+08:00');
    expect(events).toHaveLength(2);
    expect(events[0]).toEqual({
      kind: 'pm', t, cellId: 'ENB-HZ-0001-1', period: 900,
      kpis: { rrc_setup_success_rate: (100 * 1511) / 1520, erab_setup_success_rate: (100 * 1490) / 1498 },
      attempts: { rrc_setup_success_rate: 1520, erab_setup_success_rate: 1498 },
    });
    expect(events[1]).toMatchObject({ cellId: 'ENB-HZ-0001-2', suspect: true, attempts: { rrc_setup_success_rate: 873 } });
    expect(stats).toMatchObject({ vendorName: 'VendorX', managedElements: 1, measInfos: 1, measValues: 2, suspectObjects: 1, events: 2 });
  });

  it('reads a .xml.gz the same as the .xml', async () => {
    const plain = await readAll(fixture(SAMPLE));
    const gz = await readAll(fixture(`${SAMPLE}.gz`));
    expect(gz.events).toEqual(plain.events);
    expect(gz.sha256).toBe(plain.sha256);
  });

  it('reads the measTypes/measResults layout, merges measInfo families, keeps periods apart and skips NIL', async () => {
    const { events, stats } = await readAll(fixture('C20231105.1015+0800-20231105.1045+0800_GNB-HZ-0002.xml'));
    const t1030 = Date.parse('2023-11-05T10:30:00+08:00');
    const t1045 = Date.parse('2023-11-05T10:45:00+08:00');
    expect(events).toEqual([
      {
        kind: 'pm', t: t1030, cellId: 'GNB-HZ-0002-1', period: 900,
        kpis: { handover_success_rate: 99, prb_dl_utilization: 30, dl_user_throughput_mbps: 25, nr_qos_flow_setup_success_rate: 99.5 },
        attempts: { handover_success_rate: 400, nr_qos_flow_setup_success_rate: 200 },
      },
      {
        kind: 'pm', t: t1045, cellId: 'GNB-HZ-0002-1', period: 900, suspect: true,
        kpis: { handover_success_rate: (100 * 400) / 410, prb_dl_utilization: 45 },
        attempts: { handover_success_rate: 410 },
      },
    ]);
    // Cell 2 has only NIL and 0/0: no KPI at all rather than zeros. The relation is not a cell.
    expect(stats).toMatchObject({
      vendorName: 'Vendor & Sons', measInfos: 3, measValues: 6, nilValues: 3,
      objectsWithoutKpis: 1, unmappedObjects: 1,
      unmappedExamples: ['ManagedElement=GNB-HZ-0002,GNBDUFunction=1,NRCellDU=1,NRCellRelation=7'],
    });
  });

  it('reads r values in any order and treats empty values as no value', async () => {
    const { events, stats } = await readAll(fixture('A20231105.1015+0800-1030+0800_ENB-HZ-0003.xml'));
    expect(events.map((e) => [e.cellId, e.kpis, e.attempts])).toEqual([
      ['ENB-HZ-0003-1', { volte_call_drop_rate: 1 }, { volte_call_drop_rate: 200 }],
      ['ENB-HZ-0003-2', { erab_drop_rate: 0.5, availability: 100 }, { erab_drop_rate: 1000 }],
    ]);
    expect(stats.nilValues).toBe(2);
  });

  it('maps LDNs through the table before the pattern', async () => {
    const ldnMapper = new LdnMapper(ldnMappingConfigSchema.parse({
      table: { 'ManagedElement=ENB-HZ-0001,ENBFunction=1,EUtranCellFDD=1': 'CS-0001-1' },
    }));
    const { events } = await readAll(fixture(SAMPLE), { ldnMapper });
    expect(events.map((e) => e.cellId)).toEqual(['CS-0001-1', 'ENB-HZ-0001-2']);
  });

  it('hands events on in chunks and can skip the ones already accepted before a restart', async () => {
    const all = await readAll(fixture('C20231105.1015+0800-20231105.1045+0800_GNB-HZ-0002.xml'), { chunkEvents: 1 });
    expect(all.chunks.map((c) => c.length)).toEqual([1, 1]);
    const resumed = await readAll(fixture('C20231105.1015+0800-20231105.1045+0800_GNB-HZ-0002.xml'), { skipEvents: 1 });
    expect(resumed.events).toEqual(all.events.slice(1));
    expect(resumed.emitted).toBe(1);
  });

  it('stops at shutdown between chunks', async () => {
    await expect(readAll(fixture(SAMPLE), { aborted: () => true })).rejects.toThrow(ReadAbortedError);
  });

  it('says where a truncated or mismatched file breaks', async () => {
    await expect(readAll(fixture('truncated_ENB-HZ-0001.xml'))).rejects.toThrow(
      /malformed XML at line 16, column \d+: unexpected end of file: <measType> is not closed/,
    );
    await expect(readAll(fixture('mismatched-tag_ENB-HZ-0001.xml'))).rejects.toThrow(
      new XmlSyntaxError('end tag </measvalue> does not match <measValue>', 22, 7),
    );
  });

  const structural: Array<[string, string]> = [
    ['<other/>', 'not a measCollecFile (root element is <other>)'],
    ['<measCollecFile><measData><measInfo><measType p="1">a</measType><measValue measObjLdn="x"><r p="1">1</r></measValue></measInfo></measData></measCollecFile>', 'has values before its <granPeriod>'],
    ['<measCollecFile><measData><measInfo><granPeriod duration="PT900S" endTime="2023-11-05T10:15:00"/></measInfo></measData></measCollecFile>', 'is not a time with UTC offset'],
    ['<measCollecFile><measData><measInfo measInfoId="RRC"><granPeriod duration="PT900S" endTime="2023-02-30T10:15:00Z"/></measInfo></measData></measCollecFile>', 'granPeriod endTime "2023-02-30T10:15:00Z" of measInfo "RRC" is not a valid date/time'],
    ['<measCollecFile><measData><measInfo><granPeriod duration="15min" endTime="2023-11-05T10:15:00Z"/></measInfo></measData></measCollecFile>', 'is not a duration'],
    ['<measCollecFile><measData><measInfo><granPeriod duration="PT900S" endTime="2023-11-05T10:15:00Z"/><measType p="1">a</measType><measValue measObjLdn="x"><r p="2">1</r></measValue></measInfo></measData></measCollecFile>', 'value at p=2 has no counter name in x'],
    ['<measCollecFile><measData><measInfo><granPeriod duration="PT900S" endTime="2023-11-05T10:15:00Z"/><measTypes>a b</measTypes><measValue measObjLdn="x"><measResults>1 2 3</measResults></measValue></measInfo></measData></measCollecFile>', '<measResults> of x has 3 values for 2 counters'],
  ];
  it.each(structural)('rejects a file that is not a usable measCollecFile (%#): %s', async (xml, message) => {
    const run = readPmXml(Readable.from([Buffer.from(xml)]), options(), async () => {});
    await expect(run).rejects.toThrow(PmFileError);
    await expect(readPmXml(Readable.from([Buffer.from(xml)]), options(), async () => {})).rejects.toThrow(message);
  });

  it('refuses a file larger than the limit', async () => {
    await expect(readAll(fixture(SAMPLE), { maxBytes: 1000 })).rejects.toThrow('file is larger than 1000 bytes');
  });

  it.each([['PT900S', 900], ['PT15M', 900], ['PT1H', 3600], ['P1D', 86400], ['PT60S', 60], ['PT', NaN], ['900', NaN]])(
    'parses the ISO 8601 duration %s',
    (text, seconds) => {
      expect(parseIsoDuration(text)).toBe(seconds);
    },
  );
});
