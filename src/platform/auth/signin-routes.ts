// The one sign-in journey, for patients and for staff: email and password, then the security
// code, then home (or where the visitor was going); and signing out. What differs between the
// two is a SignInJourney, declared by the feature that owns the people signing in.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { PrincipalType, SessionStage } from '../db/schema.ts';
import type { Ctx } from '../context.ts';
import { auditAlone } from '../audit/use-case.ts';
import { AppError, type FieldError } from '../http/errors.ts';
import { formFields, Type, typed } from '../http/schema.ts';
import { formBody, handleForm } from '../views/forms.ts';
import type { Actor } from './actor.ts';
import { sha256 } from './secrets.ts';
import { advanceSession, createSession, deleteAllFor, deleteSession, type Session } from './sessions.ts';
import { checkCodeStep, checkPasswordStep } from './signin.ts';

export type SignInJourney = {
  who: PrincipalType;
  title: string;
  /** Where a signed-in visitor belongs when no `next` says otherwise. */
  home: string;
  /** The sign-in page offers to create an account. */
  signUp: boolean;
  /** The code step also takes a recovery code. */
  recoveryCodes: boolean;
  /** Signing out may end every session and API token of the account. */
  signOutEverywhere: boolean;
  /** `?next=` is carried through each step (otherwise only a direct post of the code step has one). */
  keepsNext: boolean;
  /**
   * Where a patient who signed in with a recovery code goes next (to set up their authenticator
   * again); the session then says so in its data (`signedInWithRecoveryCode`).
   */
  afterRecoveryCode?: string;
  /** Set-up steps after the password, owned by the feature (patients: authenticator, recovery codes). */
  steps: Partial<Record<SessionStage, string>>;
  /** The right password for an address never confirmed: the feature answers (patients: a fresh link). */
  unconfirmedEmail?: (
    req: FastifyRequest,
    reply: FastifyReply,
    account: { principalId: string; email: string },
  ) => Promise<FastifyReply>;
};

/**
 * Sign-in, security-code and linking forms: 10 tries per 15 minutes for one account from one
 * address, counted in the database so the limit holds across processes. It runs as a preHandler
 * so the key can use the parsed body: keyed by address alone, one shared address (a practice's
 * waiting-room tablet, a mobile network) would lock out everyone behind it.
 */
export const signInRateLimit = {
  max: 10,
  timeWindow: 15 * 60_000,
  hook: 'preHandler' as const,
  keyGenerator: (req: FastifyRequest): string => {
    const email = emailIn(req.body);
    const who =
      email !== undefined ? email.trim().toLowerCase() : (req.session?.principal_id ?? req.actor?.kind ?? '');
    return `${req.ip}|${who}`;
  },
};

/**
 * Signed-in account forms (change password or email, new recovery codes, a new authenticator):
 * keyed on the signed-in account, never on the body (whose email may be any new address) nor
 * only on the network address, so one session cannot get fresh tries by changing a field.
 */
export const accountFormRateLimit = {
  max: 10,
  timeWindow: 15 * 60_000,
  hook: 'preHandler' as const,
  keyGenerator: (req: FastifyRequest): string =>
    req.session ? `account|${req.session.principal_type}|${req.session.principal_id}` : `${req.ip}|`,
};

/**
 * Public forms that spend a link (a new password, a new address): keyed on the network address
 * and the link's token (hashed), so people behind one shared address do not share 10 tries.
 */
export const linkFormRateLimit = {
  max: 10,
  timeWindow: 15 * 60_000,
  hook: 'preHandler' as const,
  keyGenerator: (req: FastifyRequest): string => `${req.ip}|link:${sha256(tokenIn(req.body) ?? '')}`,
};

function tokenIn(body: unknown): string | undefined {
  if (typeof body !== 'object' || body === null || !('token' in body)) return undefined;
  return typeof body.token === 'string' ? body.token : undefined;
}

/** The email address of a parsed body, when it has one as a string. */
export function emailIn(body: unknown): string | undefined {
  if (typeof body !== 'object' || body === null || !('email' in body)) return undefined;
  return typeof body.email === 'string' ? body.email : undefined;
}

/** Only same-site paths are followed after sign-in, never another host. */
export function safeNext(next: string | undefined, fallback: string): string {
  return next && /^\/[a-zA-Z0-9/_\-?=&.]*$/.test(next) && !next.startsWith('//') ? next : fallback;
}

const paths = (j: SignInJourney) => ({
  signIn: `/${j.who}/sign-in`,
  forgotten: `/${j.who}/forgotten-password`,
  code: `/${j.who}/sign-in/code`,
  signOut: `/${j.who}/sign-out`,
});

/** Where someone of this journey part-way through signing in belongs now; null when signed in. */
export function journeyStep(req: FastifyRequest, j: SignInJourney): string | null {
  if (req.actor?.kind === j.who) return null;
  const s = req.session;
  if (s?.principal_type !== j.who) return paths(j).signIn;
  if (s.stage === 'password') return paths(j).code;
  return j.steps[s.stage] ?? paths(j).signIn;
}

/**
 * The session when it is at this step of the journey; otherwise the visitor is sent to the step
 * they are at (or home) and null comes back.
 */
export function sessionAt(
  req: FastifyRequest,
  reply: FastifyReply,
  j: SignInJourney,
  stage: SessionStage,
): Session | null {
  const s = req.session;
  if (s?.principal_type === j.who && s.stage === stage) return s;
  void reply.redirect(journeyStep(req, j) ?? j.home);
  return null;
}

const NextQuery = Type.Object({ next: Type.Optional(Type.String()) });
const CODE_TITLE = 'Enter the security code';

