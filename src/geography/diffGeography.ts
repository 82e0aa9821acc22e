import type { ExchangeTable } from './exchangeTable.js';

type Tables = Pick<ExchangeTable, 'areaCodes' | 'rateCenters' | 'exchanges'>;

const EXAMPLES = 20;

/** What replacing one exchange geography by another changes, in NANPA's own terms. */
export type GeographyDiff = {
  exchanges: { added: number; removed: number; moved: number };
  areaCodes: { added: string[]; removed: string[] };
  /** Exchanges whose rate center is now in another state. */
  changedState: number;
  /** A few of each, "916-445 SCRM MAIN, CA -> ...", so ops can check them by hand. */
  examples: { added: string[]; removed: string[]; moved: string[]; changedState: string[] };
};

export function diffGeography(before: Tables, after: Tables): GeographyDiff {
  const where = (file: Tables) => new Map(file.exchanges.map(([exchange, rc]) => [exchange, file.rateCenters[rc]!]));
  const old = where(before);
  const next = where(after);
  const show = (exchange: number, rc: Tables['rateCenters'][number]) =>
    `${String(exchange).slice(0, 3)}-${String(exchange).slice(3)} ${rc[1]}, ${rc[0]}`;
  const diff: GeographyDiff = {
    exchanges: { added: 0, removed: 0, moved: 0 },
    areaCodes: { added: [], removed: [] },
    changedState: 0,
    examples: { added: [], removed: [], moved: [], changedState: [] },
  };
  const note = (list: string[], text: string) => {
    if (list.length < EXAMPLES) list.push(text);
  };
  for (const [exchange, rc] of next) {
    const was = old.get(exchange);
    if (!was) {
      diff.exchanges.added++;
      note(diff.examples.added, show(exchange, rc));
    } else if (was[0] !== rc[0] || was[1] !== rc[1]) {
      diff.exchanges.moved++;
      note(diff.examples.moved, `${show(exchange, was)} -> ${rc[1]}, ${rc[0]}`);
      if (was[0] !== rc[0]) {
        diff.changedState++;
        note(diff.examples.changedState, `${show(exchange, was)} -> ${rc[1]}, ${rc[0]}`);
      }
    }
  }
  for (const [exchange, rc] of old) {
    if (next.has(exchange)) continue;
    diff.exchanges.removed++;
    note(diff.examples.removed, show(exchange, rc));
  }
  const oldCodes = new Set(before.areaCodes.map((a) => a[0]));
  const newCodes = new Set(after.areaCodes.map((a) => a[0]));
  diff.areaCodes.added = [...newCodes].filter((n) => !oldCodes.has(n)).sort();
  diff.areaCodes.removed = [...oldCodes].filter((n) => !newCodes.has(n)).sort();
  return diff;
}
