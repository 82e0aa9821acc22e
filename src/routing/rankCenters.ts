import type KDBush from 'kdbush';
import { around, distance } from 'geokdbush';
import type { RoutingPolicy } from './types.js';

export type CenterPoint = { lat: number; lon: number; state: string; backupIndex: number };

export type RankingContext = {
  policy: RoutingPolicy;
  points: readonly CenterPoint[];
  index: KDBush;
  centersByState: ReadonlyMap<string, readonly number[]>;
};

export type Ranking = { centers: Uint16Array; distancesKm: Float64Array };

/**
 * The ranked candidates for one place: service-area centers, then (state-first) in-state centers
 * nearest first and a few others nearest first, or (nearest) simply the nearest; a center's backup
 * follows it. Hours and language are applied per query, not here.
 */
export function rankCenters(ctx: RankingContext, lat: number, lon: number, state: string, serviceMatches: readonly number[]): Ranking {
  const chosen: number[] = [];
  const taken = new Set<number>();
  const byDistance = (ids: readonly number[]) =>
    ids.map((id) => ({ id, d: distanceTo(ctx.points[id]!, lat, lon) })).sort((a, b) => a.d - b.d || a.id - b.id).map((x) => x.id);
  const take = (id: number) => {
    if (taken.has(id)) return;
    taken.add(id);
    chosen.push(id);
  };

  for (const id of byDistance(serviceMatches)) take(id);
  const { policy } = ctx;
  if (policy.name === 'state-first') {
    const inState = byDistance(ctx.centersByState.get(state) ?? []);
    for (const id of inState.slice(0, policy.nearbyLimit)) take(id);
    const wanted = policy.othersLimit;
    let added = 0;
    for (const id of around(ctx.index, lon, lat, wanted + inState.length + chosen.length)) {
      if (added >= wanted) break;
      if (taken.has(id) || ctx.points[id]!.state === state) continue;
      take(id);
      added++;
    }
  } else {
    for (const id of around(ctx.index, lon, lat, policy.nearbyLimit + chosen.length)) {
      if (chosen.length >= policy.nearbyLimit + serviceMatches.length) break;
      take(id);
    }
  }

  const withBackups: number[] = [];
  const placed = new Set<number>();
  for (const id of chosen) {
    if (!placed.has(id)) {
      placed.add(id);
      withBackups.push(id);
    }
    const backup = ctx.points[id]!.backupIndex;
    if (backup >= 0 && !placed.has(backup)) {
      placed.add(backup);
      withBackups.push(backup);
    }
  }
  return {
    centers: Uint16Array.from(withBackups),
    distancesKm: Float64Array.from(withBackups, (id) => Math.round(distanceTo(ctx.points[id]!, lat, lon) * 10) / 10),
  };
}

function distanceTo(p: CenterPoint, lat: number, lon: number): number {
  return distance(lon, lat, p.lon, p.lat);
}
