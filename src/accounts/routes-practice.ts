// Practice staff pages and API for patients' online accounts: find a patient, check identity,
// switch online services on or off, print a registration letter.
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { AppError } from '../platform/http/errors.ts';
import { formBody, handleForm } from '../platform/views/forms.ts';
import { formatLinkageKey, VERIFICATION_METHODS, type ServiceSettings } from './rules.ts';
import * as service from './practice-service.ts';
import type { Ctx } from '../platform/context.ts';
import { dateFromParts } from './http-shared.ts';
import { patientSchemas } from './api-schemas.ts';

const V = 'accounts/views/';
const ADMIN_NAV = [
  { href: '/admin/users', text: 'Users' },
  { href: '/admin/practices', text: 'Practices' },
  { href: '/admin/locked-accounts', text: 'Locked accounts' },
];
const RECORD_LEVELS = [
  { value: 'none', text: 'No record access' },
  { value: 'summary', text: 'Summary information', hint: 'Medicines, allergies and adverse reactions' },
  {
    value: 'detailed',
    text: 'Detailed coded record',
    hint: 'Adds problems, immunisations, test results, values, procedures, referrals and coded consultation entries',
  },
  { value: 'full', text: 'Full record', hint: 'Adds consultation free text and documents' },
];

export async function practiceRoutes(app: FastifyInstance): Promise<void> {
  const { db, clock } = app.deps;
  const ctx = (req: FastifyRequest): Ctx => ({ db, clock, meta: req.meta });

  app.get<{ Querystring: { q?: string } }>(
    '/staff/patients',
    { config: { audience: 'staff' }, schema: { hide: true } },
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
            navigation: staffNav,
          });
        },
      );
    },
  );

  app.get<{ Params: { id: string } }>(
    '/staff/patients/:id',
    { config: { audience: 'staff' }, schema: { hide: true } },
    async (req, reply) => {
      const view = await service.patientForStaff(ctx(req), req.actor, req.params.id);
      const flash = (req.query as { done?: string }).done;
      return reply.page(V + 'staff-patient.njk', {
        title: `${view.patient.given_name} ${view.patient.family_name}`,
        view,
        methods: VERIFICATION_METHODS,
        recordLevels: RECORD_LEVELS,
        flash,
        backHref: '/staff/patients',
        navigation: staffNav,
      });
    },
  );

  // --- Unlocking an account locked by wrong security codes ---
  app.post<{ Params: { id: string } }>(
    '/staff/patients/:id/unlock-account',
    { config: { audience: 'staff' }, schema: { hide: true } },
    async (req, reply) => {
      await service.unlockOnlineAccount(ctx(req), req.actor, req.params.id);
      return reply.redirect(`/staff/patients/${req.params.id}?done=unlocked`);
    },
  );

  // --- Administrators: accounts locked by wrong codes that belong to no practice ---
  app.get(
    '/admin/locked-accounts',
    { config: { audience: 'staff' }, schema: { hide: true } },
    async (req, reply) => {
      const accounts = await service.lockedUnlinkedAccounts(ctx(req), req.actor);
      return reply.page(V + 'admin-locked-accounts.njk', {
        title: 'Locked patient accounts',
        accounts,
        navigation: ADMIN_NAV,
      });
    },
  );
  app.post<{ Params: { id: string } }>(
    '/admin/locked-accounts/:id/unlock',
    { config: { audience: 'staff' }, schema: { hide: true } },
    async (req, reply) => {
      await service.unlockUnlinkedAccount(ctx(req), req.actor, req.params.id);
      return reply.redirect('/admin/locked-accounts');
    },
  );

  // --- Identity check ---
  app.get<{ Params: { id: string } }>(
    '/staff/patients/:id/verify-identity',
    { config: { audience: 'staff' }, schema: { hide: true } },
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
  app.post<{ Params: { id: string } }>(
    '/staff/patients/:id/verify-identity',
    { config: { audience: 'staff' }, schema: { hide: true } },
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
  app.get<{ Params: { id: string } }>(
    '/staff/patients/:id/online-services',
    { config: { audience: 'staff' }, schema: { hide: true } },
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
  app.post<{ Params: { id: string } }>(
    '/staff/patients/:id/online-services',
    { config: { audience: 'staff' }, schema: { hide: true } },
    async (req, reply) => {
      const values = formBody(req.body);
      const services = new Set(
        Array.isArray((req.body as { services?: unknown }).services)
          ? (req.body as { services: string[] }).services
          : [values.services ?? ''],
      );
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
          if (!RECORD_LEVELS.some((l) => l.value === recordLevel))
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
          await service.changeServices(ctx(req), req.actor, req.params.id, {
            appointments: services.has('appointments'),
            repeatPrescriptions: services.has('repeatPrescriptions'),
            pharmacyView: services.has('pharmacyView'),
            pharmacyUpdate: services.has('pharmacyUpdate'),
            recordLevel: recordLevel as ServiceSettings['recordLevel'],
            prospectiveFrom: from || null,
            historicAccess: values.historicAccess === 'yes',
            reason: values.reason,
            expectedVersion: Number(values.version ?? '0'),
          });
          return reply.redirect(`/staff/patients/${req.params.id}?done=services`);
        },
      );
    },
  );

  // --- Registration letter ---
  app.post<{ Params: { id: string } }>(
    '/staff/patients/:id/registration-letter',
    { config: { audience: 'staff' }, schema: { hide: true } },
    async (req, reply) => {
      const letter = await service.issueLetter(ctx(req), req.actor, req.params.id);
      return reply.page(V + 'staff-letter.njk', {
        title: 'Registration letter',
        letter: { ...letter, linkageKey: formatLinkageKey(letter.linkageKey) },
        backHref: `/staff/patients/${req.params.id}`,
      });
    },
  );

  // --- API ---
  app.get<{ Querystring: { q: string } }>(
    '/api/v1/practice/patients',
    { config: { audience: 'staff' }, schema: patientSchemas.search },
    async (req) => {
      const rows = await service.findPatients(ctx(req), req.actor, req.query.q);
      return { patients: rows.map(apiPatient) };
    },
  );
  app.get<{ Params: { id: string } }>(
    '/api/v1/practice/patients/:id',
    { config: { audience: 'staff' }, schema: patientSchemas.get },
    async (req) => {
      const v = await service.patientForStaff(ctx(req), req.actor, req.params.id);
      return {
        ...apiPatient(v.patient),
        online_account: v.account
          ? {
              id: v.account.id,
              email: v.account.email,
              proofing_level: v.account.proofing_level,
              linked_at: v.account.linked_at,
            }
          : null,
        online_services: { ...apiSettings(v.settings), version: v.version },
        identity_verifications: v.verifications.map((x) => ({
          method: x.method,
          evidence: x.evidence,
          proofing_level: x.proofing_level,
          verified_at: x.verified_at,
          verified_by: x.verified_by_name,
        })),
        registration_letter_issued_at: v.letterIssuedAt,
      };
    },
  );
  app.post<{ Params: { id: string }; Body: { method: string; evidence: string } }>(
    '/api/v1/practice/patients/:id/identity-verifications',
    { config: { audience: 'staff' }, schema: patientSchemas.verify },
    async (req, reply) => {
      const r = await service.verifyIdentity(ctx(req), req.actor, req.params.id, req.body);
      return reply.status(201).send({ proofing_level: r.proofingLevel, account_updated: r.accountUpdated });
    },
  );
  app.patch<{ Params: { id: string }; Body: ApiSettings & { version: number; reason?: string } }>(
    '/api/v1/practice/patients/:id/online-services',
    { config: { audience: 'staff' }, schema: patientSchemas.services },
    async (req) => {
      const b = req.body;
      const r = await service.changeServices(ctx(req), req.actor, req.params.id, {
        appointments: b.appointments,
        repeatPrescriptions: b.repeat_prescriptions,
        recordLevel: b.record_level,
        prospectiveFrom: b.prospective_from,
        historicAccess: b.historic_access,
        pharmacyView: b.pharmacy_view,
        pharmacyUpdate: b.pharmacy_update,
        reason: b.reason,
        expectedVersion: b.version,
      });
      const v = await service.patientForStaff(ctx(req), req.actor, req.params.id);
      return { ...apiSettings(v.settings), version: r.version, changed: Object.keys(r.changed) };
    },
  );
  app.post<{ Params: { id: string } }>(
    '/api/v1/practice/patients/:id/registration-letter',
    { config: { audience: 'staff' }, schema: patientSchemas.letter },
    async (req, reply) => {
      const l = await service.issueLetter(ctx(req), req.actor, req.params.id);
      return reply.status(201).send({
        ods_code: l.practiceOds,
        account_id: l.accountRef,
        linkage_key: formatLinkageKey(l.linkageKey),
        issued_at: l.issuedAt,
        replaced_previous: l.replaced,
      });
    },
  );
}

