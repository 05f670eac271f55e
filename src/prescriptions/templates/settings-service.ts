// The practice's repeat prescription settings: anyone working prescriptions sees them, the
// practice manager changes them, and a save only lands on the version that was read.
import type { Actor } from '../../platform/auth/actor.ts';
import { assertOwnPracticeStaff, can, type PracticeStaff } from '../../platform/auth/permissions.ts';
import { auditedChange } from '../../platform/audit/use-case.ts';
import type { Ctx } from '../../platform/context.ts';
import { AppError } from '../../platform/http/errors.ts';
import { recordPlatformOfferings } from '../../programme/index.ts';
import { permissions } from '../permissions.ts';
import type { PrescriptionSettings } from '../rules.ts';
import { saveSettings, settingsFor, type StoredSettings } from '../settings-store.ts';
import { settingsProblems } from './rules.ts';
import { refusalsAudited } from './write-change.ts';

export async function practiceSettings(
  ctx: Ctx,
  actor: Actor | null,
): Promise<StoredSettings & { canChange: boolean }> {
  const staff = assertOwnPracticeStaff(actor, permissions.viewQueue);
  const s = await settingsFor(ctx.db, staff.practiceOds);
  return { ...s, canChange: can(staff, permissions.changeSettings, staff.practiceOds) };
}

export async function updateSettings(
  ctx: Ctx,
  actor: Actor | null,
  change: { settings: PrescriptionSettings; expectedVersion: number },
): Promise<StoredSettings> {
  const staff = assertOwnPracticeStaff(actor, permissions.changeSettings);
  const { settings, expectedVersion } = change;
  const action = 'prescriptions.settings.update';
  return refusalsAudited(ctx, staff, { action, subject: 'prescription-settings', patientId: null }, () =>
    save(ctx, staff, { settings, expectedVersion }),
  );
}

async function save(
  ctx: Ctx,
  staff: PracticeStaff,
  { settings, expectedVersion }: { settings: PrescriptionSettings; expectedVersion: number },
): Promise<StoredSettings> {
  if (!Number.isInteger(expectedVersion) || expectedVersion < 0)
    throw new AppError(
      'conflict',
      'These settings could not be matched to a saved version. Reload the page and try again.',
      {
        reason: 'stale-version',
      },
    );
  const problems = settingsProblems(settings);
  if (problems.length) throw AppError.invalid(problems);
  return auditedChange(
    ctx,
    staff,
    { action: 'prescriptions.settings.update', subject: 'prescription-settings', details: { ...settings } },
    async (tx) => {
      const ok = await saveSettings(tx, {
        practiceOds: staff.practiceOds,
        settings,
        version: expectedVersion,
        by: staff.staffId,
        now: ctx.clock.now(),
      });
      if (!ok)
        throw new AppError(
          'conflict',
          'Someone else changed these settings while you were editing. Check them and try again.',
          { reason: 'stale-version' },
        );
      // Whether the practice offers repeats online follows its switch (the programme's history).
      await recordPlatformOfferings(tx, {
        practices: [staff.practiceOds],
        at: ctx.clock.now(),
        because: 'The prescription settings were saved',
        by: staff.staffId,
      });
      return settingsFor(tx, staff.practiceOds);
    },
  );
}
