// The patient's record pages: the summary, each heading, a test's history, who viewed the
// record, asking for older records and the download. Each view is made once per record version
// and access, then kept (read/view-cache.ts); the access check and the audit run on every request.
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Ctx } from '../../platform/context.ts';
import { englandDay } from '../../platform/dates.ts';
import { typed } from '../../platform/http/schema.ts';
import { formBody, handleForm } from '../../platform/views/forms.ts';
import { ownAccessLog } from '../read/access-log.ts';
import { ownRecordExport } from '../read/export.ts';
import { ownHistory } from '../read/history.ts';
import {
  pageIndex,
  sectionBySlug,
  sectionView,
  summaryView,
  type RecordSummary,
  type SectionPage,
} from '../read/present.ts';
import { ownRecordSection, ownRecordSummary } from '../read/service.ts';
import type { Presenter } from '../read/view-cache.ts';
import { ownHistoricRequest, requestHistoricAccess } from '../practice/historic-access.ts';
import { one, pageSchemas as S } from './page-schemas.ts';

const V = 'record/views/patient/';
const patient = { audience: 'patient' } as const;

export async function patientRecordRoutes(app: FastifyInstance): Promise<void> {
  const { db, clock } = app.deps;
  const ctx = (req: FastifyRequest): Ctx => ({ db, clock, meta: req.meta });
  const r = typed(app);

  const summaryHtml: Presenter<RecordSummary, string> = {
    name: 'html',
    present: (summary) => app.view(V + 'summary-body.njk', summaryView(summary)),
    bytes: (html) => html.length * 2,
  };
  const sectionHtml: Presenter<SectionPage, string> = {
    name: 'html',
    present: (page) => app.view(V + 'section-body.njk', sectionView(page)),
    bytes: (html) => html.length * 2,
  };

  r.get('/patient/record', { config: patient, schema: S.summary }, async (req, reply) => {
    const body = await ownRecordSummary(ctx(req), req.actor, summaryHtml);
    return reply.page(V + 'summary.njk', { title: 'Your GP record', body, backHref: '/patient' });
  });

  r.get('/patient/record/:section', { config: patient, schema: S.section }, async (req, reply) => {
    const { section } = req.params;
    const at = { slug: section, page: pageIndex(req.query.page) };
    const body = await ownRecordSection(ctx(req), req.actor, at, sectionHtml);
    const title = sectionBySlug(section)?.title ?? 'Your GP record';
    return reply.page(V + 'section.njk', { title, body, backHref: '/patient/record' });
  });

  r.get('/patient/record/history', { config: patient, schema: S.history }, async (req, reply) => {
    const h = await ownHistory(ctx(req), req.actor, one(req.query.code) ?? '');
    return reply.page(V + 'history.njk', { title: h.title, history: h, backHref: '/patient/record' });
  });

  r.get('/patient/record/who-viewed', { config: patient, schema: S.whoViewed }, async (req, reply) => {
    const log = await ownAccessLog(ctx(req), req.actor, pageIndex(req.query.page));
    return reply.page(V + 'who-viewed.njk', {
      title: 'Who has viewed your record',
      log,
      backHref: '/patient/record',
    });
  });

  const requestOlderPage = { title: 'Ask to see your older records', backHref: '/patient/record' };
  r.get('/patient/record/request-older', { config: patient, schema: S.requestOlder }, async (req, reply) => {
    const state = await ownHistoricRequest(ctx(req), req.actor);
    return reply.page(V + 'request-older.njk', {
      ...requestOlderPage,
      state,
      values: {},
      sent: one(req.query.sent) === '1',
    });
  });
  r.post(
    '/patient/record/request-older',
    { config: patient, schema: S.requestOlderForm },
    async (req, reply) => {
      const values = formBody(req.body);
      return handleForm(
        reply,
        V + 'request-older.njk',
        async () => ({
          ...requestOlderPage,
          state: await ownHistoricRequest(ctx(req), req.actor),
          firstField: 'note',
        }),
        values,
        async () => {
          await requestHistoricAccess(ctx(req), req.actor, values.note ?? null);
          return reply.redirect('/patient/record/request-older?sent=1');
        },
      );
    },
  );

  r.get('/patient/record/download', { config: patient, schema: S.download }, async (req, reply) => {
    const bundle = await ownRecordExport(ctx(req), req.actor);
    return reply
      .header('content-disposition', `attachment; filename="gp-record-${englandDay(clock.now())}.json"`)
      .type('application/fhir+json; charset=utf-8')
      .send(JSON.stringify(bundle, null, 2));
  });
}
