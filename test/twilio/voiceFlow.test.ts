import t from 'tap';
import type { Destination } from '../../src/core/route.js';
import { flowStateQuery, readFlowState, type FlowState } from '../../src/twilio/flowState.js';
import { escapeXml, say, twimlResponse } from '../../src/twilio/twiml.js';
import { legOutcome, nextVoiceStep, type Chain, type VoiceInput } from '../../src/twilio/voiceFlow.js';
import { spokenNumber } from '../../src/twilio/prompts.js';

const dest = (id: string, phone: string, kind: Destination['kind'] = 'affiliate', open = true): Destination => ({
  id,
  kind,
  name: id,
  phone,
  state: null,
  distanceKm: null,
  open,
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
  first: null,
  zip: null,
  national: false,
  tried: [],
  waits: 0,
  until: null,
  ...overrides,
});
const NOW = 1_800_000_000;
const POLICY: VoiceInput['policy'] = {
  maxCenters: 9,
  ringBudgetSeconds: 600,
  dialTimeoutSeconds: 20,
  nowSeconds: NOW,
  screens: (d) => d.kind === 'affiliate',
};
/** One step of the flow: no keys, no dial status, the zip offer on, a generous policy, unless given. */
const flow = (input: Partial<VoiceInput> & Pick<VoiceInput, 'state' | 'routes'>) =>
  nextVoiceStep({
    digits: undefined,
    dialStatus: undefined,
    dialBridged: undefined,
    wirelessZipOffer: true,
    ...input,
    policy: { ...POLICY, ...input.policy },
  });

