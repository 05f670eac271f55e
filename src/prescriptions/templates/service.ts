// Repeat templates at the practice: a patient's repeats with their history and issues, a new
// template from a record medicine, changes with a reason, re-authorising, suspend, resume and
// end. Every read is audited; every change writes its history row and audit row in one
// transaction, and only if the template is still at the version the clinician saw.
import { randomUUID } from 'node:crypto';
import type { Actor } from '../../platform/auth/actor.ts';
import { assertOwnPracticeStaff, can, type PracticeStaff } from '../../platform/auth/permissions.ts';
import { auditAlone, auditedChange } from '../../platform/audit/use-case.ts';
import type { Ctx } from '../../platform/context.ts';
import { englandDay } from '../../platform/dates.ts';
import { sqlState, type Db } from '../../platform/db/index.ts';
import type { PrescriptionType } from '../../platform/db/schema.ts';
import { AppError, type FieldError } from '../../platform/http/errors.ts';
import { currentMedication, currentMedications, type RecordMedication } from '../../record/index.ts';
import { permissions } from '../permissions.ts';
import { rejectWaiting, STOPPED_PREFIX_LENGTH } from '../queue/stopped.ts';
import { changeOf, issueOf, repeatOf, snapshot, type Repeat } from './model.ts';
import {
  ACTION_OF,
  changeProblems,
  isId,
  MAX_REASON_LENGTH,
  reasonProblem,
  reauthoriseProblems,
  statusAfter,
  templateProblems,
  templateTypeOf,
  type ChangeFields,
  type StatusAction,
  type TemplateFields,
} from './rules.ts';
import * as store from './store.ts';
import { refusalsAudited, writeChange, type Target } from './write-change.ts';

const ISSUES_SHOWN = 100;
const notFound = () =>
  new AppError('not-found', 'There is no such repeat for this patient at your practice.');

async function patientOr404(db: Db, of: store.Of) {
  const p = isId(of.patientId) ? await store.patientAt(db, of) : undefined;
  if (!p) throw new AppError('not-found', 'No patient with this ID is registered at your practice.');
  return p;
}

/** A patient's repeats, their history and issues, and the record's current medicines to make one from. */
export async function patientRepeats(ctx: Ctx, actor: Actor | null, patientId: string) {
  const staff = assertOwnPracticeStaff(actor, permissions.viewTemplates);
  const patient = await patientOr404(ctx.db, { practiceOds: staff.practiceOds, patientId });
  const of = { practiceOds: staff.practiceOds, patientId: patient.id };
  const rows = await store.templatesFor(ctx.db, of);
  const changes = await store.changesFor(ctx.db, of);
  const issues = await store.issuesFor(ctx.db, { ...of, limit: ISSUES_SHOWN });
  const medicines = await currentMedications(ctx.db, of);
  await auditAlone(ctx, staff, {
    action: 'prescriptions.repeats.view',
    patientId: patient.id,
    subject: 'repeats',
  });
  const repeats = rows.map(repeatOf);
  const templated = new Map(repeats.filter((r) => r.status !== 'ended').map((r) => [r.recordEntryId, r.id]));
  return {
    patient,
    repeats,
    changes: changes.map(changeOf),
    issues: issues.map(issueOf),
    medicines: medicines.map((m) => ({ ...m, repeatId: templated.get(m.entryId) ?? null })),
    canManage: can(staff, permissions.manageTemplates, staff.practiceOds),
  };
}
export type PatientRepeats = Awaited<ReturnType<typeof patientRepeats>>;

/** One repeat with its history and issues. */
export async function repeatDetail(
  ctx: Ctx,
  actor: Actor | null,
  of: { patientId: string; templateId: string },
) {
  const staff = assertOwnPracticeStaff(actor, permissions.viewTemplates);
  const patient = await patientOr404(ctx.db, { practiceOds: staff.practiceOds, patientId: of.patientId });
  const at = { practiceOds: staff.practiceOds, patientId: patient.id, templateId: of.templateId };
  const row = isId(of.templateId) ? await store.templateById(ctx.db, at) : undefined;
  if (!row) throw notFound();
  const changes = await store.changesFor(ctx.db, at);
  const issues = await store.issuesFor(ctx.db, { ...at, limit: ISSUES_SHOWN });
  await auditAlone(ctx, staff, {
    action: 'prescriptions.repeat.view',
    patientId: patient.id,
    subject: `repeat:${row.id}`,
  });
  return {
    patient,
    repeat: repeatOf(row),
    changes: changes.map(changeOf),
    issues: issues.map(issueOf),
    canManage: can(staff, permissions.manageTemplates, staff.practiceOds),
  };
}
export type RepeatDetail = Awaited<ReturnType<typeof repeatDetail>>;

