// Who a route is for, declared once per route (`config: { audience }`) and kept by one hook:
// pages send the wrong visitor to the right sign-in, the API answers 401 or 403. Which role may
// do what stays in the services; this only stops the wrong kind of visitor at the door, before
// any body is validated, so a patient learns nothing from a practice API's validation errors.
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Actor } from '../auth/actor.ts';
import { AppError } from './errors.ts';

/**
 * - `patient`: a signed-in patient (their own account; proxies come later).
 * - `staff`: signed-in practice or programme staff.
 * - `programme`: signed-in staff using the programme pages (commissioners, facilitators).
 * - `public`: anyone, signed in or not; a sign-in journey step checks its own session stage.
 */
export type Audience = 'patient' | 'staff' | 'programme' | 'public';

declare module 'fastify' {
  interface FastifyContextConfig {
    audience?: Audience;
    /** Where the sign-in page returns to when this route sent the visitor there (default: this page, for a GET). */
    signInNext?: string;
  }
}

/** Routes added by plugins (static files) are public; every other route must say. */
const PLUGIN_PREFIXES = ['/assets', '/css', '/nhsuk'];

const SIGN_IN: Record<Exclude<Audience, 'public'>, { page: string; home: string }> = {
  patient: { page: '/patient/sign-in', home: '/patient' },
  staff: { page: '/staff/sign-in', home: '/staff' },
  programme: { page: '/staff/sign-in', home: '/programme' },
};

export function admits(audience: Audience, actor: Actor | null): boolean {
  if (audience === 'public') return true;
  if (audience === 'patient') return actor?.kind === 'patient';
  return actor?.kind === 'staff';
}

/** Where someone part-way through signing in (or setting up) belongs now, or null. */
function unfinishedSignIn(req: FastifyRequest, audience: Audience): string | null {
  const s = req.session;
  if (!s || s.stage === 'full') return null;
  const kind = audience === 'patient' ? 'patient' : 'staff';
  if (s.principal_type !== kind) return null;
  if (s.stage === 'password') return `/${kind}/sign-in/code`;
  if (s.stage === 'totp-setup') return `/${kind}/set-up-authenticator`;
  return kind === 'patient' ? '/patient/recovery-codes' : null;
}

export function registerAudience(app: FastifyInstance, isApi: (req: FastifyRequest) => boolean): void {
  app.addHook('onRoute', (route) => {
    if (route.config?.audience) return;
    if (PLUGIN_PREFIXES.some((p) => route.url === p || route.url.startsWith(`${p}/`))) {
      route.config = { ...route.config, audience: 'public' };
      return;
    }
    throw new Error(`${[route.method].flat().join(',')} ${route.url} must declare config.audience`);
  });

  app.addHook('preValidation', async (req, reply) => {
    const { audience = 'public', signInNext } = req.routeOptions.config;
    if (admits(audience, req.actor) || audience === 'public') return;
    if (isApi(req)) {
      if (!req.actor)
        throw new AppError('unauthenticated', 'Send a bearer token from POST /api/v1/auth/token.');
      throw new AppError(
        'forbidden',
        audience === 'patient' ? 'This is for patients.' : 'This is for practice staff.',
      );
    }
    const step = unfinishedSignIn(req, audience);
    if (step) return reply.redirect(step);
    const { page, home } = SIGN_IN[audience];
    const path = req.url.split('?')[0];
    const next = signInNext ?? (req.method === 'GET' && path !== home ? req.url : undefined);
    return reply.redirect(next ? `${page}?next=${encodeURIComponent(next)}` : page);
  });
}
