import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { twilioSignature } from '../../src/twilio/signature.js';

/** One TwiML element, normalised: verb name, attributes, text, and nested verbs in order. */
export type TwimlNode = { name: string; attrs: Record<string, string>; text: string; children: TwimlNode[] };

const parser = new XMLParser({
  preserveOrder: true,
  ignoreAttributes: false,
  attributeNamePrefix: '',
  parseAttributeValue: false,
  parseTagValue: false,
  trimValues: false,
});

type Ordered = Record<string, unknown> & { ':@'?: Record<string, string> };

function normalise(entries: Ordered[]): TwimlNode[] {
  const nodes: TwimlNode[] = [];
  for (const entry of entries) {
    const name = Object.keys(entry).find((key) => key !== ':@')!;
    if (name === '#text' || name === '?xml') continue;
    const inner = entry[name] as Ordered[];
    nodes.push({
      name,
      attrs: entry[':@'] ?? {},
      text: inner
        .filter((e) => '#text' in e)
        .map((e) => String(e['#text']))
        .join(''),
      children: normalise(inner),
    });
  }
  return nodes;
}

/** The verbs of a TwiML answer, after checking it is well-formed XML with a <Response> root. */
export function parseTwiml(xml: string): TwimlNode[] {
  const valid = XMLValidator.validate(xml);
  if (valid !== true) throw new Error(`not well-formed XML: ${valid.err.msg} at line ${valid.err.line}`);
  const root = normalise(parser.parse(xml) as Ordered[]);
  if (root.length !== 1 || root[0]!.name !== 'Response')
    throw new Error(`expected one <Response> root, got ${root.map((n) => n.name).join(', ')}`);
  return root[0]!.children;
}

export type VoiceOptions = { authToken?: string; signature?: string | null; host?: string };

/**
 * POST a Twilio webhook as Twilio would: form-encoded, signed with the auth token over the URL it
 * requested, when one is given. url may be absolute (an action URL from a previous answer).
 */
export async function postVoice(
  app: FastifyInstance,
  url: string,
  params: Record<string, string>,
  options: VoiceOptions = {},
): Promise<LightMyRequestResponse> {
  const absolute = new URL(url, `http://${options.host ?? 'localhost:80'}`);
  const headers: Record<string, string> = { 'content-type': 'application/x-www-form-urlencoded', host: absolute.host };
  if (options.signature !== undefined && options.signature !== null) headers['x-twilio-signature'] = options.signature;
  else if (options.authToken && options.signature !== null)
    headers['x-twilio-signature'] = twilioSignature(options.authToken, absolute.href, params);
  return app.inject({
    method: 'POST',
    url: absolute.pathname + absolute.search,
    headers,
    payload: new URLSearchParams(params).toString(),
  });
}

/** The single <Dial> in an answer: the number it rings and where Twilio reports back. */
export function dialOf(verbs: TwimlNode[]): {
  number: string;
  action: string;
  timeout: string;
  attrs: Record<string, string>;
} {
  const dials = verbs.filter((v) => v.name === 'Dial');
  if (dials.length !== 1) throw new Error(`expected one <Dial>, got ${verbs.map((v) => v.name).join(', ')}`);
  const dial = dials[0]!;
  const numbers = dial.children.filter((c) => c.name === 'Number');
  if (numbers.length !== 1) throw new Error('expected one <Number> in <Dial>');
  return { number: numbers[0]!.text, action: dial.attrs.action!, timeout: dial.attrs.timeout!, attrs: dial.attrs };
}
