// "Say only what is true" (issue #10): the pages that tell people what GP Online does promise
// only what it does today. Proxy access is not built, so these pages must not mention it; when
// it is, this test fails on purpose: update the pages to say what is then true, and this test
// with them. Repeat prescriptions and the nominated pharmacy are built (issue #11): every link
// the patient home offers must lead to a working page.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { Browser, freshCode, root, signInStaff, testApp, type TestApp } from '../../test/support/harness.ts';
import { DEMO_PASSWORD, DEMO_PATIENTS, DEMO_STAFF } from '../demo/data.ts';
import { loadDemo } from '../demo/load.ts';

let t: TestApp;
before(async () => {
  t = await testApp();
  await loadDemo(t.db.db, t.clock);
});
after(async () => {
  await t.close();
});

const UNBUILT = [/proxy/i, /on behalf/i, /people you care for|carers?\b/i];

function assertTrue(where: string, text: string, words: RegExp[] = UNBUILT): void {
  for (const w of words)
    assert.doesNotMatch(text, w, `${where} mentions something GP Online does not do (${String(w)})`);
}

async function patient(email: string): Promise<Browser> {
  const a = DEMO_PATIENTS.find((p) => p.email === email)!;
  const b = new Browser(t.app);
  await b.submit('/patient/sign-in', '/patient/sign-in', { email: a.email, password: DEMO_PASSWORD });
  await b.submit('/patient/sign-in/code', '/patient/sign-in/code', {
    code: await freshCode(t.app, 'patient', a.email, a.totpSecret),
  });
  return b;
}

test('the landing page, sign-up and the patient homes promise only what exists', async () => {
  for (const url of ['/', '/patient/sign-in', '/patient/sign-up', '/accessibility', '/privacy']) {
    const res = await t.app.inject({ url });
    assert.equal(res.statusCode, 200, url);
    assertTrue(url, res.body);
  }
  // Every link on every demo patient's home leads to a page that works.
  for (const a of DEMO_PATIENTS) {
    const b = await patient(a.email);
    const home = await b.get('/patient');
    assert.equal(home.statusCode, 200, a.email);
    assertTrue(`/patient as ${a.email}`, home.body);
    const links = [...home.body.matchAll(/href="(\/patient\/[a-z-]+)"/g)].map((m) => m[1]!);
    for (const href of new Set(links)) {
      const page = await b.get(href);
      assert.equal(page.statusCode, 200, `${href} linked from the home of ${a.email}`);
    }
  }
});

test('the registration letter promises only what exists', async () => {
  const who = DEMO_STAFF[0]!;
  const staff = await signInStaff(t.app, who.email, DEMO_PASSWORD, who.totpSecret);
  const p = await t.db.db
    .selectFrom('patients')
    .select('id')
    .where('practice_ods', '=', 'P81082')
    .orderBy('nhs_number')
    .limit(1)
    .executeTakeFirstOrThrow();
  const letter = await staff.submit(
    `/staff/patients/${p.id}`,
    `/staff/patients/${p.id}/registration-letter`,
    {},
  );
  assert.equal(letter.statusCode, 200);
  assertTrue('the registration letter', letter.body);
});

test('the README and the package description promise only what exists', () => {
  const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { description: string };
  assertTrue('package.json description', pkg.description);
  // The README's settings table speaks of a reverse proxy (networking), which is not proxy access.
  const readme = readFileSync(join(root, 'README.md'), 'utf8');
  assertTrue('README.md', readme, [/proxy (access|users?)|proxies|on behalf|people you care for/i]);
});
