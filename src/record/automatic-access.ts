// Automatic prospective access (domain.md §2.1): when an account is linked, at the 16th
// birthday and by a practice's bulk action. Every read of patient data is audited; every change is audited in its transaction.
import { assertOwnPracticeStaff } from '../platform/auth/permissions.ts';
import type { Actor } from '../platform/auth/actor.ts';
import { auditActor } from '../platform/auth/actor.ts';
import { recordAudit } from '../platform/audit/audit.ts';
import type { Ctx } from '../platform/context.ts';
import type { Tx } from '../platform/db/index.ts';
import { enableFullAccessBySystem, settingsOf } from '../accounts/practice-service.ts';
import { permissions } from './permissions.ts';
import { automaticAccess, ONLINE_ACCESS_CODES, turns16On, type AutomaticAccessOutcome } from './rules.ts';
import { sql } from 'kysely';
import * as store from './store.ts';

/** Entries a page: a screenful a person reads; consultations carry their coded entries, so fewer. */
// --- Automatic prospective access -------------------------------------------------------------

/** Applies the automatic-access rule to one patient inside the caller's transaction. */
export async function applyAutomaticAccess(
  tx: Tx,
  p: { practiceOds: string; patientId: string; trigger: string; byStaff?: string | null },
  now: Date,
): Promise<AutomaticAccessOutcome> {
  const patient = await tx
    .selectFrom('patients')
    .select(['birth_date'])
    .where('practice_ods', '=', p.practiceOds)
    .where('id', '=', p.patientId)
    .executeTakeFirstOrThrow();
  const { settings } = await settingsOf(tx, p.practiceOds, p.patientId);
  const codes = await store.accessCodes(tx, p.practiceOds, p.patientId, ONLINE_ACCESS_CODES);
  const outcome = automaticAccess({
    birthDate: patient.birth_date,
    today: now.toISOString().slice(0, 10),
    level: settings.recordLevel,
    codes,
  });
  if (outcome === 'enable')
    await enableFullAccessBySystem(
      tx,
      { practiceOds: p.practiceOds, patientId: p.patientId, trigger: p.trigger, byStaff: p.byStaff ?? null },
      now,
    );
  return outcome;
}

export type BulkResult = {
  enabled: number;
  excluded: Record<Exclude<AutomaticAccessOutcome, 'enable'>, number>;
};

/** A practice switches on prospective full access for every eligible patient with a linked account. */
export async function bulkEnable(ctx: Ctx, actor: Actor | null): Promise<BulkResult> {
  const staff = assertOwnPracticeStaff(actor, permissions.bulkEnable);
  const now = ctx.clock.now();
  const linked = await ctx.db
    .selectFrom('online_accounts')
    .select('patient_id')
    .where('practice_ods', '=', staff.practiceOds)
    .where('patient_id', 'is not', null)
    .execute();
  const result: BulkResult = {
    enabled: 0,
    excluded: { 'already-full': 0, 'under-16': 0, 'enhanced-review': 0, declined: 0 },
  };
  await ctx.db.transaction().execute(async (tx) => {
    for (const { patient_id } of linked) {
      if (!patient_id) continue;
      const outcome = await applyAutomaticAccess(
        tx,
        {
          practiceOds: staff.practiceOds,
          patientId: patient_id,
          trigger: 'practice bulk action',
          byStaff: staff.staffId,
        },
        now,
      );
      if (outcome === 'enable') result.enabled++;
      else result.excluded[outcome]++;
    }
    await recordAudit(
      tx,
      {
        actor: auditActor(staff),
        action: 'record.bulk-enable',
        outcome: 'success',
        practiceOds: staff.practiceOds,
        details: result,
        request: ctx.meta,
      },
      now,
    );
  });
  return result;
}

/**
 * The 16th-birthday run: patients with a linked account who turn 16 today get prospective full
 * access unless the rule excludes them. Returns how many were enabled and excluded.
 */
export async function applyBirthdayAccess(ctx: Ctx): Promise<{ checked: number; enabled: number }> {
  const now = ctx.clock.now();
  const today = now.toISOString().slice(0, 10);
  const candidates = await ctx.db
    .selectFrom('patients as p')
    .innerJoin('online_accounts as a', 'a.patient_id', 'p.id')
    .select(['p.id', 'p.practice_ods', 'p.birth_date'])
    .where(
      sql<boolean>`to_char(p.birth_date, 'MM-DD') in (${today.slice(5)}, ${today.slice(5) === '03-01' ? '02-29' : today.slice(5)})`,
    )
    .execute();
  let enabled = 0;
  let checked = 0;
  for (const c of candidates) {
    if (!turns16On(c.birth_date, today)) continue;
    checked++;
    const outcome = await ctx.db
      .transaction()
      .execute((tx) =>
        applyAutomaticAccess(
          tx,
          { practiceOds: c.practice_ods, patientId: c.id, trigger: '16th birthday' },
          now,
        ),
      );
    if (outcome === 'enable') enabled++;
  }
  return { checked, enabled };
}
