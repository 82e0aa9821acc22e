import type { County } from '../core/inputs.js';

export type { County };

/**
 * A serviceCounties cell as a list: 5-digit FIPS codes, and names each followed by their state
 * (`Westchester County, NY`), separated like the other lists (spaces, commas, semicolons). The
 * state after each name is what tells a name's own comma from a separator. Null: unreadable.
 */
export function splitCountyList(cell: string): string[] | null {
  const item = /(\d{5})(?=[\s,;]|$)|([^\d\s,;][^,;]*?)\s*,\s*([A-Za-z]{2})(?=[\s,;]|$)/y;
  const items: string[] = [];
  const text = cell.trim();
  let at = 0;
  for (;;) {
    while (at < text.length && /[\s,;]/.test(text[at]!)) at++;
    if (at >= text.length) return items;
    item.lastIndex = at;
    const m = item.exec(text);
    if (!m) return null;
    items.push(m[1] ?? `${m[2]!.trim()}, ${m[3]!.toUpperCase()}`);
    at = item.lastIndex;
  }
}

/** What Census appends to a county's name; a name may be given without it. */
const SUFFIXES = [
  'city and borough',
  'census area',
  'municipality',
  'municipio',
  'borough',
  'county',
  'parish',
  'district',
  'island',
  'city',
];

const key = (name: string) =>
  name.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase().replace(/[.']/g, '').replace(/\s+/g, ' ').trim();

function withoutSuffix(name: string): string {
  const suffix = SUFFIXES.find((s) => name.endsWith(` ${s}`));
  return suffix ? name.slice(0, -suffix.length - 1) : name;
}

export type CountyMatch = { ok: true; fips: string } | { ok: false; message: string };

/** Counties by FIPS and by name within their state, for reading serviceCounties. */
export class CountyIndex {
  private readonly byFips = new Map<string, County>();
  private readonly byState = new Map<string, County[]>();

  constructor(counties: readonly County[]) {
    for (const c of counties) {
      this.byFips.set(c.fips, c);
      const list = this.byState.get(c.state) ?? [];
      list.push(c);
      this.byState.set(c.state, list);
    }
  }

  /** An item of splitCountyList: a FIPS code or "Name, ST". */
  resolve(item: string): CountyMatch {
    if (/^\d{5}$/.test(item)) {
      return this.byFips.has(item)
        ? { ok: true, fips: item }
        : { ok: false, message: `serviceCounties: ${item} is not the FIPS code of a US county` };
    }
    const comma = item.lastIndexOf(',');
    const name = item.slice(0, comma).trim();
    const state = item.slice(comma + 1).trim();
    const counties = this.byState.get(state);
    if (!counties) return { ok: false, message: `serviceCounties: "${item}": no counties are known in ${state}` };
    const wanted = key(name);
    const exact = counties.filter((c) => key(c.name) === wanted);
    if (exact.length === 1) return { ok: true, fips: exact[0]!.fips };
    const bare = counties.filter((c) => withoutSuffix(key(c.name)) === withoutSuffix(wanted));
    if (bare.length === 1) return { ok: true, fips: bare[0]!.fips };
    if (bare.length > 1) {
      const names = bare.map((c) => `${c.name}, ${state}`).join(' or ');
      return { ok: false, message: `serviceCounties: "${item}" is ambiguous: ${names}` };
    }
    const near = nearest(wanted, counties);
    const hint = near ? ` (did you mean ${near.name}, ${state}?)` : '';
    return { ok: false, message: `serviceCounties: "${item}" is not a county of ${state}${hint}` };
  }
}

/** The county whose name is fewest edits away, if it is close enough to be a typo. */
function nearest(wanted: string, counties: readonly County[]): County | undefined {
  let best: { county: County; d: number } | undefined;
  for (const county of counties) {
    const full = key(county.name);
    const d = Math.min(editDistance(wanted, full), editDistance(withoutSuffix(wanted), withoutSuffix(full)));
    if (!best || d < best.d) best = { county, d };
  }
  return best && best.d <= Math.max(2, Math.floor(withoutSuffix(wanted).length / 4)) ? best.county : undefined;
}

/** Levenshtein distance, two rows. */
export function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      const substitution = previous[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1);
      current.push(Math.min(previous[j]! + 1, current[j - 1]! + 1, substitution));
    }
    previous = current;
  }
  return previous[b.length]!;
}
