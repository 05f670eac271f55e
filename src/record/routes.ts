// GP record pages and API: the patient's own record, and the clinician's review and redaction.
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Ctx } from '../platform/context.ts';
import { AppError } from '../platform/http/errors.ts';
import { formBody, handleForm } from '../platform/views/forms.ts';
import { LEVEL_TEXT, withFlags } from './present.ts';
import { SECTION_ORDER, type VisibleEntry } from './rules.ts';
import * as service from './service.ts';
import type { RecordSummary, SectionPage } from './service.ts';
import type { Presenter } from './view-cache.ts';
import * as staff from './staff-service.ts';
import { recordSchemas, apiEntry } from './api-schemas.ts';
import { parseBundle } from './fhir.ts';
import { importParsed } from './import.ts';

const V = 'record/views/';

function pageNumber(raw: unknown): number {
  const n = Number(raw ?? 1);
  return Number.isInteger(n) && n >= 1 && n <= 10_000 ? n - 1 : 0;
}

export async function recordRoutes(app: FastifyInstance): Promise<void> {
  const { db, clock } = app.deps;
  const ctx = (req: FastifyRequest): Ctx => ({ db, clock, meta: req.meta });

  // --- Patients ---
  // Each view is made once per record version and access, then kept (view-cache.ts); the access
  // check and the audit still run on every request.
  const summaryHtml: Presenter<RecordSummary, string> = {
    name: 'html',
    present: (summary) =>
      app.view(V + 'summary-body.njk', {
        summary: {
          ...summary,
          medicines: summary.medicines.map(withFlags),
          allergies: summary.allergies.map(withFlags),
        },
        levelText: LEVEL_TEXT[summary.access.level],
      }),
    bytes: (html) => html.length * 2,
  };
  const sectionHtml: Presenter<SectionPage, string> = {
    name: 'html',
    present: (page) => {
      const children = new Map([...page.children].map(([k, v]) => [k, v.map(withFlags)]));
      return app.view(V + 'section-body.njk', {
        page: { ...page, entries: page.entries.map(withFlags), children },
      });
    },
    bytes: (html) => html.length * 2,
  };

  app.get(
    '/patient/record',
    { config: { audience: 'patient' }, schema: { hide: true } },
    async (req, reply) => {
      if (req.actor?.kind !== 'patient') return reply.redirect('/patient/sign-in?next=/patient/record');
      const body = await service.ownRecordSummary(ctx(req), req.actor, summaryHtml);
      return reply.page(V + 'summary.njk', { title: 'Your GP record', body, backHref: '/patient' });
    },
  );

  app.get<{ Params: { section: string }; Querystring: { page?: string } }>(
    '/patient/record/:section',
    { config: { audience: 'patient' }, schema: { hide: true } },
    async (req, reply) => {
      if (req.actor?.kind !== 'patient') return reply.redirect('/patient/sign-in?next=/patient/record');
      const body = await service.ownRecordSection(
        ctx(req),
        req.actor,
        req.params.section,
        pageNumber(req.query.page),
        sectionHtml,
      );
      const title = SECTION_ORDER.find((s) => s.slug === req.params.section)?.title ?? 'Your GP record';
      return reply.page(V + 'section.njk', { title, body, backHref: '/patient/record' });
    },
  );

  const summaryJson: Presenter<RecordSummary, unknown> = {
    name: 'json',
    present: (summary) => ({
      access: {
        level: summary.access.level,
        prospective_from: summary.access.prospectiveFrom,
        detailed_from: summary.access.detailedFrom,
        full_from: summary.access.fullFrom,
        historic_access: summary.access.historicAccess,
        withheld: summary.access.withheld,
      },
      summary: {
        medicines: summary.medicines.map((e) => apiEntry(withFlags(e))),
        allergies: summary.allergies.map((e) => apiEntry(withFlags(e))),
      },
      sections: summary.sections.map((s) => ({
        heading: s.slug,
        title: s.title,
        href: `/api/v1/record/sections/${s.slug}`,
      })),
    }),
    bytes: (body) => JSON.stringify(body).length * 2,
  };
  const sectionJson: Presenter<SectionPage, unknown> = {
    name: 'json',
    present: (page) => {
      const n = page.page + 1;
      return {
        heading: page.section.slug,
        title: page.section.title,
        page: n,
        next: page.more ? `/api/v1/record/sections/${page.section.slug}?page=${String(n + 1)}` : null,
        entries: page.entries.map((e) => apiEntry(withFlags(e))),
      };
    },
    bytes: (body) => JSON.stringify(body).length * 2,
  };

  app.get('/api/v1/record', { config: { audience: 'patient' }, schema: recordSchemas.own }, async (req) =>
    service.ownRecordSummary(ctx(req), req.actor, summaryJson),
  );

  app.get<{ Params: { heading: string }; Querystring: { page?: number } }>(
    '/api/v1/record/sections/:heading',
    { config: { audience: 'patient' }, schema: recordSchemas.section },
    async (req) =>
      service.ownRecordSection(
        ctx(req),
        req.actor,
        req.params.heading,
        (req.query.page ?? 1) - 1,
        sectionJson,
      ),
  );

  // --- Practice: review and redaction ---
  app.get<{ Params: { id: string }; Querystring: { section?: string } }>(
    '/staff/patients/:id/record',
    { config: { audience: 'staff' }, schema: { hide: true } },
    async (req, reply) => {
      const section =
        SECTION_ORDER.find((s) => s.slug === (req.query.section ?? 'consultations')) ?? SECTION_ORDER[0];
      if (!section) throw new AppError('not-found', 'No such heading');
      const rec = await staff.staffRecord(ctx(req), req.actor, req.params.id, [section.kind]);
      return reply.page(V + 'staff-record.njk', {
        title: `GP record: ${rec.patient.given_name} ${rec.patient.family_name}`,
        rec,
        section,
        sections: SECTION_ORDER,
        reasons: staff.REDACTION_REASONS,
        flash: (req.query as { done?: string }).done,
        backHref: `/staff/patients/${rec.patient.id}`,
      });
    },
  );

  app.post<{ Params: { id: string; entryId: string } }>(
    '/staff/patients/:id/record/entries/:entryId/visibility',
    { config: { audience: 'staff' }, schema: { hide: true } },
    async (req, reply) => {
      const values = formBody(req.body);
      const section = values.section ?? 'consultations';
      return handleForm(
        reply,
        V + 'staff-record.njk',
        async () => {
          const s = SECTION_ORDER.find((x) => x.slug === section) ?? SECTION_ORDER[0];
          const rec = await staff.staffRecord(ctx(req), req.actor, req.params.id, s ? [s.kind] : undefined);
          return {
            title: `GP record: ${rec.patient.given_name} ${rec.patient.family_name}`,
            rec,
            section: s,
            sections: SECTION_ORDER,
            reasons: staff.REDACTION_REASONS,
            firstField: 'reason',
            backHref: `/staff/patients/${rec.patient.id}`,
          };
        },
        values,
        async () => {
          await staff.setEntryVisibility(ctx(req), req.actor, req.params.id, req.params.entryId, {
            visible: values.visible === 'yes',
            reason: values.reason ?? null,
            note: values.note ?? null,
          });
          return reply.redirect(
            `/staff/patients/${req.params.id}/record?section=${encodeURIComponent(section)}&done=${values.visible === 'yes' ? 'shown' : 'hidden'}#entry-${req.params.entryId}`,
          );
        },
      );
    },
  );

  app.post<{ Params: { id: string } }>(
    '/staff/patients/:id/record/withhold',
    { config: { audience: 'staff' }, schema: { hide: true } },
    async (req, reply) => {
      const values = formBody(req.body);
      return handleForm(
        reply,
        V + 'staff-record.njk',
        async () => {
          const rec = await staff.staffRecord(ctx(req), req.actor, req.params.id, ['consultation']);
          return {
            title: `GP record: ${rec.patient.given_name} ${rec.patient.family_name}`,
            rec,
            section: SECTION_ORDER.find((s) => s.kind === 'consultation'),
            sections: SECTION_ORDER,
            reasons: staff.REDACTION_REASONS,
            firstField: 'withholdReason',
            backHref: `/staff/patients/${rec.patient.id}`,
          };
        },
        values,
        async () => {
          await staff.setWithheld(ctx(req), req.actor, req.params.id, {
            withheld: values.withheld === 'yes',
            reason: values.withholdReason ?? null,
          });
          return reply.redirect(
            `/staff/patients/${req.params.id}/record?done=${values.withheld === 'yes' ? 'withheld' : 'released'}`,
          );
        },
      );
    },
  );

  app.get<{ Params: { id: string } }>(
    '/staff/patients/:id/record/as-patient',
    { config: { audience: 'staff' }, schema: { hide: true } },
    async (req, reply) => {
      const view = await staff.viewAsPatient(ctx(req), req.actor, req.params.id);
      const grouped = SECTION_ORDER.map((s) => ({
        section: s,
        entries: view.entries.filter((e: VisibleEntry) => e.kind === s.kind).map(withFlags),
      })).filter((g) => g.entries.length);
      return reply.page(V + 'as-patient.njk', {
        title: 'The record as the patient sees it',
        view,
        grouped,
        levelText: LEVEL_TEXT[view.access.level],
        backHref: `/staff/patients/${req.params.id}/record`,
      });
    },
  );

  // --- Practice API ---
  app.post<{ Querystring: { assign_test_nhs_numbers?: boolean } }>(
    '/api/v1/practice/import',
    {
      config: { audience: 'staff' },
      schema: recordSchemas.import,
      bodyLimit: 20 * 1024 * 1024,
      // Before validation, which would wrap a lone value into an array: `entry` must be one.
      preValidation: async (req) => {
        const entry = (req.body as { entry?: unknown } | null)?.entry;
        if (entry !== undefined && !Array.isArray(entry))
          throw AppError.invalid([{ field: '/entry', message: 'Bundle.entry must be an array' }]);
      },
    },
    async (req, reply) => {
      const actor = req.actor;
      if (actor?.kind !== 'staff' || !actor.practiceOds)
        throw new AppError(
          actor ? 'forbidden' : 'unauthenticated',
          actor ? 'Only practice staff can import records.' : 'Send a bearer token.',
        );
      const summary = await importParsed(ctx(req), actor, actor.practiceOds, parseBundle(req.body), {
        assignTestNhsNumbers: req.query.assign_test_nhs_numbers === true,
      });
      return reply
        .status(
          summary.errors.length && summary.patients.created + summary.patients.updated === 0 ? 422 : 200,
        )
        .send(summary);
    },
  );

  app.get<{ Params: { ref: string } }>(
    '/api/v1/practice/patients/:ref/record',
    { config: { audience: 'staff' }, schema: recordSchemas.staff },
    async (req) => {
      const id = await staff.resolvePatientRef(ctx(req), req.actor, req.params.ref);
      const rec = await staff.staffRecord(ctx(req), req.actor, id);
      return {
        patient_id: rec.patient.id,
        nhs_number: rec.patient.nhs_number,
        access: {
          level: rec.access.level,
          prospective_from: rec.access.prospectiveFrom,
          detailed_from: rec.access.detailedFrom,
          full_from: rec.access.fullFrom,
          historic_access: rec.access.historicAccess,
          withheld: rec.access.withheld,
        },
        entries: rec.entries.map((e) => ({
          ...apiEntry(withFlags({ ...e, consultationId: e.consultationId })),
          visible_online: e.visibleOnline,
          draft: e.draft,
          unfiled: e.unfiled,
          unreviewed: e.unreviewed,
          source: e.source ? `${e.source.system}:${e.source.id}` : null,
        })),
      };
    },
  );
  app.patch<{
    Params: { ref: string; entryId: string };
    Body: { visible: boolean; reason?: string; note?: string };
  }>(
    '/api/v1/practice/patients/:ref/record/entries/:entryId',
    { config: { audience: 'staff' }, schema: recordSchemas.visibility },
    async (req) => {
      const patientId = await staff.resolvePatientRef(ctx(req), req.actor, req.params.ref);
      const e = await staff.setEntryVisibility(ctx(req), req.actor, patientId, req.params.entryId, {
        visible: req.body.visible,
        reason: req.body.reason ?? null,
        note: req.body.note ?? null,
      });
      return { id: e.id, visible_online: e.visibleOnline };
    },
  );
  app.post<{ Params: { ref: string }; Body: { withheld: boolean; reason?: string } }>(
    '/api/v1/practice/patients/:ref/record/withhold',
    { config: { audience: 'staff' }, schema: recordSchemas.withhold },
    async (req) => {
      const id = await staff.resolvePatientRef(ctx(req), req.actor, req.params.ref);
      await staff.setWithheld(ctx(req), req.actor, id, {
        withheld: req.body.withheld,
        reason: req.body.reason ?? null,
      });
      return { withheld: req.body.withheld };
    },
  );
}
