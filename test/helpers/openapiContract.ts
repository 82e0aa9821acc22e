import { readFileSync } from 'node:fs';
import { Ajv, type ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';
import { parse } from 'yaml';

type Operation = { responses: Record<string, Response | { $ref: string }> };
type Response = { description: string; content?: Record<string, { schema?: unknown }> };
type Document = {
  paths: Record<string, Record<string, Operation>>;
  components: { responses?: Record<string, Response> };
};

export type SeenResponse = {
  method: string;
  url: string;
  statusCode: number;
  contentType: string | undefined;
  body: string;
};

/** Paths outside the API contract: Swagger UI's own assets, and routes a test registers itself (named test-only). */
const OUTSIDE_CONTRACT = /^\/docs\/|\/test-only/;

/** openapi.yaml, and a check of one response against it: documented path, status, media type, body schema. */
export class OpenApiContract {
  readonly document: Document;
  private readonly ajv: Ajv;
  private readonly validators = new Map<string, ValidateFunction>();
  private readonly templates: Array<{ template: string; pattern: RegExp }>;

  constructor(path = 'openapi.yaml') {
    this.document = parse(readFileSync(path, 'utf8')) as Document;
    // strict: false lets OpenAPI-only keywords (example, description on refs) through; nullable is understood.
    this.ajv = new Ajv({ strict: false, allErrors: true });
    addFormats.default(this.ajv);
    this.ajv.addSchema(this.document as object, 'openapi');
    this.templates = Object.keys(this.document.paths).map((template) => {
      const escaped = template.replace(/[.*+?^$()|[\]\\]/g, '\\$&');
      // An empty segment still reaches the route (and its 400).
      return { template, pattern: new RegExp(`^${escaped.replace(/\{[^}]+\}/g, '[^/]*')}$`) };
    });
  }

  /** What is wrong with a response, or null when it matches the contract. */
  problemWith(seen: SeenResponse): string | null {
    const path = seen.url.split('?')[0] ?? '';
    const what = `${seen.method} ${path} → ${seen.statusCode}`;
    const template = this.templates.find((t) => t.pattern.test(path))?.template;
    if (!template)
      return OUTSIDE_CONTRACT.test(path) || seen.statusCode === 404 || seen.method === 'OPTIONS'
        ? null
        : `${what}: path not in openapi.yaml`;
    const method = seen.method === 'HEAD' ? 'get' : seen.method.toLowerCase();
    const operation = this.document.paths[template]?.[method];
    // A method the contract does not list gets the not-found answer, like a path it does not list.
    if (!operation) return seen.statusCode === 404 ? null : `${what}: method not documented for ${template}`;
    const status = String(seen.statusCode);
    const key =
      status in operation.responses
        ? status
        : `${status[0]}XX` in operation.responses
          ? `${status[0]}XX`
          : 'default' in operation.responses
            ? 'default'
            : null;
    if (!key) return `${what}: status not documented for ${seen.method} ${template}`;
    let pointer = `/paths/${escape(template)}/${method}/responses/${key}`;
    let response = operation.responses[key]!;
    if ('$ref' in response) {
      const name = response.$ref.replace('#/components/responses/', '');
      pointer = `/components/responses/${escape(name)}`;
      response = this.document.components.responses?.[name] as Response;
    }
    if (!response.content)
      return seen.body === '' || seen.method === 'HEAD' ? null : `${what}: documented without a body, but one was sent`;
    const mediaType = (seen.contentType ?? '').split(';')[0]!.trim();
    if (!(mediaType in response.content)) {
      const documented = Object.keys(response.content).join(', ');
      return `${what}: content-type ${mediaType || '(none)'} not documented (${documented})`;
    }
    if (!response.content[mediaType]!.schema || seen.method === 'HEAD') return null;
    if (!mediaType.includes('json')) return typeof seen.body === 'string' ? null : `${what}: body is not text`;
    const validate = this.validator(`openapi#${pointer}/content/${escape(mediaType)}/schema`);
    if (validate(JSON.parse(seen.body))) return null;
    return `${what}: body does not match openapi.yaml: ${this.ajv.errorsText(validate.errors)}`;
  }

  private validator(ref: string): ValidateFunction {
    let validate = this.validators.get(ref);
    if (!validate) {
      validate = this.ajv.getSchema(ref);
      if (!validate) throw new Error(`openapi.yaml has no schema at ${ref}`);
      this.validators.set(ref, validate);
    }
    return validate;
  }
}

function escape(segment: string): string {
  return segment.replace(/~/g, '~0').replace(/\//g, '~1');
}

let shared: OpenApiContract | undefined;
export function contract(): OpenApiContract {
  shared ??= new OpenApiContract();
  return shared;
}
