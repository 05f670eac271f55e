// POST /api/v1/auth/token: email, password and security code in, a bearer token out.
import type { FastifyInstance } from 'fastify';
import { AppError } from '../http/errors.ts';
import { issueApiToken } from './sessions.ts';
import { checkCodeStep, checkPasswordStep, SIGN_IN_FAILED } from './signin.ts';

const tokenSchema = {
  tags: ['auth'],
  summary: 'Sign in and get a bearer token',
  description:
    'Patients and staff sign in with email, password and the current code from their authenticator app (TOTP); each code works once. Every attempt is audited. Wrong passwords slow an address down (429, wait up to a minute) and never lock it; many wrong passwords from one network address get 429; five wrong codes after the right password lock the account until the practice (or for staff, an administrator) unlocks it.',
  body: {
    type: 'object',
    required: ['email', 'password', 'otp'],
    additionalProperties: false,
    properties: {
      email: { type: 'string', minLength: 3, maxLength: 254 },
      password: { type: 'string', minLength: 1, maxLength: 256 },
      otp: {
        type: 'string',
        minLength: 6,
        maxLength: 20,
        description: 'A 6-digit TOTP code, or for patients a recovery code',
      },
      user_type: {
        type: 'string',
        enum: ['patient', 'staff'],
        description: 'Which kind of account; when absent, patient accounts are tried first',
      },
    },
  },
  response: {
    200: {
      type: 'object',
      properties: {
        access_token: { type: 'string' },
        token_type: { type: 'string', enum: ['Bearer'] },
        expires_in: { type: 'integer' },
      },
    },
  },
} as const;

export async function authApiRoutes(app: FastifyInstance): Promise<void> {
  const { db, clock } = app.deps;
  app.post<{ Body: { email: string; password: string; otp: string; user_type?: 'patient' | 'staff' } }>(
    '/api/v1/auth/token',
    {
      schema: tokenSchema,
      config: {
        audience: 'public',
        rateLimit: {
          max: 10,
          timeWindow: 15 * 60_000,
          // After the body is parsed, so the key can include the email address.
          hook: 'preHandler',
          keyGenerator: (req) => {
            const email = (req.body as { email?: unknown } | undefined)?.email;
            return `${req.ip}|${typeof email === 'string' ? email.toLowerCase() : ''}`;
          },
        },
      },
    },
    async (req) => {
      const { email, password, otp } = req.body;
      const now = clock.now();
      const types = req.body.user_type ? [req.body.user_type] : (['patient', 'staff'] as const);
      for (const type of types) {
        const exists =
          type === 'patient'
            ? await db
                .selectFrom('online_accounts')
                .select('id')
                .where((eb) => eb(eb.fn('lower', ['email']), '=', email.trim().toLowerCase()))
                .executeTakeFirst()
            : await db
                .selectFrom('staff_users')
                .select('id')
                .where((eb) => eb(eb.fn('lower', ['email']), '=', email.trim().toLowerCase()))
                .executeTakeFirst();
        if (!exists && type !== types[types.length - 1]) continue;
        const ok = await checkPasswordStep(db, type, email, password, now, req.meta);
        if (ok.needsTotpSetup)
          throw new AppError(
            'unauthenticated',
            'Set up your authenticator app on the website before using the API.',
            { reason: 'totp-not-set-up' },
          );
        await checkCodeStep(db, type, ok.principalId, otp, now, req.meta, app.deps.config.totpKey);
        const t = await issueApiToken(db, type, ok.principalId, now);
        return { access_token: t.token, token_type: 'Bearer', expires_in: t.expiresIn };
      }
      throw new AppError('unauthenticated', SIGN_IN_FAILED);
    },
  );
}
