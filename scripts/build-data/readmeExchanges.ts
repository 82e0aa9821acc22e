// The exchanges.json section of data/README.md: format, how it is built, and the build report.
import { cmp } from './util.js';
import { exchangeTotals } from '../../src/geography/exchangeTable.js';
import type { BuiltExchanges } from './exchanges.js';

const pct = (n: number, of: number): string => `${((100 * n) / of).toFixed(2)}%`;

export function exchangesSection(stats: BuiltExchanges['stats'], libphonenumberEntries: number): string {
  const t = exchangeTotals(stats);
  const stateRows = Object.entries(stats.byState)
    .sort((a, b) => cmp(a[0], b[0]))
    .map(([st, c]) => {
      const atRateCenter = `${c.rateCenter} (${pct(c.rateCenter, c.exchanges)})`;
      return `| ${st} | ${c.exchanges} | ${atRateCenter} | ${c.areaCode} | ${c.notPlaced} |`;
    })
    .join('\n');
  const unlocated = stats.unlocated.map(([key, n]) => `${key.replace('|', ' ')} (${n})`).join(', ');
  const by = stats.rateCentersBy;
  return `## exchanges.json

Where a caller is from the first six digits of their number (area code + exchange, NPA-NXX), as the
hotline routes: every area code in service in a US state or territory, and every exchange NANPA lists
as assigned there.

\`\`\`json
{"source":{"coCodes":"07/06/2026","areaCodes":"08/17/2026"},
"areaCodes":{"columns":["npa","state","lat","lon"],"rows":[["201","NJ",40.2,-74.6], ...]},
"rateCenters":{"columns":["state","rateCenter","name","lat","lon"],
"rows":[["CA","SCRM MAIN","Sacramento",38.56,-121.45], ...]},
"exchanges":{"columns":["exchange","rateCenter","lineType"],"rows":[[916445,1234,"l"], ...]}}
\`\`\`

- \`areaCodes\`: NANPA's general-purpose codes in service (\`IN_SERVICE = Y\`) in the 50 states, DC, PR,
  VI, GU, MP (\`CNMI\` in NANPA's file) and AS (${stats.areaCodes}); the point is the state's centroid
  (mean of its zip points): it only says which state. Codes not in service or reserved (278, 627, ...)
  are absent, so they are never presented as places. In service without any exchange yet:
  ${stats.areaCodesWithoutExchanges.join(', ')}.
- \`rateCenters\`: each rate center that holds an exchange: NANPA's state and abbreviation, a readable
  name, and its point (4 decimals), or \`null\` where nothing located it (its exchanges are placed at
  area-code level, in NANPA's state).
- \`exchanges\`: NPA-NXX as a number, the row of its rate center, and \`lineType\` from the company holding
  the code: \`w\` wireless, \`l\` wireline, \`u\` unknown (paging and wholesale VoIP carriers, whose numbers
  say nothing about where the caller is). A prior, not a fact: numbers port between carriers. Line
  types: ${JSON.stringify(stats.lineTypes)}.

### Sources

NANPA's public reports, copied into \`sources/nanpa/\` unchanged (ops load newer downloads of the same
two files): \`CoCodeAssignment_Utilized_AllStates_Public.zip\` (file updated ${stats.coFileDate},
from https://reports.nanpa.com/public/CoCodeAssignment_Utilized_AllStates_Public.zip) and
\`npa_report.csv\` (file date ${stats.npaFileDate}, from https://reports.nanpa.com/public/npa_report.csv),
taken from a public weekly mirror (DrCaiola/spam-call-lookup, commit 26ae403, 2026-08-17). NANPA states
no licence; they are public records of numbering assignments. Every assigned (\`AS\`) code is kept,
including the ${stats.notInService} not yet in service (a caller may have one by the next refresh).

### How rate centers are located

NANPA names rate centers (\`SCRM MAIN\`, \`LKBUNAVIST\`, \`CHICGOZN01\`) but gives no coordinates. In order:

1. **A reviewed alias** from \`sources/rate-center-aliases.csv\` (${by.alias}): neighbourhoods, bases and
   abbreviations nothing else resolves (\`SANTURCE\` -> San Juan, \`LKBUNAVIST\` -> Lake Buena Vista).
2. **libphonenumber** (${by.libphonenumber}): the city Google's geocoding (${libphonenumberEntries} NANP
   entries, about 2013) names for most of the rate center's exchanges, in NANPA's state. Where they
   disagree on the state, NANPA wins (${stats.stateDisagreements.length}: ${stats.stateDisagreements.join('; ')}).
3. **A numbered zone** (${by.zone}) with no evidence of its own sits at the mean of its located sibling
   zones (\`LSAN DA 07\` with \`LSAN DA 01\`...).
4. **Its name** (${by.name}) matched against the state's cities in \`zips.json\`: the same letters, a cut at
   NANPA's 10 characters (\`ALBUQUERQU\`), or an abbreviation keeping the first letter and dropping at most
   as many letters as it keeps (\`HUNTINGTN\`); fewest dropped first. Where libphonenumber also locates a
   rate center, its name lands within 40 km of that point for 99.7% of them.

### Build report

Assigned exchanges in US states and territories: **${t.exchanges}**. At rate-center level
**${t.rateCenter} (${pct(t.rateCenter, t.exchanges)})**, at area-code level ${t.areaCode}
(${pct(t.areaCode, t.exchanges)}), not placed ${t.notPlaced} (in an area code NANPA does not list as in
service). Every one is in NANPA's state.

| State | Exchanges | Rate-center level | Area-code level | Not placed |
| --- | --- | --- | --- | --- |
${stateRows}

Rate centers: ${stats.rateCenters}; not located (${stats.unlocated.length}, exchanges in brackets):
${unlocated}.
`;
}
