import assert from 'node:assert/strict';
import { test } from 'node:test';
import Fastify, { type FastifyInstance, type FastifyRequest } from 'fastify';
import type { Actor } from '../auth/actor.ts';
import type { Session } from '../auth/sessions.ts';
import { registerAudience } from './audience.ts';
import { AppError } from './errors.ts';

const patient: Actor = {
  kind: 'patient',
  accountId: 'a1',
  email: 'p@example.test',
  patientId: 'p1',
  practiceOds: 'A81001',
  proofingLevel: 'P9',
};
const staff: Actor = {
  kind: 'staff',
  staffId: 's1',
  email: 's@example.test',
  name: 'Sam',
  role: 'receptionist',
  practiceOds: 'A81001',
  commissionerCode: null,
};

/** A bare app with the audience hook; the test header picks who is asking. */
async function app(register?: (a: FastifyInstance) => void) {
  const a = Fastify();
  a.decorateRequest('actor', null);
  a.decorateRequest('session', null);
  a.addHook('onRequest', async (req: FastifyRequest) => {
    const who = req.headers['x-who'];
    req.actor = who === 'patient' ? patient : who === 'staff' ? staff : null;
    if (who === 'half-patient' || who === 'half-staff') {
      const principal_type = who === 'half-patient' ? 'patient' : 'staff';
      req.session = { principal_type, stage: 'password' } as Session;
    }
  });
  a.setErrorHandler((err: unknown, _req, reply) => {
    if (err instanceof AppError) return reply.status(err.status).send({ code: err.code });
    const invalid = err instanceof Error && 'validation' in err;
    return reply.status(invalid ? 400 : 500).send({ invalid });
  });
  registerAudience(a, (req) => req.url.startsWith('/api/'));
  if (register) register(a);
  else {
    a.get('/patient/record', { config: { audience: 'patient' } }, async () => 'record');
    a.get('/patient', { config: { audience: 'patient' } }, async () => 'home');
    a.post('/patient/record/request', { config: { audience: 'patient' } }, async () => 'asked');
    a.get('/staff/patients', { config: { audience: 'staff' } }, async () => 'patients');
    a.get('/programme', { config: { audience: 'programme' } }, async () => 'programme');
    a.get('/about', { config: { audience: 'public' } }, async () => 'about');
    a.get('/api/v1/record', { config: { audience: 'patient' } }, async () => 'json');
    a.post(
      '/api/v1/practice/x',
      { config: { audience: 'staff' }, schema: { body: { type: 'object', required: ['n'] } } },
      async () => 'ok',
    );
  }
  await a.ready();
  return a;
}

test('a route that does not say who it is for cannot be added', async () => {
  await assert.rejects(
    app((a) => a.get('/forgotten', async () => 'x')),
    /GET \/forgotten must declare config.audience/,
  );
});

test('pages send the wrong visitor to the right sign-in, coming back to the page they asked for', async () => {
  const a = await app();
  const get = async (url: string, who?: string) => a.inject({ url, headers: who ? { 'x-who': who } : {} });
  assert.equal((await get('/patient/record', 'patient')).body, 'record');
  const anon = await get('/patient/record?section=x');
  assert.equal(anon.statusCode, 302);
  assert.equal(anon.headers.location, '/patient/sign-in?next=%2Fpatient%2Frecord%3Fsection%3Dx');
  // Staff on a patient page go to the patient sign-in, and patients on staff pages to the staff one.
  assert.equal(
    (await get('/patient/record', 'staff')).headers.location,
    '/patient/sign-in?next=%2Fpatient%2Frecord',
  );
  assert.equal(
    (await get('/staff/patients', 'patient')).headers.location,
    '/staff/sign-in?next=%2Fstaff%2Fpatients',
  );
  assert.equal((await get('/programme')).headers.location, '/staff/sign-in');
  assert.equal((await get('/programme', 'staff')).body, 'programme');
  // The home page itself needs no way back; a form post cannot be replayed after sign-in.
  assert.equal((await get('/patient')).headers.location, '/patient/sign-in');
  const post = await a.inject({ method: 'POST', url: '/patient/record/request' });
  assert.equal(post.headers.location, '/patient/sign-in');
  assert.equal((await get('/about')).body, 'about');
});

test('someone part-way through signing in is sent back to their step', async () => {
  const a = await app();
  const half = await a.inject({ url: '/patient/record', headers: { 'x-who': 'half-patient' } });
  assert.equal(half.headers.location, '/patient/sign-in/code');
  const staffHalf = await a.inject({ url: '/staff/patients', headers: { 'x-who': 'half-staff' } });
  assert.equal(staffHalf.headers.location, '/staff/sign-in/code');
  // A patient's unfinished sign-in says nothing about a staff page.
  const other = await a.inject({ url: '/staff/patients', headers: { 'x-who': 'half-patient' } });
  assert.equal(other.headers.location, '/staff/sign-in?next=%2Fstaff%2Fpatients');
});

test('the API answers 401 to nobody and 403 to the wrong kind, before the body is validated', async () => {
  const a = await app();
  assert.equal((await a.inject({ url: '/api/v1/record' })).statusCode, 401);
  assert.equal((await a.inject({ url: '/api/v1/record', headers: { 'x-who': 'staff' } })).statusCode, 403);
  assert.equal((await a.inject({ url: '/api/v1/record', headers: { 'x-who': 'patient' } })).body, 'json');
  // A patient learns nothing about a practice API's body from its validation errors.
  const probe = await a.inject({
    method: 'POST',
    url: '/api/v1/practice/x',
    headers: { 'x-who': 'patient', 'content-type': 'application/json' },
    payload: '{}',
  });
  assert.equal(probe.statusCode, 403);
  const invalid = await a.inject({
    method: 'POST',
    url: '/api/v1/practice/x',
    headers: { 'x-who': 'staff', 'content-type': 'application/json' },
    payload: '{}',
  });
  assert.equal(invalid.statusCode, 400);
});
