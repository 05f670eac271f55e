// Record pages beyond the headings: history charts, who viewed the record, asking for older
// records (patients); the review queue, historic-access decisions and bulk enabling (practice).
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Ctx } from '../platform/context.ts';
import { formBody, handleForm } from '../platform/views/forms.ts';
import { ownAccessLog } from './access-log.ts';
import { ownHistory } from './history.ts';
import { ownRecordExport } from './export.ts';
import {
  completeReview,
  decideHistoricAccess,
  markRecordReviewed,
  ownHistoricRequest,
  requestHistoricAccess,
  reviewQueue,
} from './review.ts';
import { bulkEnable } from './automatic-access.ts';
import { REDACTION_REASONS, resolvePatientRef } from './staff-service.ts';
import { englandDay } from '../platform/dates.ts';

const V = 'record/views/';

function pageNumber(raw: unknown): number {
  const n = Number(raw ?? 1);
  return Number.isInteger(n) && n >= 1 && n <= 10_000 ? n - 1 : 0;
}

const accessLogSchema = {
  tags: ['record'],
  summary: 'Who has viewed your record: staff role, practice, date and what was viewed',
  security: [{ bearer: [] }],
  querystring: { type: 'object', properties: { page: { type: 'integer', minimum: 1, maximum: 10000 } } },
  response: {
    200: {
      type: 'object',
      properties: {
        page: { type: 'integer' },
        more: { type: 'boolean' },
        entries: {
          type: 'array',
          items: {
            type: 'object',
            properties: {
              at: { type: 'string', format: 'date-time' },
              who: { type: 'string' },
              where: { type: ['string', 'null'] },
              what: { type: 'string' },
            },
          },
        },
      },
    },
  },
} as const;

const historicSchema = {
  tags: ['practice'],
  summary: 'Decide a patient’s request for access to older records (clinicians)',
  security: [{ bearer: [] }],
  params: { type: 'object', required: ['ref'], properties: { ref: { type: 'string' } } },
  body: {
    type: 'object',
    required: ['decision'],
    additionalProperties: false,
    properties: {
      decision: { type: 'string', enum: ['granted', 'refused'] },
      note: { type: 'string', maxLength: 1000 },
    },
  },
  response: { 200: { type: 'object', properties: { decision: { type: 'string' } } } },
} as const;

const reviewSchema = {
  tags: ['practice'],
  summary: 'Record that a clinician has reviewed the whole record for online access',
  description:
    'Historic (older records) access can only be granted after a whole-record review recorded after the last import.',
  security: [{ bearer: [] }],
  params: { type: 'object', required: ['ref'], properties: { ref: { type: 'string' } } },
  response: { 200: { type: 'object', properties: { reviewed_at: { type: 'string' } } } },
} as const;

