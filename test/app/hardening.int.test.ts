// HTTP hardening: the API takes bearer tokens and JSON only (a session cookie alone does nothing
// there, so no cross-site form can book or cancel); personal data is never cached; bad input is a
// 4xx, never a 5xx (NUL bytes, absurd numbers, path tricks on static files).
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { apiToken, Browser, freshCode, signInStaff, testApp, type TestApp } from '../support/harness.ts';
import { DEMO_PASSWORD, DEMO_PATIENTS, DEMO_STAFF } from '../../src/demo/data.ts';
import { loadDemo } from '../../src/demo/load.ts';

let t: TestApp;
let patient: Browser;
let staff: Browser;
let patientToken = '';
let staffToken = '';
const P = DEMO_PATIENTS[1]!; // linked by letter (P5): may book
const reception = DEMO_STAFF[0]!;

before(async () => {
  t = await testApp();
  await loadDemo(t.db.db, t.clock);
  patient = new Browser(t.app);
  await patient.submit('/patient/sign-in', '/patient/sign-in', { email: P.email, password: DEMO_PASSWORD });
  const r = await patient.submit('/patient/sign-in/code', '/patient/sign-in/code', {
    code: await freshCode(t.app, 'patient', P.email, P.totpSecret, t.clock),
  });
  assert.equal(r.statusCode, 302);
  staff = await signInStaff(t.app, reception.email, DEMO_PASSWORD, reception.totpSecret, t.clock);
  patientToken = await apiToken(t.app, P.email, DEMO_PASSWORD, P.totpSecret, t.clock);
  staffToken = await apiToken(t.app, reception.email, DEMO_PASSWORD, reception.totpSecret, t.clock);
});
after(async () => {
  await t.close();
});

