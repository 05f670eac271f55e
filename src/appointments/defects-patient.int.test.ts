// Issue #10 on the patient's appointment pages and API: Back after booking then "Confirm booking"
// again shows the patient's own appointment (never "taken by someone else"); Continue with no
// type names the mistake; the reason has a character count and a limit the server keeps without
// cutting; page numbers and query values that are not ours are refused.
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, test } from 'node:test';
import {
  apiToken,
  Browser,
  fixedClock,
  freshCode,
  testApp,
  type TestApp,
} from '../../test/support/harness.ts';
import { DEMO_PASSWORD, DEMO_PATIENTS } from '../demo/data.ts';
import { loadDemo } from '../demo/load.ts';

const clock = fixedClock('2026-11-30T07:00:00Z');
let t: TestApp;
let b: Browser;
before(async () => {
  t = await testApp({ clock });
  await loadDemo(t.db.db, clock);
  const me = DEMO_PATIENTS[1]!; // linked by letter: booking needs no more
  b = new Browser(t.app);
  await b.submit('/patient/sign-in', '/patient/sign-in', { email: me.email, password: DEMO_PASSWORD });
  const r = await b.submit('/patient/sign-in/code', '/patient/sign-in/code', {
    code: await freshCode(t.app, 'patient', me.email, me.totpSecret, clock),
  });
  assert.equal(r.statusCode, 302);
});
after(async () => {
  await t.close();
});

const csrf = (html: string) => /name="_csrf" value="([^"]+)"/.exec(html)?.[1] ?? '';
const summaries = (html: string) => (html.match(/class="nhsuk-error-summary"/g) ?? []).length;

async function freeSlot(day: string, nth = 0): Promise<{ typeId: string; slotId: string }> {
  const choose = await b.get('/patient/appointments/book');
  const typeId = /name="type" type="radio" value="([0-9a-f-]{36})"/.exec(choose.body)?.[1] ?? '';
  const slots = await b.get(`/patient/appointments/book/slots?type=${typeId}&from=${day}`);
  const ids = [...slots.body.matchAll(/data-slot-id="([0-9a-f-]{36})"/g)].map((m) => m[1] ?? '');
  return { typeId, slotId: ids[nth] ?? '' };
}

test('Back after booking, then "Confirm booking" again: "You have already booked this appointment", and it is shown; no second booking', async () => {
  const { slotId } = await freeSlot('2026-12-01');
  const confirm = await b.get(`/patient/appointments/book/confirm?slot=${slotId}`);
  const key = /name="idempotencyKey" value="([^"]+)"/.exec(confirm.body)?.[1] ?? '';
  const booked = await b.post('/patient/appointments/book', {
    _csrf: csrf(confirm.body),
    slot: slotId,
    idempotencyKey: key,
  });
  assert.equal(booked.statusCode, 302);
  const id = /\/patient\/appointments\/([0-9a-f-]{36})\?booked=1$/.exec(String(booked.headers.location))?.[1];
  assert.ok(id);
  // Back: the confirmation page is fetched again (pages are no-store), with a new key.
  const back = await b.get(`/patient/appointments/book/confirm?slot=${slotId}`);
  assert.equal(back.statusCode, 302);
  assert.equal(back.headers.location, `/patient/appointments/${id}?already=1`);
  // The same page with the reason changed: the same appointment, never "a different request".
  const edited = await b.post('/patient/appointments/book', {
    _csrf: csrf(confirm.body),
    slot: slotId,
    idempotencyKey: key,
    reason: 'Changed my mind about the reason',
  });
  assert.equal(edited.headers.location, `/patient/appointments/${id}?already=1`);
  // The old page's form, pressed again with a new key or none: the same appointment, no error.
  for (const idempotencyKey of [randomUUID(), '']) {
    const again = await b.post('/patient/appointments/book', {
      _csrf: csrf(confirm.body),
      slot: slotId,
      idempotencyKey,
    });
    assert.equal(again.statusCode, 302, 'no error page');
    assert.equal(again.headers.location, `/patient/appointments/${id}?already=1`);
  }
  const page = await b.get(`/patient/appointments/${id}?already=1`);
  assert.equal(page.statusCode, 200);
  assert.match(page.body, /<h1[^>]*>You have already booked this appointment<\/h1>/);
  assert.match(page.body, /Tuesday 1 December 2026/);
  assert.doesNotMatch(page.body, /someone else/);
  const list = await b.get('/patient/appointments');
  assert.equal((list.body.match(/data-appointment-id=/g) ?? []).length, 1, 'one appointment, not two');
});

