// The patient's nominated-pharmacy pages as a browser without JavaScript uses them: see it, search
// by postcode, name or ODS code, choose, confirm; history and audit kept; the practice's switches
// (pharmacy_view, pharmacy_update) and the proofing level respected.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { Browser, fixedClock, testApp, type TestApp } from '../../test/support/harness.ts';
import { DEMO_PASSWORD, DEMO_PATIENTS } from '../demo/data.ts';
import { loadDemo } from '../demo/load.ts';
import { totpCode } from '../platform/auth/secrets.ts';
import { loadDemoPharmacies } from './demo.ts';

const clock = fixedClock('2026-12-08T10:00:00Z');
let t: TestApp;
before(async () => {
  t = await testApp({ clock });
  await loadDemo(t.db.db, clock);
  await loadDemoPharmacies(t.db.db, clock);
});
after(async () => {
  await t.close();
});

type Demo = (typeof DEMO_PATIENTS)[number];
const p5 = DEMO_PATIENTS[1] as Demo;
const p9 = DEMO_PATIENTS[2] as Demo;

const signedIn = new Map<string, Browser>();
/** One sign-in per patient (a code works once, and the clock stands still). */
async function signIn(a: Demo): Promise<Browser> {
  const known = signedIn.get(a.email);
  if (known) return known;
  const b = new Browser(t.app);
  signedIn.set(a.email, b);
  await b.submit('/patient/sign-in', '/patient/sign-in', { email: a.email, password: DEMO_PASSWORD });
  const r = await b.submit('/patient/sign-in/code', '/patient/sign-in/code', {
    code: totpCode(a.totpSecret, clock.now()),
  });
  assert.equal(r.statusCode, 302);
  return b;
}

async function patientOf(a: Demo): Promise<string> {
  const row = await t.db.db
    .selectFrom('online_accounts')
    .select('patient_id')
    .where('email', '=', a.email)
    .executeTakeFirstOrThrow();
  return row.patient_id ?? '';
}

async function switches(a: Demo, s: { view: boolean; update: boolean }): Promise<void> {
  await t.db.db
    .updateTable('online_services')
    .set({ pharmacy_view: s.view, pharmacy_update: s.update })
    .where('patient_id', '=', await patientOf(a))
    .execute();
}

const codesIn = (html: string) => [...html.matchAll(/data-ods-code="([A-Z0-9]+)"/g)].map((m) => m[1]);

