import { destination, rankingOf, type Destination, type Ranking, type RouteDecision } from '../../core/route.js';
import type { RoutingTable } from '../../core/types.js';

/** The body of a route answer: the decision without anything identifying the caller. */
export type RouteAnswer = Omit<RouteDecision, 'callerPrefix' | 'variant' | 'nationalFirst'> & { degraded?: boolean };

export function toRouteAnswer(decision: RouteDecision): RouteAnswer {
  return new DecisionAnswer(decision);
}

/**
 * A decision's answer: its fields without the caller's prefix, the destinations read from the
 * decision only when read (a reused answer text never needs them ranked). The decision is held
 * in a private field, out of reach of JSON, spreads and logs.
 */
class DecisionAnswer implements RouteAnswer {
  readonly #decision: RouteDecision;
  readonly method: RouteAnswer['method'];
  readonly prefixLength: number | null;
  readonly needsZip: boolean;
  readonly reason: RouteAnswer['reason'];
  readonly place: RouteAnswer['place'];
  readonly lineType: RouteAnswer['lineType'];
  readonly datasetVersion: string;

  constructor(decision: RouteDecision) {
    this.#decision = decision;
    this.method = decision.method;
    this.prefixLength = decision.prefixLength;
    this.needsZip = decision.needsZip;
    this.reason = decision.reason;
    this.place = decision.place;
    this.lineType = decision.lineType;
    this.datasetVersion = decision.datasetVersion;
  }

  get destinations(): Destination[] {
    return this.#decision.destinations;
  }

  static rankingOf(answer: RouteAnswer): Ranking | null {
    return answer instanceof DecisionAnswer ? rankingOf(answer.#decision) : null;
  }

  toJSON(): RouteAnswer {
    const { destinations, method, prefixLength, needsZip, reason, place, lineType, datasetVersion } = this;
    return { destinations, method, prefixLength, needsZip, reason, place, lineType, datasetVersion };
  }
}

/** The ranking an answer's destinations come from, when it is a decision's answer from a placement (route.ts Ranking). */
export function answerRanking(answer: RouteAnswer): Ranking | null {
  return DecisionAnswer.rankingOf(answer);
}

/** When routing itself fails: still a usable answer, the national line, marked degraded. */
export function degradedAnswer(table: RoutingTable): RouteAnswer {
  return {
    destinations: [destination(table.national, null, true)],
    method: 'none',
    prefixLength: null,
    needsZip: false,
    reason: null,
    place: null,
    lineType: null,
    datasetVersion: table.version,
    degraded: true,
  };
}
