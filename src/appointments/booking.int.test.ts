// Online booking through the JSON API on both databases: the concurrency guarantees with truly
// concurrent requests (one slot, one appointment; one patient's limit from many devices;
// Idempotency-Key), and every rule (release, horizon, limit, cut-off, missed appointments,
// practice-only types). The clock is fixed at Monday 30 November 2026, 07:00 in London.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { apiToken, fixedClock, testApp, type TestApp } from '../../test/support/harness.ts';
import { addPatientWithAccount } from '../accounts/cli.ts';
import { DEMO_PASSWORD, DEMO_STAFF } from '../demo/data.ts';
import { loadDemo } from '../demo/load.ts';
import { testNhsNumber } from '../platform/nhs-number.ts';

const clock = fixedClock('2026-11-30T07:00:00Z');
let t: TestApp;
const SECRET = 'GPOBOOKINGTESTS222222222';
const manager = DEMO_STAFF.find((s) => s.role === 'practice-manager')!;
const reception = DEMO_STAFF[0]!;
let managerToken = '';
type Slot = { id: string; start: string; type: { id: string; name: string }; practitioner: { name: string } };

async function newPatients(n: number, from: number): Promise<{ email: string; token: string }[]> {
  const out = [];
  for (let i = from; i < from + n; i++) {
    const email = `booker${String(i)}@test.gp-online.test`;
    await addPatientWithAccount(
      { db: t.db.db, clock, meta: null },
      {
        email,
        password: DEMO_PASSWORD,
        totpSecret: SECRET,
        practice: 'P81082',
        nhsNumber: testNhsNumber(700_000 + i * 10),
        given: 'Test',
        family: `Booker${String(i)}`,
        birthDate: '1980-05-05',
        proofing: 'P5',
        services: 'appointments',
      },
    );
    out.push({ email, token: await apiToken(t.app, email, DEMO_PASSWORD, SECRET, clock) });
  }
  return out;
}

const api = (
  token: string,
  method: 'GET' | 'POST' | 'DELETE' | 'PUT',
  url: string,
  payload?: object,
  headers: Record<string, string> = {},
) => t.app.inject({ method, url, payload, headers: { authorization: `Bearer ${token}`, ...headers } });

async function freeSlots(token: string, query = ''): Promise<Slot[]> {
  const r = await api(token, 'GET', `/api/v1/appointments/slots${query}`);
  assert.equal(r.statusCode, 200, r.body);
  return r.json<{ slots: Slot[] }>().slots;
}

async function liveAppointments(slotId: string): Promise<number> {
  const r = await t.db.db
    .selectFrom('appointments')
    .select((eb) => eb.fn.countAll<string>().as('n'))
    .where('slot_id', '=', slotId)
    .where('status', '<>', 'cancelled')
    .executeTakeFirstOrThrow();
  return Number(r.n);
}

before(async () => {
  t = await testApp({ clock });
  await loadDemo(t.db.db, clock);
  managerToken = await apiToken(t.app, manager.email, DEMO_PASSWORD, manager.totpSecret, clock);
});
after(async () => {
  await t.close();
});

test('HAZ-10 a patient books, sees, and cancels; the slot is free again at once; messages and audit are written', async () => {
  const [p] = await newPatients(1, 0);
  const slots = await freeSlots(p!.token);
  assert.ok(slots.length > 50, 'the demo practice has two weeks of released slots');
  assert.ok(!slots.some((s) => s.type.name === 'On the day urgent'), 'practice-only types never show');
  const slot = slots.find((s) => s.start >= '2026-12-01')!; // beyond the 4-hour cut-off
  const booked = await api(p!.token, 'POST', '/api/v1/appointments', {
    slotId: slot.id,
    reason: 'Sore knee',
  });
  assert.equal(booked.statusCode, 201, booked.body);
  const a = booked.json<{ id: string; status: string; reason: string }>();
  assert.equal(a.status, 'booked');
  assert.ok(!(await freeSlots(p!.token)).some((s) => s.id === slot.id), 'a booked slot is no longer offered');
  const listed = (await api(p!.token, 'GET', '/api/v1/appointments')).json<{
    upcoming: Record<string, unknown>[];
  }>();
  assert.deepEqual(
    { ...booked.json<Record<string, unknown>>(), can_cancel: true },
    listed.upcoming.find((x) => x.id === a.id),
    'the answer to the booking is the appointment as stored',
  );
  const mine = (await api(p!.token, 'GET', '/api/v1/appointments')).json<{
    upcoming: { id: string; can_cancel: boolean }[];
  }>();
  assert.deepEqual(
    mine.upcoming.map((x) => [x.id, x.can_cancel]),
    [[a.id, true]],
  );

  assert.equal((await api(p!.token, 'DELETE', `/api/v1/appointments/${a.id}`)).statusCode, 204);
  assert.ok(
    (await freeSlots(p!.token)).some((s) => s.id === slot.id),
    'cancelled: bookable again at once',
  );
  const again = await api(p!.token, 'DELETE', `/api/v1/appointments/${a.id}`);
  assert.equal(again.statusCode, 409);
  assert.equal(again.json<{ reason: string }>().reason, 'not-cancellable');

  const messages = await t.db.db
    .selectFrom('notifications_outbox')
    .select(['kind', 'email'])
    .where('reference', '=', a.id)
    .orderBy('created_at')
    .execute();
  assert.deepEqual(messages.map((m) => m.kind).sort(), ['appointment-booked', 'appointment-cancelled']);
  const audit = await t.db.db
    .selectFrom('audit_events')
    .select('action')
    .where('subject', '=', `appointment:${a.id}`)
    .execute();
  assert.deepEqual(audit.map((x) => x.action).sort(), ['appointment.book', 'appointment.cancel']);
});

