// Every route refuses a signed-out user, a user of the wrong kind or role, and staff of another practice.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { LightMyRequestResponse } from 'fastify';
import { apiToken, Browser, signInStaff, testApp, type TestApp } from '../../test/support/harness.ts';
import { DEMO_PASSWORD, DEMO_PATIENTS, DEMO_STAFF } from '../demo/data.ts';
import { loadDemo } from '../demo/load.ts';
import { totpCode } from '../platform/auth/secrets.ts';

let t: TestApp;
let patientId: string;

const PUBLIC = new Set([
  'GET /',
  'GET /healthz',
  'GET /readyz',
  'GET /accessibility',
  'GET /privacy',
  'GET /patient/sign-in',
  'POST /patient/sign-in',
  'GET /patient/sign-up',
  'POST /patient/sign-up',
  // The link from the sign-up email: its token is the credential (a dead one answers 400).
  'GET /patient/sign-up/confirm',
  'POST /patient/sign-up/confirm',
  'GET /staff/sign-in',
  'POST /staff/sign-in',
  'POST /api/v1/auth/token',
  // Signing out is harmless for anyone: it ends whatever session the request has.
  'GET /patient/sign-out',
  'POST /patient/sign-out',
  'GET /staff/sign-out',
  'POST /staff/sign-out',
  // Account self-service links (issue #10): a forgotten password, and confirming a new address
  // (opened from the email, maybe on another device); the link's token is the credential.
  ...['patient', 'staff'].flatMap((who) => [
    `GET /${who}/forgotten-password`,
    `POST /${who}/forgotten-password`,
    `GET /${who}/reset-password`,
    `POST /${who}/reset-password`,
    `GET /${who}/account/email/confirm`,
    `POST /${who}/account/email/confirm`,
  ]),
]);
const isStatic = (url: string) => /^\/(assets|css|nhsuk|api\/docs)(\/|$)/.test(url);

function routesToCheck(): { method: string; url: string }[] {
  const seen = new Set<string>();
  return t.routes
    .filter((r) => ['GET', 'POST', 'PATCH', 'PUT', 'DELETE'].includes(r.method))
    .filter((r) => !isStatic(r.url) && !PUBLIC.has(`${r.method} ${r.url}`))
    .map((r) => ({ method: r.method, url: r.url.replace(':id', patientId).replace(/:[a-zA-Z]+/g, 'x') }))
    .filter((r) => (seen.has(`${r.method} ${r.url}`) ? false : (seen.add(`${r.method} ${r.url}`), true)));
}

function refused(res: LightMyRequestResponse, label: string): void {
  const ok = res.statusCode >= 200 && res.statusCode < 300;
  assert.ok(!ok, `${label} was allowed (${String(res.statusCode)})`);
  if (res.statusCode >= 300 && res.statusCode < 400) {
    assert.match(
      String(res.headers.location),
      /sign-in|\/patient$/,
      `${label} redirected somewhere other than sign-in: ${String(res.headers.location)}`,
    );
  } else {
    assert.ok([401, 403, 404].includes(res.statusCode), `${label} answered ${String(res.statusCode)}`);
  }
}

before(async () => {
  t = await testApp();
  await loadDemo(t.db.db, t.clock);
  const row = await t.db.db
    .selectFrom('patients')
    .select('id')
    .where('practice_ods', '=', 'P81082')
    .limit(1)
    .executeTakeFirstOrThrow();
  patientId = row.id;
});
after(async () => {
  await t.close();
});

test('there are protected routes to check', () => {
  assert.ok(routesToCheck().length >= 20, `only ${String(routesToCheck().length)} routes`);
});

test('a signed-out user is refused everywhere', async () => {
  const b = new Browser(t.app);
  await b.get('/'); // a public page gives the CSRF cookie
  const home = await b.get('/patient/sign-in');
  const csrf = /name="_csrf" value="([^"]+)"/.exec(home.body)?.[1] ?? '';
  for (const r of routesToCheck()) {
    if (r.url.startsWith('/api/')) {
      const res = await t.app.inject({
        method: r.method as 'GET',
        url: r.url,
        payload: r.method === 'GET' ? undefined : {},
      });
      // 400 when the schema rejects the empty body before auth is reached: refused either way.
      assert.ok(
        [400, 401].includes(res.statusCode),
        `${r.method} ${r.url} signed out: ${String(res.statusCode)}`,
      );
      continue;
    }
    const res = r.method === 'GET' ? await b.get(r.url) : await b.post(r.url, { _csrf: csrf });
    refused(res, `${r.method} ${r.url} signed out`);
  }
});

test('HAZ-12 a form without a CSRF token is refused', async () => {
  const staff = await signInStaff(t.app, DEMO_STAFF[0]!.email, DEMO_PASSWORD, DEMO_STAFF[0]!.totpSecret);
  const res = await staff.post(`/staff/patients/${patientId}/registration-letter`, {});
  assert.equal(res.statusCode, 403);
  const count = await t.db.db
    .selectFrom('linkage_keys')
    .select('id')
    .where('patient_id', '=', patientId)
    .execute();
  assert.equal(count.length, 0, 'nothing was written');
});

