import t from 'tap';
import { isValidTwilioSignature, twilioSignature } from '../../src/twilio/signature.js';
import { shippedApp } from '../helpers/app.js';
import { dialOf, parseTwiml, postVoice } from '../helpers/twilio.js';

// Twilio's published example (its security docs and every helper library's tests).
const TOKEN = '12345';
const URL_ = 'https://mycompany.com/myapp.php?foo=1&bar=2';
const PARAMS = {
  CallSid: 'CA1234567890ABCDE',
  Caller: '+14158675309',
  Digits: '1234',
  From: '+14158675309',
  To: '+18005551212',
};
const SIGNATURE = 'RSOYDt4T1cUTdK1PDd93/VVr8B8=';

t.test("Twilio's documented example signature", async (t) => {
  t.equal(twilioSignature(TOKEN, URL_, PARAMS), SIGNATURE);
  t.ok(isValidTwilioSignature(TOKEN, URL_, PARAMS, SIGNATURE));
  const shuffled = {
    To: PARAMS.To,
    Digits: PARAMS.Digits,
    From: PARAMS.From,
    CallSid: PARAMS.CallSid,
    Caller: PARAMS.Caller,
  };
  t.ok(isValidTwilioSignature(TOKEN, URL_, shuffled, SIGNATURE), 'parameter order does not matter');
});

t.test('anything changed fails the check', async (t) => {
  t.notOk(isValidTwilioSignature(TOKEN, URL_, { ...PARAMS, Digits: '9999' }, SIGNATURE), 'a parameter');
  t.notOk(isValidTwilioSignature(TOKEN, URL_, { ...PARAMS, Extra: '1' }, SIGNATURE), 'an added parameter');
  t.notOk(isValidTwilioSignature(TOKEN, `${URL_}&baz=3`, PARAMS, SIGNATURE), 'the URL');
  t.notOk(isValidTwilioSignature('54321', URL_, PARAMS, SIGNATURE), 'the token');
  t.notOk(isValidTwilioSignature(TOKEN, URL_, PARAMS, 'RSOYDt4T1cUTdK1PDd93/VVr8B8'), 'a truncated signature');
  t.notOk(isValidTwilioSignature(TOKEN, URL_, PARAMS, undefined), 'no signature');
  t.notOk(isValidTwilioSignature(TOKEN, URL_, PARAMS, ''), 'an empty signature');
});

t.test('the default port may be spelled out or left out, as Twilio may sign either', async (t) => {
  const withPort = twilioSignature(TOKEN, 'https://mycompany.com:443/myapp.php?foo=1&bar=2', PARAMS);
  t.ok(isValidTwilioSignature(TOKEN, URL_, PARAMS, withPort));
  t.ok(isValidTwilioSignature(TOKEN, 'https://mycompany.com:443/myapp.php?foo=1&bar=2', PARAMS, SIGNATURE));
  const other = twilioSignature(TOKEN, 'https://mycompany.com:8443/myapp.php?foo=1&bar=2', PARAMS);
  t.notOk(isValidTwilioSignature(TOKEN, URL_, PARAMS, other), 'another port is another URL');
});

t.test('a repeated parameter signs each distinct value, sorted (the helper libraries agree)', async (t) => {
  const params = { Sid: 'CA123', SidAccount: 'AC123', Digits: ['5678', '1234', '1234'] };
  t.equal(twilioSignature(TOKEN, URL_, params), 'IK+Dwps556ElfBT0I3Rgjkr1wJU=');
});

t.test('the webhook with TWILIO_AUTH_TOKEN set', async (t) => {
  const token = 'f3c9a2b1d4e5f60718293a4b5c6d7e8f';
  const { app, logs } = await shippedApp({
    callers: {
      twilioAuthToken: token,
      dialTimeoutSeconds: 20,
      defaultLanguage: 'en',
      wirelessZipOffer: true,
      widgetAllowedOrigins: [],
    },
  });
  t.teardown(() => app.close());
  const params = { CallSid: 'CA1', From: '+12122267834', To: '+18005550000' };

  t.test('a signed request is answered', async (t) => {
    const res = await postVoice(app, '/v1/twilio/voice', params, { authToken: token, host: 'route.example.org' });
    t.equal(res.statusCode, 200);
    const dial = dialOf(parseTwiml(res.body));
    t.match(dial.action, /^http:\/\/route\.example\.org\/v1\/twilio\/voice\?/);
    const next = await postVoice(app, dial.action, { ...params, DialCallStatus: 'no-answer' }, { authToken: token });
    t.equal(next.statusCode, 200, 'and so is Twilio signing the action URL it was given');
  });

  t.test('unsigned, forged or tampered requests get 403', async (t) => {
    const unsigned = await postVoice(app, '/v1/twilio/voice', params, { signature: null });
    t.equal(unsigned.statusCode, 403);
    t.equal(unsigned.json().error.code, 'forbidden');
    const forged = await postVoice(app, '/v1/twilio/voice', params, {
      signature: twilioSignature('not-the-token', 'http://localhost/v1/twilio/voice', params),
    });
    t.equal(forged.statusCode, 403);
    const signedFor = twilioSignature(token, 'http://localhost/v1/twilio/voice', params);
    const tampered = await postVoice(
      app,
      '/v1/twilio/voice',
      { ...params, From: 'Anonymous' },
      { signature: signedFor },
    );
    t.equal(tampered.statusCode, 403, 'parameters changed after signing');
    const otherUrl = await postVoice(app, '/v1/twilio/voice?step=dial&tried=ny-new-york', params, {
      signature: signedFor,
    });
    t.equal(otherUrl.statusCode, 403, 'a state the signature does not cover');
    t.notMatch(logs.text, /2122267834/);
    t.match(logs.text, /signature missing or invalid/);
  });
});

t.test('behind a proxy, PUBLIC_BASE_URL is the URL signed and the one actions point to', async (t) => {
  const token = 'f3c9a2b1d4e5f60718293a4b5c6d7e8f';
  const { app } = await shippedApp({
    callers: {
      twilioAuthToken: token,
      publicBaseUrl: 'https://hotline.example.org/routing',
      dialTimeoutSeconds: 20,
      defaultLanguage: 'en',
      wirelessZipOffer: true,
      widgetAllowedOrigins: [],
    },
  });
  t.teardown(() => app.close());
  const params = { CallSid: 'CA1', From: '+12122267834', To: '+18005550000' };
  const publicUrl = 'https://hotline.example.org/routing/v1/twilio/voice';
  const res = await postVoice(app, '/v1/twilio/voice', params, {
    signature: twilioSignature(token, publicUrl, params),
    host: '10.0.0.5:3000',
  });
  t.equal(res.statusCode, 200);
  const dial = dialOf(parseTwiml(res.body));
  t.match(dial.action, /^https:\/\/hotline\.example\.org\/routing\/v1\/twilio\/voice\?step=dial/);
  const internal = await postVoice(app, '/v1/twilio/voice', params, { authToken: token, host: '10.0.0.5:3000' });
  t.equal(internal.statusCode, 403, 'a signature over the internal URL is not what Twilio would send');
});
