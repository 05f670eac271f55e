// Automatic prospective access (domain.md §2.1): when an account is linked, at the 16th
// birthday and by a practice's bulk action. Every change is audited in its transaction.
import { assertOwnPracticeStaff } from '../../platform/auth/permissions.ts';
import type { Actor } from '../../platform/auth/actor.ts';
import { audit } from '../../platform/audit/use-case.ts';
import type { Ctx } from '../../platform/context.ts';
import type { Tx } from '../../platform/db/index.ts';
import { enableFullAccessBySystem, settingsOf } from '../../accounts/index.ts';
import { permissions } from '../permissions.ts';
import {
  automaticAccess,
  ONLINE_ACCESS_CODES,
  sixteenthBirthdayBetween,
  type AutomaticAccessOutcome,
  type AutomaticTrigger,
} from './automatic-rules.ts';
import { addDays, englandDay } from '../../platform/dates.ts';
import * as store from './store.ts';

// --- Automatic prospective access -------------------------------------------------------------

const TRIGGER_LABEL: Record<AutomaticTrigger, string> = {
  linked: 'account linked',
  birthday: '16th birthday',
  bulk: 'practice bulk action',
};

/**
 * Applies the automatic-access rule to one patient inside the caller's transaction. `from` is
 * the England day the access starts: today, or the 16th birthday when a run catches up.
 */
export async function applyAutomaticAccess(
  tx: Tx,
  p: {
    practiceOds: string;
    patientId: string;
    trigger: AutomaticTrigger;
    byStaff?: string | null;
    /** The 16th birthday a birthday run applies (access starts then). */
    from?: string;
  },
  now: Date,
): Promise<AutomaticAccessOutcome> {
  const birthDate = await store.birthDateOf(tx, p);
  const { settings, updatedAt } = await settingsOf(tx, p.practiceOds, p.patientId);
  const codes = await store.accessCodes(tx, p, ONLINE_ACCESS_CODES);
  const today = englandDay(now);
  const outcome = automaticAccess({
    birthDate,
    today,
    level: settings.recordLevel,
    levelSetByHand: settings.recordLevelByHand,
    levelSetOn: updatedAt ? englandDay(updatedAt) : null,
    trigger: p.trigger,
    ...(p.from ? { birthday: p.from } : {}),
    codes,
  });
  if (outcome === 'enable')
    await enableFullAccessBySystem(
      tx,
      {
        practiceOds: p.practiceOds,
        patientId: p.patientId,
        trigger: TRIGGER_LABEL[p.trigger],
        byStaff: p.byStaff ?? null,
        from: p.from ?? today,
      },
      now,
    );
  return outcome;
}

export type BulkResult = {
  enabled: number;
  excluded: Record<Exclude<AutomaticAccessOutcome, 'enable'>, number>;
};

/** A practice switches on prospective full access for every eligible patient with a linked account. */
/** The bulk-enable page is only for those who may use it (a receptionist would meet a 403 on submit). */
export function assertMayBulkEnable(actor: Actor | null): void {
  assertOwnPracticeStaff(actor, permissions.bulkEnable);
}

export async function bulkEnable(ctx: Ctx, actor: Actor | null): Promise<BulkResult> {
  const staff = assertOwnPracticeStaff(actor, permissions.bulkEnable);
  const now = ctx.clock.now();
  const linked = await store.linkedPatientIds(ctx.db, staff.practiceOds);
  const result: BulkResult = {
    enabled: 0,
    excluded: { 'already-full': 0, 'under-16': 0, 'enhanced-review': 0, declined: 0, 'set-by-hand': 0 },
  };
  await ctx.db.transaction().execute(async (tx) => {
    for (const patientId of linked) {
      const outcome = await applyAutomaticAccess(
        tx,
        {
          practiceOds: staff.practiceOds,
          patientId,
          trigger: 'bulk',
          byStaff: staff.staffId,
        },
        now,
      );
      if (outcome === 'enable') result.enabled++;
      else result.excluded[outcome]++;
    }
    await audit(tx, ctx, staff, { action: 'record.bulk-enable', details: result });
  });
  return result;
}

/**
 * The 16th-birthday run: patients with a linked account who turned 16 after `since` (the last
 * run's day) and on or before today get prospective full access from their birthday, unless the
 * rule excludes them. Days a run was missed are caught up. Without a last run, today alone.
 */
export async function applyBirthdayAccess(
  ctx: Ctx,
  since?: string | null,
): Promise<{ checked: number; enabled: number; failed: number }> {
  const now = ctx.clock.now();
  const today = englandDay(now);
  const after = since && since < today ? since : addDays(today, -1);
  // Born from 16 years before the day after `after` (29 February a day earlier) to 16 years before today.
  const bornFrom = addDays(`${String(Number(after.slice(0, 4)) - 16).padStart(4, '0')}${after.slice(4)}`, -1);
  const bornTo = addDays(`${String(Number(today.slice(0, 4)) - 16).padStart(4, '0')}${today.slice(4)}`, 0);
  const candidates = await store.linkedPatientsBornBetween(ctx.db, bornFrom, bornTo);
  let enabled = 0;
  let checked = 0;
  let failed = 0;
  for (const c of candidates) {
    const birthday = sixteenthBirthdayBetween(c.birthDate, after, today);
    if (!birthday) continue;
    checked++;
    // One patient's failure (a concurrent edit, say) must not cost the others their access;
    // the caller gives the day back so the next run covers the failed ones again.
    try {
      const outcome = await ctx.db
        .transaction()
        .execute((tx) =>
          applyAutomaticAccess(
            tx,
            { practiceOds: c.practiceOds, patientId: c.patientId, trigger: 'birthday', from: birthday },
            now,
          ),
        );
      if (outcome === 'enable') enabled++;
    } catch {
      failed++;
    }
  }
  return { checked, enabled, failed };
}

/** When an account is first linked, prospective full record access may switch on (domain.md §2.1). */
export const automaticAccessOnLink = (
  tx: Tx,
  linked: { practiceOds: string; patientId: string },
  now: Date,
): Promise<unknown> => applyAutomaticAccess(tx, { ...linked, trigger: 'linked' }, now);
