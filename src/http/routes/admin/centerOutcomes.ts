import type { FastifyInstance } from 'fastify';
import {
  LEG_OUTCOMES,
  OTHER_CENTER,
  WINDOW_NAMES,
  type OutcomeCounts,
  type OutcomeWindow,
} from '../../../observability/callOutcomes.js';

type OutcomesQuery = { window?: OutcomeWindow; minLegs?: number };

/** Legs, answer rate and the count of each outcome, for one center over one window. */
type LegSummary = { legs: number; answerRate: number | null; outcomes: OutcomeCounts };
type CenterRow = {
  id: string;
  name: string | null;
  inTable: boolean;
  windows: Record<OutcomeWindow, LegSummary>;
  total: LegSummary;
};

const outcomeCounts = {
  type: 'object',
  required: LEG_OUTCOMES,
  properties: Object.fromEntries(LEG_OUTCOMES.map((o) => [o, { type: 'integer' }])),
} as const;
const legSummary = {
  type: 'object',
  required: ['legs', 'answerRate', 'outcomes'],
  properties: { legs: { type: 'integer' }, answerRate: { type: ['number', 'null'] }, outcomes: outcomeCounts },
} as const;
const error = { $ref: 'ErrorAnswer#' };

const schema = {
  querystring: {
    type: 'object',
    properties: {
      window: { type: 'string', enum: WINDOW_NAMES, default: '24h' },
      minLegs: { type: 'integer', minimum: 1, maximum: 100000, default: 5 },
    },
    additionalProperties: false,
  },
  response: {
    200: {
      type: 'object',
      required: ['since', 'at', 'sortedBy', 'centers'],
      properties: {
        since: { type: 'string' },
        at: { type: 'string' },
        sortedBy: {
          type: 'object',
          required: ['window', 'minLegs'],
          properties: { window: { type: 'string' }, minLegs: { type: 'integer' } },
        },
        centers: {
          type: 'array',
          items: {
            type: 'object',
            required: ['id', 'name', 'inTable', 'windows', 'total'],
            properties: {
              id: { type: 'string' },
              name: { type: ['string', 'null'] },
              inTable: { type: 'boolean' },
              windows: {
                type: 'object',
                required: WINDOW_NAMES,
                properties: Object.fromEntries(WINDOW_NAMES.map((w) => [w, legSummary])),
              },
              total: legSummary,
            },
          },
        },
      },
    },
    '4xx': error,
    '5xx': error,
  },
};

const noLegs = (): OutcomeCounts => ({ answered: 0, 'no-answer': 0, busy: 0, failed: 0, 'screened-out': 0 });

function summary(outcomes: OutcomeCounts): LegSummary {
  const legs = LEG_OUTCOMES.reduce((sum, o) => sum + outcomes[o], 0);
  const answerRate = legs === 0 ? null : Math.round((outcomes.answered / legs) * 1000) / 1000;
  return { legs, answerRate, outcomes };
}

/**
 * Answer rates per center of this instance's voice calls over recent windows: every center of the
 * current table, and any id with legs that it no longer has. The worst rate with enough legs first.
 */
export async function centerOutcomesRoutes(app: FastifyInstance): Promise<void> {
  app.get<{ Querystring: OutcomesQuery }>('/centers/outcomes', { schema }, async (request) => {
    const { window = '24h', minLegs = 5 } = request.query;
    const outcomes = app.callOutcomes;
    const nowMs = outcomes.now();
    const counted = outcomes.byCenter(nowMs);
    const table = app.tables.table;
    const names = new Map<string, string>();
    if (table) for (const center of [table.national, ...table.centers]) names.set(center.id, center.name);
    const ids = [...names.keys(), ...[...counted.keys()].filter((id) => !names.has(id))];
    const rows: CenterRow[] = ids.map((id) => {
      const legs = counted.get(id);
      const windows = Object.fromEntries(WINDOW_NAMES.map((w) => [w, summary(legs?.windows[w] ?? noLegs())]));
      return {
        id,
        name: names.get(id) ?? null,
        inTable: names.has(id),
        windows: windows as Record<OutcomeWindow, LegSummary>,
        total: summary(legs?.total ?? noLegs()),
      };
    });
    rows.sort((a, b) => worstFirst(a.windows[window], b.windows[window], minLegs) || order(a.id, b.id));
    return {
      since: new Date(outcomes.since).toISOString(),
      at: new Date(nowMs).toISOString(),
      sortedBy: { window, minLegs },
      centers: rows,
    };
  });
}

/** Enough legs before too few; among those, the lower answer rate first; then more legs first. */
function worstFirst(a: LegSummary, b: LegSummary, minLegs: number): number {
  const enoughA = a.legs >= minLegs;
  const enoughB = b.legs >= minLegs;
  if (enoughA !== enoughB) return enoughA ? -1 : 1;
  if (enoughA && a.answerRate !== b.answerRate) return a.answerRate! - b.answerRate!;
  return b.legs - a.legs;
}

/** The catch-all id last among equals, others by id. */
function order(a: string, b: string): number {
  if (a === OTHER_CENTER || b === OTHER_CENTER) return a === OTHER_CENTER ? 1 : -1;
  return a < b ? -1 : a > b ? 1 : 0;
}
