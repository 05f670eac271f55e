// Test data for the practice's prescription queue (issue #11, helper Q), inserted directly: a
// repeat template, a request with one item, a second clinician.
import { randomUUID } from 'node:crypto';
import type { Db } from '../../src/platform/db/index.ts';
import type { StaffActor } from '../../src/platform/auth/actor.ts';

export const ODS = 'P81082';

export async function patientsAt(db: Db, ods = ODS, n = 5): Promise<string[]> {
  const rows = await db
    .selectFrom('patients')
    .select('id')
    .where('practice_ods', '=', ods)
    .orderBy('nhs_number')
    .limit(n)
    .execute();
  return rows.map((r) => r.id);
}

export async function clinician(db: Db, name: string, ods = ODS): Promise<StaffActor> {
  const id = randomUUID();
  const email = `${id.slice(0, 8)}@queue.test`;
  await db
    .insertInto('staff_users')
    .values({
      id,
      email,
      name,
      role: 'clinician',
      practice_ods: ods,
      password_hash: 'x',
      totp_secret: null,
      totp_confirmed_at: null,
    })
    .execute();
  return {
    kind: 'staff',
    staffId: id,
    email,
    name,
    role: 'clinician',
    practiceOds: ods,
    commissionerCode: null,
  };
}

export type Seeded = { templateId: string; requestId: string; itemId: string };

/** A repeat and one requested item of it. */
export async function seedItem(
  db: Db,
  o: {
    patientId: string;
    ods?: string;
    prescriberId?: string | null;
    issuesAuthorised?: number;
    issuesMade?: number;
    requestedAt?: Date;
    templateStatus?: 'active' | 'suspended' | 'ended';
    drug?: string;
    early?: boolean;
    earlyReason?: string | null;
    note?: string | null;
    /** Review follow-up (issue #11 review, F1): the template's dates, record entry and a changed dose. */
    reviewDate?: string | null;
    repeatUntil?: string | null;
    recordEntryId?: string | null;
    templateDosage?: string;
  },
): Promise<Seeded> {
  const ods = o.ods ?? ODS;
  const now = o.requestedAt ?? new Date('2026-11-30T09:00:00Z');
  const templateId = randomUUID();
  const requestId = randomUUID();
  const itemId = randomUUID();
  const drug = o.drug ?? 'Amlodipine 5mg tablets';
  await db
    .insertInto('repeat_templates')
    .values({
      id: templateId,
      practice_ods: ods,
      patient_id: o.patientId,
      prescription_type: 'repeat',
      dmd_code: '319283006',
      drug_name: drug,
      dosage: o.templateDosage ?? 'One tablet once a day',
      quantity: 28,
      quantity_unit: 'tablet',
      days_per_issue: 28,
      issues_authorised: o.issuesAuthorised ?? 6,
      issues_made: o.issuesMade ?? 0,
      review_date: o.reviewDate === undefined ? '2027-06-01' : o.reviewDate,
      repeat_until: o.repeatUntil ?? null,
      online_orderable: true,
      record_entry_id: o.recordEntryId ?? null,
      authorised_by: null,
      last_issued_at: null,
      status_reason: null,
      authoriser_name: 'Dr Gina Patel',
      authorised_on: '2026-06-01',
      status: o.templateStatus ?? 'active',
      created_at: now,
      updated_at: now,
    })
    .execute();
  await db
    .insertInto('prescription_requests')
    .values({
      id: requestId,
      practice_ods: ods,
      patient_id: o.patientId,
      requested_at: now,
      note: o.note ?? null,
      early_reason: o.earlyReason ?? null,
      channel: 'web',
      account_id: null,
      pharmacy_ods: null,
    })
    .execute();
  await db
    .insertInto('prescription_request_items')
    .values({
      id: itemId,
      request_id: requestId,
      practice_ods: ods,
      patient_id: o.patientId,
      template_id: templateId,
      prescriber_id: o.prescriberId ?? null,
      drug_name: drug,
      dosage: 'One tablet once a day',
      quantity: 28,
      quantity_unit: 'tablet',
      early: o.early ?? false,
      requested_at: now,
      status_at: now,
      decided_by: null,
      decided_at: null,
      reject_reason: null,
    })
    .execute();
  return { templateId, requestId, itemId };
}

export async function issuesOf(db: Db, itemId: string) {
  return db.selectFrom('prescription_issues').selectAll().where('request_item_id', '=', itemId).execute();
}

export async function itemStatus(db: Db, itemId: string) {
  const r = await db
    .selectFrom('prescription_request_items')
    .select(['status', 'decided_by', 'reject_reason'])
    .where('id', '=', itemId)
    .executeTakeFirstOrThrow();
  return r;
}

export async function issuesMade(db: Db, templateId: string): Promise<number> {
  const r = await db
    .selectFrom('repeat_templates')
    .select('issues_made')
    .where('id', '=', templateId)
    .executeTakeFirstOrThrow();
  return r.issues_made;
}

/** A record entry for the prescriber's context: a result (with its measurement) or an allergy. */
export async function recordEntry(
  db: Db,
  e: {
    patientId: string;
    kind: 'result' | 'allergy' | 'medication';
    title: string;
    on: string;
    details: Record<string, unknown>;
    ods?: string;
    visibleOnline?: boolean;
  },
): Promise<string> {
  const now = new Date('2026-11-01T09:00:00Z');
  const id = randomUUID();
  await db
    .insertInto('record_entries')
    .values({
      id,
      practice_ods: e.ods ?? ODS,
      patient_id: e.patientId,
      kind: e.kind,
      source_system: null,
      source_id: null,
      clinical_date: e.on,
      recorded_at: now,
      sort_key: e.on,
      coding: '[]',
      title: e.title,
      text: null,
      consultation_id: null,
      draft: false,
      unfiled: false,
      unreviewed: false,
      visible_online: e.visibleOnline ?? true,
      details: JSON.stringify({ kind: e.kind, ...e.details }),
      imported_at: now,
      updated_at: now,
    })
    .execute();
  return id;
}

/** The patient linked to a demo account. */
export async function patientOfAccount(db: Db, email: string): Promise<string> {
  const r = await db
    .selectFrom('online_accounts')
    .select('patient_id')
    .where('email', '=', email)
    .executeTakeFirstOrThrow();
  if (!r.patient_id) throw new Error(`${email} is not linked`);
  return r.patient_id;
}
