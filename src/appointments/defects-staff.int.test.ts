// Issue #10 on the practice's appointment pages: one error summary a page, listing every
// mistake with a link to its field; plain-English messages; page numbers and query values that
// are not ours refused; and each action shown only to the roles that may use it.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { type Browser, fixedClock, signInStaff, testApp, type TestApp } from '../../test/support/harness.ts';
import { DEMO_PASSWORD, DEMO_STAFF } from '../demo/data.ts';
import { loadDemo } from '../demo/load.ts';

const clock = fixedClock('2026-11-30T07:00:00Z');
let t: TestApp;
const staffOf = (role: string) => DEMO_STAFF.find((s) => s.role === role && s.email.includes('@ryan.'))!;
const people: Record<string, Browser> = {};
before(async () => {
  t = await testApp({ clock });
  await loadDemo(t.db.db, clock);
  for (const role of ['receptionist', 'clinician', 'practice-manager']) {
    const s = staffOf(role);
    people[role] = await signInStaff(t.app, s.email, DEMO_PASSWORD, s.totpSecret, clock);
  }
});
after(async () => {
  await t.close();
});
const as = (role: string) => people[role]!;

const summaries = (html: string) => (html.match(/class="nhsuk-error-summary"/g) ?? []).length;
/** The error summary's links, as [text, href]; each href must name a field on the page. */
function summaryLinks(html: string): [string, string][] {
  const box = /class="nhsuk-error-summary"[\s\S]*?<\/ul>/.exec(html)?.[0] ?? '';
  return [...box.matchAll(/<a href="#([^"]+)"[^>]*>([^<]+)<\/a>/g)].map((m) => [m[2] ?? '', m[1] ?? '']);
}
function assertOneSummaryLinkingFields(html: string, what: string): void {
  assert.equal(summaries(html), 1, `${what}: one error summary`);
  const links = summaryLinks(html);
  assert.ok(links.length > 0, `${what}: the summary lists the mistakes`);
  for (const [text, id] of links) {
    assert.match(html, new RegExp(`id="${id}"`), `${what}: "${text}" links to a field on the page (#${id})`);
    assert.match(html, new RegExp(`id="${id}--error-message"|id="${id}-error"`), `${what}: #${id} shows it`);
  }
}
const options = (html: string, name: string) =>
  [
    ...(new RegExp(`<select[^>]*name="${name}"[\\s\\S]*?</select>`).exec(html)?.[0] ?? '').matchAll(
      /value="([^"]*)"/g,
    ),
  ].map((m) => m[1] ?? '');

test('set-up with a session ending before it starts, or bad rules: one error summary, each mistake linked to its field', async () => {
  const m = as('practice-manager');
  const page = await m.get('/staff/appointments/setup');
  const parts = {
    practitionerId: options(page.body, 'practitionerId')[0]!,
    locationId: options(page.body, 'locationId')[0]!,
    slotTypeId: options(page.body, 'slotTypeId')[0]!,
  };
  const session = await m.submit('/staff/appointments/setup', '/staff/appointments/setup/session', {
    ...parts,
    day: '2026-12-05',
    start: '10:00',
    end: '09:00',
  });
  assert.equal(session.statusCode, 400);
  assertOneSummaryLinkingFields(session.body, 'session');
  assert.match(session.body, /name="horizonDays"[^>]*value="\d+"/, 'the rules form keeps the saved rules');
  const weekly = await m.submit('/staff/appointments/setup', '/staff/appointments/setup/template', {
    ...parts,
    weekday: '9',
    day: '2026-12-05',
    start: '10:00',
    end: '11:00',
  });
  assert.equal(weekly.statusCode, 400);
  assertOneSummaryLinkingFields(weekly.body, 'weekly session');
  const noDay = await m.submit('/staff/appointments/setup', '/staff/appointments/setup/session', {
    ...parts,
    day: '2026-02-30',
    start: 'soon',
    end: '11:00',
  });
  assert.equal(noDay.statusCode, 400, 'a date that does not exist is named, never a 500');
  assertOneSummaryLinkingFields(noDay.body, 'session without a date');
  assert.match(noDay.body, /Enter the date of the session/);
  const rules = await m.submit('/staff/appointments/setup', '/staff/appointments/setup/rules', {
    version: /name="version" value="(\d+)"/.exec(page.body)?.[1] ?? '0',
    releaseTime: '25:00',
    horizonDays: 'abc',
    dnaWindowDays: '0',
  });
  assert.equal(rules.statusCode, 400);
  assertOneSummaryLinkingFields(rules.body, 'rules');
  assert.deepEqual(
    summaryLinks(rules.body).map(([, id]) => id),
    ['releaseTime', 'horizonDays', 'dnaWindowDays'],
  );
  const type = await m.submit('/staff/appointments/setup', '/staff/appointments/setup/slot-type', {
    name: 'Long review',
    durationMinutes: 'half an hour',
    channel: 'face-to-face',
    access: 'online',
  });
  assert.equal(type.statusCode, 400, 'a length that is not a number is named, never 10 minutes');
  assertOneSummaryLinkingFields(type.body, 'slot type');
  const weekday = await m.submit('/staff/appointments/setup', '/staff/appointments/setup/template', {
    ...parts,
    weekday: 'someday',
    day: '2026-12-05',
    start: '10:00',
    end: '11:00',
  });
  assert.equal(weekday.statusCode, 400, 'a weekday that is not one is named, never Monday');
  assert.deepEqual(
    summaryLinks(weekday.body).map(([, id]) => id),
    ['weekday'],
  );
  const person = await m.submit('/staff/appointments/setup', '/staff/appointments/setup/practitioner', {
    name: '',
    role: 'gp',
    gender: 'female',
  });
  assert.equal(person.statusCode, 400);
  assertOneSummaryLinkingFields(person.body, 'practitioner');
  assert.deepEqual(
    summaryLinks(person.body).map(([, id]) => id),
    ['p-name'],
  );
});

