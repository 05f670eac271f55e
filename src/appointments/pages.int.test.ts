// The patient's booking pages, as a browser without JavaScript uses them: choose a type, a time,
// confirm (pressing the button twice books once), see it, cancel it; a time someone else took
// first gives the next three instead.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { Browser, fixedClock, testApp, type TestApp } from '../../test/support/harness.ts';
import { DEMO_PASSWORD, DEMO_PATIENTS } from '../demo/data.ts';
import { loadDemo } from '../demo/load.ts';
import { totpCode } from '../platform/auth/secrets.ts';

const clock = fixedClock('2026-11-30T07:00:00Z');
let t: TestApp;
before(async () => {
  t = await testApp({ clock });
  await loadDemo(t.db.db, clock);
});
after(async () => {
  await t.close();
});

async function signIn(a: (typeof DEMO_PATIENTS)[number]): Promise<Browser> {
  const b = new Browser(t.app);
  await b.submit('/patient/sign-in', '/patient/sign-in', { email: a.email, password: DEMO_PASSWORD });
  const r = await b.submit('/patient/sign-in/code', '/patient/sign-in/code', {
    code: totpCode(a.totpSecret, clock.now()),
  });
  assert.equal(r.statusCode, 302);
  return b;
}

const csrf = (html: string) => /name="_csrf" value="([^"]+)"/.exec(html)?.[1] ?? '';
const field = (html: string, name: string) =>
  new RegExp(`name="${name}" value="([^"]+)"`).exec(html)?.[1] ?? '';

test('book through the pages, press confirm twice, see it, cancel it', async () => {
  const b = await signIn(DEMO_PATIENTS[1]!); // linked by letter (P5): booking needs no more
  const home = await b.get('/patient');
  assert.match(home.body, /href="\/patient\/appointments"/);
  const choose = await b.get('/patient/appointments/book');
  assert.equal(choose.statusCode, 200);
  assert.doesNotMatch(choose.body, /On the day urgent/, 'practice-only types are not offered');
  const byPhone = await b.get('/patient/appointments/book?channel=telephone');
  assert.match(byPhone.body, /Phone call with a GP/);
  assert.doesNotMatch(byPhone.body, /Blood test with the nurse/, 'the way chosen filters the types');
  const typeId =
    /name="type" type="radio" value="([0-9a-f-]{36})"/.exec(choose.body)?.[1] ??
    /value="([0-9a-f-]{36})"[^>]*name="type"/.exec(choose.body)?.[1];
  assert.ok(typeId, 'a type to choose');
  const slots = await b.get(`/patient/appointments/book/slots?type=${typeId}&from=2026-12-01`);
  assert.equal(slots.statusCode, 200);
  const slotId = /data-slot-id="([0-9a-f-]{36})"/.exec(slots.body)?.[1];
  assert.ok(slotId);
  const confirm = await b.get(`/patient/appointments/book/confirm?slot=${slotId}`);
  assert.match(confirm.body, /Confirm booking/);
  const form = {
    _csrf: csrf(confirm.body),
    slot: slotId,
    idempotencyKey: field(confirm.body, 'idempotencyKey'),
    reason: 'Repeat asthma review',
  };
  const first = await b.post('/patient/appointments/book', form);
  const second = await b.post('/patient/appointments/book', form);
  assert.equal(first.statusCode, 302);
  assert.equal(second.headers.location, first.headers.location, 'the second press finds the same booking');
  const page = await b.get(String(first.headers.location));
  assert.match(page.body, /Appointment booked/);
  assert.match(page.body, /Repeat asthma review/);
  const list = await b.get('/patient/appointments');
  assert.equal((list.body.match(/data-appointment-id=/g) ?? []).length, 1);

  const id = /\/patient\/appointments\/([0-9a-f-]{36})/.exec(String(first.headers.location))?.[1] ?? '';
  const cancel = await b.submit(
    `/patient/appointments/${id}/cancel`,
    `/patient/appointments/${id}/cancel`,
    {},
  );
  assert.equal(cancel.headers.location, '/patient/appointments?cancelled=1');
  assert.match(
    (await b.get('/patient/appointments?cancelled=1')).body,
    /Your appointment has been cancelled/,
  );
});

test('a time taken by someone else first: a clear page with the next three times', async () => {
  const a = await signIn(DEMO_PATIENTS[3]!);
  const b = await signIn(DEMO_PATIENTS[4]!);
  const slot = await t.db.db
    .selectFrom('slots as s')
    .innerJoin('slot_types as ty', 'ty.id', 's.slot_type_id')
    .select('s.id')
    .where('ty.name', '=', 'Phone call with a GP')
    .where('s.practice_ods', '=', 'P81082')
    .where('s.starts_at', '>', new Date('2026-12-02T00:00:00Z'))
    .orderBy('s.starts_at')
    .executeTakeFirstOrThrow();
  const pa = await a.get(`/patient/appointments/book/confirm?slot=${slot.id}`);
  const pb = await b.get(`/patient/appointments/book/confirm?slot=${slot.id}`);
  assert.equal(
    (
      await a.post('/patient/appointments/book', {
        _csrf: csrf(pa.body),
        slot: slot.id,
        idempotencyKey: field(pa.body, 'idempotencyKey'),
      })
    ).statusCode,
    302,
  );
  const late = await b.post('/patient/appointments/book', {
    _csrf: csrf(pb.body),
    slot: slot.id,
    idempotencyKey: field(pb.body, 'idempotencyKey'),
  });
  assert.equal(late.statusCode, 409);
  assert.match(late.body, /This appointment has just been taken/);
  assert.equal((late.body.match(/data-slot-id=/g) ?? []).length, 3);
  const again = await b.get(`/patient/appointments/book/confirm?slot=${slot.id}`);
  assert.match(again.body, /You cannot book this appointment/);
});

test('a patient without online booking is told so, not shown an error', async () => {
  const p0 = await signIn(DEMO_PATIENTS[0]!);
  const r = await p0.get('/patient/appointments/book');
  assert.equal(r.statusCode, 403);
  assert.match(r.body, /Link your account/);
});
