// Online-service changes made inside another feature's transaction (automatic access, a
// clinician's review) and the settings writer every change, by staff or the system, goes through.
import { SYSTEM_ACTOR } from '../platform/auth/actor.ts';
import { audit } from '../platform/audit/use-case.ts';
import type { Db, Tx } from '../platform/db/index.ts';
import type { RequestMeta } from '../platform/audit/audit.ts';
import type { Ctx } from '../platform/context.ts';
import { AppError } from '../platform/http/errors.ts';
import { englandDay } from '../platform/dates.ts';
import { recordPlatformOfferings } from '../programme/index.ts';
import { diffSettings, normaliseSettings, type ServiceSettings, type SettingsChange } from './rules.ts';
import * as store from './store.ts';

/** The online-service settings of a patient (other features read them through here). */
export async function settingsOf(
  db: Db | Tx,
  practiceOds: string,
  patientId: string,
): Promise<{ settings: ServiceSettings; version: number; updatedAt: Date | null }> {
  return store.settingsFor(db, practiceOds, patientId);
}

/**
 * Switches prospective full record access on by the system's decision (automatic access when an
 * account is linked, at 16, or by a practice's bulk action), with history and audit.
 */
export async function enableFullAccessBySystem(
  tx: Tx,
  p: {
    practiceOds: string;
    patientId: string;
    trigger: string;
    byStaff: string | null;
    /** The England day the new access starts: today, or the 16th birthday a run catches up on. */
    from: string;
  },
  now: Date,
): Promise<void> {
  const current = await store.settingsFor(tx, p.practiceOds, p.patientId);
  const next = normaliseSettings(
    { ...current.settings, recordLevel: 'full', recordLevelByHand: false },
    current.settings,
    p.from,
  );
  const changed = diffSettings(current.settings, next);
  if (Object.keys(changed).length === 0) return;
  const reason = `Automatic prospective access (${p.trigger})`;
  const version = await writeSettings(tx, { of: p, current, next, changed, byStaff: p.byStaff, reason, now });
  await audit(tx, atTime(tx, now), SYSTEM_ACTOR, {
    action: 'online-services.automatic-access',
    practiceOds: p.practiceOds,
    patientId: p.patientId,
    details: { trigger: p.trigger, version, changed },
  });
}

/** Grants historic record access after a clinician's review (the request's decision), with history and audit. */
export async function grantHistoricAccessTx(
  tx: Tx,
  p: { practiceOds: string; patientId: string; byStaff: string; reason: string },
  now: Date,
): Promise<void> {
  const current = await store.settingsFor(tx, p.practiceOds, p.patientId);
  if (current.settings.recordLevel === 'none') {
    throw new AppError(
      'conflict',
      'Switch on record access for this patient before granting historic access.',
      { reason: 'record-access-off' },
    );
  }
  const next = normaliseSettings(
    { ...current.settings, historicAccess: true },
    current.settings,
    englandDay(now),
  );
  const changed = diffSettings(current.settings, next);
  if (Object.keys(changed).length === 0) return;
  await assertReviewedForHistoricAccess(tx, p);
  await writeSettings(tx, { of: p, current, next, changed, byStaff: p.byStaff, reason: p.reason, now });
}

/**
 * Historic access shows what was recorded before prospective access began, which nobody has
 * checked for third-party or harmful information unless the whole record was reviewed (domain.md
 * §2.2). The review must be recorded, by whom and when, after the last entry arrived.
 */
export async function assertReviewedForHistoricAccess(
  tx: Tx,
  p: { practiceOds: string; patientId: string },
): Promise<void> {
  const r = await store.reviewState(tx, p.practiceOds, p.patientId);
  if (!r.reviewedAt) {
    throw new AppError(
      'conflict',
      'Review the whole record before giving access to older records (historic access or an earlier start date): no review of this record has been recorded.',
      { reason: 'record-not-reviewed' },
    );
  }
  if (r.lastImportedAt && r.lastImportedAt > r.reviewedAt) {
    throw new AppError(
      'conflict',
      'Review the record again before giving access to older records: entries have arrived since the last review.',
      { reason: 'record-changed-since-review' },
    );
  }
}

/**
 * Saves a settings change at the version it was read at, with its history row. Every change of
 * online services, by staff or by the system, goes through here.
 */
export async function writeSettings(
  tx: Tx,
  p: {
    of: { practiceOds: string; patientId: string };
    /** The settings as read, at their version. */
    current: { version: number };
    next: ServiceSettings;
    changed: SettingsChange;
    byStaff: string | null;
    reason: string | null;
    now: Date;
  },
): Promise<number> {
  const { now } = p;
  const { practiceOds, patientId } = p.of;
  const version = await store.saveSettings(tx, {
    practiceOds,
    patientId,
    settings: p.next,
    expectedVersion: p.current.version,
    by: p.byStaff,
    at: now,
  });
  if (version === null) {
    throw new AppError(
      'conflict',
      'Someone else changed these settings at the same time. Check the current settings and try again.',
      { reason: 'stale-version' },
    );
  }
  await store.insertSettingsHistory(tx, {
    practiceOds,
    patientId,
    version,
    settings: p.next,
    changed: p.changed,
    reason: p.reason,
    by: p.byStaff,
    at: now,
  });
  // Which record levels the practice offers follows its patients' (the programme's history).
  if ('recordLevel' in p.changed)
    await recordPlatformOfferings(tx, {
      practices: [practiceOds],
      at: now,
      because: "A patient's record access level was changed",
      by: p.byStaff,
    });
  return version;
}

/** A use case's context inside a caller's transaction, at the caller's time. */
export function atTime(tx: Tx, now: Date, meta: RequestMeta | null = null): Ctx {
  return { db: tx, clock: { now: () => now }, meta };
}
