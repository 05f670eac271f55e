// The access a record is shown with: the patient's settings (kept by accounts) and the
// practice's withhold, read once; and the gate a patient passes to read their own record.
import type { Actor } from '../../platform/auth/actor.ts';
import { assertPatient } from '../../platform/auth/permissions.ts';
import type { Ctx } from '../../platform/context.ts';
import type { Db, Tx } from '../../platform/db/index.ts';
import { AppError } from '../../platform/http/errors.ts';
import { canUse, type ServiceSettings } from '../../accounts/index.ts';
import type { RecordAccess } from '../model.ts';
import type { PatientAt } from '../store.ts';
import * as store from './store.ts';

/** The settings (kept by accounts) and the withhold, in one read, as the record uses them. */
async function settingsAndAccess(
  db: Db | Tx,
  of: PatientAt,
): Promise<{ settings: ServiceSettings; access: RecordAccess; version: string | null }> {
  const row = await store.accessRow(db, of);
  const settings: ServiceSettings = {
    appointments: row?.appointments ?? false,
    repeatPrescriptions: row?.repeat_prescriptions ?? false,
    recordLevel: row?.record_level ?? 'none',
    prospectiveFrom: row?.prospective_from ?? null,
    detailedFrom: row?.detailed_from ?? null,
    fullFrom: row?.full_from ?? null,
    historicAccess: row?.historic_access ?? false,
    historicLevel: row?.historic_level ?? null,
    recordLevelByHand: row?.record_level_by_hand ?? false,
    pharmacyView: row?.pharmacy_view ?? false,
    pharmacyUpdate: row?.pharmacy_update ?? false,
  };
  const access: RecordAccess = {
    level: settings.recordLevel,
    prospectiveFrom: settings.prospectiveFrom,
    detailedFrom: settings.detailedFrom,
    fullFrom: settings.fullFrom,
    historicAccess: settings.historicAccess,
    historicLevel: settings.historicLevel,
    reviewedAt: row?.whole_record_reviewed_at?.toISOString() ?? null,
    withheld: row?.withheld ?? false,
  };
  return { settings, access, version: row?.version ?? null };
}

/** The access a patient's record is shown with: their settings and the practice's withhold. */
export async function recordAccessFor(db: Db | Tx, of: PatientAt): Promise<RecordAccess> {
  return (await settingsAndAccess(db, of)).access;
}

export type Me = { accountId: string; patientId: string; practiceOds: string };
export type OwnAccess = { actor: Actor; me: Me; access: RecordAccess; version: string | null };

/** A patient may read their record only when linked, at P9, with record access switched on. */
export async function ownRecordAccess(ctx: Ctx, actor: Actor | null): Promise<OwnAccess> {
  const p = assertPatient(actor);
  if (!p.patientId || !p.practiceOds)
    throw new AppError('forbidden', 'Link your account to your GP record first.', { reason: 'not-linked' });
  const me = { accountId: p.accountId, patientId: p.patientId, practiceOds: p.practiceOds };
  const { settings, access, version } = await settingsAndAccess(ctx.db, me);
  if (!canUse({ linked: true, proofingLevel: p.proofingLevel }, settings, 'record')) {
    throw new AppError(
      'forbidden',
      settings.recordLevel === 'none'
        ? 'Your GP practice has not switched on online access to your record.'
        : 'Your GP practice needs to check your identity before you can see your record online.',
      { reason: settings.recordLevel === 'none' ? 'record-access-off' : 'identity-check-needed' },
    );
  }
  return { actor: p, me, access, version };
}