test('HAZ-09 twenty patients at once on one slot: one appointment, nineteen told it was taken with the next three', async () => {
  const people = await newPatients(20, 10);
  const slot = (await freeSlots(people[0]!.token))[10]!;
  const answers = await Promise.all(
    people.map((p) => api(p.token, 'POST', '/api/v1/appointments', { slotId: slot.id })),
  );
  const codes = answers.map((r) => r.statusCode).sort();
  assert.deepEqual(codes, [201, ...Array<number>(19).fill(409)]);
  for (const r of answers.filter((x) => x.statusCode === 409)) {
    const body = r.json<{ reason: string; detail: string; alternatives: Slot[] }>();
    assert.equal(body.reason, 'slot-taken');
    assert.match(body.detail, /just been taken/);
    assert.equal(body.alternatives.length, 3);
    assert.ok(body.alternatives.every((s) => s.type.id === slot.type.id && s.id !== slot.id));
  }
  assert.equal(await liveAppointments(slot.id), 1);
  // The three offered are the next free times of the type, as the slot search lists them.
  const next = (await freeSlots(people[1]!.token, `?type=${slot.type.id}&from=${slot.start.slice(0, 10)}`))
    .filter((s) => s.start >= slot.start)
    .slice(0, 3);
  const offered = answers.find((r) => r.statusCode === 409)!.json<{ alternatives: Slot[] }>().alternatives;
  assert.deepEqual(
    offered.map((s) => s.id),
    next.map((s) => s.id),
  );
  // A later refusal (no transaction: the slot is known taken) offers the same.
  const later = await api(people[2]!.token, 'POST', '/api/v1/appointments', { slotId: slot.id });
  assert.deepEqual(
    later.json<{ alternatives: Slot[] }>().alternatives.map((s) => s.id),
    next.map((s) => s.id),
  );
});

test('HAZ-09 one patient on six devices at once: the limit of two holds', async () => {
  const [p] = await newPatients(1, 40);
  const slots = (await freeSlots(p!.token)).slice(20, 26);
  const answers = await Promise.all(
    slots.map((s) => api(p!.token, 'POST', '/api/v1/appointments', { slotId: s.id })),
  );
  assert.deepEqual(answers.map((r) => r.statusCode).sort(), [201, 201, 409, 409, 409, 409]);
  for (const r of answers.filter((x) => x.statusCode === 409))
    assert.equal(r.json<{ reason: string }>().reason, 'limit-reached');
});

test('HAZ-10 Idempotency-Key: five retries at once book once and all answer with the same appointment', async () => {
  const [p] = await newPatients(1, 50);
  const slots = await freeSlots(p!.token);
  const slot = slots[30]!;
  const headers = { 'idempotency-key': 'retry-test-0001' };
  const answers = await Promise.all(
    Array.from({ length: 5 }, () =>
      api(p!.token, 'POST', '/api/v1/appointments', { slotId: slot.id }, headers),
    ),
  );
  assert.deepEqual(answers.map((r) => r.statusCode).sort(), [200, 200, 200, 200, 201]);
  assert.equal(new Set(answers.map((r) => r.json<{ id: string }>().id)).size, 1);
  assert.equal(await liveAppointments(slot.id), 1);
  const reused = await api(p!.token, 'POST', '/api/v1/appointments', { slotId: slots[31]!.id }, headers);
  assert.equal(reused.statusCode, 409);
  assert.equal(reused.json<{ reason: string }>().reason, 'idempotency-key-reused');
});

