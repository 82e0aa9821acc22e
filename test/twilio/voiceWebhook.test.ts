import t from 'tap';
import type { FastifyInstance } from 'fastify';
import { corruptedTable, shippedApp } from '../helpers/app.js';
import { dialOf, parseTwiml, postVoice, type TwimlNode } from '../helpers/twilio.js';
import type { CallerSettings } from '../../src/http/callerSettings.js';

type Answer = {
  destinations: Array<{ id: string; kind: string; phone: string; state: string | null; open: boolean }>;
  needsZip: boolean;
  reason: string | null;
};

const TOKEN = 'f3c9a2b1d4e5f60718293a4b5c6d7e8f';
const HOST = 'hotline.example.org';
/** Every request of a call signed as Twilio signs it, over the URL it requests. */
const SIGNED = { authToken: TOKEN, host: HOST };
const SETTINGS: CallerSettings = {
  twilioAuthToken: TOKEN,
  dialTimeoutSeconds: 20,
  defaultLanguage: 'en',
  wirelessZipOffer: true,
  widgetAllowedOrigins: [],
};
/** Wednesday 10:00 in New York: every New York center is open. */
const WEDNESDAY_MORNING = Date.UTC(2026, 0, 14, 15, 0);
/** Sunday 03:00 in New York: some centers are closed. */
const SUNDAY_NIGHT = Date.UTC(2026, 0, 18, 8, 0);

const NEW_YORK_CALLER = '+12122267834';
const HOTLINE = '+18005550000';
const call = (from: string) => ({
  CallSid: 'CA0123456789abcdef0123456789abcdef',
  AccountSid: 'AC0123456789abcdef0123456789abcdef',
  From: from,
  To: HOTLINE,
  CallStatus: 'in-progress',
  Direction: 'inbound',
  ApiVersion: '2010-04-01',
});
/** What Twilio posts to a <Number url> for the center's leg: the child call, from the hotline to the center. */
const centerLeg = (center: string) => ({
  CallSid: 'CAfedcba9876543210fedcba9876543210',
  ParentCallSid: 'CA0123456789abcdef0123456789abcdef',
  AccountSid: 'AC0123456789abcdef0123456789abcdef',
  From: HOTLINE,
  To: center,
  CallStatus: 'in-progress',
  Direction: 'outbound-dial',
  ApiVersion: '2010-04-01',
});

function sayText(verbs: TwimlNode[]): string {
  const says: string[] = [];
  const walk = (nodes: TwimlNode[]) => nodes.forEach((n) => (n.name === 'Say' ? says.push(n.text) : walk(n.children)));
  walk(verbs);
  return says.join(' ');
}

/** The <Number> of the single <Dial>: its url is the whisper, when the leg is screened. */
function numberOf(verbs: TwimlNode[]): TwimlNode {
  return verbs.find((v) => v.name === 'Dial')!.children.find((c) => c.name === 'Number')!;
}

type Clock = { now: number };
type Leg = { number: string; timeout: number; screened: boolean };

/**
 * Follow a call down its chain as Twilio would, each leg ending with the given statuses in turn
 * (a leg screened out ends completed with DialBridged=false). A clock, when given, moves on by
 * each leg's ring timeout and a second for the callback.
 */
async function followChain(
  app: FastifyInstance,
  first: string,
  params: Record<string, string>,
  statuses: string[],
  clock?: Clock,
): Promise<{ legs: Leg[]; rung: string[]; end: TwimlNode[] }> {
  let verbs = parseTwiml(first);
  const legs: Leg[] = [];
  for (let i = 0; verbs.some((v) => v.name === 'Dial'); i++) {
    const dial = dialOf(verbs);
    legs.push({
      number: dial.number,
      timeout: Number(dial.timeout),
      screened: numberOf(verbs).attrs.url !== undefined,
    });
    if (clock) clock.now += (Number(dial.timeout) + 1) * 1000;
    const status = statuses[i % statuses.length]!;
    const ended =
      status === 'screened-out'
        ? { DialCallStatus: 'completed', DialBridged: 'false', DialCallDuration: '9' }
        : { DialCallStatus: status, DialBridged: String(status === 'completed'), DialCallDuration: '0' };
    const res = await postVoice(app, dial.action, { ...params, ...ended }, SIGNED);
    if (res.statusCode !== 200) throw new Error(`callback answered ${res.statusCode}`);
    verbs = parseTwiml(res.body);
    if (legs.length > 20) throw new Error('the chain does not end');
  }
  return { legs, rung: legs.map((l) => l.number), end: verbs };
}

