// One error currency: services throw AppError with a message fit for the user; one handler
// renders it for the channel (HTML page, RFC 9457 problem JSON, FHIR OperationOutcome).
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { isDatabaseUnavailable } from '../db/index.ts';

export type ErrorCode =
  | 'invalid'
  | 'unauthenticated'
  | 'forbidden'
  | 'not-found'
  | 'conflict'
  | 'rate-limited'
  | 'locked'
  | 'too-large'
  | 'unsupported-media-type'
  | 'internal'
  | 'unavailable';

export type FieldError = { field: string; message: string };

const STATUS: Record<ErrorCode, number> = {
  invalid: 400,
  unauthenticated: 401,
  forbidden: 403,
  'not-found': 404,
  conflict: 409,
  locked: 423,
  'too-large': 413,
  'unsupported-media-type': 415,
  'rate-limited': 429,
  internal: 500,
  unavailable: 503,
};

const TITLE: Record<ErrorCode, string> = {
  invalid: 'There is a problem',
  unauthenticated: 'You need to sign in',
  forbidden: 'You cannot do this',
  'not-found': 'Page not found',
  conflict: 'This could not be done',
  locked: 'Account locked',
  'rate-limited': 'Too many attempts',
  'too-large': 'Too much was sent',
  'unsupported-media-type': 'Unsupported content type',
  internal: 'Sorry, there is a problem with the service',
  unavailable: 'Sorry, the service is unavailable',
};

export class AppError extends Error {
  readonly code: ErrorCode;
  readonly status: number;
  readonly fields: FieldError[];
  /** A machine-readable reason, for API clients (for example "slot-taken"). */
  readonly reason: string | undefined;
  /** More for API clients, added to the problem body (for example "alternatives" to a taken slot). */
  readonly extra: Record<string, unknown>;

  constructor(
    code: ErrorCode,
    message: string,
    options: { fields?: FieldError[]; reason?: string; extra?: Record<string, unknown> } = {},
  ) {
    super(message);
    this.code = code;
    this.status = STATUS[code];
    this.fields = options.fields ?? [];
    this.reason = options.reason;
    this.extra = options.extra ?? {};
  }

  get title(): string {
    return TITLE[this.code];
  }

  static invalid(fields: FieldError[], message?: string): AppError {
    const text =
      message ??
      (fields.length === 1 && fields[0]
        ? fields[0].message
        : `There are ${String(fields.length)} problems: ${fields.map((f) => f.message).join('; ')}`);
    return new AppError('invalid', text, { fields });
  }
}

export function isApiRequest(req: FastifyRequest): boolean {
  return req.url.startsWith('/api/');
}

/** One schema complaint as a plain sentence about the field (not "must match pattern ^[0-9]+$"). */
export function plainValidationMessage(v: {
  keyword: string;
  params?: Record<string, unknown>;
  message?: string;
}): string {
  const p = v.params ?? {};
  const limit = typeof p.limit === 'number' ? String(p.limit) : '';
  switch (v.keyword) {
    case 'required':
      return 'is missing';
    case 'additionalProperties':
      return 'is not a known field';
    case 'type':
      if (p.type === 'integer') return 'must be a whole number';
      if (p.type === 'number') return 'must be a number';
      if (p.type === 'boolean') return 'must be true or false';
      if (p.type === 'array') return 'must be a list';
      if (p.type === 'object') return 'must be a set of fields';
      return 'must be text';
    case 'enum':
    case 'const':
    case 'anyOf':
    case 'oneOf':
      return 'is not one of the choices';
    case 'pattern':
    case 'format':
      return 'is not in the right form';
    case 'maxLength':
      return `must be ${limit} characters or fewer`;
    case 'minLength':
      return limit === '1' ? 'must not be empty' : `must be at least ${limit} characters`;
    case 'maximum':
      return `must be ${limit} or less`;
    case 'minimum':
      return `must be ${limit} or more`;
    case 'exclusiveMaximum':
      return `must be less than ${limit}`;
    case 'exclusiveMinimum':
      return `must be more than ${limit}`;
    case 'maxItems':
      return `must have ${limit} items or fewer`;
    case 'minItems':
      return `must have at least ${limit} items`;
    default:
      return 'is not valid';
  }
}

