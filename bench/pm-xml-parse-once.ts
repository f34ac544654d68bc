/**
 * Child process of bench/formats.ts: parses one PM XML file (or, without an argument, only loads
 * the modules) and prints its peak RSS in bytes, so the figure is the parser's, not the benchmark's.
 */
import { compileKpiFormulas } from '../src/collectors/kpi-formulas.js';
import { LdnMapper, ldnMappingConfigSchema } from '../src/collectors/pm-xml/ldn-mapper.js';
import { openPmXmlStream, readPmXml } from '../src/collectors/pm-xml/read-pm-xml-file.js';

const path = process.argv[2];
let events = 0;
if (path) {
  await readPmXml(openPmXmlStream(path), {
    formulas: compileKpiFormulas(), ldnMapper: new LdnMapper(ldnMappingConfigSchema.parse({})), chunkEvents: 2000, maxBytes: 4e9,
  }, async (evs) => {
    events += evs.length;
  });
}
console.log(JSON.stringify({ maxRssBytes: process.resourceUsage().maxRSS * 1024, events }));
