// "Download your record": the visible record as a FHIR R4 Bundle, through the same access rule.
import type { Actor } from '../../platform/auth/actor.ts';
import { auditAlone } from '../../platform/audit/use-case.ts';
import type { Ctx } from '../../platform/context.ts';
import { nominatedPharmacyForExport } from '../../pharmacies/index.ts';
import { toFhirBundle } from '../fhir/export/bundle.ts';
import { visibleRecord } from '../access/rules.ts';
import { ownRecordAccess } from '../access/service.ts';
import { ownCandidates } from './service.ts';
import * as store from './store.ts';

export async function ownRecordExport(
  ctx: Ctx,
  actor: Actor | null,
): Promise<ReturnType<typeof toFhirBundle>> {
  const own = await ownRecordAccess(ctx, actor);
  const { me, access } = own;
  const [patient, entries, nominatedPharmacy] = await Promise.all([
    store.exportPatient(ctx.db, me),
    ownCandidates(ctx, own),
    nominatedPharmacyForExport(ctx, own.actor),
  ]);
  const visible = visibleRecord(entries, access);
  const now = ctx.clock.now();
  await auditAlone(ctx, own.actor, {
    action: 'record.export',
    practiceOds: me.practiceOds,
    patientId: me.patientId,
    subject: 'record:export',
    details: { entries: visible.length },
  });
  return toFhirBundle(
    {
      id: patient.id,
      nhsNumber: patient.nhs_number,
      givenName: patient.given_name,
      familyName: patient.family_name,
      birthDate: patient.birth_date,
      sex: patient.sex,
      addressLines: patient.address_lines,
      postcode: patient.postcode,
      practice: { odsCode: patient.ods_code, name: patient.practice_name },
      nominatedPharmacy,
    },
    visible,
    now,
  );
}
