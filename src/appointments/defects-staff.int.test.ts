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
