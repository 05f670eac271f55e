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
import type { Config } from '../../config.ts';
import type { RequestMeta } from '../audit/audit.ts';
import type { Actor } from '../auth/actor.ts';
import type { Session } from '../auth/sessions.ts';
import { sessionAndActor, tokenActor } from '../auth/request-auth.ts';
import type { Clock } from '../clock.ts';
import type { Db, DbKind } from '../db/index.ts';
import { addFilters } from '../views/filters.ts';
import { databaseRateLimitStore } from './rate-limit-store.ts';
import { AppError } from './errors.ts';

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
  interface FastifyContextConfig {
    /** Pages reachable before sign-in completes (for example the security-code step). */
    public?: boolean;
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
    getToken: (req) =>
      (req.body as Record<string, string> | undefined)?._csrf ??
      (req.headers['x-csrf-token'] as string | undefined),
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
      const demoPanel = deps.demoPanel && config.demo ? await deps.demoPanel(clock.now()) : null;
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
    req.meta = { ip: req.ip, userAgent: req.headers['user-agent'] ?? null };
    const now = clock.now();
    const auth = req.headers.authorization;
    if (auth?.startsWith('Bearer ')) {
      req.actor = await tokenActor(db, auth.slice(7).trim(), now);
      return;
    }
    const token = req.cookies[SESSION_COOKIE];
    if (!token) return;
    const { session, actor } = await sessionAndActor(db, token, now);
    req.session = session;
    req.actor = actor;
  });

  // Coarse guard before any body is validated: practice APIs are for staff only. Services still
  // check the fine-grained permission; this stops a patient learning anything from validation.
  app.addHook('preValidation', async (req) => {
    if (!req.url.startsWith('/api/v1/practice/') && !req.url.startsWith('/api/v1/practice?')) return;
    if (!req.actor)
      throw new AppError('unauthenticated', 'Send a bearer token from POST /api/v1/auth/token.');
    if (req.actor.kind !== 'staff') throw new AppError('forbidden', 'This is for practice staff.');
  });

  // CSRF runs as a preHandler so it can read the urlencoded body. The JSON API uses bearer
  // tokens, never cookies, so it needs no CSRF token.
  app.addHook('preHandler', (req, reply, done) => {
    if (
      req.method === 'GET' ||
      req.method === 'HEAD' ||
      req.method === 'OPTIONS' ||
      req.url.startsWith('/api/')
    ) {
      done();
      return;
    }
    app.csrfProtection(req, reply, done);
  });
}
