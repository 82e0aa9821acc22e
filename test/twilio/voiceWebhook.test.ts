import t from 'tap';
import type { FastifyInstance } from 'fastify';
import { corruptedTable, shippedApp } from '../helpers/app.js';
import { dialOf, parseTwiml, postVoice, type TwimlNode } from '../helpers/twilio.js';

type Answer = {
  destinations: Array<{ id: string; kind: string; phone: string; state: string | null }>;
  needsZip: boolean;
  reason: string | null;
};

const NEW_YORK_CALLER = '+12122267834';
const HOTLINE = '+18005550000';
const call = (from: string) => ({
  CallSid: 'CA0123456789abcdef0123456789abcdef',
  AccountSid: 'AC0123456789abcdef0123456789abcdef',
  From: from,
  To: HOTLINE,
  CallStatus: 'ringing',
  Direction: 'inbound',
  ApiVersion: '2010-04-01',
});

async function routeOf(app: FastifyInstance, query: string): Promise<Answer> {
  return (await app.inject(`/v1/route?${query}`)).json<Answer>();
}

function sayText(verbs: TwimlNode[]): string {
  const says: string[] = [];
  const walk = (nodes: TwimlNode[]) => nodes.forEach((n) => (n.name === 'Say' ? says.push(n.text) : walk(n.children)));
  walk(verbs);
  return says.join(' ');
}

/** Follow a call down its chain as Twilio would, answering every dial with the given statuses. */
async function followChain(app: FastifyInstance, first: string, params: Record<string, string>, statuses: string[]) {
  let verbs = parseTwiml(first);
  const rung: string[] = [];
  for (let i = 0; verbs.some((v) => v.name === 'Dial'); i++) {
    const dial = dialOf(verbs);
    rung.push(dial.number);
    const res = await postVoice(app, dial.action, {
      ...params,
      DialCallStatus: statuses[i % statuses.length]!,
      DialCallDuration: '0',
    });
    if (res.statusCode !== 200) throw new Error(`callback answered ${res.statusCode}`);
    verbs = parseTwiml(res.body);
    if (rung.length > 20) throw new Error('the chain does not end');
  }
  return { rung, end: verbs };
}

