import type { Geography } from '../../src/dataset/geography.js';
import type { Affiliate } from '../../src/dataset/affiliate.js';
import type { Dataset } from '../../src/dataset/validateDataset.js';
import { compileRoutingTable } from '../../src/core/compileRoutingTable.js';
import { DEFAULT_POLICY, type RoutingPolicy, type RoutingTable } from '../../src/core/types.js';
import { TimeZoneClock } from '../../src/core/timeZoneClock.js';
import type { RouteClock } from '../../src/core/route.js';

/**
 * A small, hand-checkable world: New York City, Newark across the state line, Albany up the
 * Hudson, Philadelphia, and a zip near the NY/NJ line. Distances are real.
 */
export const miniGeography: Geography = {
  zips: [
    { zip: '10001', lat: 40.7506, lon: -73.9973, state: 'NY', city: 'New York' },
    { zip: '10002', lat: 40.716, lon: -73.9869, state: 'NY', city: 'New York' },
    { zip: '12207', lat: 42.6518, lon: -73.7528, state: 'NY', city: 'Albany' },
    { zip: '07102', lat: 40.7357, lon: -74.1724, state: 'NJ', city: 'Newark' },
    { zip: '19103', lat: 39.9527, lon: -75.1742, state: 'PA', city: 'Philadelphia' },
    { zip: '10964', lat: 41.0154, lon: -73.9138, state: 'NY', city: 'Palisades' },
  ],
  prefixes: [
    {
      prefix: '212',
      lat: 40.75,
      lon: -73.99,
      state: 'NY',
      place: 'New York',
      precision: 'exchange',
      lineType: 'wireline',
    },
    {
      prefix: '518',
      lat: 42.65,
      lon: -73.75,
      state: 'NY',
      place: 'New York',
      precision: 'areaCode',
      lineType: 'unknown',
    },
    {
      prefix: '5184',
      lat: 42.65,
      lon: -73.75,
      state: 'NY',
      place: 'Albany',
      precision: 'exchange',
      lineType: 'wireless',
    },
    {
      prefix: '973',
      lat: 40.73,
      lon: -74.17,
      state: 'NJ',
      place: 'Newark',
      precision: 'exchange',
      lineType: 'wireline',
    },
    {
      prefix: '215',
      lat: 39.95,
      lon: -75.17,
      state: 'PA',
      place: 'Philadelphia',
      precision: 'exchange',
      lineType: 'wireline',
    },
  ],
};

export function center(overrides: Partial<Affiliate> & Pick<Affiliate, 'id'>): Affiliate {
  return {
    kind: 'affiliate',
    name: `Test Center ${overrides.id} (fictional)`,
    phone: '+12125550100',
    lat: 40.75,
    lon: -73.99,
    zip: null,
    state: 'NY',
    timeZone: 'America/New_York',
    hours: '24/7',
    languages: ['en'],
    serviceStates: [],
    serviceZips: [],
    servicePrefixes: [],
    backupId: null,
    ...overrides,
  };
}

export const NATIONAL = center({
  id: 'national',
  kind: 'national',
  name: 'Test National Line (fictional)',
  phone: '+18005550100',
  lat: null,
  lon: null,
  state: null,
  languages: ['en', 'es'],
});

export const MANHATTAN = center({ id: 'ny-manhattan', phone: '+12125550101', lat: 40.7506, lon: -73.9973 });
export const ALBANY = center({ id: 'ny-albany', phone: '+15185550101', lat: 42.6518, lon: -73.7528 });
export const NEWARK = center({ id: 'nj-newark', phone: '+19735550101', lat: 40.7357, lon: -74.1724, state: 'NJ' });
export const PHILADELPHIA = center({
  id: 'pa-philadelphia',
  phone: '+12155550101',
  lat: 39.9527,
  lon: -75.1742,
  state: 'PA',
});

export function dataset(affiliates: Affiliate[], national: Affiliate = NATIONAL): Dataset {
  return { name: 'mini', sample: true, affiliates, national };
}

export function compileMini(affiliates: Affiliate[], policy: Partial<RoutingPolicy> = {}): RoutingTable {
  return compileRoutingTable(miniGeography, dataset(affiliates), { ...DEFAULT_POLICY, ...policy }, 'mini-1');
}

/** A fixed instant: Wednesday 2026-01-14 15:00 UTC = 10:00 in New York. */
export const WEDNESDAY_10AM_NEW_YORK = Date.UTC(2026, 0, 14, 15, 0);

export function clockAt(nowMs: number): RouteClock {
  return { nowMs, zones: new TimeZoneClock() };
}