/** Key a zip at a prompt as a caller does: the first key, then the other four. The answer, as text. */
async function keyZip(app: FastifyInstance, prompt: TwimlNode[], zip: string, from: string): Promise<string> {
  const gather = prompt.find((v) => v.name === 'Gather')!;
  const rest = parseTwiml(
    (await postVoice(app, gather.attrs.action!, { ...call(from), Digits: zip.slice(0, 1) }, SIGNED)).body,
  );
  const more = rest.find((v) => v.name === 'Gather')!;
  return (await postVoice(app, more.attrs.action!, { ...call(from), Digits: zip.slice(1) }, SIGNED)).body;
}
const enterZip = async (app: FastifyInstance, prompt: TwimlNode[], zip: string, from: string) =>
  parseTwiml(await keyZip(app, prompt, zip, from));

t.test('Twilio voice webhook, every request signed', async (t) => {
  // Every answer logged (not only the unusual ones), so the privacy checks below see all there is.
  const { app, logs } = await shippedApp({
    routineAnswerLog: 'each',
    callers: SETTINGS,
    now: () => WEDNESDAY_MORNING,
  });
  t.teardown(() => app.close());
  const post = (url: string, params: Record<string, string>) => postVoice(app, url, params, SIGNED);
  const routeOf = async (query: string) => (await app.inject(`/v1/route?${query}`)).json<Answer>();
  const newYork = await routeOf(`phone=${encodeURIComponent(NEW_YORK_CALLER)}`);

  t.test('a caller that can be placed rings the first center, screened, with an action URL', async (t) => {
    const res = await post('/v1/twilio/voice', call(NEW_YORK_CALLER));
    t.equal(res.statusCode, 200);
    t.match(res.headers['content-type'], /^text\/xml/);
    const verbs = parseTwiml(res.body);
    const dial = dialOf(verbs);
    t.equal(newYork.destinations[0]!.id, 'ny-new-york');
    t.equal(dial.number, newYork.destinations[0]!.phone, 'the New York center');
    t.equal(dial.timeout, '20');
    t.equal(dial.attrs.answerOnBridge, 'true', 'the caller hears ringing through the whisper');
    t.equal(dial.attrs.method, 'POST');
    t.equal(dial.attrs.callerId, HOTLINE, 'centers see the hotline number, not the caller');
    const action = new URL(dial.action);
    t.equal(action.pathname, '/v1/twilio/voice');
    t.equal(action.searchParams.get('step'), 'dial');
    t.equal(action.searchParams.get('tried'), 'ny-new-york');
    t.equal(Number(action.searchParams.get('until')), WEDNESDAY_MORNING / 1000 + 60, 'the ring budget runs out then');
    const whisper = new URL(numberOf(verbs).attrs.url!);
    t.equal(`${whisper.origin}${whisper.pathname}`, `http://${HOST}/v1/twilio/screen`);
    t.equal(whisper.searchParams.get('lang'), 'en');
    t.equal(numberOf(verbs).attrs.method, 'POST');
  });

  t.test('the whisper: whoever answers must press 1, or the leg ends and the next center rings', async (t) => {
    const first = parseTwiml((await post('/v1/twilio/voice', call(NEW_YORK_CALLER))).body);
    const center = dialOf(first).number;
    const whisper = parseTwiml((await post(numberOf(first).attrs.url!, centerLeg(center))).body);
    t.same(
      whisper.map((v) => v.name),
      ['Gather', 'Hangup'],
      'a one-key prompt; no key and the leg hangs up',
    );
    const gather = whisper[0]!;
    t.same([gather.attrs.input, gather.attrs.numDigits, gather.attrs.timeout], ['dtmf', '1', '5']);
    t.match(sayText([gather]), /^Crisis line call\. Press 1 to accept\. Crisis line call/);
    t.notMatch(sayText([gather]), /2267834/, "the center hears nothing of the caller's number");

    const accepted = await post(gather.attrs.action!, { ...centerLeg(center), Digits: '1' });
    t.same(parseTwiml(accepted.body), [], '1: an empty document, the legs are bridged');
    for (const digits of ['2', '*', '']) {
      const refused = parseTwiml((await post(gather.attrs.action!, { ...centerLeg(center), Digits: digits })).body);
      t.same(
        refused.map((v) => v.name),
        ['Hangup'],
        `${JSON.stringify(digits)}: the leg ends`,
      );
    }

    // Nobody pressed 1 (a voicemail took the leg): Twilio reports it completed but not bridged.
    const after = parseTwiml(
      (
        await post(dialOf(first).action, {
          ...call(NEW_YORK_CALLER),
          DialCallStatus: 'completed',
          DialBridged: 'false',
          DialCallDuration: '11',
        })
      ).body,
    );
    t.same(
      after.map((v) => v.name),
      ['Say', 'Dial'],
    );
    t.match(sayText(after), /stay on the line/);
    t.equal(dialOf(after).number, newYork.destinations[1]!.phone, 'the next center rings');
  });

  t.test('no answer, busy, failed or screened out: three open centers, then the national line', async (t) => {
    const first = await post('/v1/twilio/voice', call(NEW_YORK_CALLER));
    const { legs, rung, end } = await followChain(app, first.body, call(NEW_YORK_CALLER), [
      'no-answer',
      'busy',
      'screened-out',
      'failed',
    ]);
    const national = newYork.destinations.at(-1)!;
    t.same(rung, [...newYork.destinations.slice(0, 3).map((d) => d.phone), national.phone]);
    t.equal(national.kind, 'national');
    t.same(
      legs.map((l) => l.screened),
      [true, true, true, false],
      'centers screened, the national line not',
    );
    t.same(
      end.map((v) => v.name),
      ['Say', 'Hangup'],
      'nobody answered: a message and a polite end',
    );
    t.match(sayText(end), /national hotline at 8 0 0, 5 5 5, 0 1 0 0/);
  });

  t.test('an answered leg ends the call politely, without dialling again', async (t) => {
    for (const [status, bridged] of [
      ['completed', 'true'],
      ['answered', 'true'],
      ['completed', undefined],
    ] as const) {
      const res = await post('/v1/twilio/voice?step=dial&lang=en&tried=ny-new-york', {
        ...call(NEW_YORK_CALLER),
        DialCallStatus: status,
        ...(bridged ? { DialBridged: bridged } : {}),
      });
      const verbs = parseTwiml(res.body);
      t.same(
        verbs.map((v) => v.name),
        ['Say', 'Hangup'],
        `${status}, DialBridged=${String(bridged)}`,
      );
      t.match(sayText(verbs), /Thank you for calling/);
    }
  });

  t.test('a center already rung is never rung twice, even when the chain changes between callbacks', async (t) => {
    const tried = [newYork.destinations[0]!.id, newYork.destinations[2]!.id];
    const res = await post(`/v1/twilio/voice?step=dial&lang=en&tried=${tried.join(',')}`, {
      ...call(NEW_YORK_CALLER),
      DialCallStatus: 'no-answer',
    });
    t.equal(dialOf(parseTwiml(res.body)).number, newYork.destinations[1]!.phone);
  });

  t.test('each center leg is counted by center id; the national line and abandoned legs are not', async (t) => {
    const legs = () => new Map([...app.callOutcomes.totalsByCenter()].map(([id, c]) => [id, { ...c }]));
    const before = legs();
    const first = await post('/v1/twilio/voice', call(NEW_YORK_CALLER));
    await followChain(app, first.body, call(NEW_YORK_CALLER), ['screened-out', 'busy', 'completed']);
    // The caller hangs up while the second center rings: that says nothing of the center.
    await post(`/v1/twilio/voice?step=dial&lang=en&tried=ny-new-york,ny-albany`, {
      ...call(NEW_YORK_CALLER),
      CallStatus: 'completed',
      DialCallStatus: 'no-answer',
    });
    await post(`/v1/twilio/voice?step=dial&lang=en&tried=ny-new-york,ny-albany,ny-brooklyn,national`, {
      ...call(NEW_YORK_CALLER),
      DialCallStatus: 'no-answer',
    });
    const after = legs();
    const delta = (id: string) => {
      const [b, a] = [before.get(id), after.get(id)];
      return Object.fromEntries(Object.entries(a ?? {}).map(([k, v]) => [k, v - (b?.[k as keyof typeof b] ?? 0)]));
    };
    t.match(delta('ny-new-york'), { 'screened-out': 1, answered: 0, 'no-answer': 0 });
    t.match(delta('ny-albany'), { busy: 1, 'no-answer': 0 });
    t.match(delta('ny-brooklyn'), { answered: 1 });
    t.notOk(after.has('national'), 'the national line is not a center');
  });

  t.test('a withheld caller is asked for a zip, one key at a time, and the zip routes the call', async (t) => {
    for (const from of ['Anonymous', '+266696687', '+18005550199', '']) {
      const res = await post('/v1/twilio/voice', call(from));
      const verbs = parseTwiml(res.body);
      t.same(
        verbs.map((v) => v.name),
        ['Gather', 'Redirect'],
        `${from || 'no From'} -> zip prompt`,
      );
      const gather = verbs[0]!;
      t.same([gather.attrs.input, gather.attrs.numDigits, gather.attrs.finishOnKey], ['dtmf', '1', '']);
      t.match(sayText([gather]), /enter your five digit zip code.*press 0/);
      t.equal(new URL(gather.attrs.action!).searchParams.get('step'), 'zip');
      t.equal(verbs[1]!.text, gather.attrs.action, 'no input falls through to the same step without Digits');
    }
    const prompt = parseTwiml((await post('/v1/twilio/voice', call('Anonymous'))).body);
    const rest = parseTwiml((await post(prompt[0]!.attrs.action!, { ...call('Anonymous'), Digits: '1' })).body);
    t.same(
      rest.map((v) => v.name),
      ['Gather', 'Redirect'],
    );
    t.same([rest[0]!.attrs.numDigits, rest[0]!.attrs.timeout], ['4', '3'], 'the other four keys');
    t.same(rest[0]!.children, [], 'gathered in silence, the caller is typing');
    t.equal(new URL(rest[0]!.attrs.action!).searchParams.get('first'), '1');

    const answer = await keyZip(app, prompt, '10001', 'Anonymous');
    const afterZip = parseTwiml(answer);
    const byZip = await routeOf('zip=10001');
    const dial = dialOf(afterZip);
    t.equal(dial.number, byZip.destinations[0]!.phone);
    t.equal(byZip.destinations[0]!.id, 'ny-new-york');
    t.equal(new URL(dial.action).searchParams.get('zip'), '10001', 'the chain follows the zip on later callbacks');
    t.equal(new URL(dial.action).searchParams.get('first'), null);
    const { rung } = await followChain(app, answer, call('Anonymous'), ['no-answer']);
    t.same(
      rung,
      [...byZip.destinations.slice(0, 3), byZip.destinations.at(-1)!].map((d) => d.phone),
      'the zip chain to the national line',
    );
  });

  t.test('the one-key choices act at once: 0 for the national line, 9 for Spanish', async (t) => {
    const national = newYork.destinations.at(-1)!;
    const prompt = parseTwiml((await post('/v1/twilio/voice', call('Anonymous'))).body);
    const zero = parseTwiml((await post(prompt[0]!.attrs.action!, { ...call('Anonymous'), Digits: '0' })).body);
    // Zips start with 0 (New England) and 9 (the West) too: a second's window for more keys.
    t.same([zero[0]!.name, zero[0]!.attrs.numDigits, zero[0]!.attrs.timeout], ['Gather', '4', '1']);
    const dialled = parseTwiml((await post(zero[1]!.text, call('Anonymous'))).body);
    t.equal(dialOf(dialled).number, national.phone, 'nothing follows 0: the national line');
    t.equal(numberOf(dialled).attrs.url, undefined, 'unscreened');
    const after = parseTwiml(
      (await post(dialOf(dialled).action, { ...call('Anonymous'), DialCallStatus: 'no-answer' })).body,
    );
    t.same(
      after.map((v) => v.name),
      ['Say', 'Hangup'],
      'the national line is the end of the chain',
    );

    const boston = await enterZip(app, prompt, '02139', 'Anonymous');
    t.equal(dialOf(boston).number, (await routeOf('zip=02139')).destinations[0]!.phone, '0 then 2139: zip 02139');

    t.match(sayText(prompt), /Para español, oprima 9/);
    const nine = parseTwiml((await post(prompt[0]!.attrs.action!, { ...call('Anonymous'), Digits: '9' })).body);
    t.equal(nine[0]!.attrs.timeout, '1');
    const es = parseTwiml((await post(nine[1]!.text, call('Anonymous'))).body);
    const says = es[0]!.children.filter((c) => c.name === 'Say');
    t.ok(
      says.every((s) => s.attrs.language === 'es-US'),
      'every prompt in a Spanish voice',
    );
    t.match(sayText(es), /código postal de cinco dígitos/);
    t.notMatch(sayText(es), /oprima 9/);
    t.equal(new URL(es[0]!.attrs.action!).searchParams.get('lang'), 'es');
    t.equal(new URL(es[0]!.attrs.action!).searchParams.get('prompts'), '1', 'a language is not a failed attempt');
    const sf = await enterZip(app, prompt, '94102', 'Anonymous');
    t.equal(dialOf(sf).number, (await routeOf('zip=94102')).destinations[0]!.phone, '9 then 4102: zip 94102');
  });

  t.test('silence at the prompt reaches the national line; a bad zip is asked for once more', async (t) => {
    const national = newYork.destinations.at(-1)!;
    const prompt = parseTwiml((await post('/v1/twilio/voice', call('Anonymous'))).body);
    const silent = parseTwiml((await post(prompt[1]!.text, call('Anonymous'))).body);
    t.equal(dialOf(silent).number, national.phone, 'no loop: the national line');

    for (const [first, message] of [
      ['123', /isn't a zip code we can use/],
      ['00000', /couldn't find that zip code/],
    ] as const) {
      const retry = await enterZip(app, prompt, first, 'Anonymous');
      t.same(
        retry.map((v) => v.name),
        ['Gather', 'Redirect'],
        `${first} -> asked again`,
      );
      t.match(sayText(retry), message);
      t.equal(new URL(retry[0]!.attrs.action!).searchParams.get('prompts'), '2');
      const last = await enterZip(app, retry, '99', 'Anonymous');
      t.equal(dialOf(last).number, national.phone, `${first}, then 99 -> national line`);
    }
  });

  t.test('a caller placed only by area code, silent at the prompt, goes to their state', async (t) => {
    const from = '+12019990000';
    const byPhone = await routeOf(`phone=${encodeURIComponent(from)}`);
    t.equal(byPhone.reason, 'areaCodeOnly');
    const prompt = parseTwiml((await post('/v1/twilio/voice', call(from))).body);
    t.equal(prompt[0]!.name, 'Gather');
    const silent = await post(prompt[1]!.text, call(from));
    t.equal(dialOf(parseTwiml(silent.body)).number, byPhone.destinations[0]!.phone, "the state's first center");
    t.equal(byPhone.destinations[0]!.state, 'NJ');
    const { rung } = await followChain(app, silent.body, call(from), ['no-answer']);
    t.same(
      rung,
      [...byPhone.destinations.slice(0, 3), byPhone.destinations.at(-1)!].map((d) => d.phone),
    );
  });

  t.test('a caller from outside the US is not asked for a zip code as if at home', async (t) => {
    const canadian = '+14165550123'; // Toronto: +1, but not a US number
    t.equal((await routeOf(`phone=${encodeURIComponent(canadian)}`)).reason, 'outsideUS');
    for (const from of [canadian, '+442079460000']) {
      const prompt = parseTwiml((await post('/v1/twilio/voice', call(from))).body);
      t.match(sayText(prompt), /^If you are in the United States, enter the five digit zip code where you are/, from);
      t.notMatch(sayText(prompt), /To connect you with a crisis center near you/);
      const silent = parseTwiml((await post(prompt[1]!.text, call(from))).body);
      t.equal(dialOf(silent).number, newYork.destinations.at(-1)!.phone, 'silence: the national line');
    }
  });

  t.test(
    'a wireless caller placed by exchange is offered a zip for a few seconds, then their chain rings',
    async (t) => {
      const cell = '+19162015555'; // 916-201: Verizon Wireless, Sacramento
      const byPhone = await routeOf(`phone=${encodeURIComponent(cell)}`);
      const offer = parseTwiml((await post('/v1/twilio/voice', call(cell))).body);
      t.same(
        offer.map((v) => v.name),
        ['Gather', 'Redirect'],
      );
      const gather = offer[0]!;
      t.equal(gather.attrs.numDigits, '5');
      t.ok(Number(gather.attrs.timeout) <= 5, `a window of ${gather.attrs.timeout} s`);
      t.match(sayText([gather]), /cell phone.*five digit zip code.*stay on the line/);
      t.equal(new URL(gather.attrs.action!).searchParams.get('step'), 'offer');

      const silent = parseTwiml((await post(offer[1]!.text, call(cell))).body);
      t.equal(dialOf(silent).number, byPhone.destinations[0]!.phone, 'silence: the exchange chain rings');
      t.equal(byPhone.destinations[0]!.state, 'CA');
      const zipped = parseTwiml((await post(gather.attrs.action!, { ...call(cell), Digits: '10001' })).body);
      const byZip = await routeOf('zip=10001');
      t.equal(dialOf(zipped).number, byZip.destinations[0]!.phone, 'a zip entered routes by zip');
      t.equal(new URL(dialOf(zipped).action).searchParams.get('zip'), '10001');
    },
  );

  t.test('Spanish carries through the call: Spanish-speaking centers first, a Spanish whisper', async (t) => {
    const prompt = parseTwiml((await post('/v1/twilio/voice?lang=es', call('Anonymous'))).body);
    t.match(sayText(prompt), /código postal/);
    t.notMatch(sayText(prompt), /oprima 9/);
    const dialled = await enterZip(app, prompt, '12210', 'Anonymous');
    const dial = dialOf(dialled);
    t.equal(dial.number, (await routeOf('zip=12210&lang=es')).destinations[0]!.phone, 'Spanish-speaking centers first');
    t.equal(new URL(numberOf(dialled).attrs.url!).searchParams.get('lang'), 'es');
    const whisper = parseTwiml((await post(numberOf(dialled).attrs.url!, centerLeg(dial.number))).body);
    t.match(sayText(whisper), /^Llamada de la línea de crisis\. Oprima 1 para aceptar\./);
    t.equal(whisper[0]!.children[0]!.attrs.language, 'es-US');
    const rollover = parseTwiml((await post(dial.action, { ...call('Anonymous'), DialCallStatus: 'busy' })).body);
    t.match(sayText(rollover), /permanezca en la línea/);
  });

  t.test('a request not signed as Twilio signs it is refused, on both webhooks', async (t) => {
    for (const url of ['/v1/twilio/voice', '/v1/twilio/screen?lang=en']) {
      const unsigned = await postVoice(app, url, call(NEW_YORK_CALLER), { host: HOST });
      t.equal(unsigned.statusCode, 403, `${url} unsigned`);
      const forged = await postVoice(app, url, call(NEW_YORK_CALLER), { host: HOST, authToken: 'not-the-token' });
      t.equal(forged.statusCode, 403, `${url} forged`);
    }
  });

  t.test("nothing of the caller's number is logged or put in a URL", async (t) => {
    t.notMatch(logs.text, /2122267834|8005550199|2019990000|9162015555|4165550123|2079460000/);
    t.match(logs.text, /"callerPrefix":"212226"/, 'the 6-digit prefix at most');
    const res = await post('/v1/twilio/voice', call(NEW_YORK_CALLER));
    t.notMatch(res.body, /2122267834/);
  });
});

t.test('closed centers never ring: open ones, then the national line', async (t) => {
  // The center limit raised so that it does not hide the closed centers behind it.
  const { app } = await shippedApp({ callers: { ...SETTINGS, maxCenters: 9 }, now: () => SUNDAY_NIGHT });
  t.teardown(() => app.close());
  const route = (await app.inject(`/v1/route?phone=${encodeURIComponent(NEW_YORK_CALLER)}`)).json<Answer>();
  const closed = route.destinations.filter((d) => !d.open);
  t.ok(closed.length >= 2, `the route API still lists ${closed.length} closed centers, marked`);
  const first = await postVoice(app, '/v1/twilio/voice', call(NEW_YORK_CALLER), SIGNED);
  const { rung } = await followChain(app, first.body, call(NEW_YORK_CALLER), ['no-answer']);
  const open = route.destinations.filter((d) => d.open);
  t.same(
    rung,
    open.map((d) => d.phone),
    'every open center, then the national line',
  );
  t.notOk(
    rung.some((n) => closed.some((d) => d.phone === n)),
    'no closed center',
  );
});

t.test('the ring budget: centers ring for at most its seconds in all, then the national line', async (t) => {
  const clock = { now: WEDNESDAY_MORNING };
  const { app } = await shippedApp({
    callers: { ...SETTINGS, maxCenters: 9, ringBudgetSeconds: 50 },
    now: () => clock.now,
  });
  t.teardown(() => app.close());
  const first = await postVoice(app, '/v1/twilio/voice', call(NEW_YORK_CALLER), SIGNED);
  const { legs } = await followChain(app, first.body, call(NEW_YORK_CALLER), ['no-answer'], clock);
  t.same(
    legs.map((l) => [l.timeout, l.screened]),
    [
      [20, true],
      [20, true],
      [20, false],
    ],
    'two centers fit in 50 s (the 8 s left are not worth a third), then the national line',
  );

  // Before: 9 centers of 20 s; now, by default, at most 3 within 60 s.
  clock.now = WEDNESDAY_MORNING;
  const defaults = await shippedApp({ callers: SETTINGS, now: () => clock.now });
  t.teardown(() => defaults.app.close());
  const call2 = await postVoice(defaults.app, '/v1/twilio/voice', call(NEW_YORK_CALLER), SIGNED);
  const byDefault = await followChain(defaults.app, call2.body, call(NEW_YORK_CALLER), ['no-answer'], clock);
  const centerSeconds = byDefault.legs.slice(0, -1).reduce((sum, l) => sum + l.timeout, 0);
  t.equal(byDefault.legs.length, 4, 'three centers and the national line');
  t.ok(centerSeconds <= 60, `${centerSeconds} s of center ringing before the national line`);

  const busy = { now: WEDNESDAY_MORNING };
  const quick = await shippedApp({ callers: SETTINGS, now: () => busy.now });
  t.teardown(() => quick.app.close());
  const call3 = await postVoice(quick.app, '/v1/twilio/voice', call(NEW_YORK_CALLER), SIGNED);
  const allBusy = await followChain(quick.app, call3.body, call(NEW_YORK_CALLER), ['busy']);
  t.equal(allBusy.legs.length, 4, 'busy centers count against the center limit too');
});

t.test('settings: Spanish first, no zip offer, no screening, a longer ring', async (t) => {
  const { app } = await shippedApp({
    callers: {
      dialTimeoutSeconds: 25,
      defaultLanguage: 'es',
      wirelessZipOffer: false,
      widgetAllowedOrigins: [],
      screenCenters: false,
      screenNational: true,
    },
  });
  t.teardown(() => app.close());
  const verbs = parseTwiml((await postVoice(app, '/v1/twilio/voice', call('Restricted'))).body);
  t.match(sayText(verbs), /código postal/);
  const answer = (await postVoice(app, '/v1/twilio/voice', call(NEW_YORK_CALLER))).body;
  const first = parseTwiml(answer);
  t.equal(dialOf(first).timeout, '25', 'the configured ring timeout');
  t.equal(numberOf(first).attrs.url, undefined, 'TWILIO_SCREEN_CENTERS=false: centers unscreened');
  const { legs } = await followChain(app, answer, call(NEW_YORK_CALLER), ['no-answer']);
  t.same(
    legs.map((l) => l.screened),
    [false, false, false, true],
    'TWILIO_SCREEN_NATIONAL=true',
  );
  const cell = parseTwiml((await postVoice(app, '/v1/twilio/voice', call('+19162015555'))).body);
  t.same(
    cell.map((v) => v.name),
    ['Dial'],
    'WIRELESS_ZIP_OFFER=false: a wireless caller is rung at once',
  );
});

t.test('a center that opts out of screening in the affiliate table is rung without the whisper', async (t) => {
  const { app, tables } = await shippedApp({ callers: SETTINGS, now: () => WEDNESDAY_MORNING });
  t.teardown(() => app.close());
  const table = tables.table!;
  const optedOut = {
    ...table,
    centers: table.centers.map((c) => (c.id === 'ny-new-york' ? { ...c, screened: false } : c)),
  };
  tables.swap(optedOut, 'embedded');
  const first = parseTwiml((await postVoice(app, '/v1/twilio/voice', call(NEW_YORK_CALLER), SIGNED)).body);
  t.equal(new URL(dialOf(first).action).searchParams.get('tried'), 'ny-new-york');
  t.equal(numberOf(first).attrs.url, undefined, 'ny-new-york: screened=false');
  const next = parseTwiml(
    (await postVoice(app, dialOf(first).action, { ...call(NEW_YORK_CALLER), DialCallStatus: 'no-answer' }, SIGNED))
      .body,
  );
  t.ok(numberOf(next).attrs.url, 'the next center is screened');
});

t.test('an internal fault still answers TwiML that dials the national line', async (t) => {
  const { app, tables, logs } = await shippedApp();
  t.teardown(() => app.close());
  const table = tables.table!;
  tables.swap(corruptedTable(table), 'embedded');
  const res = await postVoice(app, '/v1/twilio/voice', call(NEW_YORK_CALLER));
  t.equal(res.statusCode, 200);
  t.equal(dialOf(parseTwiml(res.body)).number, table.national.phone);
  const broken = await app.inject({
    method: 'POST',
    url: '/v1/twilio/voice',
    headers: { 'content-type': 'application/json' },
    payload: '{"From":',
  });
  t.equal(broken.statusCode, 200, 'even a body that cannot be parsed');
  t.equal(dialOf(parseTwiml(broken.body)).number, table.national.phone);
  t.match(logs.text, /dialling the national line/);
  const screen = await app.inject({
    method: 'POST',
    url: '/v1/twilio/screen?lang=en',
    headers: { 'content-type': 'application/json' },
    payload: '{"Digits":',
  });
  t.equal(screen.statusCode, 200, 'the whisper webhook too');
  t.same(parseTwiml(screen.body), [], 'it connects the leg rather than drop whoever answered');
  t.match(logs.text, /twilio screen failed; connecting the leg/);
});

t.test('before tables load, a call is held briefly, then told to call back', async (t) => {
  const { app, tables } = await shippedApp();
  t.teardown(() => app.close());
  const empty = await shippedApp({ tables: new (tables.constructor as new () => typeof tables)() });
  t.teardown(() => empty.app.close());
  let verbs = parseTwiml((await postVoice(empty.app, '/v1/twilio/voice', call(NEW_YORK_CALLER))).body);
  for (let hold = 1; hold <= 3; hold++) {
    t.same(
      verbs.map((v) => v.name),
      ['Say', 'Pause', 'Redirect'],
      `hold ${hold}`,
    );
    verbs = parseTwiml((await postVoice(empty.app, verbs[2]!.text, call(NEW_YORK_CALLER))).body);
  }
  t.same(
    verbs.map((v) => v.name),
    ['Say', 'Hangup'],
  );
  t.match(sayText(verbs), /call back/);
});

t.test('before tables load, with NATIONAL_LINE set, a held call goes on to the national line', async (t) => {
  const { app, tables } = await shippedApp();
  await app.close();
  const empty = await shippedApp({
    tables: new (tables.constructor as new () => typeof tables)(),
    callers: { ...SETTINGS, twilioAuthToken: undefined, nationalLine: '+18006564673' },
  });
  t.teardown(() => empty.app.close());
  let verbs = parseTwiml((await postVoice(empty.app, '/v1/twilio/voice', call(NEW_YORK_CALLER))).body);
  for (let hold = 1; hold <= 3; hold++)
    verbs = parseTwiml((await postVoice(empty.app, verbs[2]!.text, call(NEW_YORK_CALLER))).body);
  t.equal(dialOf(verbs).number, '+18006564673', 'the configured national line, not a goodbye');
});
