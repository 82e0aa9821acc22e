/**
 * TwiML as strings: a handful of verbs is all the voice flow needs, and building them here keeps
 * escaping in one place. Everything a verb carries (text, URLs, numbers) goes through escapeXml.
 */
export type Verb = string & { readonly __verb: unique symbol };

const XML_ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' };

export function escapeXml(text: string): string {
  // XML 1.0 allows no C0 control character but tab and newlines (the Cc category less those, DEL and C1).
  return text.replace(/[^\P{Cc}\t\n\r\u007f-\u009f]/gu, '').replace(/[&<>"']/g, (c) => XML_ESCAPES[c]!);
}

type Attributes = Record<string, string | number | boolean | undefined>;

function element(name: string, attributes: Attributes, content?: string): Verb {
  const attrs = Object.entries(attributes)
    .filter((entry): entry is [string, string | number | boolean] => entry[1] !== undefined)
    .map(([key, value]) => ` ${key}="${escapeXml(String(value))}"`)
    .join('');
  return (content === undefined ? `<${name}${attrs}/>` : `<${name}${attrs}>${content}</${name}>`) as Verb;
}

export type Voice = { voice: string; language: string };

export function twimlResponse(...verbs: Verb[]): string {
  return `<?xml version="1.0" encoding="UTF-8"?><Response>${verbs.join('')}</Response>`;
}

export function say(text: string, voice: Voice): Verb {
  return element('Say', { voice: voice.voice, language: voice.language }, escapeXml(text));
}

export function pause(seconds: number): Verb {
  return element('Pause', { length: seconds });
}

export type DialOptions = {
  number: string;
  action: string;
  timeoutSeconds: number;
  callerId?: string | undefined;
  /** TwiML played to whoever answers, before the legs are bridged (the whisper). */
  screenUrl?: string | undefined;
};

/** Ring one number; Twilio posts DialCallStatus (and DialBridged) to action when the dialled leg ends. */
export function dial(options: DialOptions): Verb {
  return element(
    'Dial',
    {
      action: options.action,
      method: 'POST',
      timeout: options.timeoutSeconds,
      answerOnBridge: true,
      callerId: options.callerId,
    },
    element(
      'Number',
      options.screenUrl === undefined ? {} : { url: options.screenUrl, method: 'POST' },
      escapeXml(options.number),
    ),
  );
}

export type GatherOptions = { action: string; numDigits: number; timeoutSeconds: number; prompt: Verb[] };

/** Collect keypad digits while the prompt plays; Twilio posts Digits to action. */
export function gather(options: GatherOptions): Verb {
  return element(
    'Gather',
    {
      input: 'dtmf',
      numDigits: options.numDigits,
      timeout: options.timeoutSeconds,
      // No key ends the entry early: # and * arrive as keys, so a stray one is an entry, not silence.
      finishOnKey: '',
      action: options.action,
      method: 'POST',
    },
    options.prompt.join(''),
  );
}

export function redirect(url: string): Verb {
  return element('Redirect', { method: 'POST' }, escapeXml(url));
}

export function hangup(): Verb {
  return element('Hangup', {});
}
