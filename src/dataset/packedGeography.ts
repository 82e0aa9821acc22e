import type { County, Geography, LineType, ZipPlace } from './geography.js';
import { textTable } from '../core/textTable.js';

const LINE_TYPES: readonly LineType[] = ['wireless', 'wireline', 'unknown'];

/**
 * Where a zip is, for validating an upload: a Map of the zips fits, and so does PackedGeography.zips,
 * which also carries the counties a table's serviceCounties may name.
 */
export type ZipLookup = { get(zip: string): ZipPlace | undefined; counties?: readonly County[] | undefined };

/**
 * The geography in typed arrays plus one table of its distinct strings, where Geography's place
 * objects (with their strings and boxed numbers) and the zip index take several times the heap,
 * which every full GC marks. For a process that keeps the geography to compile versions later (the
 * service with Redis): each compile unpacks a copy that is garbage once the compile is done.
 */
type ZipColumns = {
  code: Int32Array;
  lat: Float64Array;
  lon: Float64Array;
  state: Uint32Array;
  city: Uint32Array;
  /** FIPS as a number; -1 for none. */
  county: Int32Array;
};
type CountyColumns = { fips: Int32Array; state: Uint32Array; name: Uint32Array };
type PrefixColumns = {
  digits: Int32Array;
  lat: Float64Array;
  lon: Float64Array;
  state: Uint32Array;
  place: Uint32Array;
  exchange: Uint8Array;
  lineType: Uint8Array;
};

/** A packed geography as plain data: what a worker thread packs and hands back. */
export type PackedParts = {
  texts: readonly string[];
  z: ZipColumns;
  p: PrefixColumns;
  zipRow: Int32Array;
  /** Absent when the zips file names no counties. */
  c?: CountyColumns | undefined;
};

export class PackedGeography {
  readonly zips: ZipLookup;

  private constructor(
    private readonly texts: readonly string[],
    private readonly z: ZipColumns,
    private readonly p: PrefixColumns,
    /** Row in z by zip code as a number; -1 when unknown. */
    private readonly zipRow: Int32Array,
    private readonly c: CountyColumns | undefined,
  ) {
    const counties = this.counties();
    this.zips = { get: (zip) => this.zip(zip), counties };
  }

  static fromParts({ texts, z, p, zipRow, c }: PackedParts): PackedGeography {
    return new PackedGeography(texts, z, p, zipRow, c);
  }

  get parts(): PackedParts {
    return { texts: this.texts, z: this.z, p: this.p, zipRow: this.zipRow, c: this.c };
  }

  static pack(geography: Geography): PackedGeography {
    const { texts, indexOf: text } = textTable();
    const nz = geography.zips.length;
    const z = {
      code: new Int32Array(nz),
      lat: new Float64Array(nz),
      lon: new Float64Array(nz),
      state: new Uint32Array(nz),
      city: new Uint32Array(nz),
      county: new Int32Array(nz),
    };
    const zipRow = new Int32Array(100_000).fill(-1);
    geography.zips.forEach((place, i) => {
      z.code[i] = Number(place.zip);
      z.lat[i] = place.lat;
      z.lon[i] = place.lon;
      z.state[i] = text(place.state);
      z.city[i] = text(place.city);
      z.county[i] = place.county ? Number(place.county) : -1;
      zipRow[z.code[i]!] = i;
    });
    const np = geography.prefixes.length;
    const p = {
      digits: new Int32Array(np),
      lat: new Float64Array(np),
      lon: new Float64Array(np),
      state: new Uint32Array(np),
      place: new Uint32Array(np),
      exchange: new Uint8Array(np),
      lineType: new Uint8Array(np),
    };
    geography.prefixes.forEach((place, i) => {
      // A prefix never starts with 0 or 1 (parseGeography checks), so its digits as a number give it back.
      p.digits[i] = Number(place.prefix);
      p.lat[i] = place.lat;
      p.lon[i] = place.lon;
      p.state[i] = text(place.state);
      p.place[i] = text(place.place);
      p.exchange[i] = place.precision === 'exchange' ? 1 : 0;
      p.lineType[i] = LINE_TYPES.indexOf(place.lineType);
    });
    const list = geography.counties;
    const c = list && {
      fips: Int32Array.from(list, (county) => Number(county.fips)),
      state: Uint32Array.from(list, (county) => text(county.state)),
      name: Uint32Array.from(list, (county) => text(county.name)),
    };
    return new PackedGeography(texts, z, p, zipRow, c);
  }

  /** The geography as parseGeography gave it: fresh objects, for one compile. */
  unpack(): Geography {
    const { texts, z, p } = this;
    const zips = Array.from({ length: z.code.length }, (_, i) => this.zipAt(i));
    const prefixes = Array.from({ length: p.digits.length }, (_, i) => ({
      prefix: String(p.digits[i]),
      lat: p.lat[i]!,
      lon: p.lon[i]!,
      state: texts[p.state[i]!]!,
      place: texts[p.place[i]!]!,
      precision: p.exchange[i] === 1 ? ('exchange' as const) : ('areaCode' as const),
      lineType: LINE_TYPES[p.lineType[i]!]!,
    }));
    const counties = this.counties();
    return counties ? { zips, prefixes, counties } : { zips, prefixes };
  }

  private counties(): County[] | undefined {
    const { texts, c } = this;
    if (!c) return undefined;
    return Array.from(c.fips, (fips, i) => ({
      fips: String(fips).padStart(5, '0'),
      state: texts[c.state[i]!]!,
      name: texts[c.name[i]!]!,
    }));
  }

  private zip(zip: string): ZipPlace | undefined {
    if (!/^\d{5}$/.test(zip)) return undefined;
    const row = this.zipRow[Number(zip)]!;
    return row < 0 ? undefined : this.zipAt(row);
  }

  private zipAt(i: number): ZipPlace {
    const { texts, z } = this;
    const place: ZipPlace = {
      zip: String(z.code[i]).padStart(5, '0'),
      lat: z.lat[i]!,
      lon: z.lon[i]!,
      state: texts[z.state[i]!]!,
      city: texts[z.city[i]!]!,
    };
    if (z.county[i]! >= 0) place.county = String(z.county[i]).padStart(5, '0');
    return place;
  }
}