/** The record medicine a new repeat starts from (the create page prefills from it). */
export async function medicineFor(ctx: Ctx, actor: Actor | null, of: { patientId: string; entryId: string }) {
  const staff = assertOwnPracticeStaff(actor, permissions.manageTemplates);
  const patient = await patientOr404(ctx.db, { practiceOds: staff.practiceOds, patientId: of.patientId });
  const medicine = await medicineOr400(ctx.db, {
    practiceOds: staff.practiceOds,
    patientId: patient.id,
    entryId: of.entryId,
  });
  await auditAlone(ctx, staff, {
    action: 'prescriptions.repeat.new',
    patientId: patient.id,
    subject: `record-entry:${medicine.entryId}`,
  });
  return { patient, medicine };
}

async function medicineOr400(db: Db, of: store.Of & { entryId: string }): Promise<RecordMedication> {
  const m = await currentMedication(db, of);
  if (!m)
    throw AppError.invalid([
      { field: 'recordEntryId', message: 'Choose a current medicine from this patient’s record' },
    ]);
  return m;
}

export type CreateInput = {
  patientId: string;
  recordEntryId: string;
  /** Left out: as the record entry has it. */
  prescriptionType?: PrescriptionType | undefined;
  dosage?: string | undefined;
  quantity?: number | undefined;
  quantityUnit?: string | undefined;
  daysPerIssue: number;
  issuesAuthorised: number;
  reviewDate: string | null;
  repeatUntil: string | null;
  onlineOrderable: boolean;
};

/** A new repeat from a current record medicine, authorised by the clinician who makes it. */
export async function createRepeat(ctx: Ctx, actor: Actor | null, input: CreateInput): Promise<Repeat> {
  const staff = assertOwnPracticeStaff(actor, permissions.manageTemplates);
  const subject = isId(input.recordEntryId) ? `record-entry:${input.recordEntryId}` : null;
  return refusalsAudited(
    ctx,
    staff,
    { action: 'prescriptions.repeat.create', subject, patientId: null },
    () => create(ctx, staff, input),
  );
}

async function create(ctx: Ctx, staff: PracticeStaff, input: CreateInput): Promise<Repeat> {
  const patient = await patientOr404(ctx.db, { practiceOds: staff.practiceOds, patientId: input.patientId });
  const m = await medicineOr400(ctx.db, {
    practiceOds: staff.practiceOds,
    patientId: patient.id,
    entryId: input.recordEntryId,
  });
  const today = englandDay(ctx.clock.now());
  const fields: TemplateFields = {
    prescriptionType: input.prescriptionType ?? templateTypeOf(m.prescriptionType),
    dosage: (input.dosage ?? m.dosage ?? '').trim(),
    quantity: input.quantity ?? m.quantity ?? Number.NaN,
    quantityUnit: (input.quantityUnit ?? m.quantityUnit ?? '').trim(),
    daysPerIssue: input.daysPerIssue,
    issuesAuthorised: input.issuesAuthorised,
    reviewDate: input.reviewDate,
    repeatUntil: input.repeatUntil,
    onlineOrderable: input.onlineOrderable,
  };
  const problems = templateProblems(fields, today);
  if (problems.length) throw AppError.invalid(problems);
  const now = ctx.clock.now();
  try {
    return await auditedChange(
      ctx,
      staff,
      (r: Repeat) => ({
        action: 'prescriptions.repeat.create',
        patientId: patient.id,
        subject: `repeat:${r.id}`,
      }),
      async (tx) => {
        const row = await store.insertTemplate(tx, {
          id: randomUUID(),
          practice_ods: staff.practiceOds,
          patient_id: patient.id,
          record_entry_id: m.entryId,
          prescription_type: fields.prescriptionType,
          dmd_code: m.dmdCode,
          drug_name: m.name.slice(0, 300),
          dosage: fields.dosage,
          quantity: fields.quantity,
          quantity_unit: fields.quantityUnit,
          days_per_issue: fields.daysPerIssue,
          issues_authorised: fields.issuesAuthorised,
          review_date: fields.reviewDate,
          repeat_until: fields.repeatUntil,
          online_orderable: fields.onlineOrderable,
          authorised_by: staff.staffId,
          authoriser_name: staff.name,
          authorised_on: today,
          created_at: now,
          updated_at: now,
        });
        const r = repeatOf(row);
        await store.insertChange(tx, {
          practice_ods: staff.practiceOds,
          template_id: r.id,
          version: r.version,
          action: 'created',
          before: null,
          after: snapshot(r),
          reason: null,
          changed_by: staff.staffId,
          changed_at: now,
        });
        return r;
      },
    );
  } catch (err) {
    if (sqlState(err) === '23505')
      throw new AppError(
        'conflict',
        'This medicine already has a repeat. Change that one, or end it first.',
        {
          reason: 'already-a-repeat',
        },
      );
    throw err;
  }
}

