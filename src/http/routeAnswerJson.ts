import { destination, type AnswerVariant, type Destination } from '../routing/route.js';
import type { Center, RoutingTable } from '../routing/types.js';
import type { RouteAnswer } from './routeAnswer.js';
import { AnswerTexts } from './answerTexts.js';

/** A destination's JSON around its two per-answer fields: distanceKm and open. */
type Fragments = { head: string; tail: string };
type TableText = { byId: Map<string, Fragments>; version: string; answers: AnswerTexts };

const json = JSON.stringify;

/**
 * The JSON text of a route answer, byte for byte what the route's response schema serializes
 * (test/http/routeAnswerJson.test.ts holds it to that), from pieces written once per table.
 * A center's id, name, phone, hours and languages never change within a table, so only the
 * distance and the open flag are written per answer. An answer with a variant is a function of
 * (table, variant, method, prefixLength, lang) alone, so its text is kept and reused
 * (answerTexts.ts) until a center opens or closes and the variant changes.
 */
export function routeAnswerJson(table: RoutingTable, answer: RouteAnswer, variant: AnswerVariant | null = null, lang?: string): string {
  const text = tableText(table);
  if (variant === null || answer.degraded !== undefined) return written(text, table, answer);
  const key = AnswerTexts.key(variant, answer.method, answer.prefixLength);
  let reused = text.answers.get(lang, key);
  if (reused === undefined) text.answers.set(lang, key, (reused = written(text, table, answer)));
  return reused;
}

function written(text: TableText, table: RoutingTable, answer: RouteAnswer): string {
  let out = '{"destinations":[';
  const destinations = answer.destinations;
  for (let i = 0; i < destinations.length; i++) {
    const d = destinations[i]!;
    // A destination not from this table (none today) is written whole rather than trusted to an id.
    const f = text.byId.get(d.id) ?? fragments(d);
    if (i > 0) out += ',';
    out += f.head + (d.distanceKm === null ? 'null' : String(d.distanceKm)) + (d.open ? ',"open":true' : ',"open":false') + f.tail;
  }
  out += '],"method":"' + answer.method + '","prefixLength":' + (answer.prefixLength === null ? 'null' : String(answer.prefixLength));
  out += ',"needsZip":' + (answer.needsZip ? 'true' : 'false') + ',"reason":' + (answer.reason === null ? 'null' : '"' + answer.reason + '"');
  out += ',"datasetVersion":' + (answer.datasetVersion === table.version ? text.version : json(answer.datasetVersion));
  if (answer.degraded !== undefined) out += answer.degraded ? ',"degraded":true' : ',"degraded":false';
  out += '}';
  // Made of ~60 pieces, the string is a rope; flattened once here, not by every reader after
  // (its byte length, the socket write): ~6% of a route request's instructions (callgrind).
  Number(out);
  return out;
}

// Keyed by the table itself: a table is immutable, and its pieces go when it does.
const byTable = new WeakMap<RoutingTable, TableText>();

function tableText(table: RoutingTable): TableText {
  let text = byTable.get(table);
  if (!text) {
    const byId = new Map<string, Fragments>();
    for (const center of [...table.centers, table.national]) byId.set(center.id, centerFragments(center));
    text = { byId, version: json(table.version), answers: new AnswerTexts() };
    byTable.set(table, text);
  }
  return text;
}

function centerFragments(center: Center): Fragments {
  return fragments(destination(center, null, false));
}

function fragments(d: Destination): Fragments {
  return {
    head: `{"id":${json(d.id)},"kind":${json(d.kind)},"name":${json(d.name)},"phone":${json(d.phone)},"state":${json(d.state)},"distanceKm":`,
    tail: `,"hours":${json(d.hours)},"timeZone":${json(d.timeZone)},"languages":${json(d.languages)}}`,
  };
}
