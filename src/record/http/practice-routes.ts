// The practice's record pages: a patient's record with online visibility and withholding, the
// record as the patient sees it, the review queue, historic-access decisions and bulk enabling.
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Ctx } from '../../platform/context.ts';
import { typed } from '../../platform/http/schema.ts';
import { formBody, handleForm } from '../../platform/views/forms.ts';
import { assertMayBulkEnable, bulkEnable } from '../access/automatic-access.ts';
import { decideHistoricAccess } from '../practice/historic-access.ts';
import { asPatientPage, bulkPage, reviewPage, staffRecordPage, staffSection } from '../practice/present.ts';
import { completeReview, markRecordReviewed, reviewQueue } from '../practice/review.ts';
import { setEntryVisibility, setWithheld, staffRecord, viewAsPatient } from '../practice/service.ts';
import { pageSchemas as S } from './page-schemas.ts';

const V = 'record/views/practice/';
const staff = { audience: 'staff' } as const;

export async function practiceRecordRoutes(app: FastifyInstance): Promise<void> {
  const { db, clock } = app.deps;
  const ctx = (req: FastifyRequest): Ctx => ({ db, clock, meta: req.meta });
  const r = typed(app);

  // --- A patient's record: review and redaction ---
  r.get('/staff/patients/:id/record', { config: staff, schema: S.staffRecord }, async (req, reply) => {
    const section = staffSection(req.query.section);
    const rec = await staffRecord(ctx(req), req.actor, req.params.id, section ? [section.kind] : undefined);
    return reply.page(V + 'staff-record.njk', staffRecordPage(rec, section, { flash: req.query.done }));
  });

  r.post(
    '/staff/patients/:id/record/entries/:entryId/visibility',
    { config: staff, schema: S.visibilityForm },
    async (req, reply) => {
      const values = formBody(req.body);
      const { id, entryId } = req.params;
      const section = values.section ?? 'consultations';
      return handleForm(
        reply,
        V + 'staff-record.njk',
        async () => {
          const s = staffSection(section);
          const rec = await staffRecord(ctx(req), req.actor, id, s ? [s.kind] : undefined);
          return staffRecordPage(rec, s, { firstField: 'reason' });
        },
        values,
        async () => {
          await setEntryVisibility(ctx(req), req.actor, {
            patientId: id,
            entryId,
            visible: values.visible === 'yes',
            reason: values.reason ?? null,
            note: values.note ?? null,
          });
          return reply.redirect(
            `/staff/patients/${id}/record?section=${encodeURIComponent(section)}&done=${values.visible === 'yes' ? 'shown' : 'hidden'}#entry-${entryId}`,
          );
        },
      );
    },
  );

  r.post(
    '/staff/patients/:id/record/withhold',
    { config: staff, schema: S.withholdForm },
    async (req, reply) => {
      const values = formBody(req.body);
      const { id } = req.params;
      return handleForm(
        reply,
        V + 'staff-record.njk',
        async () => {
          const rec = await staffRecord(ctx(req), req.actor, id, ['consultation']);
          return staffRecordPage(rec, staffSection('consultations'), { firstField: 'withholdReason' });
        },
        values,
        async () => {
          await setWithheld(ctx(req), req.actor, id, {
            withheld: values.withheld === 'yes',
            reason: values.withholdReason ?? null,
          });
          return reply.redirect(
            `/staff/patients/${id}/record?done=${values.withheld === 'yes' ? 'withheld' : 'released'}`,
          );
        },
      );
    },
  );

  r.get(
    '/staff/patients/:id/record/as-patient',
    { config: staff, schema: S.asPatient },
    async (req, reply) => {
      const view = await viewAsPatient(ctx(req), req.actor, req.params.id);
      return reply.page(V + 'as-patient.njk', asPatientPage(view, req.params.id));
    },
  );

  // --- The review queue ---
  r.get('/staff/review', { config: staff, schema: S.review }, async (req, reply) => {
    const queue = await reviewQueue(ctx(req), req.actor);
    return reply.page(V + 'review.njk', reviewPage(queue, { flash: req.query.done }));
  });

  r.post(
    '/staff/review/entries/:entryId',
    { config: staff, schema: S.reviewItemForm },
    async (req, reply) => {
      const values = formBody(req.body);
      const { entryId } = req.params;
      return handleForm(
        reply,
        V + 'review.njk',
        async () => reviewPage(await reviewQueue(ctx(req), req.actor), { firstField: `reason-${entryId}` }),
        values,
        async () => {
          await completeReview(ctx(req), req.actor, entryId, {
            hide: values.hide === 'yes',
            reason: values.reason ?? null,
          });
          return reply.redirect('/staff/review?done=item');
        },
      );
    },
  );

  r.post(
    '/staff/patients/:id/record/reviewed',
    { config: staff, schema: S.reviewedForm },
    async (req, reply) => {
      const { id } = req.params;
      // From the record page: the whole record was reviewed; from the queue: its new imports.
      if (formBody(req.body).back === 'record') {
        await markRecordReviewed(ctx(req), req.actor, id, 'whole-record');
        return reply.redirect(`/staff/patients/${encodeURIComponent(id)}/record?done=reviewed`);
      }
      await markRecordReviewed(ctx(req), req.actor, id, 'imports');
      return reply.redirect('/staff/review?done=record');
    },
  );

  r.post(
    '/staff/patients/:id/record/historic-access',
    { config: staff, schema: S.historicForm },
    async (req, reply) => {
      const values = formBody(req.body);
      return handleForm(
        reply,
        V + 'review.njk',
        async () => reviewPage(await reviewQueue(ctx(req), req.actor), { firstField: 'decision' }),
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

  // --- Switching record access on for every eligible patient ---
  r.get('/staff/record-access', { config: staff, schema: S.bulk }, async (req, reply) => {
    assertMayBulkEnable(req.actor);
    return reply.page(V + 'bulk.njk', bulkPage(null));
  });
  r.post('/staff/record-access', { config: staff, schema: S.bulkForm }, async (req, reply) => {
    const result = await bulkEnable(ctx(req), req.actor);
    return reply.page(V + 'bulk.njk', bulkPage(result));
  });
}
