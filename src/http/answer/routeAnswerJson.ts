import { destination, type AnswerVariant, type Destination, type Ranking } from '../../core/route.js';
import type { Center, Place, RoutingTable } from '../../core/types.js';
import { answerRanking, type RouteAnswer } from './routeAnswer.js';
import { AnswerTexts } from '../answerTexts.js';

/** A destination's JSON around its per-answer fields: up to distanceKm (first or after a comma), and after it (open or closed). */
type Fragments = { head: string; nextHead: string; openTail: string; closedTail: string };
type TableText = {
  byIndex: Fragments[];
  national: Fragments;
  byId: Map<string, Fragments>;
  version: string;
  answers: AnswerTexts;
};

const json = JSON.stringify;

/**
 * The JSON text of a route answer, byte for byte what the route's response schema serializes
 * (test/http/routeAnswerJson.test.ts holds it to that), from pieces written once per table.
 * A center's id, name, phone, hours and languages never change within a table, so only the
 * distance and the open flag are written per answer. An answer with a variant is a function of
 * (table, variant, method, prefixLength, lang) alone, so its text is kept and reused
 * (answerTexts.ts) until a center opens or closes and the variant changes.
 */
export function routeAnswerJson(
  table: RoutingTable,
  answer: RouteAnswer,
  variant: AnswerVariant | null = null,
  lang?: string,
): string {
  const text = tableText(table);
  if (variant === null || answer.degraded !== undefined) return written(text, table, answer);
  const key = AnswerTexts.key(variant, answer.method, answer.prefixLength);
  let reused = text.answers.get(lang, key);
  if (reused === undefined) text.answers.set(lang, key, (reused = written(text, table, answer)));
  return reused;
}

// Written by additions, then flattened once: V8 joins an array of ~30 pieces several times slower.
function written(text: TableText, table: RoutingTable, answer: RouteAnswer): string {
  const ranking = answerRanking(answer);
  let out =
    '{"destinations":[' +
    (ranking === null ? destinationsJson(text, answer.destinations) : rankingJson(text, table, ranking));
  out +=
    '],"method":"' +
    answer.method +
    '","prefixLength":' +
    (answer.prefixLength === null ? 'null' : String(answer.prefixLength));
  out +=
    ',"needsZip":' +
    (answer.needsZip ? 'true' : 'false') +
    ',"reason":' +
    (answer.reason === null ? 'null' : '"' + answer.reason + '"');
  out += ',"place":' + (answer.place === null ? 'null' : placeJson(answer.place));
  out += ',"lineType":' + (answer.lineType === null ? 'null' : '"' + answer.lineType + '"');
  out += ',"datasetVersion":' + (answer.datasetVersion === table.version ? text.version : json(answer.datasetVersion));
  if (answer.degraded !== undefined) out += answer.degraded ? ',"degraded":true' : ',"degraded":false';
  return flat(out + '}');
}

function placeJson(place: Place): string {
  return '{"state":' + json(place.state) + ',"name":' + json(place.name) + ',"precision":"' + place.precision + '"}';
}

/** The destinations of a placed answer, straight from the table's numbers: no Destination objects. */
function rankingJson(text: TableText, table: RoutingTable, { start, order, open }: Ranking): string {
  let out = '';
  for (let k = 0; k < order.length; k++) {
    const at = start + order[k]!;
    const index = table.rankedCenters[at]!;
    const f = text.byIndex[index]!;
    out +=
      (k === 0 ? f.head : f.nextHead) +
      tenthsKmText(table.rankedTenthsKm[at]!) +
      (open.centers[index] === 1 ? f.openTail : f.closedTail);
  }
  const f = text.national;
  return out + (order.length === 0 ? f.head : f.nextHead) + 'null' + (open.national ? f.openTail : f.closedTail);
}

function destinationsJson(text: TableText, destinations: readonly Destination[]): string {
  let out = '';
  for (let i = 0; i < destinations.length; i++) {
    const d = destinations[i]!;
    // A destination not from this table (none today) is written whole rather than trusted to an id.
    const f = text.byId.get(d.id) ?? fragments(d);
    out +=
      (i === 0 ? f.head : f.nextHead) +
      (d.distanceKm === null ? 'null' : kmText(d.distanceKm)) +
      (d.open ? f.openTail : f.closedTail);
  }
  return out;
}

/**
 * A distance as JSON writes it. Distances are whole tenths of a km (rankedTenthsKm), and for those
 * the shortest form of tenths / 10 is the integer part, a point and the digit: written from
 * integers once per distinct distance (a few tens of thousands, up to the width of the country),
 * instead of a double's shortest-form search per number per answer.
 */
function kmText(km: number): string {
  const tenths = Math.round(km * 10);
  return tenths / 10 === km ? tenthsKmText(tenths) : String(km);
}

function tenthsKmText(tenths: number): string {
  if (tenths < 0 || tenths >= KM_TEXTS) return String(tenths / 10);
  let text = kmTexts[tenths]!;
  if (text === '') {
    const digit = tenths % 10;
    // Flat, so flattening an answer copies it without walking a rope of its own.
    kmTexts[tenths] = text = flat(
      digit === 0 ? String(tenths / 10) : String((tenths - digit) / 10) + '.' + String(digit),
    );
  }
  return text;
}

/** Up to 10 000 km: farther than any two points in the country. */
const KM_TEXTS = 100_000;
const kmTexts: string[] = new Array<string>(KM_TEXTS).fill(''); // filled, so its elements stay a fast array

// Keyed by the table itself: a table is immutable, and its pieces go when it does.
const byTable = new WeakMap<RoutingTable, TableText>();

function tableText(table: RoutingTable): TableText {
  let text = byTable.get(table);
  if (!text) {
    const byIndex = table.centers.map(centerFragments);
    const national = centerFragments(table.national);
    const byId = new Map<string, Fragments>(table.centers.map((center, i) => [center.id, byIndex[i]!]));
    byId.set(table.national.id, national);
    text = { byIndex, national, byId, version: json(table.version), answers: new AnswerTexts() };
    byTable.set(table, text);
  }
  return text;
}

function centerFragments(center: Center): Fragments {
  return fragments(destination(center, null, false));
}

/** The same string, flattened in place: converting a string to a number flattens it (V8). */
function flat(s: string): string {
  Number(s);
  return s;
}

function fragments(d: Destination): Fragments {
  const head = `{"id":${json(d.id)},"kind":${json(d.kind)},"name":${json(d.name)},"phone":${json(d.phone)},"state":${json(d.state)},"distanceKm":`;
  const tail = `,"hours":${json(d.hours)},"timeZone":${json(d.timeZone)},"languages":${json(d.languages)}}`;
  // Flat once here: template literals and additions make ropes, and every answer's flattening would walk them.
  return {
    head: flat(head),
    nextHead: flat(',' + head),
    openTail: flat(',"open":true' + tail),
    closedTail: flat(',"open":false' + tail),
  };
}
