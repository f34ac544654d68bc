/**
 * Writes a realistic 3GPP TS 32.435 measCollecFile of about `targetBytes`: an OSS export with many
 * managed elements (3–6 cells each), five counter families per element (the counters the default
 * formulas read among many they do not), QCI sub-counters, ~2 % NIL values and a few suspect objects.
 * Used by the formats benchmark; deterministic for a given seed.
 */
import { closeSync, openSync, writeSync } from 'node:fs';
import { uniforms } from '../src/simulator/prng.js';

const FAMILIES: Array<{ id: string; counters: string[] }> = [
  {
    id: 'EUtranCellFDD-Accessibility',
    counters: [
      'RRC.ConnEstabAtt.sum', 'RRC.ConnEstabSucc.sum',
      ...Array.from({ length: 8 }, (_, i) => `RRC.ConnEstabAtt.Cause${i}`),
      'ERAB.EstabInitAttNbr', 'ERAB.EstabInitSuccNbr', 'ERAB.EstabAddAttNbr', 'ERAB.EstabAddSuccNbr',
      ...[1, 2, 5, 6, 8, 9].flatMap((q) => [`ERAB.EstabInitSuccNbr.QCI${q}`, `ERAB.EstabAddSuccNbr.QCI${q}`]),
    ],
  },
  {
    id: 'EUtranCellFDD-Retainability',
    counters: ['ERAB.RelActNbr', 'ERAB.SessionTimeUE', ...[1, 2, 5, 6, 8, 9].map((q) => `ERAB.RelActNbr.QCI${q}`), 'ERAB.RelEnbNbr', 'ERAB.RelMmeNbr'],
  },
  {
    id: 'EUtranCellFDD-Mobility',
    counters: ['HO.IntraFreqOutAtt', 'HO.IntraFreqOutSucc', 'HO.InterFreqOutAtt', 'HO.InterFreqOutSucc', 'HO.InterRatOutAtt', 'HO.InterRatOutSucc', 'HO.ExeAtt', 'HO.ExeSucc'],
  },
  {
    id: 'EUtranCellFDD-Utilization',
    counters: ['RRU.PrbTotDl', 'RRU.PrbTotUl', 'RRU.CellUnavailableTime', 'RRC.ConnMean', 'RRC.ConnMax', 'PAG.DiscardedNbr', 'PAG.ReceivedNbr'],
  },
  {
    id: 'EUtranCellFDD-Throughput',
    counters: ['DRB.IPVolDl', 'DRB.IPTimeDl', 'DRB.IPVolUl', 'DRB.IPTimeUl', 'DRB.PdcpSduVolumeDL', 'DRB.PdcpSduVolumeUL', 'DRB.UECellThpDl', 'DRB.UECellThpUl'],
  },
];


export interface GeneratedPmXml {
  bytes: number;
  cells: number;
  values: number;
}

/** Writes the file; `layout` picks `<measType>/<r>` or `<measTypes>/<measResults>`. */
export function writePmXmlFile(path: string, targetBytes: number, layout: 'r' | 'measResults' = 'r', seed = 1): GeneratedPmXml {
  const rand = uniforms(seed);
  const fd = openSync(path, 'w');
  let bytes = 0;
  let cells = 0;
  let values = 0;
  const put = (s: string) => {
    bytes += writeSync(fd, s);
  };
  put('<?xml version="1.0" encoding="UTF-8"?>\n<measCollecFile xmlns="http://www.3gpp.org/ftp/specs/archive/32_series/32.435#measCollec">\n');
  put('  <fileHeader fileFormatVersion="32.435 V10.0" vendorName="BenchVendor" dnPrefix="DC=example.com,SubNetwork=ZJ">\n');
  put('    <fileSender localDn="OSS-1" elementType="OSS"/>\n    <measCollec beginTime="2023-11-05T10:00:00+08:00"/>\n  </fileHeader>\n');
  for (let e = 0; bytes < targetBytes; e++) {
    const me = `ENB-ZJ-${String(e).padStart(6, '0')}`;
    const nCells = 3 + Math.floor(rand() * 4);
    cells += nCells;
    const parts: string[] = [`  <measData>\n    <managedElement localDn="ManagedElement=${me}" userLabel="Site ${e}" swVersion="V1.2.3"/>\n`];
    for (const fam of FAMILIES) {
      parts.push(`    <measInfo measInfoId="${fam.id}">\n      <job jobId="15min"/>\n      <granPeriod duration="PT900S" endTime="2023-11-05T10:15:00+08:00"/>\n      <repPeriod duration="PT900S"/>\n`);
      if (layout === 'r') fam.counters.forEach((c, i) => parts.push(`      <measType p="${i + 1}">${c}</measType>\n`));
      else parts.push(`      <measTypes>${fam.counters.join(' ')}</measTypes>\n`);
      for (let c = 1; c <= nCells; c++) {
        parts.push(`      <measValue measObjLdn="ManagedElement=${me},ENBFunction=1,EUtranCellFDD=${c}">\n`);
        const vals = fam.counters.map((name) => {
          if (rand() < 0.02) return 'NIL';
          if (name.startsWith('RRU.Prb')) return (rand() * 100).toFixed(1);
          if (name === 'RRU.CellUnavailableTime') return rand() < 0.97 ? '0' : String(Math.floor(rand() * 900));
          return String(Math.floor(rand() * 20000));
        });
        values += vals.length;
        if (layout === 'r') vals.forEach((v, i) => parts.push(`        <r p="${i + 1}">${v}</r>\n`));
        else parts.push(`        <measResults>${vals.join(' ')}</measResults>\n`);
        if (rand() < 0.01) parts.push('        <suspect>true</suspect>\n');
        parts.push('      </measValue>\n');
      }
      parts.push('    </measInfo>\n');
    }
    parts.push('  </measData>\n');
    put(parts.join(''));
  }
  put('  <fileFooter>\n    <measCollec endTime="2023-11-05T10:15:00+08:00"/>\n  </fileFooter>\n</measCollecFile>\n');
  closeSync(fd);
  return { bytes, cells, values };
}