test('a patient is refused staff, admin and programme routes', async () => {
  const a = DEMO_PATIENTS[4]!;
  const b = new Browser(t.app);
  await b.submit('/patient/sign-in', '/patient/sign-in', { email: a.email, password: DEMO_PASSWORD });
  await b.submit('/patient/sign-in/code', '/patient/sign-in/code', {
    code: totpCode(a.totpSecret, t.clock.now()),
  });
  assert.equal((await b.get('/patient')).statusCode, 200);
  const token = await apiToken(t.app, a.email, DEMO_PASSWORD, a.totpSecret);
  for (const r of routesToCheck().filter(
    (x) =>
      x.url.startsWith('/staff') ||
      x.url.startsWith('/admin') ||
      x.url.startsWith('/programme') ||
      x.url.startsWith('/api/v1/practice'),
  )) {
    if (r.url.startsWith('/api/')) {
      const res = await t.app.inject({
        method: r.method as 'GET',
        url: r.url + (r.url.endsWith('/patients') ? '?q=smith' : ''),
        headers: { authorization: `Bearer ${token}` },
        payload:
          r.method === 'PATCH'
            ? { version: 0 }
            : r.url.endsWith('identity-verifications')
              ? { method: 'vouching', evidence: 'x' }
              : undefined,
      });
      assert.equal(res.statusCode, 403, `${r.method} ${r.url} as patient: ${String(res.statusCode)}`);
      continue;
    }
    if (r.method !== 'GET') continue;
    refused(await b.get(r.url), `${r.method} ${r.url} as patient`);
  }
});

test('HAZ-01 staff of another practice cannot see or change this practice’s patients', async () => {
  const other = DEMO_STAFF.find((s) => s.practiceOds === 'N81001')!;
  const b = await signInStaff(t.app, other.email, DEMO_PASSWORD, other.totpSecret);
  for (const url of [
    `/staff/patients/${patientId}`,
    `/staff/patients/${patientId}/verify-identity`,
    `/staff/patients/${patientId}/online-services`,
  ]) {
    assert.equal((await b.get(url)).statusCode, 404, url);
  }
  const token = await apiToken(t.app, other.email, DEMO_PASSWORD, other.totpSecret);
  const api = await t.app.inject({
    method: 'POST',
    url: `/api/v1/practice/patients/${patientId}/registration-letter`,
    headers: { authorization: `Bearer ${token}` },
  });
  assert.equal(api.statusCode, 404);
  const search = await t.app.inject({
    method: 'GET',
    url: '/api/v1/practice/patients?q=a',
    headers: { authorization: `Bearer ${token}` },
  });
  assert.equal(search.statusCode, 400, 'one letter is too short a search');
});

test('roles: a receptionist cannot change record access or reach admin pages; a facilitator cannot open patients', async () => {
  const rec = DEMO_STAFF[0]!;
  const token = await apiToken(t.app, rec.email, DEMO_PASSWORD, rec.totpSecret);
  const get = await t.app.inject({
    method: 'GET',
    url: `/api/v1/practice/patients/${patientId}`,
    headers: { authorization: `Bearer ${token}` },
  });
  const current = get.json<{ online_services: { version: number; appointments: boolean } }>().online_services;
  const version = current.version;
  const rec1 = await t.app.inject({
    method: 'PATCH',
    url: `/api/v1/practice/patients/${patientId}/online-services`,
    headers: { authorization: `Bearer ${token}` },
    payload: { version, record_level: 'full' },
  });
  assert.equal(rec1.statusCode, 403);
  const rec2 = await t.app.inject({
    method: 'PATCH',
    url: `/api/v1/practice/patients/${patientId}/online-services`,
    headers: { authorization: `Bearer ${token}` },
    payload: { version, appointments: !current.appointments, reason: 'asked at desk' },
  });
  assert.equal(rec2.statusCode, 200, rec2.body);
  const stale = await t.app.inject({
    method: 'PATCH',
    url: `/api/v1/practice/patients/${patientId}/online-services`,
    headers: { authorization: `Bearer ${token}` },
    payload: { version, appointments: current.appointments },
  });
  assert.equal(stale.statusCode, 409, 'a stale version is a conflict');
  assert.equal(stale.json<{ reason: string }>().reason, 'stale-version');
  const b = await signInStaff(t.app, rec.email, DEMO_PASSWORD, rec.totpSecret);
  assert.equal((await b.get('/admin/users')).statusCode, 403);
  assert.equal((await b.get('/programme')).statusCode, 403);
  const fac = DEMO_STAFF.find((s) => s.role === 'facilitator')!;
  const f = await signInStaff(t.app, fac.email, DEMO_PASSWORD, fac.totpSecret);
  assert.equal((await f.get('/staff/patients?q=smith')).statusCode, 403);
  assert.equal((await f.get(`/staff/patients/${patientId}`)).statusCode, 403);
  const prog = await f.get('/programme');
  assert.equal(prog.statusCode, 200);
  assert.match(prog.body, /P81082/);
});
