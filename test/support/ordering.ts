// Test support for the patient's side of repeat prescriptions (issue #11, helper P): a practice,
// patients with linked accounts, repeat templates, settings and a nominated pharmacy, written
// straight into the tables (the staff template pages are built elsewhere).
import { randomUUID } from 'node:crypto';
import { addPatientWithAccount } from '../../src/accounts/index.ts';
import type { Clock } from '../../src/platform/clock.ts';
import { testNhsNumber } from '../../src/platform/nhs-number.ts';
import type { PrescriptionType, TemplateStatus } from '../../src/platform/db/schema.ts';
import { apiToken, type TestApp } from './harness.ts';

export const ODS = 'P81082';
export const PASSWORD = 'correct horse battery staple 42';
export const SECRET = 'GPOORDERINGTESTS22222222';

export async function addPractice(t: TestApp, ods = ODS): Promise<void> {
  await t.db.db
    .insertInto('practices')
    .values({ ods_code: ods, name: `Practice ${ods}` })
    .onConflict((oc) => oc.column('ods_code').doNothing())
    .execute();
}

export type Patient = { email: string; token: string; patientId: string; accountId: string };

/** A patient with a linked P9 account (repeats switched on unless `services` says otherwise). */
export async function addOrderer(
  t: TestApp,
  clock: Clock,
  o: { n: number; services?: string; proofing?: string; ods?: string; token?: boolean; password?: string },
): Promise<Patient> {
  const email = `orderer${String(o.n)}@test.gp-online.test`;
  const made = await addPatientWithAccount(
    { db: t.db.db, clock, meta: null },
    {
      email,
      password: o.password ?? PASSWORD,
      totpSecret: SECRET,
      practice: o.ods ?? ODS,
      nhsNumber: testNhsNumber(800_000 + o.n * 10),
      given: 'Test',
      family: `Orderer${String(o.n)}`,
      birthDate: '1970-02-03',
      proofing: o.proofing ?? 'P9',
      services: o.services ?? 'repeats',
    },
  );
  const token = o.token === false ? '' : await apiToken(t.app, email, o.password ?? PASSWORD, SECRET, clock);
  return { email, token, patientId: made.patient_id, accountId: made.account_id };
}

export type RepeatSpec = {
  drug?: string;
  type?: PrescriptionType;
  status?: TemplateStatus;
  onlineOrderable?: boolean;
  issuesAuthorised?: number;
  issuesMade?: number;
  daysPerIssue?: number;
  reviewDate?: string | null;
  repeatUntil?: string | null;
  lastIssuedAt?: string | null;
  ods?: string;
};

/** A repeat template for the patient, as the practice would have authorised it. */
export async function addRepeat(t: TestApp, patientId: string, s: RepeatSpec = {}): Promise<string> {
  const id = randomUUID();
  const now = new Date('2026-06-01T09:00:00Z');
  await t.db.db
    .insertInto('repeat_templates')
    .values({
      id,
      practice_ods: s.ods ?? ODS,
      patient_id: patientId,
      prescription_type: s.type ?? 'repeat',
      drug_name: s.drug ?? 'Amlodipine 5mg tablets',
      dosage: 'One a day',
      quantity: 28,
      quantity_unit: 'tablets',
      days_per_issue: s.daysPerIssue ?? 28,
      issues_authorised: s.issuesAuthorised ?? 6,
      issues_made: s.issuesMade ?? 0,
      review_date: s.reviewDate === undefined ? '2027-06-01' : s.reviewDate,
      repeat_until: s.repeatUntil ?? null,
      online_orderable: s.onlineOrderable ?? true,
      authoriser_name: 'Dr Test',
      authorised_on: '2026-06-01',
      last_issued_at: s.lastIssuedAt ?? null,
      status: s.status ?? 'active',
      created_at: now,
      updated_at: now,
    })
    .execute();
  return id;
}

export async function setSettings(
  t: TestApp,
  s: {
    onlineOrdering?: boolean;
    turnaroundDays?: number;
    orderWindowDays?: number;
    earlyReasonRequired?: boolean;
  },
  ods = ODS,
): Promise<void> {
  const values = {
    online_ordering: s.onlineOrdering ?? true,
    turnaround_days: s.turnaroundDays ?? 2,
    order_window_days: s.orderWindowDays ?? 7,
    early_reason_required: s.earlyReasonRequired ?? true,
    updated_at: new Date(),
  };
  await t.db.db
    .insertInto('prescription_settings')
    .values({ practice_ods: ods, ...values })
    .onConflict((oc) => oc.column('practice_ods').doUpdateSet(values))
    .execute();
}

/** Nominates a pharmacy for the patient (the pharmacy is added if it is new). */
export async function nominate(t: TestApp, patientId: string, pharmacy = 'FA123'): Promise<void> {
  await t.db.db
    .insertInto('pharmacies')
    .values({
      ods_code: pharmacy,
      name: 'Boots Test Street',
      address_lines: ['1 Test Street', 'Leeds'],
      postcode: 'LS1 1AA',
      postcode_key: 'LS11AA',
      updated_at: new Date(),
    })
    .onConflict((oc) => oc.column('ods_code').doNothing())
    .execute();
  await t.db.db
    .insertInto('pharmacy_nominations')
    .values({ patient_id: patientId, practice_ods: ODS, pharmacy_ods: pharmacy, nominated_at: new Date() })
    .execute();
}

/** A member of staff's decision on an item, as the queue would record it. */
export async function decide(
  t: TestApp,
  itemId: string,
  to: 'approved' | 'rejected' | 'issued',
  reason: string | null = null,
): Promise<void> {
  await t.db.db
    .updateTable('prescription_request_items')
    .set({ status: to, status_at: new Date(), reject_reason: reason })
    .where('id', '=', itemId)
    .execute();
}