test('the API: booking again a slot the patient has is a 409 already-booked-by-you with their appointment id; the list’s ?page= is checked', async () => {
  const p = DEMO_PATIENTS[4]!;
  const token = await apiToken(t.app, p.email, DEMO_PASSWORD, p.totpSecret, clock);
  const auth = { authorization: `Bearer ${token}` };
  const slots = (
    await t.app.inject({ url: '/api/v1/appointments/slots?from=2026-12-02&to=2026-12-02', headers: auth })
  ).json<{ slots: { id: string }[] }>().slots;
  const book = (headers: Record<string, string>) =>
    t.app.inject({
      method: 'POST',
      url: '/api/v1/appointments',
      headers: { ...auth, ...headers },
      payload: { slotId: slots[0]!.id },
    });
  const first = await book({ 'idempotency-key': 'first-try-0001' });
  assert.equal(first.statusCode, 201);
  const id = first.json<{ id: string }>().id;
  assert.equal(
    (await book({ 'idempotency-key': 'first-try-0001' })).statusCode,
    200,
    'a retry with the key replays',
  );
  for (const headers of [{}, { 'idempotency-key': 'second-try-0002' }] as Record<string, string>[]) {
    const again = await book(headers);
    assert.equal(again.statusCode, 409);
    const body = again.json<{ reason: string; appointmentId: string; detail: string }>();
    assert.deepEqual([body.reason, body.appointmentId], ['already-booked-by-you', id]);
    assert.equal(body.detail, 'You have already booked this appointment.');
  }
  const list = (page: string) => t.app.inject({ url: `/api/v1/appointments?page=${page}`, headers: auth });
  assert.equal((await list('1')).statusCode, 200);
  for (const odd of ['abc', '0', '-1', '1.5']) {
    const r = await list(odd);
    assert.equal(r.statusCode, 400, `page=${odd}`);
    assert.equal(r.json<{ errors: { pointer: string }[] }>().errors[0]?.pointer, '/page');
  }
  assert.equal((await list('2')).statusCode, 404);
  const mine = (await t.app.inject({ url: '/api/v1/appointments', headers: auth })).json<{
    upcoming: unknown[];
  }>();
  assert.equal(mine.upcoming.length, 1);
});

test('Continue with no type of appointment chosen: the error summary and the field error, not a silent reload', async () => {
  for (const url of ['/patient/appointments/book/slots', '/patient/appointments/book/slots?type=']) {
    const r = await b.get(url);
    assert.equal(r.statusCode, 400, url);
    assert.equal(summaries(r.body), 1);
    assert.match(r.body, /<a href="#type">\s*Choose the type of appointment\s*<\/a>/);
    assert.match(r.body, /id="type-error"[\s\S]*?Choose the type of appointment/);
    assert.match(r.body, /name="type" type="radio"/, 'the choice is shown again');
  }
});

test('the reason: a character count of 500; more is refused at the field and what was typed is kept, never cut', async () => {
  const { slotId } = await freeSlot('2026-12-03', 1);
  const confirm = await b.get(`/patient/appointments/book/confirm?slot=${slotId}`);
  assert.match(confirm.body, /class="nhsuk-form-group nhsuk-character-count"/);
  assert.match(confirm.body, /data-maxlength="500"/);
  assert.match(confirm.body, /You can enter up to 500 characters/);
  assert.doesNotMatch(confirm.body, /maxlength="500"[^>]*name="reason"|name="reason"[^>]*maxlength=/);
  const form = { _csrf: csrf(confirm.body), slot: slotId, idempotencyKey: randomUUID() };
  const long = `${'Breathless on stairs. '.repeat(23)}end`; // 509 characters
  const refused = await b.post('/patient/appointments/book', { ...form, reason: long });
  assert.equal(refused.statusCode, 400);
  assert.equal(summaries(refused.body), 1);
  assert.match(
    refused.body,
    /<a href="#reason">\s*What the appointment is about must be 500 characters or less\s*<\/a>/,
  );
  assert.ok(refused.body.includes(`${long}</textarea>`), 'what was typed is kept');
  const none = await t.db.db.selectFrom('appointments').select('id').where('slot_id', '=', slotId).execute();
  assert.equal(none.length, 0, 'nothing booked');
  // 500 characters with line breaks, which a browser sends as CR LF: counted as the count does.
  const exact = `${'a'.repeat(248)}\r\n\r\n${'b'.repeat(250)}`;
  const ok = await b.post('/patient/appointments/book', { ...form, reason: exact });
  assert.equal(ok.statusCode, 302);
  const kept = await t.db.db
    .selectFrom('appointments')
    .select('reason')
    .where('slot_id', '=', slotId)
    .executeTakeFirstOrThrow();
  assert.equal(kept.reason?.length, 500);
});

test('page numbers of the appointment list: not a whole number is a 400 naming it, past the end a 404', async () => {
  assert.equal((await b.get('/patient/appointments?page=1')).statusCode, 200);
  for (const odd of ['abc', '-1', '0', '1.5']) {
    const r = await b.get(`/patient/appointments?page=${odd}`);
    assert.equal(r.statusCode, 400, `page=${odd}`);
    assert.match(r.body, /The page number must be a whole number, 1 or more/);
  }
  for (const far of ['2', '99999'])
    assert.equal((await b.get(`/patient/appointments?page=${far}`)).statusCode, 404, far);
});

test('query values of the booking pages that are not ours are named, not ignored', async () => {
  const { typeId } = await freeSlot('2026-12-01');
  const cases: [string, RegExp][] = [
    [`/patient/appointments/book/slots?type=${typeId}&from=abc`, /Enter a real date/],
    [`/patient/appointments/book/slots?type=${typeId}&from=2026-02-30`, /Enter a real date/],
    [`/patient/appointments/book/slots?type=${typeId}&from=2026-11-01`, /Enter today’s date or a later one/],
    [
      `/patient/appointments/book/slots?type=${typeId}&practitioner=someone`,
      /Choose who the appointment is with/,
    ],
    ['/patient/appointments/book?channel=pigeon', /Choose how you would like the appointment/],
  ];
  for (const [url, message] of cases) {
    const r = await b.get(url);
    assert.equal(r.statusCode, 400, url);
    assert.equal(summaries(r.body), 1, url);
    assert.match(r.body, message, url);
  }
});
