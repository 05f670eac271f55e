// Platform plugins every feature stands on: security headers, cookies, CSRF, forms, rate limits,
// static files, views, and who is asking (session cookie or bearer token).
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import fastifyCookie from '@fastify/cookie';
import fastifyCsrf from '@fastify/csrf-protection';
import fastifyFormbody from '@fastify/formbody';
import fastifyHelmet from '@fastify/helmet';
import fastifyRateLimit from '@fastify/rate-limit';
import fastifyStatic from '@fastify/static';
import fastifyView from '@fastify/view';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import nunjucks from 'nunjucks';
import type { Config } from '../config.ts';
import type { RequestMeta } from '../audit/audit.ts';
import type { Actor } from '../auth/actor.ts';
import type { Session } from '../auth/sessions.ts';
import { sessionAndActor, tokenActor } from '../auth/request-auth.ts';
import { forgetSessionLookups } from '../auth/session-cache.ts';
import type { Clock } from '../clock.ts';
import type { Db, DbKind } from '../db/index.ts';
import { addFilters } from '../views/filters.ts';
import { databaseRateLimitStore } from './rate-limit-store.ts';
import { AppError } from './errors.ts';
import { registerAudience } from './audience.ts';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
const nhsukDist = join(root, 'node_modules', 'nhsuk-frontend', 'dist');

export const SESSION_COOKIE = 'gpo_session';

export type DemoPanel = { password: string; accounts: { who: string; email: string; code: string }[] };

export type AppDeps = {
  config: Config;
  db: Db;
  dbKind: DbKind;
  clock: Clock;
  /** Supplies the demo sign-in panel when the site runs in demo mode. */
  demoPanel?: (now: Date) => Promise<DemoPanel | null>;
};

declare module 'fastify' {
  interface FastifyInstance {
    deps: AppDeps;
  }
  interface FastifyRequest {
    actor: Actor | null;
    session: Session | null;
    meta: RequestMeta;
  }
  interface FastifyReply {
    page: (template: string, context?: Record<string, unknown>) => Promise<FastifyReply>;
    setSessionCookie: (session: Session | null) => FastifyReply;
  }
}

