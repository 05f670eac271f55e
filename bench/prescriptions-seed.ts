// The repeat prescriptions bench practice (issue #11): 10,000 patients, 40,000 repeat templates
// (four each, from the demo's medicines) and 20,000 open request items (two per patient, one
// request each, mostly requested, some approved with their issue), spread over four prescribers
// and the last ten days; record entries behind them (bench/prescriptions-record.ts). Bulk inserts in batches, the same SQL on PGlite and PostgreSQL. One
// clinician and one patient sign in over HTTP (the queue pages, the patient's repeats page); every
// other patient has an API token prepared beforehand and two repeats orderable now, so each
// "order via API" request orders a repeat nobody has ordered yet and succeeds with 201.
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { sql, type Insertable } from 'kysely';
import type {
  PrescriptionIssuesTable,
  PrescriptionRequestItemsTable,
  PrescriptionRequestsTable,
  RecordEntriesTable,
  RepeatTemplatesTable,
} from '../src/platform/db/schema.ts';
import { addPatientWithAccount } from '../src/accounts/cli.ts';
import { DEMO_PASSWORD } from '../src/demo/data.ts';
import { REPEATS } from '../src/demo/record-codes.ts';
import { hashPassword } from '../src/platform/auth/secrets.ts';
import type { Clock } from '../src/platform/clock.ts';
import { addDays, englandDay } from '../src/platform/dates.ts';
import type { Db } from '../src/platform/db/index.ts';
import { testNhsNumber } from '../src/platform/nhs-number.ts';
import { addStaffUser } from '../src/staff/service.ts';
import { contextEntries, medicationEntry } from './prescriptions-record.ts';

export const RX_PRACTICE = 'Y90001';
/** Shared by the bench prescribers and the repeats-page patient (base32, 16+ characters). */
export const RX_TOTP_SECRET = 'GPOBENCHPRESCRIBE2222222';
const SIZE = { patients: 10_000, templatesEach: 4, openEach: 2, prescribers: 4 };
const BATCH = 1000;
const DAY = 86_400_000;

export type RxSeed = {
  practice: string;
  patients: number;
  templates: number;
  openItems: number;
  requestedItems: number;
  issues: number;
  recordEntries: number;
  clinician: { email: string; staffId: string };
  /** The prescriber the filtered queue page asks for (the signed-in clinician). */
  prescriberId: string;
  /** The patient whose repeats page is measured (not one of the orderers). */
  patient: { email: string };
  seedMs: number;
};
/** Written to a file (it is large): one API token and one fresh orderable repeat per order. */
export type RxOrders = { orders: { token: string; repeatId: string }[] };

const sha256 = (s: string) => createHash('sha256').update(s).digest('hex');

async function chunked<T>(rows: T[], write: (part: T[]) => Promise<unknown>): Promise<void> {
  for (let i = 0; i < rows.length; i += BATCH) await write(rows.slice(i, i + BATCH));
}

/** A small deterministic generator, so each run seeds the same spread. */
function lcg(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 4294967296;
  };
}

