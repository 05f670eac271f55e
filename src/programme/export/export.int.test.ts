// A practice's POMI return from its live data: the practice manager's page and CSV, England's
// month boundaries (the demo loaded at 00:30 on 1 April in summer time is April's, not March's),
// the counts against the tables they come from, and who may not have it.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { sql } from 'kysely';
import { fixedClock, signInStaff, testApp, type TestApp } from '../../../test/support/harness.ts';
import { DEMO_PASSWORD, DEMO_STAFF } from '../../demo/data.ts';
import { loadDemo } from '../../demo/load.ts';
import { parsePomi } from '../pomi/rules.ts';

// 23:30 UTC on 31 March 2026 is 00:30 on 1 April in England (summer time began on 29 March).
const clock = fixedClock('2026-03-31T23:30:00Z');
let t: TestApp;
before(async () => {
  t = await testApp({ clock });
  await loadDemo(t.db.db, clock);
});
after(async () => {
  await t.close();
});

const signIn = (role: string) => {
  const s = DEMO_STAFF.find((x) => x.role === role && (x.practiceOds ?? 'P81082') === 'P81082')!;
  return signInStaff(t.app, s.email, DEMO_PASSWORD, s.totpSecret, clock);
};
const count = async (query: ReturnType<typeof sql<{ n: number }>>) =>
  (await query.execute(t.db.db)).rows[0]?.n ?? -1;

test('April’s return while April runs: the counts are the practice’s own tables’, as POMI’s long format', async () => {
  const manager = await signIn('practice-manager');
  const page = await manager.get('/staff/reports/pomi');
  assert.equal(page.statusCode, 200);
  assert.match(String(page.headers['cache-control']), /no-store/);
  assert.match(page.body, /April 2026 is not over/);
  const csv = await manager.get('/staff/reports/pomi.csv?month=2026-04');
  assert.equal(csv.statusCode, 200);
  assert.match(String(csv.headers['content-type']), /text\/csv/);
  assert.match(String(csv.headers['cache-control']), /no-store/);
  assert.equal(csv.body.split('\r\n').filter(Boolean).length, 14);
  const parsed = parsePomi(csv.body);
  assert.equal(parsed.format, 'long');
  assert.deepEqual(parsed.problems, []);
  const r = parsed.returns[0]!;
  assert.equal(r.periodEnd, '2026-04-30');
  assert.equal(r.practiceOds, 'P81082');
  const v = r.values;
  // Every demo patient was added at 00:30 on 1 April: all are on April's list.
  assert.equal(
    v.patient_list_size,
    await count(sql`select count(*)::int as n from patients where practice_ods = 'P81082'`),
  );
  assert.ok(v.patient_list_size > 0);
  assert.equal(
    v.pat_appts_enbld,
    await count(
      sql`select count(*)::int as n from online_services where practice_ods = 'P81082' and appointments`,
    ),
  );
  assert.equal(
    v.pat_presc_enbld,
    await count(
      sql`select count(*)::int as n from online_services where practice_ods = 'P81082' and repeat_prescriptions`,
    ),
  );
  assert.equal(
    v.pat_detcoderec_enbld,
    await count(sql`select count(*)::int as n from online_services
      where practice_ods = 'P81082' and record_level in ('detailed', 'full')`),
  );
  const any = await count(sql`select count(*)::int as n from online_services where practice_ods = 'P81082'
    and (appointments or repeat_prescriptions or record_level <> 'none')`);
  assert.equal(v.total_pat_enbld, any);
  // Everyone was switched on this month: all of them are new.
  assert.equal(v.new_pat_enbld, any);
  assert.equal(
    v.pat_presc_use,
    // April began at 23:00 UTC on 31 March; the demo's older orders are March's.
    await count(sql`select count(*)::int as n from prescription_requests
      where practice_ods = 'P81082' and channel in ('web', 'api') and requested_at >= '2026-03-31T23:00:00Z'`),
  );
  assert.equal(v.sys_appts_enbld, 2);
  assert.equal(v.sys_presc_enbld, 2);
  assert.equal(v.sys_detcoderec_enbld, 2);
  const uses: (number | null)[] = [v.pat_appts_use, v.pat_presc_use, v.pat_detcoderec_use];
  assert.equal(
    v.total_use,
    uses.reduce<number>((a, b) => a + (b ?? 0), 0),
  );
  const audited = await count(
    sql`select count(*)::int as n from audit_events where action = 'programme.pomi.export' and practice_ods = 'P81082'`,
  );
  assert.equal(audited, 2);
});

test('March has no data (the demo came at 00:30 on 1 April in England); a later month counts no one new', async () => {
  const manager = await signIn('practice-manager');
  const march = await manager.get('/staff/reports/pomi.csv?month=2026-03');
  assert.equal(march.statusCode, 400);
  assert.match(march.body, /2026-03/);
  assert.equal((await manager.get('/staff/reports/pomi.csv?month=April')).statusCode, 400);
  clock.set('2026-05-02T09:00:00Z');
  const again = await signIn('practice-manager');
  assert.equal((await again.get('/staff/reports/pomi.csv?month=2026-06')).statusCode, 400);
  const may = parsePomi((await again.get('/staff/reports/pomi.csv?month=2026-05')).body).returns[0]!;
  const april = parsePomi((await again.get('/staff/reports/pomi.csv?month=2026-04')).body).returns[0]!;
  assert.equal(may.values.new_pat_enbld, 0);
  assert.equal(may.values.total_pat_enbld, april.values.total_pat_enbld);
  assert.equal(may.values.pat_presc_use, 0);
  const page = await again.get('/staff/reports/pomi?month=2026-04');
  assert.doesNotMatch(page.body, /is not over/);
});

test('a receptionist, a clinician and a commissioner may not have the return', async () => {
  for (const role of ['receptionist', 'clinician', 'commissioner']) {
    const b = await signIn(role);
    assert.equal((await b.get('/staff/reports/pomi')).statusCode, 403, role);
    assert.equal((await b.get('/staff/reports/pomi.csv')).statusCode, 403, role);
  }
});
