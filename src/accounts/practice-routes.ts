// Practice staff pages for patients' online accounts: find a patient, check identity, switch
// online services on or off, unlock an account, print a registration letter.
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Ctx } from '../platform/context.ts';
import { englandDay } from '../platform/dates.ts';
import { AppError } from '../platform/http/errors.ts';
import { formFields, Type, typed } from '../platform/http/schema.ts';
import { dateFromParts, formBody, handleForm } from '../platform/views/forms.ts';
import { practiceApiRoutes } from './api-routes.ts';
import * as service from './practice-service.ts';
import {
  historyRows,
  isRecordLevelChoice,
  methodItems,
  PROOFING_LABELS,
  RECORD_LEVELS,
  settingsValues,
} from './present.ts';
import { formatLinkageKey, VERIFICATION_METHODS } from './rules.ts';

const V = 'accounts/views/';
const IdParams = Type.Object({ id: Type.String() });

const ServicesForm = formFields(
  'services',
  'recordLevel',
  'prospectiveFrom[day]',
  'prospectiveFrom[month]',
  'prospectiveFrom[year]',
  'historicAccess',
  'reason',
  'version',
);

export async function practiceRoutes(app: FastifyInstance): Promise<void> {
  const { db, clock, config } = app.deps;
  const r = typed(app);
  const ctx = (req: FastifyRequest): Ctx => ({ db, clock, meta: req.meta });
  await practiceApiRoutes(app);

  r.get(
    '/staff/patients',
    {
      config: { audience: 'staff' },
      schema: { hide: true, querystring: Type.Object({ q: Type.Optional(Type.String()) }) },
    },
    async (req, reply) => {
      const q = req.query.q ?? '';
      return handleForm(
        reply,
        V + 'staff-find.njk',
        { title: 'Find a patient', results: null, q },
        { q },
        async () => {
          const results = q ? await service.findPatients(ctx(req), req.actor, q) : null;
          if (!q) service.assertPracticeStaff(req.actor);
          return reply.page(V + 'staff-find.njk', {
            title: 'Find a patient',
            results,
            q,
          });
        },
      );
    },
  );

  r.get(
    '/staff/patients/:id',
    {
      config: { audience: 'staff' },
      schema: {
        hide: true,
        params: IdParams,
        querystring: Type.Object({ done: Type.Optional(Type.String()) }),
      },
    },
    async (req, reply) => {
      const view = await service.patientForStaff(ctx(req), req.actor, req.params.id);
      return reply.page(V + 'staff-patient.njk', {
        title: `${view.patient.given_name} ${view.patient.family_name}`,
        view,
        history: historyRows(view.history),
        proofingLabels: PROOFING_LABELS,
        recordLevelText: RECORD_LEVELS.find((l) => l.value === view.settings.recordLevel)?.text,
        methods: VERIFICATION_METHODS,
        recordLevels: RECORD_LEVELS,
        flash: req.query.done,
        backHref: '/staff/patients',
      });
    },
  );

  // --- Unlocking an account locked by wrong security codes ---
  r.post(
    '/staff/patients/:id/unlock-account',
    { config: { audience: 'staff' }, schema: { hide: true, params: IdParams } },
    async (req, reply) => {
      await service.unlockOnlineAccount(ctx(req), req.actor, req.params.id);
      return reply.redirect(`/staff/patients/${req.params.id}?done=unlocked`);
    },
  );

  // --- Identity check ---
  r.get(
    '/staff/patients/:id/verify-identity',
    { config: { audience: 'staff' }, schema: { hide: true, params: IdParams } },
    async (req, reply) => {
      const view = await service.patientForStaff(ctx(req), req.actor, req.params.id);
      return reply.page(V + 'staff-verify.njk', {
        title: 'Check identity',
        view,
        methodItems: methodItems(''),
        values: {},
        backHref: `/staff/patients/${view.patient.id}`,
      });
    },
  );
  r.post(
    '/staff/patients/:id/verify-identity',
    {
      config: { audience: 'staff' },
      schema: { hide: true, params: IdParams, body: formFields('method', 'evidence') },
    },
    async (req, reply) => {
      const values = formBody(req.body);
      return handleForm(
        reply,
        V + 'staff-verify.njk',
        async () => ({
          title: 'Check identity',
          view: await service.patientForStaff(ctx(req), req.actor, req.params.id),
          methodItems: methodItems(values.method ?? ''),
          firstField: 'method',
          backHref: `/staff/patients/${req.params.id}`,
        }),
        values,
        async () => {
          await service.verifyIdentity(ctx(req), req.actor, req.params.id, {
            method: values.method ?? '',
            evidence: values.evidence ?? '',
          });
          return reply.redirect(`/staff/patients/${req.params.id}?done=identity`);
        },
      );
    },
  );

  // --- Online services ---
  r.get(
    '/staff/patients/:id/online-services',
    { config: { audience: 'staff' }, schema: { hide: true, params: IdParams } },
    async (req, reply) => {
      const view = await service.patientForStaff(ctx(req), req.actor, req.params.id);
      return reply.page(V + 'staff-services.njk', {
        title: 'Online services',
        view,
        recordLevels: RECORD_LEVELS,
        values: settingsValues(view.settings),
        backHref: `/staff/patients/${view.patient.id}`,
      });
    },
  );
  r.post(
    '/staff/patients/:id/online-services',
    { config: { audience: 'staff' }, schema: { hide: true, params: IdParams, body: ServicesForm } },
    async (req, reply) => {
      const values = formBody(req.body);
      const services = new Set(servicesTicked(req.body.services, values.services));
      return handleForm(
        reply,
        V + 'staff-services.njk',
        async () => ({
          title: 'Online services',
          view: await service.patientForStaff(ctx(req), req.actor, req.params.id),
          recordLevels: RECORD_LEVELS,
          firstField: 'recordLevel',
          backHref: `/staff/patients/${req.params.id}`,
        }),
        values,
        async () => {
          const recordLevel = values.recordLevel ?? '';
          if (!isRecordLevelChoice(recordLevel))
            throw AppError.invalid([{ field: 'recordLevel', message: 'Select a level of record access' }]);
          const from = dateFromParts(values, 'prospectiveFrom');
          const anyDatePart = ['day', 'month', 'year'].some((p) => values[`prospectiveFrom[${p}]`]);
          if (anyDatePart && !from)
            throw AppError.invalid([
              {
                field: 'prospectiveFrom',
                message: 'Enter a real date for prospective access, for example 1 4 2026',
              },
            ]);
          const saved = await service.changeServices(ctx(req), req.actor, req.params.id, {
            appointments: services.has('appointments'),
            repeatPrescriptions: services.has('repeatPrescriptions'),
            pharmacyView: services.has('pharmacyView'),
            pharmacyUpdate: services.has('pharmacyUpdate'),
            recordLevel,
            prospectiveFrom: from || null,
            historicAccess: values.historicAccess === 'yes',
            reason: values.reason,
            expectedVersion: Number(values.version ?? '0'),
          });
          const done = Object.keys(saved.changed).length ? 'services' : 'unchanged';
          return reply.redirect(`/staff/patients/${req.params.id}?done=${done}`);
        },
      );
    },
  );

  // --- Registration letter ---
  r.post(
    '/staff/patients/:id/registration-letter',
    { config: { audience: 'staff' }, schema: { hide: true, params: IdParams } },
    async (req, reply) => {
      const letter = await service.issueLetter(ctx(req), req.actor, req.params.id);
      return reply.page(V + 'staff-letter.njk', {
        title: 'Registration letter',
        letter: { ...letter, linkageKey: formatLinkageKey(letter.linkageKey) },
        // The address the letter sends the patient to: the configured public one, never the request's.
        webAddress: config.publicUrl,
        letterDate: englandDay(letter.issuedAt),
        backHref: `/staff/patients/${req.params.id}`,
      });
    },
  );
}

/** The ticked services: every value when the boxes came as a list, else the one (trimmed) value. */
function servicesTicked(raw: string | string[] | undefined, one: string | undefined): string[] {
  return Array.isArray(raw) ? raw : [one ?? ''];
}
