// The demo's repeat prescriptions in the database: each practice has its settings and a queue
// waiting, the demo accounts' repeats are made from their own record's medicines and are in
// their planned states by the rules, and loading the demo again adds nothing.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { sql } from 'kysely';
import { testDatabase, type TestDb } from '../../test/support/harness.ts';
import { fixedClock } from '../platform/clock.ts';
import { englandDay } from '../platform/dates.ts';
import { orderability, type Orderability } from '../prescriptions/rules.ts';
import { settingsFor } from '../prescriptions/settings-store.ts';
import { DEMO_PATIENTS, DEMO_PRACTICES } from './data.ts';
import { loadDemo, type DemoSummary } from './load.ts';
import { demoRepeatState } from './prescriptions.ts';

// 00:30 on a summer Wednesday in England: the UTC day is still Tuesday.
const clock = fixedClock('2026-07-07T23:30:00Z');
let db: TestDb;
let first: DemoSummary;
before(async () => {
  db = await testDatabase();
  first = await loadDemo(db.db, clock);
});
after(async () => {
  await db.dispose();
});

test('every demo practice has its settings and a queue of requested items waiting', async () => {
  for (const p of DEMO_PRACTICES) {
    const s = await db.db
      .selectFrom('prescription_settings')
      .selectAll()
      .where('practice_ods', '=', p.odsCode)
      .executeTakeFirst();
    assert.ok(s, `${p.odsCode} settings`);
    const waiting = await db.db
      .selectFrom('prescription_request_items')
      .select(sql<number>`count(*)::int`.as('n'))
      .where('practice_ods', '=', p.odsCode)
      .where('status', '=', 'requested')
      .executeTakeFirstOrThrow();
    assert.ok(waiting.n >= 12, `${p.odsCode}: ${String(waiting.n)} waiting`);
    // From eight different patients, the practice's oldest (on these medicines), at the counter.
    const queue = await db.db
      .selectFrom('prescription_requests as r')
      .innerJoin('patients as p', 'p.id', 'r.patient_id')
      .select(['p.id', 'p.birth_date'])
      .where('r.practice_ods', '=', p.odsCode)
      .where('r.channel', '=', 'practice')
      .execute();
    assert.equal(new Set(queue.map((q) => q.id)).size, 8, `${p.odsCode}: eight patients`);
    assert.ok(
      queue.every((q) => q.birth_date < '1966-07-08'),
      `${p.odsCode}: all over 60`,
    );
  }
});

test('the demo accounts’ repeats come from their record’s current medicines, in their planned states', async () => {
  const today = englandDay(clock.now());
  assert.equal(today, '2026-07-08');
  for (const a of DEMO_PATIENTS.filter((x) => x.patientIndex !== null && x.recordYears > 0)) {
    const account = await db.db
      .selectFrom('online_accounts')
      .select(['patient_id', 'practice_ods'])
      .where('email', '=', a.email)
      .executeTakeFirstOrThrow();
    const templates = await db.db
      .selectFrom('repeat_templates as t')
      .leftJoin('record_entries as e', 'e.id', 't.record_entry_id')
      .select([
        't.id',
        't.drug_name',
        't.prescription_type',
        't.patient_id',
        'e.patient_id as entry_patient',
        'e.kind',
        'e.title',
      ])
      .select(['t.status', 't.online_orderable', 't.issues_authorised', 't.issues_made', 't.days_per_issue'])
      .select(['t.review_date', 't.repeat_until', 't.last_issued_at', 'e.details'])
      .where('t.patient_id', '=', account.patient_id ?? '')
      .orderBy('t.created_at')
      .orderBy('e.recorded_at')
      .execute();
    const repeats = templates.filter((t) => t.prescription_type === 'repeat');
    assert.equal(repeats.length, 4, a.email);
    assert.equal(templates.filter((t) => t.prescription_type === 'acute').length, 1, `${a.email}: one acute`);
    for (const t of templates) {
      assert.equal(t.entry_patient, t.patient_id, `${t.drug_name}: its own record entry`);
      assert.equal(t.kind, 'medication');
      assert.equal(t.title, t.drug_name);
    }
    const settings = await settingsFor(db.db, account.practice_ods ?? '');
    const open = await db.db
      .selectFrom('prescription_request_items')
      .select(['template_id', 'status'])
      .where('patient_id', '=', account.patient_id ?? '')
      .where('status', 'in', ['requested', 'approved'])
      .execute();
    const states: Orderability[] = repeats.map((t) =>
      orderability(
        {
          prescriptionType: t.prescription_type,
          status: t.status,
          onlineOrderable: t.online_orderable,
          issuesAuthorised: t.issues_authorised,
          issuesMade: t.issues_made,
          daysPerIssue: t.days_per_issue,
          reviewDate: t.review_date,
          repeatUntil: t.repeat_until,
          lastIssuedOn: t.last_issued_at ? englandDay(t.last_issued_at) : null,
          openItem: open.some((o) => o.template_id === t.id && o.status === 'requested') ? 'requested' : null,
        },
        settings,
        today,
      ),
    );
    for (const [i, o] of states.entries()) {
      const planned = demoRepeatState(a.patientIndex ?? 0, i);
      const reason = o.orderable ? (o.early ? 'early' : 'orderable') : o.reason;
      const expected: Record<string, string> = {
        requested: 'already-requested',
        'requested-early': 'already-requested',
        approved: 'too-early',
        issued: 'too-early',
        rejected: 'orderable',
      };
      assert.equal(reason, expected[planned] ?? planned, `${a.email} repeat ${String(i)}`);
    }
  }
});

test('issues made equal the issues recorded for every demo template', async () => {
  const r = await sql<{ n: number }>`
    select count(*)::int as n from repeat_templates t
    where t.issues_made <> (select count(*) from prescription_issues i where i.template_id = t.id)
  `.execute(db.db);
  assert.equal(r.rows[0]?.n, 0);
});

test('each template has its "created" change, with nothing before it and its fields after', async () => {
  const r = await sql<{ n: number; bad: number }>`
    select count(*)::int as n,
      count(*) filter (where c.before is not null or c.after ->> 'dosage' is distinct from t.dosage or c.version <> 1)::int as bad
    from repeat_templates t left join repeat_template_changes c on c.template_id = t.id and c.action = 'created'
  `.execute(db.db);
  assert.ok((r.rows[0]?.n ?? 0) > 40);
  assert.equal(r.rows[0]?.bad, 0);
});

test('every template, request and item belongs to a patient of its own practice', async () => {
  const r = await sql<{ n: number }>`
    select (select count(*) from repeat_templates x join patients p on p.id = x.patient_id where p.practice_ods <> x.practice_ods)
         + (select count(*) from prescription_requests x join patients p on p.id = x.patient_id where p.practice_ods <> x.practice_ods)
         + (select count(*) from prescription_request_items x join patients p on p.id = x.patient_id where p.practice_ods <> x.practice_ods)
         as n
  `.execute(db.db);
  assert.equal(Number(r.rows[0]?.n), 0);
});

test('loading the demo again adds no prescriptions', async () => {
  assert.ok(first.repeats > 40, `${String(first.repeats)} templates`);
  const count = async () =>
    (
      await db.db
        .selectFrom('repeat_templates')
        .select(sql<number>`count(*)::int`.as('n'))
        .executeTakeFirstOrThrow()
    ).n;
  const before = await count();
  const again = await loadDemo(db.db, clock);
  assert.equal(again.repeats, 0);
  assert.equal(await count(), before);
});
