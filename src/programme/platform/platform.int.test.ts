// Offerings of the practices on GP Online from their own settings: written in the transaction
// that changes a setting, dated the England day (here just after midnight in summer time), and
// found by the daily check when a setting changed another way.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { sql } from 'kysely';
import {
  apiToken,
  fixedClock,
  signInStaff,
  testApp,
  type Browser,
  type TestApp,
} from '../../../test/support/harness.ts';
import { changeServices, settingsOf } from '../../accounts/index.ts';
import { loadActor } from '../../platform/auth/signin.ts';
import { DEMO_PASSWORD, DEMO_STAFF } from '../../demo/data.ts';
import { loadDemo } from '../../demo/load.ts';
import { checkPlatformOfferings } from '../index.ts';

// 23:30 UTC on 30 June is 00:30 on 1 July in England.
const clock = fixedClock('2026-06-30T23:30:00Z');
let t: TestApp;
let token: string;
let manager: Browser;
before(async () => {
  t = await testApp({ clock });
  await loadDemo(t.db.db, clock);
});
after(async () => {
  await t.close();
});

type Entry = { service: string; offered: boolean; effective_on: string; note: string | null };
async function entries(practice: string): Promise<Entry[]> {
  const r = await sql<Entry>`
    select service, offered, effective_on::text as effective_on, note from service_offerings
    where source = 'platform' and practice_ods = ${practice} order by effective_on, service`.execute(t.db.db);
  return r.rows;
}
const latest = (list: Entry[]) => Object.fromEntries(list.map((e) => [e.service, e.offered]));

async function summary(month: string) {
  const res = await t.app.inject({
    method: 'GET',
    url: `/api/v1/programme/summary?month=${month}`,
    headers: { authorization: `Bearer ${token}` },
  });
  assert.equal(res.statusCode, 200, res.body);
  return res.json<{
    source: string;
    practices: number;
    services: Record<string, { practices_offering: number }>;
  }>();
}

test('the demo practices’ settings are recorded on the England day, 1 July, with what decided them', async () => {
  for (const ods of ['P81082', 'N81001', 'N82001']) {
    const list = await entries(ods);
    assert.equal(list.length, 5, ods);
    assert.ok(
      list.every((e) => e.effective_on === '2026-07-01'),
      ods,
    );
  }
  const ryan = latest(await entries('P81082'));
  // The demo practice has slot types bookable online, its repeats switch on, and patients at every level.
  assert.deepEqual(ryan, {
    appointments: true,
    prescriptions: true,
    'summary-record': true,
    'detailed-coded-record': true,
    'full-record': true,
  });
});

test('switching repeats off online writes a dated change in the same save; the England month counts it', async () => {
  clock.set('2026-07-02T09:00:00Z');
  const c = DEMO_STAFF.find((x) => x.role === 'commissioner')!;
  token = await apiToken(t.app, c.email, DEMO_PASSWORD, c.totpSecret, clock);
  const m = DEMO_STAFF.find((x) => x.role === 'practice-manager')!;
  manager = await signInStaff(t.app, m.email, DEMO_PASSWORD, m.totpSecret, clock);
  const before = await summary('2026-07');
  assert.equal(before.source, 'offering-history');
  const url = '/staff/prescriptions/settings';
  const shown = await manager.get(url);
  const version = /name="version" value="(\d+)"/.exec(shown.body)?.[1] ?? '';
  const off = await manager.submit(url, url, {
    version,
    onlineOrdering: 'no',
    turnaroundDays: '2',
    orderWindowDays: '7',
    earlyReasonRequired: 'no',
  });
  assert.equal(off.statusCode, 302);
  const list = await entries('P81082');
  assert.deepEqual(list.at(-1), {
    service: 'prescriptions',
    offered: false,
    effective_on: '2026-07-02',
    note: 'The prescription settings were saved',
  });
  // Saving again with the switch still off writes nothing more.
  const again = await manager.get(url);
  const v2 = /name="version" value="(\d+)"/.exec(again.body)?.[1] ?? '';
  await manager.submit(url, url, {
    version: v2,
    onlineOrdering: 'no',
    turnaroundDays: '3',
    orderWindowDays: '7',
    earlyReasonRequired: 'no',
  });
  assert.equal((await entries('P81082')).length, list.length);
  const afterOff = await summary('2026-07');
  assert.equal(
    afterOff.services.repeat_prescriptions?.practices_offering,
    (before.services.repeat_prescriptions?.practices_offering ?? 0) - 1,
  );
  // June knows nothing of the platform practices: their first entry is 1 July.
  const june = await t.app.inject({
    method: 'GET',
    url: '/api/v1/programme/summary?month=2026-06',
    headers: { authorization: `Bearer ${token}` },
  });
  assert.equal(june.statusCode, 404, june.body);
});

