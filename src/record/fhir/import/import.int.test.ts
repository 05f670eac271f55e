// Importing the real public FHIR data sets into the database (real-data tier: needs ../shared/data).
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { inCi, sharedData, testApp, type TestApp } from '../../../../test/support/harness.ts';
import { addPractice } from '../../../practices/service.ts';
import { importFhirPath } from './cli.ts';

let t: TestApp;
const ctx = () => ({ db: t.db.db, clock: t.clock, meta: null });

before(async () => {
  t = await testApp();
  await addPractice(
    ctx(),
    { kind: 'system' },
    {
      odsCode: 'P81082',
      name: 'THE RYAN MEDICAL CENTRE',
      addressLines: [],
      postcode: null,
      commissionerCode: null,
      status: 'active',
      prescribingSetting: 4,
      openDate: null,
      closeDate: null,
      phone: null,
    },
  );
});
after(async () => {
  await t.close();
});

function dataOrSkip(c: { diagnostic: (m: string) => void }, folder: string): string | null {
  const dir = join(sharedData, folder);
  if (existsSync(dir)) return dir;
  if (inCi) assert.fail(`real-data tier: ${dir} is missing in CI`);
  c.diagnostic('real-data tier skipped: ../shared/data not found');
  return null;
}

test('all 24 Synthea bundles import cleanly, and a re-import updates without duplicating', async (c) => {
  const dir = dataOrSkip(c, 'synthea-fhir-r4-patients');
  if (!dir) return;
  const first = await importFhirPath(ctx(), 'P81082', dir, { assignTestNhsNumbers: true });
  c.diagnostic(
    `Synthea: ${String(first.resources)} resources in ${first.seconds.toFixed(2)} s = ${String(Math.round(first.resources / first.seconds))} resources/s`,
  );
  assert.deepEqual(first.patients, { created: 24, updated: 0, rejected: 0 });
  assert.deepEqual(first.errors, []);
  assert.deepEqual(first.entries.created, {
    allergy: 122,
    consultation: 570,
    immunisation: 345,
    medication: 183,
    problem: 146,
    procedure: 249,
    result: 1713,
    value: 1227,
  });
  assert.equal(first.skipped.Claim, 753);
  const count = async () =>
    Number(
      (
        await t.db.db
          .selectFrom('record_entries')
          .select((eb) => eb.fn.countAll<string>().as('n'))
          .executeTakeFirstOrThrow()
      ).n,
    );
  const before = await count();
  const again = await importFhirPath(ctx(), 'P81082', dir, { assignTestNhsNumbers: true });
  assert.deepEqual(again.patients, { created: 0, updated: 24, rejected: 0 });
  assert.deepEqual(again.entries.created, {});
  assert.equal(await count(), before, 'no duplicates');
  const linked = await t.db.db
    .selectFrom('record_entries')
    .select('id')
    .where('consultation_id', 'is not', null)
    .limit(1)
    .execute();
  assert.equal(linked.length, 1, 'entries are linked to their consultations');
  const numbers = await t.db.db
    .selectFrom('patients')
    .select('nhs_number')
    .where('source_system', '=', 'fhir')
    .execute();
  assert.ok(
    numbers.every((n) => n.nhs_number.startsWith('999')),
    'test-range NHS numbers',
  );
});

test('the bulk NDJSON set imports cleanly', async (c) => {
  const dir = dataOrSkip(c, 'synthea-bulk-ndjson-10-patients');
  if (!dir) return;
  const r = await importFhirPath(ctx(), 'P81082', dir, { assignTestNhsNumbers: true });
  assert.deepEqual(r.patients, { created: 13, updated: 0, rejected: 0 });
  assert.deepEqual(r.errors, []);
  assert.equal(r.entries.created.medication, 1745);
});

test('UK Core examples: the example patient imports with its valid resources; broken examples are named, not fatal', async (c) => {
  const dir = dataOrSkip(c, 'uk-core-examples');
  if (!dir) return;
  const strict = await importFhirPath(ctx(), 'P81082', dir, {});
  assert.equal(strict.patients.created, 0, 'strict: a patient with any invalid resource is refused whole');
  const r = await importFhirPath(ctx(), 'P81082', dir, { skipInvalidResources: true });
  assert.equal(r.patients.created, 1);
  const richard = await t.db.db
    .selectFrom('patients')
    .select(['id', 'family_name'])
    .where('source_id', '=', 'Patient/UKCore-Patient-RichardSmith-Example')
    .executeTakeFirstOrThrow();
  assert.equal(richard.family_name.toUpperCase(), 'SMITH');
  const entries = await t.db.db
    .selectFrom('record_entries')
    .select('kind')
    .where('patient_id', '=', richard.id)
    .execute();
  assert.ok(entries.length >= 50, `Richard Smith has ${String(entries.length)} entries`);
  assert.ok(
    r.errors.some((e) => /modulus 11/.test(e.message)),
    'the baby example has an invalid NHS number and is refused',
  );
  assert.ok(
    r.errors.every((e) => e.resource && e.field && e.message),
    'every problem names resource and field',
  );
});