export async function registerPlatform(app: FastifyInstance, deps: AppDeps): Promise<void> {
  const { config, db, clock } = deps;
  app.decorate('deps', deps);

  await app.register(fastifyHelmet, {
    enableCSPNonces: true,
    contentSecurityPolicy: {
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        styleSrc: ["'self'"],
        imgSrc: ["'self'", 'data:'],
        fontSrc: ["'self'"],
        connectSrc: ["'self'"],
        formAction: ["'self'"],
        frameAncestors: ["'none'"],
        objectSrc: ["'none'"],
        baseUri: ["'self'"],
        // Plain-http test hosts other than localhost break with upgrade-insecure-requests.
        upgradeInsecureRequests: config.secureCookies ? [] : null,
      },
    },
    strictTransportSecurity: config.secureCookies,
  });
  await app.register(fastifyCookie, { secret: config.sessionSecret });
  await app.register(fastifyFormbody);
  await app.register(fastifyCsrf, {
    cookieKey: 'gpo_csrf',
    cookieOpts: { signed: true, httpOnly: true, sameSite: 'lax', secure: config.secureCookies, path: '/' },
    getToken: (req) => csrfTokenOf(req.body) ?? headerValue(req.headers['x-csrf-token']),
  });
  await app.register(fastifyRateLimit, { global: false, store: databaseRateLimitStore(db, clock) });

  await app.register(fastifyStatic, {
    root: join(nhsukDist, 'nhsuk', 'assets'),
    prefix: '/assets/',
    maxAge: '1d',
  });
  await app.register(fastifyStatic, {
    root: join(root, 'public', 'css'),
    prefix: '/css/',
    decorateReply: false,
    maxAge: '1h',
  });
  await app.register(fastifyStatic, {
    root: join(nhsukDist, 'nhsuk'),
    prefix: '/nhsuk/',
    decorateReply: false,
    allowedPath: (path) => path === '/nhsuk-frontend.min.js' || path === '/nhsuk-frontend.min.js.map',
    maxAge: '1d',
  });

  await app.register(fastifyView, {
    engine: { nunjucks },
    templates: [join(root, 'src'), nhsukDist],
    options: {
      onConfigure: (env: nunjucks.Environment) => {
        addFilters(env);
      },
      noCache: false,
    },
  });

  app.decorateRequest('actor', null);
  app.decorateRequest('session', null);
  app.decorateRequest('meta', null as unknown as RequestMeta);

  app.decorateReply('setSessionCookie', function (this: FastifyReply, session: Session | null) {
    if (session) {
      this.setCookie(SESSION_COOKIE, session.token, {
        httpOnly: true,
        sameSite: 'lax',
        secure: config.secureCookies,
        path: '/',
        expires: session.expires_at,
      });
    } else {
      this.clearCookie(SESSION_COOKIE, { path: '/' });
    }
    return this;
  });

  app.decorateReply(
    'page',
    async function (this: FastifyReply, template: string, context: Record<string, unknown> = {}) {
      const req = this.request;
      const csrfToken = this.generateCsrf();
      const nonce = (this as unknown as { cspNonce?: { script: string } }).cspNonce?.script ?? '';
      // The demo panel reads the database: an error page while the database is away still renders.
      const demoPanel =
        deps.demoPanel && config.demo ? await deps.demoPanel(clock.now()).catch(() => null) : null;
      const html = await this.viewAsync(template, {
        actor: req.actor,
        csrfToken,
        cspNonce: nonce,
        currentPath: req.url,
        demoPanel,
        ...context,
      });
      return this.type('text/html; charset=utf-8').send(html);
    },
  );

  app.addHook('onRequest', async (req: FastifyRequest) => {
    req.meta = { ip: req.ip, userAgent: req.headers['user-agent']?.replaceAll('\u0000', '') ?? null };
    // A NUL byte in the path (encoded or not) names no page or file: refuse it before anything
    // (the static file plugin would otherwise fail on it with a 500).
    const path = req.url.split('?')[0] ?? '';
    if (path.includes('\u0000') || path.toLowerCase().includes('%00'))
      throw AppError.invalid([{ field: 'path', message: 'The web address has a NUL byte in it' }]);
    const api = isJsonApi(routePath(req));
    if (api) refuseNonJsonBody(req);
    // A change may end sessions or disable an account: no session lookup outlives it.
    if (req.method !== 'GET' && req.method !== 'HEAD') forgetSessionLookups();
    const now = clock.now();
    const auth = req.headers.authorization;
    if (auth?.startsWith('Bearer ')) {
      req.actor = await tokenActor(db, auth.slice(7).trim(), now);
      return;
    }
    // The JSON API is bearer-only: a session cookie alone signs nobody in there, so a page on
    // another site cannot make a signed-in browser book, cancel or read through the API.
    if (api) return;
    const token = req.cookies[SESSION_COOKIE];
    if (!token) return;
    const { session, actor } = await sessionAndActor(db, token, now);
    req.session = session;
    req.actor = actor;
  });

  // And after it: a lookup made while it ran may predate what it changed.
  app.addHook('onResponse', async (req) => {
    if (req.method !== 'GET' && req.method !== 'HEAD') forgetSessionLookups();
  });

  registerAudience(app, (req) => isJsonApi(routePath(req)));

  // PostgreSQL refuses NUL in text: a NUL byte anywhere in the query, the path parameters or the
  // body is a 400 naming the field, before any validation or SQL sees it.
  app.addHook('preValidation', async (req) => {
    const fields = [
      ...nulFields(req.params, ''),
      ...nulFields(req.query, ''),
      ...nulFields(req.body, ''),
    ].map((field) => ({ field, message: `${field} must not contain a NUL byte` }));
    // Ajv turns "1e309" or "Infinity" in a query into Infinity and then lets it past `maximum`:
    // a number field of the query or path must be a finite number.
    const schema = req.routeOptions.schema;
    fields.push(
      ...nonFiniteNumbers(schema?.querystring, req.query),
      ...nonFiniteNumbers(schema?.params, req.params),
      ...nonFiniteNumbers(schema?.body, req.body),
    );
    if (fields.length) throw AppError.invalid(fields);
  });

  // Personal data is never kept by a browser or a proxy: every answer but the static files is
  // no-store (pages, API answers, the token answer, errors, even the public pages, which show
  // who is signed in).
  app.addHook('onSend', async (req, reply) => {
    if (!isStaticPath(req.url)) reply.header('cache-control', 'no-store');
  });

  // CSRF runs as a preHandler so it can read the urlencoded body. The JSON API uses bearer
  // tokens, never cookies, so it needs no CSRF token.
  app.addHook('preHandler', (req, reply, done) => {
    if (
      req.method === 'GET' ||
      req.method === 'HEAD' ||
      req.method === 'OPTIONS' ||
      isJsonApi(routePath(req))
    ) {
      done();
      return;
    }
    app.csrfProtection(req, reply, done);
  });
}

