// The POMI upload page: a commissioner sends a file from the browser; a bad line refuses the whole
// file and names the line; no file, no token or the wrong role gets a 4xx and nothing is written.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { signInStaff, testApp, type Browser, type TestApp } from '../../../test/support/harness.ts';
import { DEMO_PASSWORD, DEMO_STAFF } from '../../demo/data.ts';
import { loadDemo } from '../../demo/load.ts';
import { wideFile, wideRow } from './test-files.ts';

let t: TestApp;
let commissioner: Browser;
let facilitator: Browser;
before(async () => {
  t = await testApp();
  await loadDemo(t.db.db, t.clock);
  const sign = (role: string) => {
    const s = DEMO_STAFF.find((x) => x.role === role)!;
    return signInStaff(t.app, s.email, DEMO_PASSWORD, s.totpSecret);
  };
  commissioner = await sign('commissioner');
  facilitator = await sign('facilitator');
});
after(async () => {
  await t.close();
});

const row = [3000, 50, 1, 2, 40, 9, 2, 30, 8, 2, 10, 3, 20];
const returns = async () =>
  Number(
    (
      await t.db.db
        .selectFrom('pomi_returns')
        .select((e) => e.fn.countAll<string>().as('n'))
        .executeTakeFirstOrThrow()
    ).n,
  );

/** Posts the form as a browser does: multipart, the CSRF field first, then the file. */
async function upload(who: Browser, file: { name: string; text: string } | null, token?: string) {
  const page = await who.get('/programme/imports');
  const csrf = token ?? /name="_csrf" value="([^"]+)"/.exec(page.body)?.[1] ?? '';
  const b = 'x-boundary-7';
  const parts = [`--${b}\r\nContent-Disposition: form-data; name="_csrf"\r\n\r\n${csrf}\r\n`];
  parts.push(
    `--${b}\r\nContent-Disposition: form-data; name="file"; filename="${file?.name ?? ''}"\r\nContent-Type: text/csv\r\n\r\n${file?.text ?? ''}\r\n`,
  );
  parts.push(`--${b}--\r\n`);
  return t.app.inject({
    method: 'POST',
    url: '/programme/imports',
    payload: parts.join(''),
    headers: {
      'content-type': `multipart/form-data; boundary=${b}`,
      cookie: [...who.cookies].map(([k, v]) => `${k}=${v}`).join('; '),
    },
  });
}

test('a commissioner uploads a wide file; it is listed with its months and who imported it', async () => {
  const text = wideFile([wideRow('2018-04-30', 'Z30001', row), wideRow('2018-05-31', 'Z30001', row)]);
  const res = await upload(commissioner, { name: 'april-may.csv', text });
  assert.equal(res.statusCode, 302, res.body);
  assert.equal(res.headers.location, '/programme/imports?done=1');
  assert.equal(await returns(), 2);
  const page = (await commissioner.get('/programme/imports?done=1')).body
    .replace(/<[^>]+>/g, ' ')
    .replace(/\s+/g, ' ');
  assert.match(page, /File imported/);
  assert.match(page, /april-may\.csv wide 2 30 April 2018 to 31 May 2018 Cal Commissioner/);
});

test('a file with a bad line imports nothing and the page names the line', async () => {
  const n = await returns();
  const text = wideFile([wideRow('2018-06-30', 'Z30002', row), wideRow('2018-06-31', 'Z30003', row)]);
  const res = await upload(commissioner, { name: 'june.csv', text });
  assert.equal(res.statusCode, 400);
  assert.match(res.body, /There is a problem/);
  assert.match(res.body, /line 3: /);
  assert.match(res.body, /href="#file"/);
  assert.equal(await returns(), n);
});

test('no file, no CSRF token, or a role that may not import: refused, nothing written', async () => {
  const n = await returns();
  const none = await upload(commissioner, null);
  assert.equal(none.statusCode, 400);
  assert.match(none.body, /Choose a POMI file to import/);
  const text = wideFile([wideRow('2018-07-31', 'Z30004', row)]);
  const nul = await upload(commissioner, { name: 'x.csv', text: `${text}\u0000` });
  assert.equal(nul.statusCode, 400);
  assert.match(nul.body, /NUL byte/);
  assert.equal((await upload(commissioner, { name: 'x.csv', text }, 'forged')).statusCode, 403);
  assert.equal((await facilitator.get('/programme/imports')).statusCode, 403);
  assert.equal((await upload(facilitator, { name: 'x.csv', text })).statusCode, 403);
  assert.equal(await returns(), n);
});
