// The practice's repeat pages: a patient's repeats, a new repeat from a record medicine, one
// repeat with its change, re-authorise and status forms, and the prescription settings. Each
// form redirects back with what was done; a mistake shows the page again with it named.
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Ctx } from '../../platform/context.ts';
import { AppError } from '../../platform/http/errors.ts';
import { formFields, Type, typed } from '../../platform/http/schema.ts';
import { formBody, handleForm } from '../../platform/views/forms.ts';
import { atFields, dayOrNull, isPrescriptionType, numberOf, settingsFromForm } from './forms.ts';
import { repeatPage, repeatsPage, settingsPage } from './present.ts';
import { STATUS_ACTIONS, type StatusAction } from './rules.ts';
import * as service from './service.ts';
import { practiceSettings, updateSettings } from './settings-service.ts';

const V = 'prescriptions/templates/views/';
const config = { audience: 'staff' } as const;
const text = Type.Optional(Type.String());
const Patient = Type.Object({ id: Type.String() });
const OneRepeat = Type.Object({ id: Type.String(), templateId: Type.String() });
const Done = Type.Object({ done: text });
const NewQuery = Type.Object({ entry: text });
const RepeatForm = formFields(
  'recordEntryId',
  'prescriptionType',
  'dosage',
  'quantity',
  'quantityUnit',
  'daysPerIssue',
  'issuesAuthorised',
  'reviewDate',
  'repeatUntil',
  'onlineOrderable',
  'version',
  'reason',
  'newReviewDate',
  'reauthoriseReason',
  'action',
  'statusReason',
);
const SettingsForm = formFields(
  'version',
  'onlineOrdering',
  'turnaroundDays',
  'orderWindowDays',
  'earlyReasonRequired',
);

const isAction = (v: string | undefined): v is StatusAction => STATUS_ACTIONS.some((a) => a === v);

