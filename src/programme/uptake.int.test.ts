// The programme page counts its practices in words with the right plural.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { signInStaff, testApp, type TestApp } from '../../test/support/harness.ts';
import { DEMO_PASSWORD, DEMO_STAFF } from '../demo/data.ts';
import { loadDemo } from '../demo/load.ts';

let t: TestApp;
before(async () => {
  t = await testApp();
  await loadDemo(t.db.db, t.clock);
});
after(async () => {
  await t.close();
});

test('the uptake table’s caption counts the practices in the facilitator’s area', async () => {
  const fac = DEMO_STAFF.find((s) => s.role === 'facilitator')!;
  const b = await signInStaff(t.app, fac.email, DEMO_PASSWORD, fac.totpSecret);
  const page = await b.get('/programme');
  assert.equal(page.statusCode, 200);
  const rows = (page.body.match(/<tr class="nhsuk-table__row"><td/g) ?? []).length;
  assert.ok(rows > 0);
  const caption = /<caption class="nhsuk-table__caption">([^<]*)<\/caption>/.exec(page.body)?.[1];
  assert.equal(caption, `${String(rows)} ${rows === 1 ? 'practice' : 'practices'}`);
});
