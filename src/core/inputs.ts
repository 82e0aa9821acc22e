import type { LineType } from './types.js';

/**
 * What the core compiles, as plain data: the edges (dataset/, geography/) validate files into
 * these shapes, so the core depends on nothing of theirs.
 */

/** A center as routing needs it; the national line has no location or state. */
export type CenterInput = {
  id: string;
  kind: 'affiliate' | 'national';
  name: string;
  phone: string;
  state: string | null;
  lat: number | null;
  lon: number | null;
  timeZone: string;
  /** Opening hours in the documented grammar (hours.ts). */
  hours: string;
  languages: readonly string[];
  serviceStates: readonly string[];
  serviceZips: readonly string[];
  servicePrefixes: readonly string[];
  /** County FIPS codes (`36119`); absent = none. */
  serviceCounties?: readonly string[] | undefined;
  backupId: string | null;
  /** Whoever answers hears a whisper and must press a key before the caller is put through; absent = true. */
  screened?: boolean | undefined;
};

export type CentersInput = { sample: boolean; affiliates: readonly CenterInput[]; national: CenterInput };

/** `county`: the zip's county as a 5-digit FIPS code; absent where the geography names none. */
export type ZipPlace = { zip: string; lat: number; lon: number; state: string; city: string; county?: string };

/** A county or equivalent (parish, borough, census area, municipio) as Census names it. */
export type County = { fips: string; state: string; name: string };

/**
 * A phone prefix (3-7 digits after +1) and where its callers are: `exchange` for an area code +
 * exchange located at its rate center, `areaCode` where only the state is known (its centroid).
 * `place` is readable ("Sacramento", "New York") and never more precise than the prefix.
 */
export type PrefixPlace = {
  prefix: string;
  lat: number;
  lon: number;
  state: string;
  place: string;
  precision: 'exchange' | 'areaCode';
  lineType: LineType;
};

export type Geography = { zips: ZipPlace[]; prefixes: PrefixPlace[]; counties?: County[] };
