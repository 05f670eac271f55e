// SQL of the practice's repeat prescription settings; a practice without a row has the defaults.
import type { Db, Tx } from '../platform/db/index.ts';
import { DEFAULT_SETTINGS, type PrescriptionSettings } from './rules.ts';

export type StoredSettings = PrescriptionSettings & { version: number; updatedAt: Date | null };

export async function settingsFor(db: Db | Tx, practiceOds: string): Promise<StoredSettings> {
  const row = await db
    .selectFrom('prescription_settings')
    .selectAll()
    .where('practice_ods', '=', practiceOds)
    .executeTakeFirst();
  if (!row) return { ...DEFAULT_SETTINGS, version: 0, updatedAt: null };
  return {
    onlineOrdering: row.online_ordering,
    turnaroundDays: row.turnaround_days,
    orderWindowDays: row.order_window_days,
    earlyReasonRequired: row.early_reason_required,
    version: row.version,
    updatedAt: row.updated_at,
  };
}

/**
 * Saves the settings if they are still at `version` (0: never saved). Returns false when someone
 * else saved first, so the caller can say so instead of overwriting their change.
 */
export async function saveSettings(
  tx: Tx,
  s: { practiceOds: string; settings: PrescriptionSettings; version: number; by: string; now: Date },
): Promise<boolean> {
  const values = {
    online_ordering: s.settings.onlineOrdering,
    turnaround_days: s.settings.turnaroundDays,
    order_window_days: s.settings.orderWindowDays,
    early_reason_required: s.settings.earlyReasonRequired,
    updated_at: s.now,
    updated_by: s.by,
  };
  if (s.version === 0) {
    const r = await tx
      .insertInto('prescription_settings')
      .values({ practice_ods: s.practiceOds, ...values, version: 1 })
      .onConflict((oc) => oc.column('practice_ods').doNothing())
      .executeTakeFirst();
    return Number(r.numInsertedOrUpdatedRows ?? 0) === 1;
  }
  const r = await tx
    .updateTable('prescription_settings')
    .set((eb) => ({ ...values, version: eb('version', '+', 1) }))
    .where('practice_ods', '=', s.practiceOds)
    .where('version', '=', s.version)
    .executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}
