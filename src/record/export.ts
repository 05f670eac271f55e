// "Download your record": the visible record as a FHIR R4 Bundle, through the same access rule.
import type { Actor } from '../platform/auth/actor.ts';
import { auditActor } from '../platform/auth/actor.ts';
import { recordAuditAlone } from '../platform/audit/audit.ts';
import type { Ctx } from '../platform/context.ts';
import { toFhirBundle } from './fhir-export.ts';
import { visibleRecord, kindsFor } from './rules.ts';
import { ownRecordAccess } from './service.ts';
import * as store from './store.ts';

export async function ownRecordExport(
  ctx: Ctx,
  actor: Actor | null,
): Promise<ReturnType<typeof toFhirBundle>> {
  const { me, access } = await ownRecordAccess(ctx, actor);
  const [patient, entries] = await Promise.all([
    ctx.db
      .selectFrom('patients as p')
      .innerJoin('practices as pr', 'pr.ods_code', 'p.practice_ods')
      .select([
        'p.id',
        'p.nhs_number',
        'p.given_name',
        'p.family_name',
        'p.birth_date',
        'p.sex',
        'p.address_lines',
        'p.postcode',
        'pr.ods_code',
        'pr.name as practice_name',
      ])
      .where('p.practice_ods', '=', me.practiceOds)
      .where('p.id', '=', me.patientId)
      .executeTakeFirstOrThrow(),
    store.allEntries(ctx.db, me.practiceOds, me.patientId, access.withheld ? [] : kindsFor(access.level)),
  ]);
  const visible = visibleRecord(entries, access);
  const now = ctx.clock.now();
  await recordAuditAlone(
    ctx.db,
    {
      actor: auditActor(actor),
      action: 'record.export',
      outcome: 'success',
      practiceOds: me.practiceOds,
      patientId: me.patientId,
      subject: 'record:export',
      details: { entries: visible.length },
      request: ctx.meta,
    },
    now,
  );
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
    },
    visible,
    now,
  );
}
