// Set-up changes reach the slots already there: new release rules are replanned onto future slots,
// and weekly templates run forward to four weeks ahead, once per day however often they run.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { apiToken, fixedClock, signInStaff, testApp, type TestApp } from '../../test/support/harness.ts';
import { DEMO_PASSWORD, DEMO_PATIENTS, DEMO_STAFF } from '../demo/data.ts';
import { loadDemo } from '../demo/load.ts';
import { DEFAULT_RULES } from './rules.ts';
import { runTemplatesForward, TEMPLATE_DAYS_AHEAD } from './setup/sessions-service.ts';

const clock = fixedClock('2026-11-30T07:00:00Z'); // Monday, 7am in London
let t: TestApp;
const manager = DEMO_STAFF.find((s) => s.role === 'practice-manager')!;
before(async () => {
  t = await testApp({ clock });
  await loadDemo(t.db.db, clock);
});
after(async () => {
  await t.close();
});

test('new release rules apply to future slots already set up, wave by wave', async () => {
  const token = await apiToken(t.app, manager.email, DEMO_PASSWORD, manager.totpSecret, clock);
  const setup = (
    await t.app.inject({
      url: '/api/v1/practice/appointments/setup',
      headers: { authorization: `Bearer ${token}` },
    })
  ).json<{ rules: { version: number } }>();
  const res = await t.app.inject({
    method: 'PUT',
    url: '/api/v1/practice/appointments/rules',
    headers: { authorization: `Bearer ${token}` },
    payload: {
      ...DEFAULT_RULES,
      version: setup.rules.version,
      releaseDaysBefore: 0,
      releaseTime: '08:00',
      releaseWaves: 2,
    },
  });
  assert.equal(res.statusCode, 204, res.body);
  const tomorrow = await t.db.db
    .selectFrom('slots')
    .select(['release_at', 'session_id', 'starts_at'])
    .where('practice_ods', '=', 'P81082')
    .where('starts_at', '>=', new Date('2026-12-01T00:00:00Z'))
    .where('starts_at', '<', new Date('2026-12-02T00:00:00Z'))
    .orderBy('session_id')
    .orderBy('starts_at')
    .execute();
  assert.ok(tomorrow.length > 10);
  const times = new Set(tomorrow.map((s) => s.release_at.toISOString()));
  assert.deepEqual(
    [...times].sort(),
    ['2026-12-01T08:00:00.000Z', '2026-12-01T09:00:00.000Z'],
    'two waves from 8am on the day',
  );
  const audit = await t.db.db
    .selectFrom('audit_events')
    .select('details')
    .where('action', '=', 'appointments.rules.update')
    .executeTakeFirstOrThrow();
  assert.ok((audit.details as { replannedSlots: number }).replannedSlots > 100);
});

test('a weekly session runs forward four weeks, once a day however often the job runs', async () => {
  const m = await signInStaff(t.app, manager.email, DEMO_PASSWORD, manager.totpSecret, clock);
  const page = await m.get('/staff/appointments/setup');
  const first = (name: string) =>
    new RegExp(`<select[^>]*name="${name}"[\\s\\S]*?value="([^"]+)"`).exec(page.body)?.[1] ?? '';
  const r = await m.submit('/staff/appointments/setup', '/staff/appointments/setup/template', {
    practitionerId: first('practitionerId'),
    locationId: first('locationId'),
    slotTypeId: first('slotTypeId'),
    weekday: '6',
    day: '2026-11-30',
    start: '09:00',
    end: '10:00',
  });
  assert.equal(r.statusCode, 302);
  assert.match((await m.get(String(r.headers.location))).body, /it makes 2 sessions with \d+ slots\./);
  const sessions = () =>
    t.db.db
      .selectFrom('clinic_sessions')
      .select('day')
      .where('template_id', 'is not', null)
      .orderBy('day')
      .execute();
  assert.deepEqual(
    (await sessions()).map((s) => s.day),
    ['2026-12-05', '2026-12-12'],
  );
  const ran = await runTemplatesForward(t.db.db, clock.now());
  assert.equal(ran.sessions, 2, `Saturdays within ${String(TEMPLATE_DAYS_AHEAD)} days not yet set up`);
  assert.deepEqual(
    (await sessions()).map((s) => s.day),
    ['2026-12-05', '2026-12-12', '2026-12-19', '2026-12-26'],
  );
  assert.deepEqual(
    await runTemplatesForward(t.db.db, clock.now()),
    { sessions: 0, slots: 0 },
    'a second run adds nothing',
  );
});

test('a slot type no longer in use is not bookable online; using it again restores it', async () => {
  clock.set('2026-12-01T09:05:00Z'); // the first test's rules release at 8am on the day, in two waves
  const m = await signInStaff(t.app, manager.email, DEMO_PASSWORD, manager.totpSecret, clock);
  const type = await t.db.db
    .selectFrom('slot_types')
    .select(['id', 'name'])
    .where('practice_ods', '=', 'P81082')
    .where('name', '=', 'Blood test with the nurse')
    .executeTakeFirstOrThrow();
  const page = await m.get('/staff/appointments/setup');
  assert.match(page.body, new RegExp(`name="id" value="${type.id}"`));
  const stop = await m.submit('/staff/appointments/setup', '/staff/appointments/setup/in-use', {
    kind: 'slot-type',
    id: type.id,
    active: 'no',
  });
  assert.equal(stop.statusCode, 302);
  const active = async () =>
    (
      await t.db.db
        .selectFrom('slot_types')
        .select('active')
        .where('id', '=', type.id)
        .executeTakeFirstOrThrow()
    ).active;
  assert.equal(await active(), false);
  assert.match((await m.get('/staff/appointments/setup')).body, /Not in use/);
  const p = DEMO_PATIENTS[3]!;
  const token = await apiToken(t.app, p.email, DEMO_PASSWORD, p.totpSecret, clock);
  const offered = async () =>
    (
      await t.app.inject({
        url: `/api/v1/appointments/slots?type=${type.id}`,
        headers: { authorization: `Bearer ${token}` },
      })
    ).json<{ slots: unknown[] }>().slots.length;
  assert.equal(await offered(), 0, 'not offered online while not in use');
  await m.submit('/staff/appointments/setup', '/staff/appointments/setup/in-use', {
    kind: 'slot-type',
    id: type.id,
    active: 'yes',
  });
  assert.equal(await active(), true);
  assert.ok((await offered()) > 0, 'offered again');
  const other = await m.submit('/staff/appointments/setup', '/staff/appointments/setup/in-use', {
    kind: 'slot-type',
    id: '00000000-0000-4000-8000-000000000000',
    active: 'no',
  });
  assert.equal(other.statusCode, 404);
});