export type ChangeInput = Target & { reason: string; changes: Partial<ChangeFields> };

/** Dose, quantity, days, review date, repeat until or online ordering, with the reason. */
export async function changeRepeat(ctx: Ctx, actor: Actor | null, input: ChangeInput): Promise<Repeat> {
  const staff = assertOwnPracticeStaff(actor, permissions.manageTemplates);
  const reason = input.reason.trim();
  return writeChange(ctx, staff, { ...input, action: 'changed', reason }, (current, today) => {
    const c = input.changes;
    const next: ChangeFields = {
      dosage: c.dosage?.trim() ?? current.dosage,
      quantity: c.quantity ?? current.quantity,
      quantityUnit: c.quantityUnit?.trim() ?? current.quantityUnit,
      daysPerIssue: c.daysPerIssue ?? current.daysPerIssue,
      reviewDate: c.reviewDate === undefined ? current.reviewDate : c.reviewDate,
      repeatUntil: c.repeatUntil === undefined ? current.repeatUntil : c.repeatUntil,
      onlineOrderable: c.onlineOrderable ?? current.onlineOrderable,
    };
    return {
      problems: changeProblems(current, next, reason, today),
      set: {
        dosage: next.dosage,
        quantity: next.quantity,
        quantity_unit: next.quantityUnit,
        days_per_issue: next.daysPerIssue,
        review_date: next.reviewDate,
        repeat_until: next.repeatUntil,
        online_orderable: next.onlineOrderable,
      },
    };
  });
}

export type ReauthoriseInput = Target & {
  issuesAuthorised: number;
  reviewDate: string | null;
  reason: string;
};

/** A new authorisation: issues authorised afresh, none made yet, this clinician the authoriser. */
export async function reauthoriseRepeat(
  ctx: Ctx,
  actor: Actor | null,
  input: ReauthoriseInput,
): Promise<Repeat> {
  const staff = assertOwnPracticeStaff(actor, permissions.manageTemplates);
  const reason = input.reason.trim();
  return writeChange(ctx, staff, { ...input, action: 'reauthorised', reason }, (current, today) => ({
    problems: reauthoriseProblems(current, { ...input, reason }, today),
    set: {
      issues_authorised: input.issuesAuthorised,
      issues_made: 0,
      review_date: input.reviewDate ?? current.reviewDate,
      authorised_by: staff.staffId,
      authoriser_name: staff.name,
      authorised_on: today,
    },
  }));
}

export type StatusInput = Target & { action: StatusAction; reason: string };

/**
 * Suspends, resumes or ends a repeat with the reason. Suspending or ending rejects, in the same
 * transaction, its request still waiting for a prescriber and tells the patient the reason, so
 * the reason for stopping must fit in the reason a patient is sent.
 */
export async function setRepeatStatus(ctx: Ctx, actor: Actor | null, input: StatusInput): Promise<Repeat> {
  const staff = assertOwnPracticeStaff(actor, permissions.manageTemplates);
  const reason = input.reason.trim();
  const max = input.action === 'resume' ? MAX_REASON_LENGTH : MAX_REASON_LENGTH - STOPPED_PREFIX_LENGTH;
  return writeChange(
    ctx,
    staff,
    { ...input, action: ACTION_OF[input.action], reason },
    (current) => {
      const to = statusAfter(current.status, input.action);
      const problems: FieldError[] = [];
      if (!to)
        problems.push({
          field: 'action',
          message: `A repeat that is ${current.status} cannot be ${ACTION_OF[input.action]}`,
        });
      const r = reasonProblem(reason, 'reason', max);
      if (r) problems.push(r);
      return {
        problems,
        set: { status: to ?? current.status, status_reason: to === 'active' ? null : reason },
      };
    },
    async (tx, after) => {
      if (after.status === 'active') return;
      await rejectWaiting(tx, ctx, staff, { templateId: after.id, stop: after.status, reason });
    },
  );
}