test('release time, horizon, practice-only types and the cancellation cut-off', async () => {
  const [p] = await newPatients(1, 60);
  const setup = (await api(managerToken, 'GET', '/api/v1/practice/appointments/setup')).json<{
    practitioners: { id: string }[];
    locations: { id: string }[];
    slotTypes: { id: string; name: string }[];
    rules: { version: number };
  }>();
  // A type released at 08:00 on the day, with tomorrow's session.
  const typeRes = await api(managerToken, 'POST', '/api/v1/practice/appointments/slot-types', {
    name: 'Morning GP appointment',
    durationMinutes: 10,
    channel: 'face-to-face',
    nationalCategory: 'General Consultation Routine',
    bookableOnline: true,
    practiceOnly: false,
    releaseDaysBefore: 0,
    releaseTime: '08:00',
  });
  assert.equal(typeRes.statusCode, 201, typeRes.body);
  const typeId = typeRes.json<{ id: string }>().id;
  const session = await api(managerToken, 'POST', '/api/v1/practice/appointments/sessions', {
    practitionerId: setup.practitioners[0]!.id,
    locationId: setup.locations[0]!.id,
    slotTypeId: typeId,
    day: '2026-12-01',
    start: '08:30',
    end: '09:00',
  });
  assert.equal(session.statusCode, 201, session.body);
  assert.equal(session.json<{ slots: number }>().slots, 3);
  const slotRow = await t.db.db
    .selectFrom('slots')
    .select(['id', 'release_at'])
    .where('slot_type_id', '=', typeId)
    .orderBy('starts_at')
    .executeTakeFirstOrThrow();
  assert.equal(slotRow.release_at.toISOString(), '2026-12-01T08:00:00.000Z');
  assert.equal((await freeSlots(p!.token, `?type=${typeId}`)).length, 0, 'not released yet: not offered');
  const early = await api(p!.token, 'POST', '/api/v1/appointments', { slotId: slotRow.id });
  assert.equal(early.statusCode, 409);
  assert.equal(early.json<{ reason: string }>().reason, 'not-released');
  assert.match(early.json<{ detail: string }>().detail, /opens on Tuesday 1 December 2026 at 8am/);

  const urgent = setup.slotTypes.find((x) => x.name === 'On the day urgent')!;
  const urgentSlot = await t.db.db
    .selectFrom('slots')
    .select('id')
    .where('slot_type_id', '=', urgent.id)
    .executeTakeFirstOrThrow();
  const practiceOnly = await api(p!.token, 'POST', '/api/v1/appointments', { slotId: urgentSlot.id });
  assert.equal(practiceOnly.json<{ reason: string }>().reason, 'not-bookable-online');

  // Horizon: the practice cuts it to 2 days; a slot a week ahead is refused.
  const rules = {
    version: setup.rules.version,
    releaseDaysBefore: null,
    releaseTime: null,
    horizonDays: 2,
    maxFutureBookings: 2,
    cancelCutoffMinutes: 240,
    dnaLimit: 2,
    dnaWindowDays: 365,
    guidance: '',
    releaseWaves: 1,
    waveIntervalMinutes: 60,
    heldBackPercent: 0,
    heldBackReleaseMinutes: 120,
  };
  assert.equal(
    (await api(managerToken, 'PUT', '/api/v1/practice/appointments/rules', rules)).statusCode,
    204,
  );
  const stale = await api(managerToken, 'PUT', '/api/v1/practice/appointments/rules', rules);
  assert.equal(stale.statusCode, 409, 'a second write with the old version is refused');
  const weekAhead = await t.db.db
    .selectFrom('slots as s')
    .innerJoin('slot_types as ty', 'ty.id', 's.slot_type_id')
    .select('s.id')
    .where('ty.name', '=', 'GP appointment at the surgery')
    .where('s.practice_ods', '=', 'P81082')
    .where('s.starts_at', '>', new Date('2026-12-06T00:00:00Z'))
    .executeTakeFirstOrThrow();
  const far = await api(p!.token, 'POST', '/api/v1/appointments', { slotId: weekAhead.id });
  assert.equal(far.json<{ reason: string }>().reason, 'beyond-horizon');
  assert.ok(
    (await freeSlots(p!.token)).every((s) => s.start < '2026-12-03'),
    'the search stops at the horizon',
  );

  // Released at 08:00: book at 08:01 the 08:30 slot; cancelling is then past the 4-hour cut-off.
  clock.set('2026-12-01T08:01:00Z');
  const token = await apiToken(t.app, p!.email, DEMO_PASSWORD, SECRET, clock);
  const ok = await api(token, 'POST', '/api/v1/appointments', { slotId: slotRow.id });
  assert.equal(ok.statusCode, 201, ok.body);
  const late = await api(token, 'DELETE', `/api/v1/appointments/${ok.json<{ id: string }>().id}`);
  assert.equal(late.statusCode, 409);
  assert.equal(late.json<{ reason: string }>().reason, 'past-cut-off');
  assert.match(late.json<{ detail: string }>().detail, /4 hours before/);
});