test('staff "Book this slot" without an NHS number, cancelling without a reason: one error summary', async () => {
  const r = as('receptionist');
  const day = await r.get('/staff/appointments?date=2026-11-30');
  const bookHref = /href="(\/staff\/appointments\/slots\/[0-9a-f-]{36}\/book)"/.exec(day.body)?.[1] ?? '';
  const noNumber = await r.submit(bookHref, bookHref, { nhsNumber: '', reason: '' });
  assert.equal(noNumber.statusCode, 400);
  assertOneSummaryLinkingFields(noNumber.body, 'book this slot');
  const session = /href="(\/staff\/appointments\/sessions\/[0-9a-f-]{36}\/cancel)"/.exec(day.body)?.[1] ?? '';
  const noReason = await r.submit(session, session, { reason: '' });
  assert.equal(noReason.statusCode, 400);
  assertOneSummaryLinkingFields(noReason.body, 'cancel session');
});

test('each action is shown only to the roles that may use it: the book, one appointment, set-up', async () => {
  const url = '/staff/appointments?date=2026-11-30';
  const pages = {
    receptionist: (await as('receptionist').get(url)).body,
    clinician: (await as('clinician').get(url)).body,
    'practice-manager': (await as('practice-manager').get(url)).body,
  };
  // Cancelling a session and set-up: whoever runs the book (reception, the manager), not a clinician.
  for (const role of ['receptionist', 'practice-manager'] as const) {
    assert.match(
      pages[role],
      /\/staff\/appointments\/sessions\/[0-9a-f-]{36}\/cancel/,
      `${role}: Cancel session`,
    );
    assert.match(pages[role], /href="\/staff\/appointments\/setup"/, `${role}: set-up`);
  }
  assert.doesNotMatch(
    pages.clinician,
    /Cancel session|\/sessions\/[0-9a-f-]{36}\/cancel/,
    'clinician: no Cancel session',
  );
  assert.doesNotMatch(pages.clinician, />\s*Action\s*</, 'clinician: no Action column');
  assert.doesNotMatch(pages.clinician, /href="\/staff\/appointments\/setup"/, 'clinician: no set-up link');
  const session =
    /\/staff\/appointments\/sessions\/[0-9a-f-]{36}\/cancel/.exec(pages.receptionist)?.[0] ?? '';
  assert.equal((await as('clinician').get(session)).statusCode, 403, 'and the service agrees');
  // Booking a free slot, recording what happened, moving and cancelling: every role here may.
  for (const role of ['receptionist', 'clinician', 'practice-manager'] as const)
    assert.match(pages[role], /\/staff\/appointments\/slots\/[0-9a-f-]{36}\/book/, `${role}: Book`);

  // Set-up: sessions for reception and the manager; the practice's policy for the manager only.
  const setup = {
    receptionist: (await as('receptionist').get('/staff/appointments/setup')).body,
    clinician: (await as('clinician').get('/staff/appointments/setup')).body,
    'practice-manager': (await as('practice-manager').get('/staff/appointments/setup')).body,
  };
  const policy = [/Save rules/, /Add slot type/, /Add practitioner/, /Add location/, /Stop using/];
  for (const p of policy) {
    assert.match(setup['practice-manager'], p, `manager: ${String(p)}`);
    assert.doesNotMatch(setup.receptionist, p, `receptionist: ${String(p)}`);
    assert.doesNotMatch(setup.clinician, p, `clinician: ${String(p)}`);
  }
  for (const p of [/Add session/, /Add weekly session/]) {
    assert.match(setup['practice-manager'], p);
    assert.match(setup.receptionist, p);
    assert.doesNotMatch(setup.clinician, p, `clinician: ${String(p)}`);
  }
});