export async function recordExtraRoutes(app: FastifyInstance): Promise<void> {
  const { db, clock } = app.deps;
  const ctx = (req: FastifyRequest): Ctx => ({ db, clock, meta: req.meta });

  app.get<{ Querystring: { code?: string } }>(
    '/patient/record/history',
    { config: { audience: 'patient' }, schema: { hide: true } },
    async (req, reply) => {
      if (req.actor?.kind !== 'patient') return reply.redirect('/patient/sign-in?next=/patient/record');
      const h = await ownHistory(ctx(req), req.actor, req.query.code ?? '');
      return reply.page(V + 'history.njk', { title: h.title, history: h, backHref: '/patient/record' });
    },
  );

  app.get<{ Querystring: { page?: string } }>(
    '/patient/record/who-viewed',
    { config: { audience: 'patient' }, schema: { hide: true } },
    async (req, reply) => {
      if (req.actor?.kind !== 'patient')
        return reply.redirect('/patient/sign-in?next=/patient/record/who-viewed');
      const log = await ownAccessLog(ctx(req), req.actor, pageNumber(req.query.page));
      return reply.page(V + 'who-viewed.njk', {
        title: 'Who has viewed your record',
        log,
        backHref: '/patient/record',
      });
    },
  );
  app.get<{ Querystring: { page?: number } }>(
    '/api/v1/record/access-log',
    { config: { audience: 'patient' }, schema: accessLogSchema },
    async (req) => {
      const log = await ownAccessLog(ctx(req), req.actor, (req.query.page ?? 1) - 1);
      return { page: log.page + 1, more: log.more, entries: log.rows };
    },
  );

  app.get(
    '/patient/record/request-older',
    { config: { audience: 'patient' }, schema: { hide: true } },
    async (req, reply) => {
      if (req.actor?.kind !== 'patient')
        return reply.redirect('/patient/sign-in?next=/patient/record/request-older');
      const state = await ownHistoricRequest(ctx(req), req.actor);
      return reply.page(V + 'request-older.njk', {
        title: 'Ask to see your older records',
        state,
        values: {},
        sent: (req.query as { sent?: string }).sent === '1',
        backHref: '/patient/record',
      });
    },
  );
  app.post(
    '/patient/record/request-older',
    { config: { audience: 'patient' }, schema: { hide: true } },
    async (req, reply) => {
      const values = formBody(req.body);
      return handleForm(
        reply,
        V + 'request-older.njk',
        async () => ({
          title: 'Ask to see your older records',
          state: await ownHistoricRequest(ctx(req), req.actor),
          firstField: 'note',
          backHref: '/patient/record',
        }),
        values,
        async () => {
          await requestHistoricAccess(ctx(req), req.actor, values.note ?? null);
          return reply.redirect('/patient/record/request-older?sent=1');
        },
      );
    },
  );

  app.get(
    '/patient/record/download',
    { config: { audience: 'patient' }, schema: { hide: true } },
    async (req, reply) => {
      if (req.actor?.kind !== 'patient') return reply.redirect('/patient/sign-in?next=/patient/record');
      const bundle = await ownRecordExport(ctx(req), req.actor);
      return reply
        .header('content-disposition', `attachment; filename="gp-record-${englandDay(clock.now())}.json"`)
        .type('application/fhir+json; charset=utf-8')
        .send(JSON.stringify(bundle, null, 2));
    },
  );
  app.get(
    '/api/v1/record/export',
    {
      config: { audience: 'patient' },
      schema: {
        tags: ['record'],
        summary: 'Your visible GP record as a FHIR R4 Bundle (collection)',
        security: [{ bearer: [] }],
      },
    },
    async (req, reply) => {
      const bundle = await ownRecordExport(ctx(req), req.actor);
      return reply.type('application/fhir+json; charset=utf-8').send(JSON.stringify(bundle));
    },
  );

  // --- Practice ---
  app.get('/staff/review', { config: { audience: 'staff' }, schema: { hide: true } }, async (req, reply) => {
    const queue = await reviewQueue(ctx(req), req.actor);
    return reply.page(V + 'review.njk', {
      title: 'Record review',
      queue,
      reasons: REDACTION_REASONS,
      flash: (req.query as { done?: string }).done,
    });
  });
  app.post<{ Params: { entryId: string } }>(
    '/staff/review/entries/:entryId',
    { config: { audience: 'staff' }, schema: { hide: true } },
    async (req, reply) => {
      const values = formBody(req.body);
      return handleForm(
        reply,
        V + 'review.njk',
        async () => ({
          title: 'Record review',
          queue: await reviewQueue(ctx(req), req.actor),
          reasons: REDACTION_REASONS,
          firstField: `reason-${req.params.entryId}`,
        }),
        values,
        async () => {
          await completeReview(ctx(req), req.actor, req.params.entryId, {
            hide: values.hide === 'yes',
            reason: values.reason ?? null,
          });
          return reply.redirect('/staff/review?done=item');
        },
      );
    },
  );
  app.post<{ Params: { id: string } }>(
    '/staff/patients/:id/record/reviewed',
    { config: { audience: 'staff' }, schema: { hide: true } },
    async (req, reply) => {
      // From the record page: the whole record was reviewed; from the queue: its new imports.
      if (formBody(req.body).back === 'record') {
        await markRecordReviewed(ctx(req), req.actor, req.params.id, 'whole-record');
        return reply.redirect(`/staff/patients/${encodeURIComponent(req.params.id)}/record?done=reviewed`);
      }
      await markRecordReviewed(ctx(req), req.actor, req.params.id, 'imports');
      return reply.redirect('/staff/review?done=record');
    },
  );
  app.post<{ Params: { id: string } }>(
    '/staff/patients/:id/record/historic-access',
    { config: { audience: 'staff' }, schema: { hide: true } },
    async (req, reply) => {
      const values = formBody(req.body);
      return handleForm(
        reply,
        V + 'review.njk',
        async () => ({
          title: 'Record review',
          queue: await reviewQueue(ctx(req), req.actor),
          reasons: REDACTION_REASONS,
          firstField: 'decision',
        }),
        values,
        async () => {
          await decideHistoricAccess(ctx(req), req.actor, req.params.id, {
            decision: values.decision ?? '',
            note: values.note ?? null,
          });
          return reply.redirect('/staff/review?done=historic');
        },
      );
    },
  );
  app.post<{ Params: { ref: string } }>(
    '/api/v1/practice/patients/:ref/record/review',
    { config: { audience: 'staff' }, schema: reviewSchema },
    async (req) => {
      const id = await resolvePatientRef(ctx(req), req.actor, req.params.ref);
      const at = await markRecordReviewed(ctx(req), req.actor, id, 'whole-record');
      return { reviewed_at: at.toISOString() };
    },
  );
  app.post<{ Params: { ref: string }; Body: { decision: 'granted' | 'refused'; note?: string } }>(
    '/api/v1/practice/patients/:ref/record/historic-access',
    { config: { audience: 'staff' }, schema: historicSchema },
    async (req) => {
      const id = await resolvePatientRef(ctx(req), req.actor, req.params.ref);
      await decideHistoricAccess(ctx(req), req.actor, id, {
        decision: req.body.decision,
        note: req.body.note ?? null,
      });
      return { decision: req.body.decision };
    },
  );

  app.get(
    '/staff/record-access',
    { config: { audience: 'staff' }, schema: { hide: true } },
    async (req, reply) => {
      if (req.actor?.kind !== 'staff') return reply.redirect('/staff/sign-in');
      return reply.page(V + 'bulk.njk', {
        title: 'Switch on record access for eligible patients',
        result: null,
      });
    },
  );
  app.post(
    '/staff/record-access',
    { config: { audience: 'staff' }, schema: { hide: true } },
    async (req, reply) => {
      const result = await bulkEnable(ctx(req), req.actor);
      return reply.page(V + 'bulk.njk', { title: 'Switch on record access for eligible patients', result });
    },
  );
}
