import t from 'tap';
import { ConfigError, loadConfig } from '../../src/config.js';
import { callerSettingsFrom } from '../../src/settings.js';

t.test(
  'caller settings default to unsigned webhooks, 20 s rings, English, a zip offered to cell callers, no CORS',
  async (t) => {
    const defaults = {
      dialTimeoutSeconds: 20,
      defaultLanguage: 'en',
      wirelessZipOffer: true,
      widgetAllowedOrigins: [],
      screenCenters: true,
      screenNational: false,
      whispers: {
        en: 'Crisis line call. Press 1 to accept.',
        es: 'Llamada de la línea de crisis. Oprima 1 para aceptar.',
      },
      maxCenters: 3,
      ringBudgetSeconds: 60,
    };
    t.same(callerSettingsFrom(loadConfig({})), { twilioAuthToken: undefined, publicBaseUrl: undefined, ...defaults });
  },
);

t.test('caller settings are read from the environment', async (t) => {
  const settings = callerSettingsFrom(
    loadConfig({
      TWILIO_AUTH_TOKEN: 'f3c9a2b1d4e5f60718293a4b5c6d7e8f',
      PUBLIC_BASE_URL: 'https://hotline.example.org/routing/',
      TWILIO_DIAL_TIMEOUT_SECONDS: '25',
      TWILIO_LANGUAGE: 'es',
      WIDGET_ALLOWED_ORIGINS: 'https://a.example.org, https://b.example.org/',
      WIRELESS_ZIP_OFFER: 'false',
      TWILIO_SCREEN_CENTERS: 'false',
      TWILIO_SCREEN_NATIONAL: 'true',
      TWILIO_WHISPER_EN: ' Hotline call: press 1 to take it. ',
      TWILIO_WHISPER_ES: '',
      TWILIO_MAX_CENTERS: '0',
      TWILIO_RING_BUDGET_SECONDS: '90',
    }),
  );
  t.same(settings, {
    twilioAuthToken: 'f3c9a2b1d4e5f60718293a4b5c6d7e8f',
    publicBaseUrl: 'https://hotline.example.org/routing',
    dialTimeoutSeconds: 25,
    defaultLanguage: 'es',
    wirelessZipOffer: false,
    widgetAllowedOrigins: ['https://a.example.org', 'https://b.example.org'],
    screenCenters: false,
    screenNational: true,
    whispers: { en: 'Hotline call: press 1 to take it.', es: 'Llamada de la línea de crisis. Oprima 1 para aceptar.' },
    maxCenters: 0,
    ringBudgetSeconds: 90,
  });
});

t.test('a bad caller setting stops the start, naming the variable', async (t) => {
  const cases: Array<[Record<string, string>, RegExp]> = [
    [{ TWILIO_DIAL_TIMEOUT_SECONDS: '3' }, /TWILIO_DIAL_TIMEOUT_SECONDS="3": must be whole seconds from 5 to 600/],
    [{ TWILIO_LANGUAGE: 'fr' }, /TWILIO_LANGUAGE="fr": must be en or es/],
    [{ PUBLIC_BASE_URL: 'hotline.example.org' }, /PUBLIC_BASE_URL="hotline.example.org": must be the URL/],
    [
      { WIDGET_ALLOWED_ORIGINS: 'https://a.example.org/page' },
      /WIDGET_ALLOWED_ORIGINS=.*: must be comma-separated origins/,
    ],
    [{ TWILIO_SCREEN_CENTERS: 'yes' }, /TWILIO_SCREEN_CENTERS="yes": must be true or false/],
    [{ TWILIO_SCREEN_NATIONAL: 'no' }, /TWILIO_SCREEN_NATIONAL="no": must be true or false/],
    [{ TWILIO_WHISPER_EN: 'x'.repeat(201) }, /TWILIO_WHISPER_EN=.*: must be a short sentence of 1 to 200 characters/],
    [{ TWILIO_WHISPER_ES: 'Oprima\u00071' }, /TWILIO_WHISPER_ES=.*: must be plain text without control characters/],
    [{ TWILIO_MAX_CENTERS: '21' }, /TWILIO_MAX_CENTERS="21": must be a whole number of centers from 0 to 20/],
    [{ TWILIO_MAX_CENTERS: '2.5' }, /TWILIO_MAX_CENTERS="2.5": must be a whole number of centers from 0 to 20/],
    [{ TWILIO_RING_BUDGET_SECONDS: '5' }, /TWILIO_RING_BUDGET_SECONDS="5": must be whole seconds from 10 to 600/],
    [{ TWILIO_RING_BUDGET_SECONDS: 'a minute' }, /TWILIO_RING_BUDGET_SECONDS="a minute": must be whole seconds/],
    // A secret's value is never printed.
    [{ TWILIO_AUTH_TOKEN: 'has space' }, /TWILIO_AUTH_TOKEN: must be the Twilio auth token/],
  ];
  for (const [env, message] of cases) {
    const error = (() => {
      try {
        loadConfig(env);
      } catch (e) {
        return e;
      }
      return null;
    })();
    t.type(error, ConfigError, Object.keys(env)[0]!);
    t.match((error as Error | null)?.message, message);
  }
});