const STATIC_PREFIXES = ['/assets/', '/css/', '/nhsuk/'];

function isStaticPath(url: string): boolean {
  return STATIC_PREFIXES.some((p) => url.startsWith(p));
}

/**
 * The path of the route the router matched (a pattern such as /api/v1/appointments/:id), or the
 * raw path when none did. Checks use this, never req.url: the router decodes the path, so
 * /api/%761/appointments reaches /api/v1/appointments while req.url still starts /api/%76.
 */
function routePath(req: FastifyRequest): string {
  return req.routeOptions.url ?? req.url.split('?')[0] ?? '';
}

/** The JSON API under /api/v1 (the token endpoint is part of it). */
function isJsonApi(path: string): boolean {
  return path.startsWith('/api/v1/') || path === '/api/v1';
}

/** The token endpoint also takes a form, as OAuth clients send one; it needs no cookie. */
const FORM_ALLOWED = new Set(['/api/v1/auth/token']);

/** A request to the JSON API with a body must send JSON (application/json or a +json type). */
function refuseNonJsonBody(req: FastifyRequest): void {
  const hasBody =
    req.headers['transfer-encoding'] !== undefined ||
    (req.headers['content-length'] !== undefined && req.headers['content-length'] !== '0');
  if (!hasBody) return;
  const type = req.headers['content-type'];
  const media = (type ?? '').split(';')[0]?.trim().toLowerCase() ?? '';
  if (media === 'application/json' || /^application\/[a-z0-9.+-]*\+json$/.test(media)) return;
  if (media === 'application/x-www-form-urlencoded' && FORM_ALLOWED.has(routePath(req))) return;
  throw new AppError('unsupported-media-type', 'Send the body as JSON (Content-Type: application/json).');
}

/** JSON pointers of every string (or key) holding a NUL byte, at most a few levels deep. */
function nulFields(value: unknown, pointer: string, depth = 0): string[] {
  if (typeof value === 'string') return value.includes('\u0000') ? [pointer || '/'] : [];
  if (!value || typeof value !== 'object' || depth > 32) return [];
  const out: string[] = [];
  const entries = Array.isArray(value) ? value.map((v, i) => [String(i), v] as const) : Object.entries(value);
  for (const [k, v] of entries) {
    const p = `${pointer}/${k.replaceAll('~', '~0').replaceAll('/', '~1')}`;
    if (k.includes('\u0000')) out.push(p);
    out.push(...nulFields(v, p, depth + 1));
  }
  return out;
}

/** Fields whose schema type is a number but whose value (a string, before coercion) is not finite. */
function nonFiniteNumbers(schema: unknown, value: unknown): { field: string; message: string }[] {
  const props = (schema as { properties?: Record<string, { type?: unknown }> } | undefined)?.properties;
  if (!props || !value || typeof value !== 'object') return [];
  const out: { field: string; message: string }[] = [];
  for (const [name, s] of Object.entries(props)) {
    const types = [s.type].flat();
    if (!types.includes('integer') && !types.includes('number')) continue;
    const v = (value as Record<string, unknown>)[name];
    for (const x of [v].flat()) {
      if (typeof x === 'string' && x.trim() !== '' && !Number.isFinite(Number(x))) {
        out.push({ field: `/${name}`, message: `/${name} must be a finite number` });
        break;
      }
    }
  }
  return out;
}

/** The `_csrf` field of a form body, whatever shape the body has. */
function csrfTokenOf(body: unknown): string | undefined {
  if (!body || typeof body !== 'object' || !('_csrf' in body)) return undefined;
  const token: unknown = body._csrf;
  return typeof token === 'string' ? token : undefined;
}

function headerValue(h: string | string[] | undefined): string | undefined {
  return Array.isArray(h) ? h[0] : h;
}