export async function templatePracticeRoutes(app: FastifyInstance): Promise<void> {
  const { db, clock } = app.deps;
  const ctx = (req: FastifyRequest): Ctx => ({ db, clock, meta: req.meta });
  const r = typed(app);
  const base = (id: string) => `/staff/patients/${encodeURIComponent(id)}/prescriptions`;

  r.get(
    '/staff/patients/:id/prescriptions',
    { config, schema: { hide: true, params: Patient, querystring: Done } },
    async (req, reply) =>
      reply.page(
        V + 'repeats.njk',
        repeatsPage(await service.patientRepeats(ctx(req), req.actor, req.params.id), req.query),
      ),
  );

  const newPage = async (req: FastifyRequest, patientId: string, entryId: string) => {
    const { patient, medicine } = await service.medicineFor(ctx(req), req.actor, { patientId, entryId });
    return {
      title: `New repeat: ${medicine.name}`,
      patient: {
        id: patient.id,
        name: `${patient.given_name} ${patient.family_name}`,
        nhsNumber: patient.nhs_number,
      },
      medicine,
      prefill: {
        recordEntryId: medicine.entryId,
        prescriptionType: medicine.prescriptionType === 'delayed' ? 'acute' : medicine.prescriptionType,
        dosage: medicine.dosage ?? '',
        quantity: medicine.quantity === null ? '' : String(medicine.quantity),
        quantityUnit: medicine.quantityUnit ?? '',
        daysPerIssue: '28',
        issuesAuthorised: String(medicine.issuesAuthorised ?? 6),
        reviewDate: '',
        repeatUntil: '',
        onlineOrderable: medicine.prescriptionType === 'repeat' ? 'yes' : 'no',
      },
    };
  };

  r.get(
    '/staff/patients/:id/prescriptions/new',
    { config, schema: { hide: true, params: Patient, querystring: NewQuery } },
    async (req, reply) => reply.page(V + 'new.njk', await newPage(req, req.params.id, req.query.entry ?? '')),
  );

  r.post(
    '/staff/patients/:id/prescriptions',
    { config, schema: { hide: true, params: Patient, body: RepeatForm } },
    async (req, reply) => {
      const v = formBody(req.body);
      const { id } = req.params;
      return handleForm(
        reply,
        V + 'new.njk',
        () => newPage(req, id, v.recordEntryId ?? ''),
        v,
        async () => {
          if (v.prescriptionType !== undefined && !isPrescriptionType(v.prescriptionType))
            throw AppError.invalid([
              { field: 'prescriptionType', message: 'Choose the type of prescription' },
            ]);
          await service.createRepeat(ctx(req), req.actor, {
            patientId: id,
            recordEntryId: v.recordEntryId ?? '',
            prescriptionType: v.prescriptionType,
            dosage: v.dosage ?? '',
            quantity: numberOf(v.quantity),
            quantityUnit: v.quantityUnit ?? '',
            daysPerIssue: numberOf(v.daysPerIssue),
            issuesAuthorised: numberOf(v.issuesAuthorised),
            reviewDate: dayOrNull(v.reviewDate),
            repeatUntil: dayOrNull(v.repeatUntil),
            onlineOrderable: v.onlineOrderable === 'yes',
          });
          return reply.redirect(`${base(id)}?done=created`);
        },
      );
    },
  );

  const detail = async (req: FastifyRequest, id: string, templateId: string, done?: string) =>
    repeatPage(await service.repeatDetail(ctx(req), req.actor, { patientId: id, templateId }), { done });

  r.get(
    '/staff/patients/:id/prescriptions/:templateId',
    { config, schema: { hide: true, params: OneRepeat, querystring: Done } },
    async (req, reply) =>
      reply.page(V + 'repeat.njk', await detail(req, req.params.id, req.params.templateId, req.query.done)),
  );

  /** A form on one repeat's page: `run` does it and says what was done. */
  const post = (
    path: string,
    run: (
      req: FastifyRequest,
      target: { patientId: string; templateId: string; version: number },
      v: Record<string, string | undefined>,
    ) => Promise<string>,
  ) =>
    r.post(
      `/staff/patients/:id/prescriptions/:templateId/${path}`,
      { config, schema: { hide: true, params: OneRepeat, body: RepeatForm } },
      async (req, reply) => {
        const v = formBody(req.body);
        const { id, templateId } = req.params;
        return handleForm(
          reply,
          V + 'repeat.njk',
          () => detail(req, id, templateId),
          v,
          async () => {
            const done = await run(req, { patientId: id, templateId, version: numberOf(v.version) }, v);
            return reply.redirect(`${base(id)}/${encodeURIComponent(templateId)}?done=${done}`);
          },
        );
      },
    );

  post('change', async (req, target, v) => {
    await atFields({}, 'dosage', () =>
      service.changeRepeat(ctx(req), req.actor, {
        ...target,
        reason: v.reason ?? '',
        changes: {
          dosage: v.dosage ?? '',
          quantity: numberOf(v.quantity),
          quantityUnit: v.quantityUnit ?? '',
          daysPerIssue: numberOf(v.daysPerIssue),
          reviewDate: dayOrNull(v.reviewDate),
          repeatUntil: dayOrNull(v.repeatUntil),
          onlineOrderable: v.onlineOrderable === 'yes',
        },
      }),
    );
    return 'changed';
  });
  post('reauthorise', async (req, target, v) => {
    await atFields({ reviewDate: 'newReviewDate', reason: 'reauthoriseReason' }, 'issuesAuthorised', () =>
      service.reauthoriseRepeat(ctx(req), req.actor, {
        ...target,
        issuesAuthorised: numberOf(v.issuesAuthorised),
        reviewDate: dayOrNull(v.newReviewDate),
        reason: v.reauthoriseReason ?? '',
      }),
    );
    return 'reauthorised';
  });
  post('status', async (req, target, v) => {
    const action = v.action;
    if (!isAction(action))
      throw AppError.invalid([{ field: 'action', message: 'Choose what to do with this repeat' }]);
    await atFields({ reason: 'statusReason' }, 'action', () =>
      service.setRepeatStatus(ctx(req), req.actor, { ...target, action, reason: v.statusReason ?? '' }),
    );
    return { suspend: 'suspended', resume: 'resumed', end: 'ended' }[action];
  });

  // --- The practice's settings ---
  const settings = async (req: FastifyRequest, done?: string) =>
    settingsPage(await practiceSettings(ctx(req), req.actor), { done });
  r.get(
    '/staff/prescriptions/settings',
    { config, schema: { hide: true, querystring: Done } },
    async (req, reply) => reply.page(V + 'settings.njk', await settings(req, req.query.done)),
  );
  r.post(
    '/staff/prescriptions/settings',
    { config, schema: { hide: true, body: SettingsForm } },
    async (req, reply) => {
      const v = formBody(req.body);
      return handleForm(
        reply,
        V + 'settings.njk',
        () => settings(req),
        v,
        async () => {
          await updateSettings(ctx(req), req.actor, {
            settings: settingsFromForm(v),
            expectedVersion: numberOf(v.version),
          });
          return reply.redirect('/staff/prescriptions/settings?done=settings');
        },
      );
    },
  );
}