t.test('a center sharing a number with one already rung is skipped', async (t) => {
  const routes = {
    byCaller: () =>
      chain(dest('a', '+12125550100'), dest('a-backup', '+12125550100'), dest('b', '+12125550101'), NATIONAL),
    byZip: () => chain(NATIONAL),
  };
  const step = flow({
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
  const step = flow({
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
    const step = flow({
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
    first: '9',
    until: NOW + 60,
  });
  t.same(readFlowState(Object.fromEntries(new URLSearchParams(flowStateQuery(s))), 'en'), s);
  t.same(
    readFlowState(
      { step: 'drop table', lang: 'fr', prompts: '99', zip: '1<2', tried: 'a,B C,../x', wait: '-1', first: '12' },
      'es',
    ),
    {
      step: 'start',
      lang: 'es',
      prompts: 0,
      first: null,
      zip: null,
      national: false,
      tried: ['a'],
      waits: 0,
      until: null,
    },
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
  const start = flow({
    state: state({ step: 'start' }),
    digits: undefined,
    dialStatus: undefined,
    routes,
    wirelessZipOffer: true,
  });
  t.same(start, { kind: 'offerZip', next: state({ step: 'offer' }) });

  const offered = state({ step: 'offer' });
  const entered = flow({
    state: offered,
    digits: '10001',
    dialStatus: undefined,
    routes,
    wirelessZipOffer: true,
  });
  t.equal(entered.kind === 'dial' && entered.destination.id, 'ny-new-york', 'the zip routes the call');
  t.equal(entered.kind === 'dial' && entered.next.zip, '10001', 'and the rest of the chain follows the zip');
  for (const digits of [undefined, '', '12', '00000']) {
    const step = flow({ state: offered, digits, dialStatus: undefined, routes, wirelessZipOffer: true });
    t.equal(
      step.kind === 'dial' && step.destination.id,
      'ca-sacramento',
      `${JSON.stringify(digits)}: the exchange's chain rings`,
    );
  }

  const off = flow({
    state: state({ step: 'start' }),
    digits: undefined,
    dialStatus: undefined,
    routes,
    wirelessZipOffer: false,
  });
  t.equal(off.kind === 'dial' && off.destination.id, 'ca-sacramento', 'the setting turns the offer off');
  const wireline = { byCaller: () => ({ ...wireless, lineType: 'wireline' as const }), byZip };
  const landline = flow({
    state: state({ step: 'start' }),
    digits: undefined,
    dialStatus: undefined,
    routes: wireline,
    wirelessZipOffer: true,
  });
  t.equal(landline.kind, 'dial', 'a wireline caller is rung at once');
});

t.test('only open centers ring; closed ones are skipped for the next open one, then the national line', async (t) => {
  const routes = {
    byCaller: () =>
      chain(
        dest('closed', '+12125550100', 'affiliate', false),
        dest('open', '+12125550101'),
        dest('closed-2', '+12125550102', 'affiliate', false),
        NATIONAL,
      ),
    byZip: () => chain(NATIONAL),
  };
  const first = flow({ state: state({ step: 'start' }), routes });
  t.equal(first.kind === 'dial' && first.destination.id, 'open');
  const second = flow({ state: state({ tried: ['open'] }), routes, dialStatus: 'no-answer' });
  t.equal(second.kind === 'dial' && second.destination.id, 'national', 'no closed center rings');
});

t.test('at most maxCenters centers ring before the national line', async (t) => {
  const centers = ['a', 'b', 'c', 'd', 'e'].map((id, i) => dest(id, `+1212555010${i}`));
  const routes = { byCaller: () => chain(...centers, NATIONAL), byZip: () => chain(NATIONAL) };
  const rung: string[] = [];
  let s = state({ step: 'start' });
  for (
    let step = flow({ state: s, routes, policy: { maxCenters: 3 } as VoiceInput['policy'] });
    step.kind === 'dial';
  ) {
    rung.push(step.destination.id);
    s = step.next;
    step = flow({ state: s, routes, dialStatus: 'no-answer', policy: { maxCenters: 3 } as VoiceInput['policy'] });
  }
  t.same(rung, ['a', 'b', 'c', 'national']);
  const none = flow({ state: state({ step: 'start' }), routes, policy: { maxCenters: 0 } as VoiceInput['policy'] });
  t.equal(none.kind === 'dial' && none.destination.id, 'national', 'TWILIO_MAX_CENTERS=0: the national line at once');
});

t.test('the ring budget shortens the last center leg, then hands over to the national line', async (t) => {
  const centers = ['a', 'b', 'c', 'd'].map((id, i) => dest(id, `+1212555010${i}`));
  const routes = { byCaller: () => chain(...centers, NATIONAL), byZip: () => chain(NATIONAL) };
  let now = NOW;
  const policy = () => ({ ...POLICY, ringBudgetSeconds: 50, nowSeconds: now });
  const legs: Array<[string, number]> = [];
  let step = flow({ state: state({ step: 'start' }), routes, policy: policy() });
  while (step.kind === 'dial') {
    legs.push([step.destination.id, step.timeoutSeconds]);
    now += step.timeoutSeconds + 1; // the leg rings out, the callback comes a second later
    step = flow({ state: step.next, routes, dialStatus: 'no-answer', policy: policy() });
  }
  // The 8 seconds left after two legs are not worth a third center.
  t.same(legs, [
    ['a', 20],
    ['b', 20],
    ['national', 20],
  ]);
  t.equal(step.kind, 'exhausted');
  const tight = flow({
    state: state({ tried: ['a'], until: NOW + 40 }),
    routes,
    dialStatus: 'busy',
    policy: { ...POLICY, nowSeconds: NOW + 25 },
  });
  t.same(tight.kind === 'dial' && [tight.destination.id, tight.timeoutSeconds], ['b', 15], 'what is left of it');
});

t.test('a leg answered but not bridged (the whisper got no key) rings the next destination', async (t) => {
  const routes = {
    byCaller: () => chain(dest('a', '+12125550100'), dest('b', '+12125550101'), NATIONAL),
    byZip: () => chain(NATIONAL),
  };
  const screenedOut = flow({ state: state({ tried: ['a'] }), routes, dialStatus: 'completed', dialBridged: 'false' });
  t.equal(screenedOut.kind === 'dial' && screenedOut.destination.id, 'b');
  t.equal(screenedOut.kind === 'dial' && screenedOut.announce, 'rollover');
  for (const bridged of ['true', undefined]) {
    const answered = flow({ state: state({ tried: ['a'] }), routes, dialStatus: 'completed', dialBridged: bridged });
    t.equal(answered.kind, 'goodbye', `DialBridged=${String(bridged)}`);
  }
  t.same(
    [
      legOutcome('completed', 'true'),
      legOutcome('completed', 'false'),
      legOutcome('answered', undefined),
      legOutcome('no-answer', 'false'),
      legOutcome('busy', undefined),
      legOutcome('failed', undefined),
      legOutcome('canceled', undefined),
      legOutcome(undefined, undefined),
    ],
    ['answered', 'screened-out', 'answered', 'no-answer', 'busy', 'failed', null, null],
  );
});

t.test('whether a leg is screened is the policy’s: centers by default, the national line not', async (t) => {
  const routes = { byCaller: () => chain(dest('a', '+12125550100'), NATIONAL), byZip: () => chain(NATIONAL) };
  const center = flow({ state: state({ step: 'start' }), routes });
  t.equal(center.kind === 'dial' && center.screened, true);
  const national = flow({ state: state({ tried: ['a'] }), routes, dialStatus: 'no-answer' });
  t.equal(national.kind === 'dial' && national.screened, false);
  const optedOut = flow({ state: state({ step: 'start' }), routes, policy: { screens: () => false } as never });
  t.equal(optedOut.kind === 'dial' && optedOut.screened, false);
});

t.test('the zip prompt: one key acts, a zip is gathered as one key then four', async (t) => {
  const areaCode: Chain = {
    ...chain(dest('nj-newark', '+19735550100'), NATIONAL),
    needsZip: true,
    reason: 'areaCodeOnly',
  };
  const withheld: Chain = { ...chain(NATIONAL), needsZip: true, reason: 'withheld' };
  const byZip = (zip: string) =>
    zip === '02139' ? chain(dest('ma-boston', '+16175550100'), NATIONAL) : chain(NATIONAL);
  const routes = { byCaller: () => withheld, byZip };
  const prompt = state({ step: 'zip', prompts: 1 });
  const ask = flow({ state: state({ step: 'start' }), routes });
  t.same(ask, { kind: 'askZip', next: prompt, retry: 'none', abroad: false });

  const zero = flow({ state: prompt, routes, digits: '0' });
  t.same(zero, { kind: 'zipRest', next: { ...prompt, first: '0' }, window: true }, '0 waits a moment for a zip');
  const national = flow({ state: { ...prompt, first: '0' }, routes, digits: '' });
  t.equal(national.kind === 'dial' && national.destination.id, 'national', 'nothing follows: the national line');
  const zip = flow({ state: { ...prompt, first: '0' }, routes, digits: '2139' });
  t.equal(zip.kind === 'dial' && zip.destination.id, 'ma-boston', '0 then 2139: zip 02139');
  t.equal(zip.kind === 'dial' && zip.next.first, null);

  t.same(flow({ state: prompt, routes, digits: '9' }), {
    kind: 'zipRest',
    next: { ...prompt, first: '9' },
    window: true,
  });
  const spanish = flow({ state: { ...prompt, first: '9' }, routes, digits: '' });
  t.same(spanish, { kind: 'askZip', next: { ...prompt, lang: 'es' }, retry: 'none', abroad: false }, '9: Spanish');
  const es = { ...prompt, lang: 'es' as const };
  t.same(flow({ state: es, routes, digits: '9' }), { kind: 'zipRest', next: { ...es, first: '9' }, window: false });
  t.same(flow({ state: prompt, routes, digits: '4' }), {
    kind: 'zipRest',
    next: { ...prompt, first: '4' },
    window: false,
  });

  const short = flow({ state: { ...prompt, first: '4' }, routes, digits: '12' });
  t.same(short, { kind: 'askZip', next: { ...prompt, prompts: 2 }, retry: 'invalid', abroad: false }, 'a short zip');
  const silent = flow({ state: prompt, routes, digits: '' });
  t.equal(silent.kind === 'dial' && silent.destination.id, 'national', 'silence: the national line, no loop');
  const silentNj = flow({ state: prompt, routes: { byCaller: () => areaCode, byZip }, digits: undefined });
  t.equal(silentNj.kind === 'dial' && silentNj.destination.id, 'nj-newark', "or the area code's state");
});

t.test('a caller from outside the US is not assumed to have a zip', async (t) => {
  for (const reason of ['outsideUS', 'outsideNanp'] as const) {
    const routes = { byCaller: () => ({ ...chain(NATIONAL), needsZip: true, reason }), byZip: () => chain(NATIONAL) };
    const ask = flow({ state: state({ step: 'start' }), routes });
    t.equal(ask.kind === 'askZip' && ask.abroad, true, reason);
  }
});