export async function seedPrescriptions(db: Db, clock: Clock): Promise<{ seed: RxSeed; orders: RxOrders }> {
  const started = performance.now();
  const now = clock.now();
  const today = englandDay(now);
  const ctx = { db, clock, meta: null };
  const rand = lcg(20261202);
  await db
    .insertInto('practices')
    .values({ ods_code: RX_PRACTICE, name: 'BENCH PRESCRIPTIONS PRACTICE', prescribing_setting: 4 })
    .execute();
  await db
    .insertInto('prescription_settings')
    .values({
      practice_ods: RX_PRACTICE,
      online_ordering: true,
      turnaround_days: 2,
      order_window_days: 7,
      early_reason_required: true,
      version: 1,
      updated_at: now,
      updated_by: null,
    })
    .execute();
  const prescribers: { id: string; name: string; email: string }[] = [];
  for (let i = 0; i < SIZE.prescribers; i++) {
    const email = `gp${String(i + 1)}@rx.bench.gp-online.test`;
    const name = `Dr Bench Prescriber ${String(i + 1)}`;
    const { id } = await addStaffUser(
      ctx,
      { kind: 'system' },
      {
        email,
        name,
        role: 'clinician',
        password: DEMO_PASSWORD,
        totpSecret: RX_TOTP_SECRET,
        practiceOds: RX_PRACTICE,
        trustedPassword: true,
      },
      null,
    );
    prescribers.push({ id, name, email });
  }
  const me = prescribers[0];
  if (!me) throw new Error('no bench prescriber');

  // The patient of the repeats page signs in with a password and a code, like the demo's.
  const pageEmail = 'repeats.patient@rx.bench.gp-online.test';
  await addPatientWithAccount(ctx, {
    email: pageEmail,
    password: DEMO_PASSWORD,
    totpSecret: RX_TOTP_SECRET,
    practice: RX_PRACTICE,
    nhsNumber: testNhsNumber(699_990),
    given: 'Repeats',
    family: 'Patient',
    birthDate: '1950-03-01',
    proofing: 'P9',
    recordLevel: 'summary',
    services: 'appointments,repeats',
  });
  const page = await db
    .selectFrom('online_accounts')
    .select(['id', 'patient_id'])
    .where('email', '=', pageEmail)
    .executeTakeFirstOrThrow();

  // The other 9,999 patients: online ordering on, identity checked, a token each.
  const passwordHash = await hashPassword(DEMO_PASSWORD);
  const bulk = Array.from({ length: SIZE.patients - 1 }, (_, i) => ({
    id: randomUUID(),
    practice_ods: RX_PRACTICE,
    nhs_number: testNhsNumber(700_000 + i * 10),
    given_name: 'Repeat',
    family_name: `Orderer${String(i)}`,
    birth_date: '1955-06-15',
    sex: 'unknown' as const,
    online_account_ref: String(300_000_000 + i),
  }));
  const accounts = bulk.map((p) => ({
    id: randomUUID(),
    email: `${p.family_name.toLowerCase()}@rx.bench.gp-online.test`,
    password_hash: passwordHash,
    totp_secret: null,
    totp_confirmed_at: now,
    email_confirmed_at: now,
    proofing_level: 'P9' as const,
    patient_id: p.id,
    practice_ods: RX_PRACTICE,
    linked_at: now,
  }));
  const tokens = accounts.map(() => randomBytes(24).toString('base64url'));
  await db.transaction().execute(async (tx) => {
    await chunked(bulk, (part) => tx.insertInto('patients').values(part).execute());
    await chunked(bulk, (part) =>
      tx
        .insertInto('online_services')
        .values(
          part.map((p) => ({
            patient_id: p.id,
            practice_ods: RX_PRACTICE,
            appointments: true,
            repeat_prescriptions: true,
            record_level: 'none' as const,
            prospective_from: null,
            historic_access: false,
            pharmacy_view: true,
            pharmacy_update: false,
            version: 1,
            updated_by: null,
            updated_at: now,
          })),
        )
        .execute(),
    );
    await chunked(accounts, (part) => tx.insertInto('online_accounts').values(part).execute());
    const expires = new Date(now.getTime() + 6 * 3_600_000);
    await chunked(
      accounts.map((a, i) => ({
        id: sha256(tokens[i] ?? ''),
        principal_type: 'patient' as const,
        principal_id: a.id,
        created_at: now,
        expires_at: expires,
      })),
      (part) => tx.insertInto('api_tokens').values(part).execute(),
    );
  });

  // Four repeats each, last issued 25 days ago (due 4 days ago): the first two are on order, the
  // last two can be ordered now.
  const everyone = [
    { patientId: page.patient_id ?? '', accountId: page.id, token: null as string | null },
    ...bulk.map((p, i) => ({
      patientId: p.id,
      accountId: accounts[i]?.id ?? null,
      token: tokens[i] ?? null,
    })),
  ];
  const templates: Insertable<RepeatTemplatesTable>[] = [];
  const requests: Insertable<PrescriptionRequestsTable>[] = [];
  const items: Insertable<PrescriptionRequestItemsTable>[] = [];
  const issues: Insertable<PrescriptionIssuesTable>[] = [];
  const entries: Insertable<RecordEntriesTable>[] = [];
  const orders: RxOrders['orders'] = [];
  const later: RxOrders['orders'] = [];
  for (const p of everyone) {
    const mine = REPEATS.slice(0, SIZE.templatesEach).map((m, k) => {
      const by = prescribers[Math.floor(rand() * prescribers.length)] ?? me;
      const lastIssued = new Date(now.getTime() - (25 + k) * DAY);
      const med = medicationEntry(
        { practiceOds: RX_PRACTICE, patientId: p.patientId, at: lastIssued, now },
        m,
      );
      entries.push(med);
      return {
        id: randomUUID(),
        practice_ods: RX_PRACTICE,
        patient_id: p.patientId,
        record_entry_id: med.id,
        prescription_type: 'repeat' as const,
        dmd_code: m.code,
        drug_name: m.name,
        dosage: m.dosage,
        quantity: m.quantity,
        quantity_unit: m.form,
        days_per_issue: 28,
        issues_authorised: 12,
        issues_made: 1,
        review_date: addDays(today, 100 + Math.floor(rand() * 200)),
        repeat_until: null,
        online_orderable: true,
        authorised_by: by.id,
        authoriser_name: by.name,
        authorised_on: englandDay(lastIssued),
        last_issued_at: lastIssued,
        status: 'active' as const,
        status_reason: null,
        version: 1,
        created_at: now,
        updated_at: now,
        by,
      };
    });
    entries.push(
      ...contextEntries(
        { practiceOds: RX_PRACTICE, patientId: p.patientId, now },
        { abnormal: rand() < 0.25, allergy: rand() < 0.3, daysAgo: 5 + Math.floor(rand() * 150) },
      ),
    );
    const requestedAt = new Date(now.getTime() - 60_000 - Math.floor(rand() * 10 * DAY));
    const request = {
      id: randomUUID(),
      practice_ods: RX_PRACTICE,
      patient_id: p.patientId,
      account_id: p.accountId,
      requested_at: requestedAt,
      note: rand() < 0.2 ? 'Please send to my usual pharmacy.' : null,
      early_reason: null,
      pharmacy_ods: null,
      channel: 'web' as const,
    };
    requests.push(request);
    const decidedAt = new Date(Math.min(requestedAt.getTime() + 3_600_000, now.getTime() - 60_000));
    for (const [k, t] of mine.entries()) {
      const { by, ...row } = t;
      const open = k < SIZE.openEach;
      const approved = open && rand() < 0.1;
      if (approved) row.issues_made = 2;
      templates.push(row);
      issues.push(issueOf(row, row.last_issued_at, null, by));
      if (!open) {
        if (p.token) (k === SIZE.openEach ? orders : later).push({ token: p.token, repeatId: row.id });
        continue;
      }
      const item = {
        id: randomUUID(),
        request_id: request.id,
        practice_ods: RX_PRACTICE,
        patient_id: p.patientId,
        template_id: row.id,
        // One item in ten for any prescriber.
        prescriber_id: rand() < 0.1 ? null : by.id,
        drug_name: row.drug_name,
        dosage: row.dosage,
        quantity: row.quantity,
        quantity_unit: row.quantity_unit,
        early: false,
        status: approved ? ('approved' as const) : ('requested' as const),
        requested_at: requestedAt,
        status_at: approved ? decidedAt : requestedAt,
        decided_by: approved ? by.id : null,
        decided_at: approved ? decidedAt : null,
        reject_reason: null,
      };
      items.push(item);
      if (approved && item.decided_at) {
        row.last_issued_at = item.decided_at;
        issues.push(issueOf(row, item.decided_at, item.id, by));
      }
    }
  }
  // One transaction: one commit, not one for each batch.
  await db.transaction().execute(async (tx) => {
    await chunked(entries, (part) => tx.insertInto('record_entries').values(part).execute());
    await chunked(templates, (part) => tx.insertInto('repeat_templates').values(part).execute());
    await chunked(requests, (part) => tx.insertInto('prescription_requests').values(part).execute());
    await chunked(items, (part) => tx.insertInto('prescription_request_items').values(part).execute());
    await chunked(issues, (part) => tx.insertInto('prescription_issues').values(part).execute());
  });
  await sql`analyze`.execute(db);
  const seed: RxSeed = {
    practice: RX_PRACTICE,
    patients: everyone.length,
    templates: templates.length,
    openItems: items.length,
    requestedItems: items.filter((i) => i.status === 'requested').length,
    issues: issues.length,
    recordEntries: entries.length,
    clinician: { email: me.email, staffId: me.id },
    prescriberId: me.id,
    patient: { email: pageEmail },
    seedMs: Math.round(performance.now() - started),
  };
  // Patients take turns: each one's first free repeat, then each one's second.
  return { seed, orders: { orders: [...orders, ...later] } };
}

function issueOf(
  t: {
    id: string;
    patient_id: string;
    dmd_code: string;
    drug_name: string;
    dosage: string;
    quantity: number;
    quantity_unit: string;
    days_per_issue: number;
  },
  at: Date,
  itemId: string | null,
  by: { id: string; name: string },
) {
  return {
    id: randomUUID(),
    practice_ods: RX_PRACTICE,
    patient_id: t.patient_id,
    template_id: t.id,
    request_item_id: itemId,
    issued_at: at,
    issued_by: by.id,
    prescriber_name: by.name,
    dmd_code: t.dmd_code,
    drug_name: t.drug_name,
    dosage: t.dosage,
    quantity: t.quantity,
    quantity_unit: t.quantity_unit,
    days_supply: t.days_per_issue,
    pharmacy_ods: null,
  };
}