function principalOf(actor: Actor): { type: PrincipalType; id: string } {
  return actor.kind === 'patient'
    ? { type: 'patient', id: actor.accountId }
    : { type: 'staff', id: actor.staffId };
}

export async function signInJourneyRoutes(app: FastifyInstance, j: SignInJourney): Promise<void> {
  const { db, clock, config } = app.deps;
  const r = typed(app);
  const ctx = (req: FastifyRequest): Ctx => ({ db, clock, meta: req.meta });
  const path = paths(j);
  const carried = (next: string | undefined) =>
    j.keepsNext && next ? `?next=${encodeURIComponent(next)}` : '';
  const page = { hide: true, querystring: NextQuery };

  r.get(path.signIn, { config: { audience: 'public' }, schema: page }, async (req, reply) => {
    if (req.actor?.kind === j.who) return reply.redirect(j.home);
    return reply.page('platform/views/auth/sign-in.njk', {
      title: j.title,
      values: {},
      action: path.signIn + carried(req.query.next),
      signUp: j.signUp,
      forgotten: path.forgotten,
    });
  });
  r.post(
    path.signIn,
    {
      schema: { ...page, body: formFields('email', 'password') },
      config: { audience: 'public', rateLimit: signInRateLimit },
    },
    async (req, reply) => {
      const values = formBody(req.body);
      const action = path.signIn + carried(req.query.next);
      return handleForm(
        reply,
        'platform/views/auth/sign-in.njk',
        { title: j.title, action, signUp: j.signUp, forgotten: path.forgotten, firstField: 'email' },
        { email: values.email },
        async () => {
          const missing: FieldError[] = [];
          if (!values.email) missing.push({ field: 'email', message: 'Enter your email address' });
          if (!values.password) missing.push({ field: 'password', message: 'Enter your password' });
          if (missing.length) throw AppError.invalid(missing);
          const ok = await checkPasswordStep(ctx(req), {
            type: j.who,
            email: values.email ?? '',
            password: values.password ?? '',
          });
          if (req.session) await deleteSession(db, req.session);
          if (ok.needsEmailConfirmation && j.unconfirmedEmail)
            return j.unconfirmedEmail(req, reply, {
              principalId: ok.principalId,
              email: (values.email ?? '').trim(),
            });
          const setUp = ok.needsTotpSetup ? j.steps['totp-setup'] : undefined;
          const session = await createSession(
            db,
            { principalType: j.who, principalId: ok.principalId, stage: setUp ? 'totp-setup' : 'password' },
            clock.now(),
          );
          return reply.setSessionCookie(session).redirect(setUp ?? path.code + carried(req.query.next));
        },
      );
    },
  );

  r.get(path.code, { config: { audience: 'public' }, schema: page }, async (req, reply) => {
    if (!sessionAt(req, reply, j, 'password')) return reply;
    return reply.page('platform/views/auth/code.njk', {
      title: CODE_TITLE,
      action: path.code + carried(req.query.next),
      recovery: j.recoveryCodes,
      staff: j.who === 'staff',
      values: {},
    });
  });
  r.post(
    path.code,
    {
      schema: { ...page, body: formFields('code') },
      config: { audience: 'public', rateLimit: signInRateLimit },
    },
    async (req, reply) => {
      const session = sessionAt(req, reply, j, 'password');
      if (!session) return reply;
      const values = formBody(req.body);
      return handleForm(
        reply,
        'platform/views/auth/code.njk',
        {
          title: CODE_TITLE,
          action: path.code + carried(req.query.next),
          recovery: j.recoveryCodes,
          staff: j.who === 'staff',
          firstField: 'code',
        },
        {},
        async () => {
          if (!values.code)
            throw AppError.invalid([
              { field: 'code', message: 'Enter the 6-digit code from your authenticator app' },
            ]);
          const method = await checkCodeStep(ctx(req), {
            type: j.who,
            principalId: session.principal_id,
            code: values.code,
            key: config.totpKey,
          });
          if (method === 'recovery-code' && j.afterRecoveryCode) {
            const data = { ...session.data, signedInWithRecoveryCode: true };
            const full = await advanceSession(db, session, { stage: 'full', now: clock.now(), data });
            return reply.setSessionCookie(full).redirect(j.afterRecoveryCode);
          }
          const full = await advanceSession(db, session, { stage: 'full', now: clock.now() });
          return reply.setSessionCookie(full).redirect(safeNext(req.query.next, j.home));
        },
      );
    },
  );

  // --- Sign out (here, or for patients on every device) ---
  r.get(path.signOut, { config: { audience: 'public' }, schema: { hide: true } }, async (req, reply) => {
    if (!req.actor) return reply.redirect(path.signIn);
    return reply.page('platform/views/auth/sign-out.njk', {
      title: 'Sign out',
      action: path.signOut,
      everywhere: j.signOutEverywhere,
    });
  });
  r.post(
    path.signOut,
    { config: { audience: 'public' }, schema: { hide: true, body: formFields('scope') } },
    async (req, reply) => {
      const everywhere = j.signOutEverywhere && formBody(req.body).scope === 'everywhere';
      const actor = req.actor;
      if (req.session) await deleteSession(db, req.session);
      if (actor) {
        const { type, id } = principalOf(actor);
        const ended = everywhere ? (await deleteAllFor(db, type, id)) + 1 : 1;
        await auditAlone(ctx(req), actor, {
          action: everywhere ? 'auth.sign-out-everywhere' : 'auth.sign-out',
          details: j.signOutEverywhere ? { sessionsEnded: ended } : undefined,
        });
      }
      return reply.setSessionCookie(null).page('platform/views/auth/signed-out.njk', {
        title: 'You have signed out',
        actor: null,
        everywhere,
      });
    },
  );
}
