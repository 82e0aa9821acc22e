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

/**
 * The ranked candidates for one place: service-area centers, then (state-first) in-state centers
 * nearest first and a few others nearest first, or (nearest) simply the nearest; a center's backup
 * follows it. Hours and language are applied per query, not here.
 */
export function rankCenters(
  ctx: RankingContext,
  lat: number,
  lon: number,
  state: string,
  serviceMatches: readonly number[],
): number[] {
  const chosen: number[] = [];
  const take = (id: number) => {
    if (!chosen.includes(id)) chosen.push(id);
  };
  const { policy, points } = ctx;

  for (const id of nearestFirst(points, serviceMatches, lat, lon)) take(id);
  if (policy.name === 'state-first') {
    const inState = nearestFirst(points, ctx.centersByState.get(state) ?? [], lat, lon);
    for (let i = 0; i < inState.length && i < policy.nearbyLimit; i++) take(inState[i]!);
    const others = around(
      ctx.index,
      lon,
      lat,
      policy.othersLimit,
      Infinity,
      (id) => points[id]!.state !== state && !chosen.includes(id),
    );
    for (const id of others) take(id);
  } else {
    const nearest = around(ctx.index, lon, lat, policy.nearbyLimit, Infinity, (id) => !chosen.includes(id));
    for (const id of nearest) take(id);
  }

  const ranked: number[] = [];
  for (const id of chosen) {
    if (!ranked.includes(id)) ranked.push(id);
    const backup = points[id]!.backupIndex;
    if (backup >= 0 && !ranked.includes(backup)) ranked.push(backup);
  }
  return ranked;
}

export function distanceKm(p: CenterPoint, lat: number, lon: number): number {
  return distance(lon, lat, p.lon, p.lat);
}

function nearestFirst(points: readonly CenterPoint[], ids: readonly number[], lat: number, lon: number): number[] {
  if (ids.length <= 1) return [...ids];
  const byDistance = ids.map((id) => ({ id, d: distanceKm(points[id]!, lat, lon) }));
  byDistance.sort((a, b) => a.d - b.d || a.id - b.id);
  return byDistance.map((x) => x.id);
}
