import t from 'tap';
import type { Destination } from '../../src/core/route.js';
import { flowStateQuery, readFlowState, type FlowState } from '../../src/twilio/flowState.js';
import { escapeXml, say, twimlResponse } from '../../src/twilio/twiml.js';
import { nextVoiceStep, type Chain } from '../../src/twilio/voiceFlow.js';
import { spokenNumber } from '../../src/twilio/prompts.js';

const dest = (id: string, phone: string, kind: Destination['kind'] = 'affiliate'): Destination => ({
  id,
  kind,
  name: id,
  phone,
  state: null,
  distanceKm: null,
  open: true,
  hours: '24/7',
  timeZone: 'America/New_York',
  languages: ['en'],
});
const NATIONAL = dest('national', '+18005550100', 'national');
const chain = (...destinations: Destination[]): Chain => ({
  destinations,
  needsZip: false,
  reason: null,
  place: null,
  lineType: null,
});
const state = (overrides: Partial<FlowState> = {}): FlowState => ({
  step: 'dial',
  lang: 'en',
  prompts: 0,
  zip: null,
  national: false,
  tried: [],
  waits: 0,
  ...overrides,
});

t.test('a center sharing a number with one already rung is skipped', async (t) => {
  const routes = {
    byCaller: () =>
      chain(dest('a', '+12125550100'), dest('a-backup', '+12125550100'), dest('b', '+12125550101'), NATIONAL),
    byZip: () => chain(NATIONAL),
  };
  const step = nextVoiceStep({
    state: state({ tried: ['a'] }),
    digits: undefined,
    dialStatus: 'no-answer',
    routes,
    wirelessZipOffer: true,
  });
  t.equal(step.kind === 'dial' && step.destination.id, 'b');
});

t.test('a chain reloaded between callbacks continues with what was not rung yet', async (t) => {
  // The center rung first disappeared from the data; the new chain starts with a new center.
  const routes = {
    byCaller: () => chain(dest('new', '+12125550109'), dest('b', '+12125550101'), NATIONAL),
    byZip: () => chain(NATIONAL),
  };
  const step = nextVoiceStep({
    state: state({ tried: ['gone', 'b'] }),
    digits: undefined,
    dialStatus: 'busy',
    routes,
    wirelessZipOffer: true,
  });
  t.equal(step.kind === 'dial' && step.destination.id, 'new');
});

t.test('an unknown dial status keeps the caller moving down the chain', async (t) => {
  const routes = { byCaller: () => chain(dest('a', '+12125550100'), NATIONAL), byZip: () => chain(NATIONAL) };
  for (const status of [undefined, 'something-new']) {
    const step = nextVoiceStep({
      state: state({ tried: ['a'] }),
      digits: undefined,
      dialStatus: status,
      routes,
      wirelessZipOffer: true,
    });
    t.equal(step.kind === 'dial' && step.destination.id, 'national', String(status));
  }
});

t.test('the flow state survives its URL, and a tampered one degrades to defaults', async (t) => {
  const s = state({
    step: 'zip',
    lang: 'es',
    prompts: 2,
    zip: '10001',
    national: true,
    tried: ['ny-new-york', 'national'],
    waits: 1,
  });
  t.same(readFlowState(Object.fromEntries(new URLSearchParams(flowStateQuery(s))), 'en'), s);
  t.same(
    readFlowState({ step: 'drop table', lang: 'fr', prompts: '99', zip: '1<2', tried: 'a,B C,../x', wait: '-1' }, 'es'),
    { step: 'start', lang: 'es', prompts: 0, zip: null, national: false, tried: ['a'], waits: 0 },
  );
  t.same(readFlowState({ lang: 'es-US' }, 'en').lang, 'es');
});

t.test('TwiML escapes text and attributes', async (t) => {
  t.equal(escapeXml(`<a href="x">&'\u0001`), '&lt;a href=&quot;x&quot;&gt;&amp;&apos;');
  t.equal(
    twimlResponse(say('Tom & Jerry <3', { voice: 'Polly.Joanna', language: 'en-US' })),
    '<?xml version="1.0" encoding="UTF-8"?>' +
      '<Response><Say voice="Polly.Joanna" language="en-US">Tom &amp; Jerry &lt;3</Say></Response>',
  );
});

t.test('numbers are read digit by digit in groups', async (t) => {
  t.equal(spokenNumber('+18005550100'), '8 0 0, 5 5 5, 0 1 0 0');
});

t.test(
  'a tried list too long to read back sends the call to the national line instead of restarting the chain',
  async (t) => {
    const tooLong = Array.from({ length: 60 }, (_, i) => `center-with-a-long-identifier-number-${i}`).join(',');
    const state = readFlowState({ step: 'dial', tried: tooLong }, 'en');
    t.equal(state.national, true);
    t.same(state.tried, []);
    t.equal(readFlowState({ step: 'dial', tried: 'ny-new-york,ny-brooklyn' }, 'en').national, false);
  },
);

t.test('a wireless caller placed by exchange is offered a zip first; a zip entered routes by zip', async (t) => {
  const sacramento = { state: 'CA', name: 'Sacramento', precision: 'exchange' as const };
  const wireless: Chain = {
    ...chain(dest('ca-sacramento', '+19165550100'), NATIONAL),
    place: sacramento,
    lineType: 'wireless',
  };
  const byZip = (zip: string) =>
    zip === '10001' ? chain(dest('ny-new-york', '+12125550100'), NATIONAL) : chain(NATIONAL);
  const routes = { byCaller: () => wireless, byZip };
  const start = nextVoiceStep({
    state: state({ step: 'start' }),
    digits: undefined,
    dialStatus: undefined,
    routes,
    wirelessZipOffer: true,
  });
  t.same(start, { kind: 'offerZip', next: state({ step: 'offer' }) });

  const offered = state({ step: 'offer' });
  const entered = nextVoiceStep({
    state: offered,
    digits: '10001',
    dialStatus: undefined,
    routes,
    wirelessZipOffer: true,
  });
  t.equal(entered.kind === 'dial' && entered.destination.id, 'ny-new-york', 'the zip routes the call');
  t.equal(entered.kind === 'dial' && entered.next.zip, '10001', 'and the rest of the chain follows the zip');
  for (const digits of [undefined, '', '12', '00000']) {
    const step = nextVoiceStep({ state: offered, digits, dialStatus: undefined, routes, wirelessZipOffer: true });
    t.equal(
      step.kind === 'dial' && step.destination.id,
      'ca-sacramento',
      `${JSON.stringify(digits)}: the exchange's chain rings`,
    );
  }

  const off = nextVoiceStep({
    state: state({ step: 'start' }),
    digits: undefined,
    dialStatus: undefined,
    routes,
    wirelessZipOffer: false,
  });
  t.equal(off.kind === 'dial' && off.destination.id, 'ca-sacramento', 'the setting turns the offer off');
  const wireline = { byCaller: () => ({ ...wireless, lineType: 'wireline' as const }), byZip };
  const landline = nextVoiceStep({
    state: state({ step: 'start' }),
    digits: undefined,
    dialStatus: undefined,
    routes: wireline,
    wirelessZipOffer: true,
  });
  t.equal(landline.kind, 'dial', 'a wireline caller is rung at once');
});