test('messages after an action are plain sentences, never "Done: booked" or a code; a page past the end is a 404', async () => {
  const r = as('receptionist');
  const day = await r.get('/staff/appointments?date=2026-12-01');
  const bookHref = /href="(\/staff\/appointments\/slots\/[0-9a-f-]{36}\/book)"/.exec(day.body)?.[1] ?? '';
  const nhs = await t.db.db
    .selectFrom('patients')
    .select('nhs_number')
    .where('practice_ods', '=', staffOf('receptionist').practiceOds!)
    .orderBy('nhs_number')
    .executeTakeFirstOrThrow();
  const booked = await r.submit(bookHref, bookHref, { nhsNumber: nhs.nhs_number, reason: '' });
  assert.equal(booked.statusCode, 302);
  const page = await r.get(String(booked.headers.location));
  assert.match(page.body, /Appointment booked\./);
  assert.doesNotMatch(page.body, /Done:/);
  const apptUrl = String(booked.headers.location).split('?')[0]!;
  const tooEarly = await r.submit(apptUrl, `${apptUrl}/status`, { status: 'seen' });
  assert.equal(tooEarly.statusCode, 409);
  assert.match(tooEarly.body, /This appointment cannot be marked as seen now\. It has not started yet\./);
  assert.doesNotMatch((await r.get(`${apptUrl}?done=anything-at-all`)).body, /anything-at-all/);
  const setup = await as('practice-manager').get(
    '/staff/appointments/setup?done=Rules+saved+by+someone+else',
  );
  assert.doesNotMatch(setup.body, /by someone else/, 'the page says only what it knows');
  // The book's query string.
  assert.equal((await r.get('/staff/appointments?date=2026-12-01&page=1')).statusCode, 200);
  for (const [q, status] of [
    ['page=abc', 400],
    ['page=0', 400],
    ['page=2', 404],
    ['page=99999', 404],
    ['date=tomorrow', 400],
    ['date=2026-02-30', 400],
    ['view=month', 400],
    ['practitioner=dr-who', 400],
    ['location=upstairs', 400],
  ] as const)
    assert.equal((await r.get(`/staff/appointments?${q}`)).statusCode, status, q);
  assert.match((await r.get('/staff/appointments?date=tomorrow')).body, /Enter a real date/);
});

test('a reason staff give: a character count of 500, and more refused at its field, kept, never cut', async () => {
  const r = as('receptionist');
  const day = await r.get('/staff/appointments?date=2026-12-02');
  const bookHref = /href="(\/staff\/appointments\/slots\/[0-9a-f-]{36}\/book)"/.exec(day.body)?.[1] ?? '';
  const form = await r.get(bookHref);
  assert.match(form.body, /data-maxlength="500"/);
  const nhs = await t.db.db
    .selectFrom('patients')
    .select('nhs_number')
    .where('practice_ods', '=', staffOf('receptionist').practiceOds!)
    .orderBy('nhs_number', 'desc')
    .executeTakeFirstOrThrow();
  const long = 'Needs a longer appointment. '.repeat(20); // 560 characters
  const refused = await r.submit(bookHref, bookHref, { nhsNumber: nhs.nhs_number, reason: long });
  assert.equal(refused.statusCode, 400);
  assert.equal(summaries(refused.body), 1);
  assert.match(refused.body, /The reason must be 500 characters or less/);
  assert.ok(refused.body.includes(`${long.trim()}</textarea>`), 'what was typed is kept');
  const booked = await r.submit(bookHref, bookHref, { nhsNumber: nhs.nhs_number, reason: 'Longer review' });
  assert.equal(booked.statusCode, 302);
  const url = String(booked.headers.location).split('?')[0]!;
  const cancel = await r.submit(url, `${url}/cancel`, { reason: long });
  assert.equal(cancel.statusCode, 400);
  assert.match(cancel.body, /<a href="#reason">\s*The reason must be 500 characters or less/);
  const stored = await t.db.db
    .selectFrom('appointments')
    .select(['status', 'reason'])
    .where('id', '=', url.split('/').at(-1) ?? '')
    .executeTakeFirstOrThrow();
  assert.deepEqual(stored, { status: 'booked', reason: 'Longer review' }, 'nothing half-written');
});
