// One change to a repeat template, written the one way: locked, at the version the clinician
// saw, checked, its before and after kept in the history, audited; a refusal is audited too.
import type { Updateable } from 'kysely';
import type { PracticeStaff } from '../../platform/auth/permissions.ts';
import { auditAlone, auditedChange } from '../../platform/audit/use-case.ts';
import type { Ctx } from '../../platform/context.ts';
import { englandDay } from '../../platform/dates.ts';
import type { Tx } from '../../platform/db/index.ts';
import type { RepeatTemplatesTable, TemplateAction } from '../../platform/db/schema.ts';
import { AppError, type FieldError } from '../../platform/http/errors.ts';
import { repeatOf, snapshot, type Repeat } from './model.ts';
import { isId } from './rules.ts';
import * as store from './store.ts';

const notFound = () =>
  new AppError('not-found', 'There is no such repeat for this patient at your practice.');

export type Target = { patientId?: string | null | undefined; templateId: string; version: number };

/** A refused change is audited too (who tried, which repeat, which rule), then thrown on. */
export async function refusalsAudited<T>(
  ctx: Ctx,
  staff: PracticeStaff,
  e: { action: string; subject: string | null; patientId: string | null },
  run: () => Promise<T>,
): Promise<T> {
  try {
    return await run();
  } catch (err) {
    if (err instanceof AppError && ['invalid', 'conflict', 'not-found'].includes(err.code))
      await auditAlone(ctx, staff, {
        ...e,
        outcome: 'failure',
        details: { reason: err.reason ?? err.code, fields: err.fields.map((f) => f.field) },
      });
    throw err;
  }
}

/**
 * One change to a template: locked, still at the version the clinician saw, checked by `plan`,
 * written with its before and after in the history, audited. Nothing else is touched: issues
 * already made keep the drug, dose and quantity they were made with.
 */
export async function writeChange(
  ctx: Ctx,
  staff: PracticeStaff,
  t: Target & { action: TemplateAction; reason: string | null },
  plan: (current: Repeat, today: string) => { problems: FieldError[]; set: Updateable<RepeatTemplatesTable> },
  then?: (tx: Tx, after: Repeat) => Promise<void>,
): Promise<Repeat> {
  const action = `prescriptions.repeat.${t.action}`;
  if (!isId(t.templateId)) {
    await auditAlone(ctx, staff, { action, outcome: 'failure', details: { reason: 'no-such-repeat' } });
    throw notFound();
  }
  const patientId = t.patientId ?? (await store.patientOfTemplate(ctx.db, staff.practiceOds, t.templateId));
  const subject = `repeat:${t.templateId}`;
  const known = patientId && isId(patientId) ? patientId : null;
  return refusalsAudited(ctx, staff, { action, subject, patientId: known }, async () => {
    if (!known) throw notFound();
    return changeTx(ctx, staff, { ...t, patientId: known }, plan, then);
  });
}

async function changeTx(
  ctx: Ctx,
  staff: PracticeStaff,
  t: Target & { patientId: string; action: TemplateAction; reason: string | null },
  plan: (current: Repeat, today: string) => { problems: FieldError[]; set: Updateable<RepeatTemplatesTable> },
  then?: (tx: Tx, after: Repeat) => Promise<void>,
): Promise<Repeat> {
  const patientId = t.patientId;
  const now = ctx.clock.now();
  return auditedChange(
    ctx,
    staff,
    (r: Repeat) => ({
      action: `prescriptions.repeat.${t.action}`,
      patientId,
      subject: `repeat:${r.id}`,
      details: { version: r.version },
    }),
    async (tx) => {
      const row = await store.templateById(tx, {
        practiceOds: staff.practiceOds,
        patientId,
        templateId: t.templateId,
        lock: true,
      });
      if (!row) throw notFound();
      if (row.version !== t.version)
        throw new AppError(
          'conflict',
          'Someone else changed this repeat while you were looking at it. Check it and try again.',
          {
            reason: 'stale-version',
          },
        );
      const before = repeatOf(row);
      const { problems, set } = plan(before, englandDay(now));
      if (problems.length) throw AppError.invalid(problems);
      const updated = await store.updateTemplate(tx, {
        practiceOds: staff.practiceOds,
        id: row.id,
        version: row.version,
        set: { ...set, updated_at: now },
      });
      if (!updated)
        throw new AppError('conflict', 'This repeat was changed at the same time. Try again.', {
          reason: 'stale-version',
        });
      const after = repeatOf(updated);
      await store.insertChange(tx, {
        practice_ods: staff.practiceOds,
        template_id: row.id,
        version: after.version,
        action: t.action,
        before: snapshot(before),
        after: snapshot(after),
        reason: t.reason,
        changed_by: staff.staffId,
        changed_at: now,
      });
      if (then) await then(tx, after);
      return after;
    },
  );
}
