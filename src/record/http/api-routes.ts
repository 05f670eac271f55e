// The record API: the patient's own record, the access log and the FHIR download; for the
// practice, imports, a patient's whole record, per-entry visibility, withholding, reviews and
// historic-access decisions. Every route's input and answer are typed by api-schemas.ts.
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Ctx } from '../../platform/context.ts';
import { AppError } from '../../platform/http/errors.ts';
import { typed } from '../../platform/http/schema.ts';
import { parseBundle } from '../fhir/import/parse.ts';
import { importParsed } from '../fhir/import/service.ts';
import { ownAccessLog } from '../read/access-log.ts';
import { ownRecordExport } from '../read/export.ts';
import type { RecordSummary, SectionPage } from '../read/present.ts';
import { ownRecordSection, ownRecordSummary } from '../read/service.ts';
import type { Presenter } from '../read/view-cache.ts';
import { decideHistoricAccess } from '../practice/historic-access.ts';
import { markRecordReviewed } from '../practice/review.ts';
import { resolvePatientRef, setEntryVisibility, setWithheld, staffRecord } from '../practice/service.ts';
import { apiRecordSummary, apiSection, apiStaffRecord } from './api-present.ts';
import { recordSchemas as S, type ApiRecordSummary, type ApiSection } from './api-schemas.ts';

const patient = { audience: 'patient' } as const;
const staff = { audience: 'staff' } as const;

const summaryJson: Presenter<RecordSummary, ApiRecordSummary> = {
  name: 'json',
  present: apiRecordSummary,
  bytes: (body) => JSON.stringify(body).length * 2,
};
const sectionJson: Presenter<SectionPage, ApiSection> = {
  name: 'json',
  present: apiSection,
  bytes: (body) => JSON.stringify(body).length * 2,
};

/** `entry` must be an array: checked before validation, which would wrap a lone value into one. */
function entryMustBeArray(body: unknown): void {
  const entry = typeof body === 'object' && body !== null && 'entry' in body ? body.entry : undefined;
  if (entry !== undefined && !Array.isArray(entry))
    throw AppError.invalid([{ field: '/entry', message: 'Bundle.entry must be an array' }]);
}

export async function recordApiRoutes(app: FastifyInstance): Promise<void> {
  const { db, clock } = app.deps;
  const ctx = (req: FastifyRequest): Ctx => ({ db, clock, meta: req.meta });
  const r = typed(app);

  // --- Patients ---
  r.get('/api/v1/record', { config: patient, schema: S.own }, async (req) =>
    ownRecordSummary(ctx(req), req.actor, summaryJson),
  );

  r.get('/api/v1/record/sections/:heading', { config: patient, schema: S.section }, async (req) => {
    const at = { slug: req.params.heading, page: (req.query.page ?? 1) - 1 };
    return ownRecordSection(ctx(req), req.actor, at, sectionJson);
  });

  r.get('/api/v1/record/access-log', { config: patient, schema: S.accessLog }, async (req) => {
    const log = await ownAccessLog(ctx(req), req.actor, (req.query.page ?? 1) - 1);
    return { page: log.page + 1, more: log.more, entries: log.rows };
  });

  r.get('/api/v1/record/export', { config: patient, schema: S.export }, async (req, reply) => {
    const bundle = await ownRecordExport(ctx(req), req.actor);
    return reply.type('application/fhir+json; charset=utf-8').send(JSON.stringify(bundle));
  });

  // --- Practice ---
  r.post(
    '/api/v1/practice/import',
    {
      config: staff,
      schema: S.import,
      bodyLimit: 20 * 1024 * 1024,
      preValidation: async (req) => {
        entryMustBeArray(req.body);
      },
    },
    async (req, reply) => {
      const actor = req.actor;
      // The audience hook admits staff; programme staff have no practice to import into.
      if (actor?.kind !== 'staff' || !actor.practiceOds)
        throw new AppError('forbidden', 'Only practice staff can import records.');
      const summary = await importParsed(ctx(req), actor, {
        practiceOds: actor.practiceOds,
        parsed: parseBundle(req.body),
        options: { assignTestNhsNumbers: req.query.assign_test_nhs_numbers === true },
      });
      const status =
        summary.errors.length && summary.patients.created + summary.patients.updated === 0 ? 422 : 200;
      return reply.status(status).send(summary);
    },
  );

  r.get('/api/v1/practice/patients/:ref/record', { config: staff, schema: S.staff }, async (req) => {
    const id = await resolvePatientRef(ctx(req), req.actor, req.params.ref);
    return apiStaffRecord(await staffRecord(ctx(req), req.actor, id));
  });

  r.patch(
    '/api/v1/practice/patients/:ref/record/entries/:entryId',
    { config: staff, schema: S.visibility },
    async (req) => {
      const patientId = await resolvePatientRef(ctx(req), req.actor, req.params.ref);
      const e = await setEntryVisibility(ctx(req), req.actor, {
        patientId,
        entryId: req.params.entryId,
        visible: req.body.visible,
        reason: req.body.reason ?? null,
        note: req.body.note ?? null,
      });
      return { id: e.id, visible_online: e.visibleOnline };
    },
  );

  r.post(
    '/api/v1/practice/patients/:ref/record/withhold',
    { config: staff, schema: S.withhold },
    async (req) => {
      const id = await resolvePatientRef(ctx(req), req.actor, req.params.ref);
      await setWithheld(ctx(req), req.actor, id, {
        withheld: req.body.withheld,
        reason: req.body.reason ?? null,
      });
      return { withheld: req.body.withheld };
    },
  );

  r.post('/api/v1/practice/patients/:ref/record/review', { config: staff, schema: S.review }, async (req) => {
    const id = await resolvePatientRef(ctx(req), req.actor, req.params.ref);
    const at = await markRecordReviewed(ctx(req), req.actor, id, 'whole-record');
    return { reviewed_at: at.toISOString() };
  });

  r.post(
    '/api/v1/practice/patients/:ref/record/historic-access',
    { config: staff, schema: S.historic },
    async (req) => {
      const id = await resolvePatientRef(ctx(req), req.actor, req.params.ref);
      await decideHistoricAccess(ctx(req), req.actor, id, {
        decision: req.body.decision,
        note: req.body.note ?? null,
      });
      return { decision: req.body.decision };
    },
  );
}