export const staffNav = [
  { href: '/staff/patients', text: 'Find a patient' },
  { href: '/staff/review', text: 'Record review' },
  { href: '/staff/record-access', text: 'Record access' },
];

type ApiSettings = {
  appointments?: boolean;
  repeat_prescriptions?: boolean;
  record_level?: ServiceSettings['recordLevel'];
  prospective_from?: string | null;
  historic_access?: boolean;
  pharmacy_view?: boolean;
  pharmacy_update?: boolean;
};

function apiSettings(s: ServiceSettings) {
  return {
    appointments: s.appointments,
    repeat_prescriptions: s.repeatPrescriptions,
    record_level: s.recordLevel,
    prospective_from: s.prospectiveFrom,
    detailed_from: s.detailedFrom,
    full_from: s.fullFrom,
    record_level_by_hand: s.recordLevelByHand,
    historic_access: s.historicAccess,
    pharmacy_view: s.pharmacyView,
    pharmacy_update: s.pharmacyUpdate,
  };
}

function apiPatient(p: {
  id: string;
  nhs_number: string;
  given_name: string;
  family_name: string;
  birth_date: string;
  sex: string;
  practice_ods: string;
}) {
  return {
    id: p.id,
    nhs_number: p.nhs_number,
    given_name: p.given_name,
    family_name: p.family_name,
    birth_date: p.birth_date,
    sex: p.sex,
    practice_ods: p.practice_ods,
  };
}

function methodItems(selected: string) {
  return Object.entries(VERIFICATION_METHODS).map(([value, m]) => ({
    value,
    text: m.label,
    hint: { text: m.hint },
    checked: value === selected,
  }));
}

function settingsValues(s: ServiceSettings): Record<string, unknown> {
  const [y, m, d] = (s.prospectiveFrom ?? '').split('-');
  return { ...s, 'prospectiveFrom[day]': d, 'prospectiveFrom[month]': m, 'prospectiveFrom[year]': y };
}
