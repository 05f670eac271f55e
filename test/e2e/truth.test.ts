// "Say only what is true" and its defects in Chromium, with axe on every page: the API
// documentation (defect 13: swagger-ui had 71 axe violations; now an NHS.UK page), the patient
// home, and the registration letter printed (defect 7): print media hides the header, footer,
// navigation and buttons, and the letter fits an A4 sheet with the address in the envelope window.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { DEMO_PATIENTS, DEMO_STAFF } from '../../src/demo/data.ts';
import { submit, visit } from './browser.ts';
import { demoSite } from './site.ts';

const site = demoSite();
const reception = DEMO_STAFF[0]!;
const SHOT = '/work/briefs/shots/registration-letter-print.png';

test('the API documentation and the landing page pass axe with no violations', async (tc) => {
  if (!site.ready(tc)) return;
  const s = await site.open();
  await visit(s, site.origin, '/');
  // From the footer link, as a visitor would reach it.
  await submit(s, () => s.page.getByRole('link', { name: 'API documentation' }).click());
  assert.equal(new URL(s.page.url()).pathname, '/api/docs');
  assert.equal(await s.page.locator('h1').textContent(), 'GP Online API');
  assert.ok((await s.page.locator('h3').count()) > 20, 'every operation has its heading');
  const raw = await s.page.request.get(`${site.origin}/api/docs/json`);
  assert.equal(raw.status(), 200);
  assert.ok(((await raw.json()) as { paths: Record<string, unknown> }).paths['/api/v1/me']);
});

test('the patient home lists its services with links and passes axe', async (tc) => {
  if (!site.ready(tc)) return;
  const s = await site.open();
  const who = DEMO_PATIENTS.find((p) => p.email.startsWith('detailed.'))!;
  await site.signIn(s, '/patient/sign-in', who.email, who.totpSecret);
  await visit(s, site.origin, '/patient');
  const main = (await s.page.locator('main').textContent()) ?? '';
  assert.doesNotMatch(main, /proxy|on behalf/i);
  assert.equal(await s.page.getByRole('link', { name: 'See your GP record' }).count(), 1);
  assert.equal(await s.page.getByRole('link', { name: 'Book or cancel an appointment' }).count(), 1);
  assert.equal(await s.page.getByRole('link', { name: 'Order a repeat prescription' }).count(), 1);
});

test('the registration letter prints as a letter: no header, footer or buttons, address for the window', async (tc) => {
  const t = site.ready(tc);
  if (!t) return;
  const s = await site.open();
  const { page } = s;
  const patient = await t.db.db
    .selectFrom('patients')
    .select(['id', 'postcode'])
    .where('practice_ods', '=', 'P81082')
    .where('postcode', 'is not', null)
    .orderBy('nhs_number', 'desc')
    .limit(1)
    .executeTakeFirstOrThrow();
  await site.signIn(s, '/staff/sign-in', reception.email, reception.totpSecret);
  await visit(s, site.origin, `/staff/patients/${patient.id}`);
  await submit(s, () => page.getByRole('button', { name: /registration letter/ }).click());

  // On screen, with JavaScript: the print button is shown and prints.
  const print = page.getByRole('button', { name: 'Print this letter' });
  assert.ok(await print.isVisible(), 'the print button is shown when JavaScript runs');
  await page.evaluate('window.print = () => { window.__printed = true; }');
  await print.click();
  assert.equal(await page.evaluate('window.__printed === true'), true, 'the button calls window.print');
  assert.ok(patient.postcode);
  assert.match((await page.locator('#letter-recipient').textContent()) ?? '', new RegExp(patient.postcode));

  // Printed: only the letter.
  await page.setViewportSize({ width: 794, height: 1123 }); // A4 at 96 dpi
  await page.emulateMedia({ media: 'print' });
  for (const hidden of [
    'header.nhsuk-header',
    'footer.nhsuk-footer',
    '#print-letter',
    '.nhsuk-warning-callout',
    'nav',
  ]) {
    const all = page.locator(hidden);
    for (let i = 0; i < (await all.count()); i++)
      assert.equal(await all.nth(i).isVisible(), false, `${hidden} is hidden in print`);
  }
  assert.equal(await page.locator('.nhsuk-button:visible').count(), 0, 'no buttons in print');
  for (const shown of ['#letter-practice', '#letter-recipient', '#letter-web-address', '#letter-linkage-key'])
    assert.ok(await page.locator(shown).isVisible(), `${shown} is printed`);
  // The recipient's address sits left of the practice's, below it, as a window envelope needs.
  const to = await page.locator('#letter-recipient').boundingBox();
  const from = await page.locator('#letter-practice').boundingBox();
  assert.ok(to && from);
  assert.ok(to.x < from.x, 'the patient’s address is on the left');
  assert.ok(to.y > from.y, 'and below the top of the practice’s');
  await page.screenshot({ path: SHOT, fullPage: true });
  // The sheet as Chromium prints it, with the A4 page margins (a screenshot has none).
  await page.pdf({ path: SHOT.replace(/\.png$/, '.pdf'), format: 'A4', preferCSSPageSize: true });
  await page.emulateMedia({ media: 'screen' });
  if (s.problems.length) assert.fail(s.problems.join('\n'));
});
