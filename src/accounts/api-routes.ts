// The accounts JSON API: who am I, linking with a registration letter, and the practice's
// patient API (find, view, check identity, switch online services, issue a letter).
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Ctx } from '../platform/context.ts';
import { typed } from '../platform/http/schema.ts';
import { signInRateLimit } from '../platform/auth/signin-routes.ts';
import { accountSchemas, patientSchemas } from './api-schemas.ts';
import * as patients from './patient-service.ts';
import * as practice from './practice-service.ts';
import { apiPatient, apiSettings, apiMe, apiPatientView } from './present.ts';
import { formatLinkageKey, type OnlineService } from './rules.ts';

/** What happens in the linking transaction besides the link (the record's automatic access, wired in app.ts). */
export type PatientAccountOptions = {
  afterLink?: patients.AfterLink;
  /** Services the patient's practice has switched off for everyone (a feature's own setting). */
  practiceServicesOff?: (ctx: Ctx, practiceOds: string) => Promise<readonly OnlineService[]>;
};

const context =
  (app: FastifyInstance) =>
  (req: FastifyRequest): Ctx => ({
    db: app.deps.db,
    clock: app.deps.clock,
    meta: req.meta,
  });

export async function patientApiRoutes(app: FastifyInstance, opts: PatientAccountOptions): Promise<void> {
  const r = typed(app);
  const ctx = context(app);

  // Patients and staff alike: the one route whose answer depends on which kind is asking.
  r.get('/api/v1/me', { config: { audience: 'public' }, schema: accountSchemas.me }, async (req) =>
    apiMe(await patients.whoAmI(ctx(req), req.actor)),
  );

  r.post(
    '/api/v1/account/link',
    { schema: accountSchemas.link, config: { audience: 'patient', rateLimit: signInRateLimit } },
    async (req, reply) => {
      const b = req.body;
      const linked = await patients.linkAccount(ctx(req), req.actor, {
        odsCode: b.ods_code,
        accountRef: b.account_id,
        linkageKey: b.linkage_key,
        surname: b.surname,
        birthDate: b.birth_date,
        afterLink: opts.afterLink,
      });
      return reply.status(200).send({ linked: true, practice_ods: linked.practiceOds });
    },
  );
}

export async function practiceApiRoutes(app: FastifyInstance): Promise<void> {
  const r = typed(app);
  const ctx = context(app);

  r.get(
    '/api/v1/practice/patients',
    { config: { audience: 'staff' }, schema: patientSchemas.search },
    async (req) => {
      const rows = await practice.findPatients(ctx(req), req.actor, req.query.q);
      return { patients: rows.map(apiPatient) };
    },
  );
  r.get(
    '/api/v1/practice/patients/:id',
    { config: { audience: 'staff' }, schema: patientSchemas.get },
    async (req) => apiPatientView(await practice.patientForStaff(ctx(req), req.actor, req.params.id)),
  );
  r.post(
    '/api/v1/practice/patients/:id/identity-verifications',
    { config: { audience: 'staff' }, schema: patientSchemas.verify },
    async (req, reply) => {
      const v = await practice.verifyIdentity(ctx(req), req.actor, req.params.id, req.body);
      return reply.status(201).send({ proofing_level: v.proofingLevel, account_updated: v.accountUpdated });
    },
  );
  r.patch(
    '/api/v1/practice/patients/:id/online-services',
    { config: { audience: 'staff' }, schema: patientSchemas.services },
    async (req) => {
      const b = req.body;
      const changed = await practice.changeServices(ctx(req), req.actor, req.params.id, {
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
      const v = await practice.patientForStaff(ctx(req), req.actor, req.params.id);
      return { ...apiSettings(v.settings), version: changed.version, changed: Object.keys(changed.changed) };
    },
  );
  r.post(
    '/api/v1/practice/patients/:id/registration-letter',
    { config: { audience: 'staff' }, schema: patientSchemas.letter },
    async (req, reply) => {
      const l = await practice.issueLetter(ctx(req), req.actor, req.params.id);
      return reply.status(201).send({
        ods_code: l.practiceOds,
        account_id: l.accountRef,
        linkage_key: formatLinkageKey(l.linkageKey),
        issued_at: l.issuedAt.toISOString(),
        replaced_previous: l.replaced,
      });
    },
  );
}
