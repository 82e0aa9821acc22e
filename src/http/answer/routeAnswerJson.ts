import { destination, type Destination } from '../../core/route.js';
import type { Center, Place, RoutingTable } from '../../core/types.js';
import type { RouteAnswer } from './routeAnswer.js';

/** A destination's JSON around its per-answer fields: up to distanceKm, and after it (open or closed). */
type Fragments = { head: string; openTail: string; closedTail: string };

const json = JSON.stringify;

/**
 * The JSON text of a route answer, byte for byte what the route's response schema serializes
 * (test/http/routeAnswerJson.test.ts holds it to that). A center's id, name, phone, hours and
 * languages never change within a table, so their text is written once per table and only the
 * distance and the open flag per answer: the schema serializer's per-field work is most of an answer's cost.
 */
export function routeAnswerJson(table: RoutingTable, answer: RouteAnswer): string {
  const byId = fragmentsOf(table);
  let out = '{"destinations":[';
  for (let i = 0; i < answer.destinations.length; i++) {
    const d = answer.destinations[i]!;
    const f = byId.get(d.id) ?? fragments(d);
    out += (i === 0 ? '' : ',') + f.head + (d.distanceKm === null ? 'null' : kilometres(d.distanceKm));
    out += d.open ? f.openTail : f.closedTail;
  }
  out += '],"method":"' + answer.method + '","prefixLength":' + json(answer.prefixLength);
  out += ',"needsZip":' + json(answer.needsZip) + ',"reason":' + json(answer.reason);
  out += ',"place":' + (answer.place === null ? 'null' : placeJson(answer.place));
  out += ',"lineType":' + json(answer.lineType) + ',"datasetVersion":' + json(answer.datasetVersion);
  if (answer.degraded !== undefined) out += ',"degraded":' + json(answer.degraded);
  return out + '}';
}

/** A distance in tenths of a km as JSON writes it (12.3, 12): integers print faster than fractions. */
function kilometres(distanceKm: number): string {
  const tenths = Math.round(distanceKm * 10);
  const fraction = tenths % 10;
  return fraction === 0 ? String(tenths / 10) : `${(tenths - fraction) / 10}.${fraction}`;
}

function placeJson(place: Place): string {
  return '{"state":' + json(place.state) + ',"name":' + json(place.name) + ',"precision":"' + place.precision + '"}';
}

// Keyed by the table itself: a table is immutable, and its pieces go when it does.
const byTable = new WeakMap<RoutingTable, Map<string, Fragments>>();

function fragmentsOf(table: RoutingTable): Map<string, Fragments> {
  let byId = byTable.get(table);
  if (byId === undefined) {
    const centers: Center[] = [...table.centers, table.national];
    byId = new Map(centers.map((center) => [center.id, fragments(destination(center, null, false))]));
    byTable.set(table, byId);
  }
  return byId;
}

function fragments(d: Destination): Fragments {
  const head =
    `{"id":${json(d.id)},"kind":${json(d.kind)},"name":${json(d.name)},` +
    `"phone":${json(d.phone)},"state":${json(d.state)},"distanceKm":`;
  const tail = `,"hours":${json(d.hours)},"timeZone":${json(d.timeZone)},"languages":${json(d.languages)}}`;
  return { head, openTail: ',"open":true' + tail, closedTail: ',"open":false' + tail };
}