const cookieOf = (b: Browser) => [...b.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

async function aFreeSlot(): Promise<string> {
  const r = await t.app.inject({
    method: 'GET',
    url: '/api/v1/appointments/slots',
    headers: bearer(patientToken),
  });
  assert.equal(r.statusCode, 200, r.body);
  const slot = r.json<{ slots: { id: string }[] }>().slots[0];
  assert.ok(slot, 'a free slot');
  return slot.id;
}

test('HAZ-12 a session cookie alone is not signed in on the API: a cross-site form cannot book, read or cancel', async () => {
  const slot = await aFreeSlot();
  const foreign = { cookie: cookieOf(patient), origin: 'https://evil.example' };
  const form = await t.app.inject({
    method: 'POST',
    url: '/api/v1/appointments',
    payload: `slotId=${slot}`,
    headers: { ...foreign, 'content-type': 'application/x-www-form-urlencoded' },
  });
  assert.ok([401, 415].includes(form.statusCode), `form post with a cookie: ${String(form.statusCode)}`);
  const json = await t.app.inject({
    method: 'POST',
    url: '/api/v1/appointments',
    payload: { slotId: slot },
    headers: foreign,
  });
  assert.equal(json.statusCode, 401, 'a JSON post with only a cookie');
  const me = await t.app.inject({ method: 'GET', url: '/api/v1/me', headers: { cookie: cookieOf(patient) } });
  assert.equal(me.statusCode, 401, 'a read with only a cookie');
  const cancel = await t.app.inject({
    method: 'DELETE',
    url: `/api/v1/appointments/${slot}`,
    headers: { cookie: cookieOf(patient) },
  });
  assert.equal(cancel.statusCode, 401, 'a cancel with only a cookie');
  const staffRead = await t.app.inject({
    method: 'GET',
    url: '/api/v1/practice/patients?q=a',
    headers: { cookie: cookieOf(staff) },
  });
  assert.equal(staffRead.statusCode, 401, 'a staff read with only a cookie');
  // The same through a percent-encoded path, which the router decodes to the same routes.
  for (const url of ['/api/%761/appointments', '/%61pi/v1/appointments', '/api/v1/%61ppointments']) {
    const encodedForm = await t.app.inject({
      method: 'POST',
      url,
      payload: `slotId=${slot}`,
      headers: { ...foreign, 'content-type': 'application/x-www-form-urlencoded' },
    });
    assert.ok(
      [302, 400, 401, 403, 404, 415].includes(encodedForm.statusCode),
      `${url} with a cookie and a form: ${encodedForm.body}`,
    );
    const encodedJson = await t.app.inject({
      method: 'POST',
      url,
      payload: { slotId: slot },
      headers: foreign,
    });
    assert.ok(
      [302, 400, 401, 403, 404].includes(encodedJson.statusCode),
      `${url} with a cookie: ${String(encodedJson.statusCode)} ${encodedJson.body}`,
    );
  }
  const encodedStaff = await t.app.inject({
    method: 'GET',
    url: '/api/v1/pr%61ctice/patients?q=a',
    headers: { cookie: cookieOf(staff) },
  });
  assert.ok([401, 404].includes(encodedStaff.statusCode), `an encoded staff read: ${encodedStaff.body}`);
  const booked = await t.db.db
    .selectFrom('appointments')
    .select('id')
    .where('slot_id', '=', slot)
    .executeTakeFirst();
  assert.equal(booked, undefined, 'nothing was booked');
  // The pages still work with the cookie.
  assert.equal((await patient.get('/patient')).statusCode, 200);
});

test('HAZ-12 the API takes JSON bodies only: a form or text body is 415, even with a bearer token', async () => {
  const slot = await aFreeSlot();
  for (const type of ['application/x-www-form-urlencoded', 'text/plain', 'multipart/form-data; boundary=x']) {
    const r = await t.app.inject({
      method: 'POST',
      url: '/api/v1/appointments',
      payload: type.startsWith('multipart') ? `--x\r\n\r\n--x--` : `slotId=${slot}`,
      headers: { ...bearer(patientToken), 'content-type': type },
    });
    assert.equal(r.statusCode, 415, `${type}: ${r.body}`);
    assert.match(String(r.headers['content-type']), /application\/problem\+json/);
  }
  // JSON with a bearer token books; the token endpoint still takes JSON (and forms, as before).
  const ok = await t.app.inject({
    method: 'POST',
    url: '/api/v1/appointments',
    payload: { slotId: slot },
    headers: bearer(patientToken),
  });
  assert.equal(ok.statusCode, 201, ok.body);
  const tokenForm = await t.app.inject({
    method: 'POST',
    url: '/api/v1/auth/token',
    payload: new URLSearchParams({
      email: P.email,
      password: DEMO_PASSWORD,
      otp: await freshCode(t.app, 'patient', P.email, P.totpSecret, t.clock),
    }).toString(),
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
  });
  assert.equal(tokenForm.statusCode, 200, tokenForm.body);
});

test('HAZ-14 no personal data is cached: Cache-Control no-store on pages, API answers and the token answer', async () => {
  const token = await t.app.inject({
    method: 'POST',
    url: '/api/v1/auth/token',
    payload: {
      email: P.email,
      password: DEMO_PASSWORD,
      otp: await freshCode(t.app, 'patient', P.email, P.totpSecret, t.clock),
    },
  });
  assert.equal(token.statusCode, 200);
  const answers = [
    ['token answer', token],
    ['refused token', await t.app.inject({ method: 'POST', url: '/api/v1/auth/token', payload: {} })],
    ['patient home', await patient.get('/patient')],
    ['patient record', await patient.get('/patient/record')],
    ['appointments', await patient.get('/patient/appointments')],
    ['authenticator set-up', await patient.get('/patient/set-up-authenticator')],
    ['recovery codes', await patient.get('/patient/recovery-codes')],
    ['staff home', await staff.get('/staff')],
    ['sign-in page', await new Browser(t.app).get('/patient/sign-in')],
    ['not found page', await patient.get('/patient/no-such-page')],
    ['API me', await t.app.inject({ method: 'GET', url: '/api/v1/me', headers: bearer(patientToken) })],
    [
      'API record',
      await t.app.inject({ method: 'GET', url: '/api/v1/record', headers: bearer(patientToken) }),
    ],
    [
      'API staff search',
      await t.app.inject({
        method: 'GET',
        url: '/api/v1/practice/patients?q=a',
        headers: bearer(staffToken),
      }),
    ],
    ['API 401', await t.app.inject({ method: 'GET', url: '/api/v1/me' })],
  ] as const;
  for (const [name, r] of answers) {
    assert.ok(r.statusCode < 500, `${name}: ${String(r.statusCode)}`);
    assert.match(String(r.headers['cache-control']), /no-store/, `${name} (${String(r.statusCode)})`);
  }
  const css = await t.app.inject({ method: 'GET', url: '/css/app.css' });
  assert.equal(css.statusCode, 200);
  assert.doesNotMatch(String(css.headers['cache-control']), /no-store/, 'static assets may be cached');
});

test('HAZ-17 a NUL byte in a query, a path, a JSON body or a form is a 400 that names the field', async () => {
  const api = await t.app.inject({
    method: 'POST',
    url: '/api/v1/auth/token',
    payload: { email: 'a\u0000b@example.com', password: 'x', otp: '123456' },
  });
  assert.equal(api.statusCode, 400, api.body);
  assert.deepEqual(
    api.json<{ errors: { pointer: string }[] }>().errors.map((e) => e.pointer),
    ['/email'],
  );
  const nested = await t.app.inject({
    method: 'POST',
    url: '/api/v1/appointments',
    payload: { slotId: await aFreeSlot(), reason: 'ouch\u0000' },
    headers: bearer(patientToken),
  });
  assert.equal(nested.statusCode, 400, nested.body);
  const query = await t.app.inject({
    method: 'GET',
    url: '/api/v1/practice/patients?q=%00',
    headers: bearer(staffToken),
  });
  assert.equal(query.statusCode, 400, query.body);
  const path = await t.app.inject({
    method: 'GET',
    url: '/api/v1/appointments/%00',
    headers: bearer(patientToken),
  });
  assert.ok(path.statusCode >= 400 && path.statusCode < 500, `path: ${String(path.statusCode)}`);
  const signIn = await new Browser(t.app).submit('/patient/sign-in', '/patient/sign-in', {
    email: 'someone\u0000@example.com',
    password: 'x',
  });
  assert.equal(signIn.statusCode, 400, 'a form');
  const staffForm = await staff.get('/staff/patients?q=%00');
  assert.equal(staffForm.statusCode, 400, 'a page query');
});

test('HAZ-17 absurd numbers and path tricks on static files are 4xx, never 5xx', async () => {
  const urls = [
    '/api/v1/record/access-log?page=1e309',
    '/api/v1/record/sections/medications?page=1e309',
    '/api/v1/record/sections/medications?page=-1',
    '/api/v1/record/sections/medications?page=99999999999999999999999',
    '/api/v1/record/sections/medications?page=NaN',
    '/api/v1/appointments/slots?days=1e309',
    '/api/v1/appointments/slots?from=99999-01-01',
    '/patient/appointments?page=1e309',
    '/patient/record?page=1e309',
    '/css/%00',
    '/css/app.css%00',
    '/nhsuk/nhsuk-frontend.min.js%00',
    '/assets/%00',
    '/assets/%2e%2e/%2e%2e/package.json',
    '/assets/..%2f..%2fpackage.json',
    '/css/%2e%2e%2f%2e%2e%2fpackage.json',
    '/css/..%5c..%5cpackage.json',
    '/nhsuk/%2e%2e/nhsuk.scss',
    '/assets/%c0%ae%c0%ae/package.json',
    '/assets/%',
    '/%2e%2e/package.json',
    '/patient/%00',
  ];
  for (const url of urls) {
    const r = await t.app.inject({ method: 'GET', url, headers: { ...bearer(patientToken) } });
    assert.ok(r.statusCode < 500, `${url}: ${String(r.statusCode)} ${r.body.slice(0, 200)}`);
    if (url.includes('package.json')) assert.notEqual(r.statusCode, 200, `${url} serves a file outside`);
  }
  for (const url of ['/api/v1/record/access-log?page=1e309', '/api/v1/record/access-log?page=Infinity']) {
    const r = await t.app.inject({ method: 'GET', url, headers: bearer(patientToken) });
    assert.equal(r.statusCode, 400, `${url}: ${r.body}`);
    assert.deepEqual(
      r.json<{ errors: { pointer: string }[] }>().errors.map((e) => e.pointer),
      ['/page'],
    );
  }
  for (const url of ['/patient/appointments?page=1e309', '/css/%00']) {
    const r = await patient.get(url);
    assert.ok(r.statusCode < 500, `${url} with a cookie: ${String(r.statusCode)}`);
  }
});