t.test('Twilio voice webhook', async (t) => {
  // Every answer lined (not only the unusual ones), so the privacy checks below see all there is.
  const { app, logs } = await shippedApp({ routineAnswerLog: 'each' });
  t.teardown(() => app.close());

  t.test('a caller that can be placed rings the first center, with a ring timeout and an action URL', async (t) => {
    const res = await postVoice(app, '/v1/twilio/voice', call(NEW_YORK_CALLER));
    t.equal(res.statusCode, 200);
    t.match(res.headers['content-type'], /^text\/xml/);
    const verbs = parseTwiml(res.body);
    const dial = dialOf(verbs);
    const expected = await routeOf(app, `phone=${encodeURIComponent(NEW_YORK_CALLER)}`);
    t.equal(expected.destinations[0]!.id, 'ny-new-york');
    t.equal(dial.number, expected.destinations[0]!.phone, 'the New York center');
    t.equal(dial.timeout, '20');
    t.equal(dial.attrs.answerOnBridge, 'true');
    t.equal(dial.attrs.method, 'POST');
    t.equal(dial.attrs.callerId, HOTLINE, 'centers see the hotline number, not the caller');
    const action = new URL(dial.action);
    t.equal(action.pathname, '/v1/twilio/voice');
    t.equal(action.searchParams.get('step'), 'dial');
    t.equal(action.searchParams.get('tried'), 'ny-new-york');
  });

  t.test('no answer, busy, failed or canceled roll over down the whole chain to the national line', async (t) => {
    const expected = await routeOf(app, `phone=${encodeURIComponent(NEW_YORK_CALLER)}`);
    const first = await postVoice(app, '/v1/twilio/voice', call(NEW_YORK_CALLER));
    const { rung, end } = await followChain(app, first.body, call(NEW_YORK_CALLER), [
      'no-answer',
      'busy',
      'failed',
      'canceled',
    ]);
    t.same(
      rung,
      expected.destinations.map((d) => d.phone),
      'every destination, in order, once',
    );
    t.equal(rung.at(-1), expected.destinations.at(-1)!.phone);
    t.equal(expected.destinations.at(-1)!.kind, 'national');
    t.same(
      end.map((v) => v.name),
      ['Say', 'Hangup'],
      'nobody answered: a message and a polite end',
    );
    t.match(sayText(end), /national hotline at 8 0 0, 5 5 5, 0 1 0 0/);
  });

  t.test('a rollover says a short holding line before the next dial', async (t) => {
    const res = await postVoice(app, '/v1/twilio/voice?step=dial&lang=en&tried=ny-new-york', {
      ...call(NEW_YORK_CALLER),
      DialCallStatus: 'no-answer',
    });
    const verbs = parseTwiml(res.body);
    t.same(
      verbs.map((v) => v.name),
      ['Say', 'Dial'],
    );
    const expected = await routeOf(app, `phone=${encodeURIComponent(NEW_YORK_CALLER)}`);
    t.equal(dialOf(verbs).number, expected.destinations[1]!.phone);
  });

  t.test('a completed call ends politely without dialling again', async (t) => {
    for (const status of ['completed', 'answered']) {
      const res = await postVoice(app, '/v1/twilio/voice?step=dial&lang=en&tried=ny-new-york', {
        ...call(NEW_YORK_CALLER),
        DialCallStatus: status,
      });
      const verbs = parseTwiml(res.body);
      t.same(
        verbs.map((v) => v.name),
        ['Say', 'Hangup'],
        status,
      );
      t.match(sayText(verbs), /Thank you for calling/);
    }
  });

  t.test('a center already rung is never rung twice, even when the chain changes between callbacks', async (t) => {
    const expected = await routeOf(app, `phone=${encodeURIComponent(NEW_YORK_CALLER)}`);
    const tried = [expected.destinations[0]!.id, expected.destinations[2]!.id];
    const res = await postVoice(app, `/v1/twilio/voice?step=dial&lang=en&tried=${tried.join(',')}`, {
      ...call(NEW_YORK_CALLER),
      DialCallStatus: 'no-answer',
    });
    t.equal(dialOf(parseTwiml(res.body)).number, expected.destinations[1]!.phone);
  });

  t.test('a withheld caller is asked for a zip, and the zip routes the call', async (t) => {
    for (const from of ['Anonymous', '+266696687', '+18005550199', '']) {
      const res = await postVoice(app, '/v1/twilio/voice', call(from));
      const verbs = parseTwiml(res.body);
      t.same(
        verbs.map((v) => v.name),
        ['Gather', 'Redirect'],
        `${from || 'no From'} -> zip prompt`,
      );
      const gather = verbs[0]!;
      t.equal(gather.attrs.input, 'dtmf');
      t.equal(gather.attrs.numDigits, '5');
      t.match(sayText([gather]), /enter your five digit zip code.*press 0/);
      t.equal(new URL(gather.attrs.action!).searchParams.get('step'), 'zip');
      t.equal(verbs[1]!.text, gather.attrs.action, 'no input falls through to the same step without Digits');
    }
    const prompt = parseTwiml((await postVoice(app, '/v1/twilio/voice', call('Anonymous'))).body);
    const afterZip = await postVoice(app, prompt[0]!.attrs.action!, { ...call('Anonymous'), Digits: '10001' });
    const expected = await routeOf(app, 'zip=10001');
    const dial = dialOf(parseTwiml(afterZip.body));
    t.equal(dial.number, expected.destinations[0]!.phone);
    t.equal(expected.destinations[0]!.id, 'ny-new-york');
    t.equal(new URL(dial.action).searchParams.get('zip'), '10001', 'the chain follows the zip on later callbacks');
    const { rung } = await followChain(app, afterZip.body, call('Anonymous'), ['no-answer']);
    t.same(
      rung,
      expected.destinations.map((d) => d.phone),
      'the zip chain, in order, to the national line',
    );
  });

  t.test('a bad zip is asked for once more, then the national line is dialled', async (t) => {
    const national = (await routeOf(app, 'phone=Anonymous')).destinations.at(-1)!;
    for (const [first, second] of [
      ['123', '99'],
      ['00000', '1234*'],
      ['', ''],
    ]) {
      const prompt = parseTwiml((await postVoice(app, '/v1/twilio/voice', call('Anonymous'))).body);
      const retry = parseTwiml(
        (await postVoice(app, prompt[0]!.attrs.action!, { ...call('Anonymous'), ...(first ? { Digits: first } : {}) }))
          .body,
      );
      t.same(
        retry.map((v) => v.name),
        ['Gather', 'Redirect'],
        `${first || 'no input'} -> asked again`,
      );
      t.match(
        sayText(retry),
        first === ''
          ? /didn't get that/
          : first === '00000'
            ? /couldn't find that zip code/
            : /isn't a zip code we can use/,
      );
      t.equal(new URL(retry[0]!.attrs.action!).searchParams.get('prompts'), '2');
      const finalUrl = second === '' ? retry[1]!.text : retry[0]!.attrs.action!;
      const last = parseTwiml(
        (await postVoice(app, finalUrl, { ...call('Anonymous'), ...(second ? { Digits: second } : {}) })).body,
      );
      t.equal(dialOf(last).number, national.phone, `${second || 'no input'} again -> national line`);
    }
  });

  t.test('pressing 0 at the prompt dials the national line at once', async (t) => {
    const national = (await routeOf(app, 'phone=Anonymous')).destinations.at(-1)!;
    const prompt = parseTwiml((await postVoice(app, '/v1/twilio/voice', call('Anonymous'))).body);
    const res = parseTwiml(
      (await postVoice(app, prompt[0]!.attrs.action!, { ...call('Anonymous'), Digits: '0' })).body,
    );
    t.equal(dialOf(res).number, national.phone);
    const after = parseTwiml(
      (await postVoice(app, dialOf(res).action, { ...call('Anonymous'), DialCallStatus: 'no-answer' })).body,
    );
    t.same(
      after.map((v) => v.name),
      ['Say', 'Hangup'],
      'the national line is the end of the chain',
    );
  });

  t.test(
    'a caller placed only by area code is asked for a zip; without one the call goes to their state',
    async (t) => {
      const from = '+12019990000';
      const byPhone = await routeOf(app, `phone=${encodeURIComponent(from)}`);
      t.equal(byPhone.reason, 'areaCodeOnly');
      const prompt = parseTwiml((await postVoice(app, '/v1/twilio/voice', call(from))).body);
      t.equal(prompt[0]!.name, 'Gather');
      const retry = parseTwiml((await postVoice(app, prompt[1]!.text, call(from))).body);
      const last = parseTwiml((await postVoice(app, retry[1]!.text, call(from))).body);
      t.equal(dialOf(last).number, byPhone.destinations[0]!.phone, "the state's first center");
      t.equal(byPhone.destinations[0]!.state, 'NJ');
      const { rung } = await followChain(app, (await postVoice(app, retry[1]!.text, call(from))).body, call(from), [
        'no-answer',
      ]);
      t.same(
        rung,
        byPhone.destinations.map((d) => d.phone),
      );
    },
  );

  t.test(
    'a wireless caller placed by exchange is offered a zip for a few seconds, then their chain rings',
    async (t) => {
      const cell = '+19162015555'; // 916-201: Verizon Wireless, Sacramento
      const byPhone = await routeOf(app, `phone=${encodeURIComponent(cell)}`);
      const offer = parseTwiml((await postVoice(app, '/v1/twilio/voice', call(cell))).body);
      t.same(
        offer.map((v) => v.name),
        ['Gather', 'Redirect'],
      );
      const gather = offer[0]!;
      t.equal(gather.attrs.numDigits, '5');
      t.ok(Number(gather.attrs.timeout) <= 5, `a window of ${gather.attrs.timeout} s`);
      t.match(sayText([gather]), /cell phone.*five digit zip code.*stay on the line/);
      t.equal(new URL(gather.attrs.action!).searchParams.get('step'), 'offer');

      const silent = parseTwiml((await postVoice(app, offer[1]!.text, call(cell))).body);
      t.equal(dialOf(silent).number, byPhone.destinations[0]!.phone, 'silence: the exchange chain rings');
      t.equal(byPhone.destinations[0]!.state, 'CA');
      const zipped = parseTwiml((await postVoice(app, gather.attrs.action!, { ...call(cell), Digits: '10001' })).body);
      const byZip = await routeOf(app, 'zip=10001');
      t.equal(dialOf(zipped).number, byZip.destinations[0]!.phone, 'a zip entered routes by zip');
      t.equal(new URL(dialOf(zipped).action).searchParams.get('zip'), '10001');
    },
  );

  t.test('Spanish: pressing 9 repeats the prompt in Spanish, and the language carries through the call', async (t) => {
    const prompt = parseTwiml((await postVoice(app, '/v1/twilio/voice', call('Anonymous'))).body);
    t.match(sayText(prompt), /Para español, oprima 9/);
    const es = parseTwiml((await postVoice(app, prompt[0]!.attrs.action!, { ...call('Anonymous'), Digits: '9' })).body);
    const says = es[0]!.children.filter((c) => c.name === 'Say');
    t.ok(
      says.every((s) => s.attrs.language === 'es-US'),
      'every prompt in a Spanish voice',
    );
    t.match(sayText(es), /código postal de cinco dígitos/);
    t.equal(new URL(es[0]!.attrs.action!).searchParams.get('lang'), 'es');
    t.equal(
      new URL(es[0]!.attrs.action!).searchParams.get('prompts'),
      '1',
      'choosing a language is not a failed attempt',
    );
    const dial = dialOf(
      parseTwiml((await postVoice(app, es[0]!.attrs.action!, { ...call('Anonymous'), Digits: '12210' })).body),
    );
    t.equal(
      dial.number,
      (await routeOf(app, 'zip=12210&lang=es')).destinations[0]!.phone,
      'Spanish-speaking centers first',
    );
    const rollover = parseTwiml(
      (await postVoice(app, dial.action, { ...call('Anonymous'), DialCallStatus: 'busy' })).body,
    );
    t.match(sayText(rollover), /permanezca en la línea/);
  });

  t.test('?lang=es on the webhook URL answers in Spanish', async (t) => {
    const verbs = parseTwiml((await postVoice(app, '/v1/twilio/voice?lang=es', call('Anonymous'))).body);
    t.match(sayText(verbs), /código postal/);
    t.notMatch(sayText(verbs), /oprima 9/);
  });

  t.test("nothing of the caller's number is logged or put in a URL", async (t) => {
    t.notMatch(logs.text, /2122267834|8005550199|2019990000|9162015555/);
    t.match(logs.text, /"callerPrefix":"212226"/, 'the 6-digit prefix at most');
    const res = await postVoice(app, '/v1/twilio/voice', call(NEW_YORK_CALLER));
    t.notMatch(res.body, /2122267834/);
  });
});

t.test('Spanish by configuration, and the zip offer turned off', async (t) => {
  const { app } = await shippedApp({
    callers: { dialTimeoutSeconds: 25, defaultLanguage: 'es', wirelessZipOffer: false, widgetAllowedOrigins: [] },
  });
  t.teardown(() => app.close());
  const verbs = parseTwiml((await postVoice(app, '/v1/twilio/voice', call('Restricted'))).body);
  t.match(sayText(verbs), /código postal/);
  const dial = dialOf(parseTwiml((await postVoice(app, '/v1/twilio/voice', call(NEW_YORK_CALLER))).body));
  t.equal(dial.timeout, '25', 'the configured ring timeout');
  const cell = parseTwiml((await postVoice(app, '/v1/twilio/voice', call('+19162015555'))).body);
  t.same(
    cell.map((v) => v.name),
    ['Dial'],
    'WIRELESS_ZIP_OFFER=false: a wireless caller is rung at once',
  );
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