function fromFramework(err: FastifyError): AppError | null {
  if (err.validation) {
    const fields = err.validation.map((v) => {
      const path = v.instancePath || '';
      const params = v.params as { missingProperty?: string; additionalProperty?: string } | undefined;
      if (params?.additionalProperty)
        return { field: `${path}/${params.additionalProperty}`, message: 'is not a known field' };
      const missing = params?.missingProperty;
      const field = missing ? `${path}/${missing}` : path || '/';
      return { field, message: plainValidationMessage(v) };
    });
    const named = (f: string) =>
      f === '/' ? 'The request' : `"${f.replace(/^\//, '').replace(/\//g, '.')}"`;
    return new AppError(
      'invalid',
      'The request is not valid: ' + fields.map((f) => `${named(f.field)} ${f.message}`).join('; '),
      { fields },
    );
  }
  if (err.statusCode === 429)
    return new AppError('rate-limited', 'Too many attempts. Wait a few minutes and try again.');
  if (err.code === 'FST_CSRF_INVALID_TOKEN' || err.code === 'FST_CSRF_MISSING_SECRET') {
    return new AppError('forbidden', 'This form has expired. Go back, reload the page and try again.', {
      reason: 'csrf',
    });
  }
  if (err.code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE')
    return new AppError('unsupported-media-type', 'Send the body as application/json.');
  if (err.statusCode === 413) return new AppError('too-large', 'The request body is too large.');
  if (
    err.code === 'FST_ERR_CTP_EMPTY_JSON_BODY' ||
    err.code === 'FST_ERR_CTP_INVALID_JSON_BODY' ||
    err.statusCode === 400
  ) {
    return new AppError('invalid', err.message);
  }
  if (err.statusCode === 404) return new AppError('not-found', 'Not found');
  // Static files refuse path tricks with 403 (dot files, outside the root): not found to us.
  if (err.statusCode === 403) return new AppError('not-found', 'Not found');
  if (isDatabaseUnavailable(err))
    return new AppError('unavailable', 'The service is unavailable for a moment. Try again in a minute.');
  // Safety net for input the schemas let through: a value PostgreSQL cannot hold (a NUL byte,
  // a number or date out of range) is the request's fault, not the server's.
  if (typeof err.code === 'string' && /^22[0-9A-Z]{3}$/.test(err.code))
    return new AppError('invalid', 'The request has a value that cannot be stored.');
  if (typeof err.statusCode === 'number' && err.statusCode >= 400 && err.statusCode < 500)
    return new AppError('invalid', 'The request is not valid.');
  return null;
}

export function sendProblem(reply: FastifyReply, err: AppError): FastifyReply {
  return reply
    .status(err.status)
    .type('application/problem+json')
    .send({
      type: `https://gp-online.example/problems/${err.reason ?? err.code}`,
      title: err.title,
      status: err.status,
      detail: err.message,
      ...(err.reason ? { reason: err.reason } : {}),
      ...err.extra,
      ...(err.fields.length
        ? { errors: err.fields.map((f) => ({ pointer: f.field, detail: f.message })) }
        : {}),
    });
}

export function registerErrorHandler(app: FastifyInstance): void {
  app.setErrorHandler(async (error: FastifyError | AppError, req, reply) => {
    const appError = error instanceof AppError ? error : fromFramework(error);
    if (!appError) {
      req.log.error({ err: error }, 'unhandled error');
      const generic = new AppError('internal', 'Try again later.');
      if (isApiRequest(req)) return sendProblem(reply, generic);
      return reply
        .status(500)
        .page('platform/views/error.njk', { title: generic.title, message: generic.message });
    }
    if (appError.code === 'unavailable') {
      // The database is away (restart, failover): one line, no stack, and a hint when to retry.
      req.log.warn({ reason: error.message || error.name }, 'database unavailable');
      reply.header('retry-after', '5');
    } else if (appError.status >= 500) req.log.error({ err: error }, appError.message);
    if (isApiRequest(req)) return sendProblem(reply, appError);
    if (appError.code === 'unauthenticated') {
      return reply.redirect(signInPathFor(req.url) + '?next=' + encodeURIComponent(req.url));
    }
    return reply
      .status(appError.status)
      .page('platform/views/error.njk', { title: appError.title, message: appError.message });
  });

  app.setNotFoundHandler(async (req, reply) => {
    const err = new AppError('not-found', 'If you typed the web address, check it is correct.');
    if (isApiRequest(req))
      return sendProblem(
        reply,
        new AppError('not-found', `No route ${req.method} ${req.url.split('?')[0] ?? ''}`),
      );
    return reply.status(404).page('platform/views/error.njk', { title: err.title, message: err.message });
  });
}

function signInPathFor(url: string): string {
  if (url.startsWith('/patient')) return '/patient/sign-in';
  return '/staff/sign-in';
}
