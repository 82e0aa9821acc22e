import KDBush from 'kdbush';
import type { RoutingTable } from './types.js';

/** Place names never hold a NUL, so one string joined by it carries them all in one piece. */
const SEPARATOR = '\u0000';

/**
 * A compiled table as typed arrays and a little plain data: what a worker thread compiles and
 * hands over. The arrays are moved, not copied; the thread that answers callers only splits the
 * texts and wraps the zip index.
 */
export type RoutingTableParts = Omit<RoutingTable, 'texts' | 'prefixPlacement' | 'zipPoints'> & {
  texts: string;
  exchanges: Int32Array;
  areaCodes: Int32Array;
  otherPrefixes: [number, number][];
  zipPoints: ArrayBuffer;
};

export function packRoutingTable(table: RoutingTable): RoutingTableParts {
  const { texts, prefixPlacement, zipPoints, ...rest } = table;
  return {
    ...rest,
    texts: texts.join(SEPARATOR),
    exchanges: prefixPlacement.exchanges,
    areaCodes: prefixPlacement.areaCodes,
    otherPrefixes: [...prefixPlacement.other],
    zipPoints: zipPoints.data as ArrayBuffer,
  };
}

/** The buffers to move with a postMessage of these parts. */
export function transferablesOf(parts: RoutingTableParts): ArrayBuffer[] {
  const arrays = [
    ...Object.values(parts.placements),
    parts.rankedCenters,
    parts.rankedTenthsKm,
    parts.zipPlacement,
    parts.zip3Placement,
    parts.exchanges,
    parts.areaCodes,
    parts.zipPointPlacement,
  ];
  return [...new Set([...arrays.map((a) => a.buffer as ArrayBuffer), parts.zipPoints])];
}

/** The table back from its parts, sharing their arrays. */
export function unpackRoutingTable(parts: RoutingTableParts): RoutingTable {
  const { texts, exchanges, areaCodes, otherPrefixes, zipPoints, ...rest } = parts;
  return {
    ...rest,
    texts: texts.split(SEPARATOR),
    prefixPlacement: { exchanges, areaCodes, other: new Map(otherPrefixes) },
    zipPoints: KDBush.from(zipPoints),
  };
}