test('two missed appointments switch online booking off for the patient; staff can still book', async () => {
  clock.set('2026-12-02T07:00:00Z');
  const [p] = await newPatients(1, 70);
  const receptionToken = await apiToken(t.app, reception.email, DEMO_PASSWORD, reception.totpSecret, clock);
  const patientId = (
    await t.db.db
      .selectFrom('online_accounts')
      .select('patient_id')
      .where('email', '=', p!.email)
      .executeTakeFirstOrThrow()
  ).patient_id!;
  const today = (await freeSlots(p!.token)).filter((s) => s.start.startsWith('2026-12-02')).slice(0, 2);
  for (const s of today) {
    const r = await api(receptionToken, 'POST', '/api/v1/practice/appointments', { slotId: s.id, patientId });
    assert.equal(r.statusCode, 201, r.body);
  }
  const tooEarly = await api(
    receptionToken,
    'POST',
    `/api/v1/practice/appointments/${(await t.db.db.selectFrom('appointments').select('id').where('patient_id', '=', patientId).executeTakeFirstOrThrow()).id}/actions`,
    { action: 'did-not-attend' },
  );
  assert.equal(tooEarly.statusCode, 409, 'not before it has started');
  clock.set('2026-12-02T18:00:00Z');
  const rt = await apiToken(t.app, reception.email, DEMO_PASSWORD, reception.totpSecret, clock);
  for (const a of await t.db.db
    .selectFrom('appointments')
    .select('id')
    .where('patient_id', '=', patientId)
    .execute())
    assert.equal(
      (await api(rt, 'POST', `/api/v1/practice/appointments/${a.id}/actions`, { action: 'did-not-attend' }))
        .statusCode,
      204,
    );
  const pt = await apiToken(t.app, p!.email, DEMO_PASSWORD, SECRET, clock);
  const next = (await freeSlots(pt))[0]!;
  const refused = await api(pt, 'POST', '/api/v1/appointments', { slotId: next.id });
  assert.equal(refused.statusCode, 409);
  assert.equal(refused.json<{ reason: string }>().reason, 'missed-appointments');
  const byStaff = await api(rt, 'POST', '/api/v1/practice/appointments', { slotId: next.id, patientId });
  assert.equal(byStaff.statusCode, 201);
});

test('who may: patients cannot use the practice API; staff of another practice cannot see this book', async () => {
  const [p] = await newPatients(1, 80);
  assert.equal(
    (await api(p!.token, 'GET', '/api/v1/practice/appointments/book?from=2026-12-02')).statusCode,
    403,
  );
  const other = DEMO_STAFF.find(
    (s) => s.practiceOds && s.practiceOds !== 'P81082' && s.role === 'clinician',
  )!;
  const ot = await apiToken(t.app, other.email, DEMO_PASSWORD, other.totpSecret, clock);
  const book = (await api(ot, 'GET', '/api/v1/practice/appointments/book?from=2026-12-02')).json<{
    slots: { patient_id: string | null }[];
  }>();
  const ours = await t.db.db
    .selectFrom('patients')
    .select('id')
    .where('practice_ods', '=', 'P81082')
    .execute();
  const ourIds = new Set(ours.map((x) => x.id));
  assert.ok(
    book.slots.every((s) => !s.patient_id || !ourIds.has(s.patient_id)),
    'another practice sees only its own book',
  );
  assert.equal((await api(ot, 'POST', '/api/v1/practice/appointments/rules', {})).statusCode, 404);
});