test('search by postcode, name and ODS code; choose, confirm; the page, history and audit show it', async () => {
  await switches(p9, { view: true, update: true });
  const b = await signIn(p9);
  const empty = await b.get('/patient/pharmacy');
  assert.equal(empty.statusCode, 200);
  assert.match(empty.body, /You have not nominated a pharmacy online/);
  assert.match(empty.body, /href="\/patient\/pharmacy\/search"/);

  const first = await b.get('/patient/pharmacy/search');
  assert.equal(first.statusCode, 200);
  assert.doesNotMatch(first.body, /found/, 'no results before a search');
  const byPostcode = await b.get('/patient/pharmacy/search?q=pr5+6jd');
  assert.equal(byPostcode.statusCode, 200);
  assert.deepEqual(
    codesIn(byPostcode.body),
    ['FDE02', 'FDE01'],
    'that postcode first, then its district; the closed one never',
  );
  assert.match(byPostcode.body, /2 pharmacies found/);
  assert.deepEqual(codesIn((await b.get('/patient/pharmacy/search?q=PR5')).body), ['FDE01', 'FDE02']);
  assert.deepEqual(codesIn((await b.get('/patient/pharmacy/search?q=audlem+demo')).body), ['FDE11']);
  assert.deepEqual(codesIn((await b.get('/patient/pharmacy/search?q=fde22')).body), ['FDE22']);
  const none = await b.get('/patient/pharmacy/search?q=old+mill');
  assert.deepEqual(codesIn(none.body), [], 'a closed pharmacy is not offered');
  assert.match(none.body, /0 pharmacies found/);
  assert.match(none.body, /No open pharmacies match "old mill"/);
  const blank = await b.get('/patient/pharmacy/search?q=+');
  assert.equal(blank.statusCode, 400);
  assert.match(blank.body, /Enter a pharmacy name, a postcode or an ODS code/);
  assert.match(blank.body, /href="#q"/);

  const confirm = await b.get('/patient/pharmacy/confirm?ods=FDE01');
  assert.equal(confirm.statusCode, 200);
  assert.match(confirm.body, /BAMBER BRIDGE DEMO PHARMACY/);
  const done = await b.submit('/patient/pharmacy/confirm?ods=FDE01', '/patient/pharmacy', {
    odsCode: 'FDE01',
  });
  assert.equal(done.statusCode, 302);
  assert.equal(done.headers.location, '/patient/pharmacy?done=changed');
  const shown = await b.get('/patient/pharmacy?done=changed');
  assert.match(shown.body, /Your nominated pharmacy has been changed/);
  assert.match(shown.body, /BAMBER BRIDGE DEMO PHARMACY/);
  assert.match(shown.body, /Nominated BAMBER BRIDGE DEMO PHARMACY \(FDE01\)/);

  clock.advance(60_000); // audit rows are ordered by time (they are spread over chains)
  const again = await b.submit('/patient/pharmacy/confirm?ods=FDE01', '/patient/pharmacy', {
    odsCode: 'FDE01',
  });
  assert.equal(
    again.headers.location,
    '/patient/pharmacy?done=unchanged',
    'choosing it again changes nothing',
  );
  clock.advance(60_000);
  const moved = await b.submit('/patient/pharmacy/confirm?ods=FDE02', '/patient/pharmacy', {
    odsCode: 'fde02',
  });
  assert.equal(moved.headers.location, '/patient/pharmacy?done=changed');
  assert.match((await b.get('/patient/pharmacy')).body, /Changed to ST MARY&#39;S DEMO CHEMIST \(FDE02\)/);

  const patientId = await patientOf(p9);
  const nomination = await t.db.db
    .selectFrom('pharmacy_nominations')
    .selectAll()
    .where('patient_id', '=', patientId)
    .executeTakeFirstOrThrow();
  assert.equal(nomination.pharmacy_ods, 'FDE02');
  assert.equal(nomination.practice_ods, 'P81082');
  assert.equal(nomination.version, 2);
  assert.ok(nomination.nominated_by_account);
  const history = await t.db.db
    .selectFrom('pharmacy_nomination_history')
    .select(['pharmacy_ods', 'previous_ods'])
    .where('patient_id', '=', patientId)
    .orderBy('id')
    .execute();
  assert.deepEqual(history, [
    { pharmacy_ods: 'FDE01', previous_ods: null },
    { pharmacy_ods: 'FDE02', previous_ods: 'FDE01' },
  ]);
  const audit = await t.db.db
    .selectFrom('audit_events')
    .select(['action', 'subject', 'outcome', 'details'])
    .where('patient_id', '=', patientId)
    .where('action', 'like', 'pharmacy.%')
    .orderBy('at')
    .execute();
  const changes = audit.filter((a) => a.action === 'pharmacy.nomination.change');
  assert.deepEqual(
    changes.map((a) => [a.subject, a.details]),
    [
      ['pharmacy:FDE01', { previous: null, changed: true }],
      ['pharmacy:FDE01', { previous: 'FDE01', changed: false }],
      ['pharmacy:FDE02', { previous: 'FDE01', changed: true }],
    ],
  );
  assert.ok(
    audit.filter((a) => a.action === 'pharmacy.nomination.view').length >= 3,
    'every view is audited',
  );
});

test('a closed pharmacy or a code that is not one is named at the search box; an unknown code is a 404', async () => {
  await switches(p9, { view: true, update: true });
  const b = await signIn(p9);
  const form = '/patient/pharmacy/confirm?ods=FDE11';
  const closed = await b.submit(form, '/patient/pharmacy', { odsCode: 'FDE03' });
  assert.equal(closed.statusCode, 400);
  assert.match(closed.body, /This pharmacy has closed/);
  assert.match(closed.body, /href="#q"/);
  const notCode = await b.submit(form, '/patient/pharmacy', { odsCode: 'F!' });
  assert.equal(notCode.statusCode, 400);
  assert.match(notCode.body, /Enter the ODS code of a pharmacy/);
  assert.equal((await b.get('/patient/pharmacy/confirm?ods=FZZ99')).statusCode, 404);
  assert.equal((await b.get('/patient/pharmacy/confirm?ods=FDE03')).statusCode, 400);
});

test('a nominated pharmacy that has since closed is said on the page', async () => {
  await switches(p9, { view: true, update: true });
  const b = await signIn(p9);
  const pharmacy_ods = 'FDE12';
  await b.submit(`/patient/pharmacy/confirm?ods=${pharmacy_ods}`, '/patient/pharmacy', {
    odsCode: pharmacy_ods,
  });
  assert.doesNotMatch((await b.get('/patient/pharmacy')).body, /has closed/);
  const close = (day: string | null) =>
    t.db.db.updateTable('pharmacies').set({ close_date: day }).where('ods_code', '=', pharmacy_ods).execute();
  await close('2026-12-09'); // closes tomorrow: still open today
  assert.doesNotMatch((await b.get('/patient/pharmacy')).body, /Your nominated pharmacy has closed/);
  await close('2026-12-08'); // closed from today
  assert.match((await b.get('/patient/pharmacy')).body, /Your nominated pharmacy has closed/);
  await close(null);
});

test('see only (pharmacy_view): the pharmacy shows, changing it is refused and audited', async () => {
  const b = await signIn(p9);
  await switches(p9, { view: true, update: true });
  const token =
    /name="_csrf" value="([^"]+)"/.exec((await b.get('/patient/pharmacy/confirm?ods=FDE11')).body)?.[1] ?? '';
  await switches(p9, { view: true, update: false });
  const page = await b.get('/patient/pharmacy');
  assert.equal(page.statusCode, 200);
  assert.doesNotMatch(page.body, /href="\/patient\/pharmacy\/search"/);
  assert.match(page.body, /ask your GP practice or any pharmacy/);
  assert.equal((await b.get('/patient/pharmacy/search?q=PR5')).statusCode, 403);
  const post = await b.post('/patient/pharmacy', { odsCode: 'FDE11', _csrf: token });
  assert.equal(post.statusCode, 403);
  const denied = await t.db.db
    .selectFrom('audit_events')
    .select('details')
    .where('patient_id', '=', await patientOf(p9))
    .where('action', '=', 'pharmacy.nomination.change')
    .where('outcome', '=', 'denied')
    .execute();
  assert.ok(denied.length >= 1);
});

test('switched off: the page is refused; P5 may see but not change even when the practice allows it', async () => {
  await switches(p9, { view: false, update: false });
  assert.equal((await (await signIn(p9)).get('/patient/pharmacy')).statusCode, 403);
  await switches(p5, { view: true, update: true });
  const b = await signIn(p5);
  const page = await b.get('/patient/pharmacy');
  assert.equal(page.statusCode, 200, 'P5 is enough to see it');
  assert.doesNotMatch(page.body, /href="\/patient\/pharmacy\/search"/);
  assert.equal((await b.get('/patient/pharmacy/search?q=PR5')).statusCode, 403, 'changing it needs P9');
  assert.equal(
    (await new Browser(t.app).get('/patient/pharmacy')).statusCode,
    302,
    'nobody signed in: to sign-in',
  );
});
