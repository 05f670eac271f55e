// The API documentation at /api/docs: the OpenAPI document (built by @fastify/swagger from the
// routes' schemas) rendered on the server as an NHS.UK page, so it is accessible and works
// without JavaScript (swagger-ui had 71 axe violations, issue #10 defect 13). The raw document
// stays at /api/docs/json (and /api/docs/yaml) for tools.
import { STATUS_CODES } from 'node:http';
import type { FastifyInstance } from 'fastify';

type Schema = {
  type?: string | string[];
  format?: string;
  enum?: unknown[];
  items?: Schema;
  $ref?: string;
  description?: string;
  properties?: Record<string, Schema>;
  required?: string[];
  nullable?: boolean;
  anyOf?: Schema[];
  oneOf?: Schema[];
};

type Operation = {
  summary?: string;
  description?: string;
  tags?: string[];
  security?: unknown[];
  parameters?: { name: string; in: string; required?: boolean; description?: string; schema?: Schema }[];
  requestBody?: { required?: boolean; content?: Record<string, { schema?: Schema }> };
  responses?: Record<string, { description?: string; content?: Record<string, { schema?: Schema }> }>;
};

export type OpenApiDocument = {
  info: { title: string; version: string; description?: string };
  paths?: Record<string, Record<string, Operation>>;
};

const METHODS = ['get', 'post', 'put', 'patch', 'delete'];

/** A schema's type in a few words: "string (date-time)", "one of: patient, staff", "list of slot". */
export function typeWords(s: Schema | undefined): string {
  if (!s) return 'any';
  if (s.$ref) return s.$ref.replace(/^#\/components\/schemas\//, '').replace(/#$/, '');
  if (s.enum) return `one of: ${s.enum.map(String).join(', ')}`;
  const alternatives = s.anyOf ?? s.oneOf;
  if (alternatives) return alternatives.map(typeWords).join(' or ');
  const type = Array.isArray(s.type) ? s.type.join(' or ') : (s.type ?? 'any');
  if (type === 'array') return `list of ${typeWords(s.items)}`;
  const format = s.format ? ` (${s.format})` : '';
  return `${type}${format}${s.nullable ? ', can be null' : ''}`;
}

function fields(s: Schema | undefined) {
  const required = new Set(s?.required ?? []);
  return Object.entries(s?.properties ?? {}).map(([name, p]) => ({
    name,
    type: typeWords(p),
    required: required.has(name) ? 'Yes' : 'No',
    description: p.description ?? '',
  }));
}

function firstContent(content: Record<string, { schema?: Schema }> | undefined) {
  const [type, body] = Object.entries(content ?? {})[0] ?? [];
  return type ? { contentType: type, schema: body?.schema } : null;
}

const slug = (s: string) =>
  s
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '');

/** The page's view model: operations grouped by their first tag, in the document's order. */
export function apiDocsView(doc: OpenApiDocument) {
  const groups = new Map<string, ReturnType<typeof operationView>[]>();
  for (const [path, item] of Object.entries(doc.paths ?? {})) {
    for (const method of METHODS) {
      const op = item[method];
      if (!op) continue;
      const tag = op.tags?.[0] ?? 'other';
      const list = groups.get(tag) ?? [];
      list.push(operationView(method, path, op));
      groups.set(tag, list);
    }
  }
  return {
    title: doc.info.title,
    version: doc.info.version,
    description: doc.info.description ?? '',
    groups: [...groups].map(([tag, operations]) => ({
      id: `tag-${slug(tag)}`,
      heading: tag.charAt(0).toUpperCase() + tag.slice(1),
      operations,
    })),
  };
}

function operationView(method: string, path: string, op: Operation) {
  const body = firstContent(op.requestBody?.content);
  return {
    id: slug(`${method} ${path}`),
    method: method.toUpperCase(),
    path,
    heading: op.summary ?? `${method.toUpperCase()} ${path}`,
    description: op.description ?? '',
    signedIn: Boolean(op.security?.length),
    parameters: (op.parameters ?? []).map((p) => ({
      name: p.name,
      where: p.in === 'path' ? 'path' : p.in === 'query' ? 'query string' : p.in,
      type: typeWords(p.schema),
      required: p.required ? 'Yes' : 'No',
      description: p.description ?? p.schema?.description ?? '',
    })),
    body: body ? { contentType: body.contentType, fields: fields(body.schema) } : null,
    responses: Object.entries(op.responses ?? {}).map(([status, r]) => ({
      status,
      meaning: STATUS_CODES[Number(status)] ?? '',
      description: r.description && r.description !== 'Default Response' ? r.description : '',
      fields: fields(firstContent(r.content)?.schema)
        .map((f) => f.name)
        .join(', '),
    })),
  };
}

export async function apiDocsRoutes(app: FastifyInstance): Promise<void> {
  let view: ReturnType<typeof apiDocsView> | undefined;
  // The document is complete once every route is added: read it on the first request.
  const document = (): OpenApiDocument => app.swagger() as unknown as OpenApiDocument;
  app.get('/api/docs', { config: { audience: 'public' }, schema: { hide: true } }, async (_req, reply) => {
    view ??= apiDocsView(document());
    return reply.page('home/views/api-docs.njk', { title: 'API documentation', api: view });
  });
  app.get('/api/docs/json', { config: { audience: 'public' }, schema: { hide: true } }, async () =>
    document(),
  );
  app.get('/api/docs/yaml', { config: { audience: 'public' }, schema: { hide: true } }, async (_req, reply) =>
    reply.type('application/x-yaml; charset=utf-8').send(app.swagger({ yaml: true })),
  );
}