test('a record level raised and lowered by a clinician: the detailed coded record follows the last patient', async () => {
  // Every N81001 patient's record access taken away outside the services (as a restore might).
  const audits = async () =>
    (
      await sql<{ details: { changes: number } }>`
        select details from audit_events where action = 'programme.offerings.platform'
        order by at, seq`.execute(t.db.db)
    ).rows;
  // The demo's own check found the slot types it wrote directly.
  const before = (await audits()).length;
  await sql`update online_services set record_level = 'none' where practice_ods = 'N81001'`.execute(t.db.db);
  clock.set('2026-07-03T12:00:00Z');
  const found = await checkPlatformOfferings({ db: t.db.db, clock, meta: null });
  assert.deepEqual(found, { changes: 3, practices: 1 });
  const audited = await audits();
  assert.equal(audited.length, before + 1);
  assert.equal(audited.at(-1)?.details.changes, 3);
  assert.deepEqual(await checkPlatformOfferings({ db: t.db.db, clock, meta: null }), {
    changes: 0,
    practices: 0,
  });
  assert.equal((await audits()).length, before + 1);

  const gp = DEMO_STAFF.find((x) => x.role === 'clinician' && x.practiceOds === 'N81001')!;
  const id = await sql<{ id: string }>`select id from staff_users where email = ${gp.email}`.execute(t.db.db);
  const actor = await loadActor(t.db.db, 'staff', id.rows[0]?.id ?? '');
  const patient = await sql<{ patient_id: string }>`
    select patient_id from online_services where practice_ods = 'N81001' order by patient_id limit 1`.execute(
    t.db.db,
  );
  const patientId = patient.rows[0]?.patient_id ?? '';
  const change = async (recordLevel: 'detailed' | 'summary') => {
    const current = await settingsOf(t.db.db, 'N81001', patientId);
    await changeServices({ db: t.db.db, clock, meta: null }, actor, patientId, {
      ...current.settings,
      recordLevel,
      historicAccess: false,
      prospectiveFrom: undefined,
      expectedVersion: current.version,
      reason: 'Test',
    });
  };
  clock.set('2026-07-04T10:00:00Z');
  await change('detailed');
  let now = latest(await entries('N81001'));
  assert.equal(now['summary-record'], true);
  assert.equal(now['detailed-coded-record'], true);
  assert.equal(now['full-record'], false);
  clock.set('2026-07-05T10:00:00Z');
  await change('summary');
  const list = await entries('N81001');
  now = latest(list);
  assert.equal(now['summary-record'], true);
  assert.equal(now['detailed-coded-record'], false);
  assert.deepEqual(
    list.filter((e) => e.effective_on >= '2026-07-04').map((e) => [e.effective_on, e.service, e.offered]),
    [
      ['2026-07-04', 'detailed-coded-record', true],
      ['2026-07-04', 'summary-record', true],
      ['2026-07-05', 'detailed-coded-record', false],
    ],
  );
});

test('a practice that closes stops counting after the month it was last found on GP Online', async () => {
  await sql`update practices set status = 'closed' where ods_code = 'N82001'`.execute(t.db.db);
  clock.set('2026-08-05T09:00:00Z');
  await checkPlatformOfferings({ db: t.db.db, clock, meta: null });
  const c = DEMO_STAFF.find((x) => x.role === 'commissioner')!;
  token = await apiToken(t.app, c.email, DEMO_PASSWORD, c.totpSecret, clock);
  const seen = await sql<{ practice_ods: string; last_seen: string }>`
    select practice_ods, last_seen::text as last_seen from platform_presence order by practice_ods`.execute(
    t.db.db,
  );
  assert.deepEqual(
    seen.rows.map((r) => [r.practice_ods, r.last_seen]),
    [
      ['N81001', '2026-08-05'],
      // Last found by the check of 3 July (the test before).
      ['N82001', '2026-07-03'],
      ['P81082', '2026-08-05'],
    ],
  );
  assert.equal((await summary('2026-07')).practices, 3);
  assert.equal((await summary('2026-08')).practices, 2);
});
