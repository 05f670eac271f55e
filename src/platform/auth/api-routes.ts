// POST /api/v1/auth/token: email, password and security code in, a bearer token out.
import type { FastifyInstance } from 'fastify';
import { Type, typed } from '../http/schema.ts';
import { issueApiToken } from './sessions.ts';
import { signInAtOnce } from './signin.ts';
import { emailIn } from './signin-routes.ts';

const TokenRequest = Type.Object(
  {
    email: Type.String({ minLength: 3, maxLength: 254 }),
    password: Type.String({ minLength: 1, maxLength: 256 }),
    otp: Type.String({
      minLength: 6,
      maxLength: 20,
      description: 'A 6-digit TOTP code, or for patients a recovery code',
    }),
    user_type: Type.Optional(
      Type.Enum(['patient', 'staff'], {
        description: 'Which kind of account; when absent, patient accounts are tried first',
      }),
    ),
  },
  { additionalProperties: false },
);

const Token = Type.Object({
  access_token: Type.String(),
  token_type: Type.Enum(['Bearer']),
  expires_in: Type.Integer(),
});

const tokenSchema = {
  tags: ['auth'],
  summary: 'Sign in and get a bearer token',
  description:
    'Patients and staff sign in with email, password and the current code from their authenticator app (TOTP); each code works once. Every attempt is audited. Wrong passwords slow an address down (429, wait up to a minute) and never lock it; many wrong passwords from one network address get 429; five wrong codes after the right password lock the account until the practice (or for staff, an administrator) unlocks it.',
  body: TokenRequest,
  response: { 200: Token },
};

export async function authApiRoutes(app: FastifyInstance): Promise<void> {
  const { db, clock, config } = app.deps;
  typed(app).post(
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
          keyGenerator: (req) => `${req.ip}|${emailIn(req.body)?.toLowerCase() ?? ''}`,
        },
      },
    },
    async (req) => {
      const { type, principalId } = await signInAtOnce(
        { db, clock, meta: req.meta },
        { ...req.body, userType: req.body.user_type, key: config.totpKey },
      );
      const t = await issueApiToken(db, type, principalId, clock.now());
      return { access_token: t.token, token_type: 'Bearer' as const, expires_in: t.expiresIn };
    },
  );
}
