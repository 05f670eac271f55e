// Pieces shared by the accounts routes: schemas, rate limits and form date parsing.
import type { FastifyRequest } from 'fastify';
import type { FormBody } from '../platform/views/forms.ts';

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
    const email = (req.body as { email?: unknown } | undefined)?.email;
    const who =
      typeof email === 'string'
        ? email.trim().toLowerCase()
        : (req.session?.principal_id ?? req.actor?.kind ?? '');
    return `${req.ip}|${who}`;
  },
};

/** Creating accounts: 20 per 15 minutes from one address. */
export const signUpRateLimit = { max: 20, timeWindow: 15 * 60_000 };

/** Joins an nhsuk date input (fields name[day], name[month], name[year]) into YYYY-MM-DD, or '' when incomplete. */
export function dateFromParts(values: FormBody, name: string): string {
  const d = values[`${name}[day]`] ?? '';
  const m = values[`${name}[month]`] ?? '';
  const y = values[`${name}[year]`] ?? '';
  if (!/^\d{1,2}$/.test(d) || !/^\d{1,2}$/.test(m) || !/^\d{4}$/.test(y)) return '';
  return `${y}-${m.padStart(2, '0')}-${d.padStart(2, '0')}`;
}

const problem = { $ref: 'problem#' } as const;

export const meSchema = {
  tags: ['account'],
  summary: 'Who am I',
  description:
    'The signed-in patient (with linked record, proofing level and which online services are available) or staff user.',
  security: [{ bearer: [] }],
  response: {
    200: {
      type: 'object',
      properties: {
        type: { type: 'string', enum: ['patient', 'staff'] },
        id: { type: 'string' },
        email: { type: 'string' },
        name: { type: 'string' },
        role: { type: 'string' },
        practice_ods: { type: ['string', 'null'] },
        proofing_level: { type: 'string', enum: ['P0', 'P5', 'P9'] },
        linked: { type: 'boolean' },
        record_level: { type: 'string' },
        patient: {
          type: ['object', 'null'],
          properties: {
            given_name: { type: 'string' },
            family_name: { type: 'string' },
            nhs_number: { type: 'string' },
            birth_date: { type: 'string', format: 'date' },
            practice_ods: { type: 'string' },
            practice_name: { type: 'string' },
          },
        },
        services: {
          type: 'array',
          items: {
            type: 'object',
            properties: {
              service: { type: 'string' },
              status: { type: 'string' },
              required_level: { type: 'string' },
            },
          },
        },
      },
    },
    401: problem,
  },
} as const;

export const linkSchema = {
  tags: ['account'],
  summary: 'Link the signed-in account to a GP record with a registration letter',
  security: [{ bearer: [] }],
  body: {
    type: 'object',
    required: ['ods_code', 'account_id', 'linkage_key', 'surname', 'birth_date'],
    additionalProperties: false,
    properties: {
      ods_code: { type: 'string', maxLength: 8 },
      account_id: { type: 'string', maxLength: 20 },
      linkage_key: { type: 'string', maxLength: 30 },
      surname: { type: 'string', maxLength: 100 },
      birth_date: { type: 'string', format: 'date' },
    },
  },
  response: {
    200: { type: 'object', properties: { linked: { type: 'boolean' }, practice_ods: { type: 'string' } } },
    400: problem,
    401: problem,
    409: problem,
  },
} as const;
