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
    }),
  );
  t.same(settings, {
    twilioAuthToken: 'f3c9a2b1d4e5f60718293a4b5c6d7e8f',
    publicBaseUrl: 'https://hotline.example.org/routing',
    dialTimeoutSeconds: 25,
    defaultLanguage: 'es',
    wirelessZipOffer: false,
    widgetAllowedOrigins: ['https://a.example.org', 'https://b.example.org'],
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
