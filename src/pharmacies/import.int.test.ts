// Loading an ODS edispensary.csv: good files load (and load again as updates), a file with a bad
// row is refused whole and names it, nothing half-written; the same through `gp-online import-pharmacies`.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { after, before, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { fixedClock, testDatabase, type TestDb } from '../../test/support/harness.ts';
import { AppError } from '../platform/http/errors.ts';
import { openDatabase, pgliteDirFor } from '../platform/db/index.ts';
import { importPharmacies } from './service.ts';
import { file, row } from './test-fixtures.ts';

const clock = fixedClock('2026-12-08T10:00:00Z');
let db: TestDb;
before(async () => {
  db = await testDatabase();
});
after(async () => {
  await db.dispose();
});
const ctx = () => ({ db: db.db, clock, meta: null });
const count = async (table: 'pharmacies') =>
  Number(
    (
      await db.db
        .selectFrom(table)
        .select((eb) => eb.fn.countAll<string>().as('n'))
        .executeTakeFirstOrThrow()
    ).n,
  );
const imports = async () =>
  db.db
    .selectFrom('audit_events')
    .select(['details', 'actor_type'])
    .where('action', '=', 'pharmacy.import')
    .execute();

test('a good file loads every pharmacy with its postcode key; loading it again updates, never duplicates', async () => {
  const text = file(
    row(),
    row({ 1: 'FB456', 2: 'HEADCORN PHARMACY', 10: 'TN27 9AA', 13: 'C', 12: '20240331' }),
  );
  const first = await importPharmacies(ctx(), { kind: 'system' }, text);
  assert.deepEqual(first, { pharmacies: 2, inserted: 2, updated: 0, problems: [] });
  const again = await importPharmacies(ctx(), { kind: 'system' }, file(row({ 2: 'ROWLANDS PHARMACY LTD' })));
  assert.deepEqual(again, { pharmacies: 1, inserted: 0, updated: 1, problems: [] });
  assert.equal(await count('pharmacies'), 2);
  const fa = await db.db
    .selectFrom('pharmacies')
    .selectAll()
    .where('ods_code', '=', 'FA123')
    .executeTakeFirstOrThrow();
  assert.equal(fa.name, 'ROWLANDS PHARMACY LTD', 'the later file wins');
  assert.equal(fa.postcode, 'SK7 5LD');
  assert.equal(fa.postcode_key, 'SK75LD');
  assert.deepEqual(fa.address_lines, ['61 ARUNDEL AVENUE', 'HAZEL GROVE', 'STOCKPORT']);
  assert.equal(fa.open_date, '2006-06-01');
  const fb = await db.db
    .selectFrom('pharmacies')
    .selectAll()
    .where('ods_code', '=', 'FB456')
    .executeTakeFirstOrThrow();
  assert.equal(fb.status, 'closed');
  assert.equal(fb.close_date, '2024-03-31');
  const audited = await imports();
  assert.equal(audited.length, 2);
  assert.equal(audited[0]?.actor_type, 'system');
  assert.deepEqual(audited[0].details, { source: 'edispensary', rows: 2, inserted: 2, problems: 0 });
});

test('a file with bad rows is refused whole: each bad line named, nothing written, nothing audited', async () => {
  const before = await count('pharmacies');
  const auditsBefore = (await imports()).length;
  const text = file(row({ 1: 'FZ001' }), row({ 1: 'FZ002', 11: '20250229' }), row({ 1: 'FZ003', 13: 'Q' }));
  await assert.rejects(importPharmacies(ctx(), { kind: 'system' }, text), (err: unknown) => {
    assert.ok(err instanceof AppError);
    assert.equal(err.code, 'invalid');
    assert.match(err.message, /Nothing was loaded: 2 bad rows/);
    assert.deepEqual(
      err.fields.map((f) => f.field),
      ['line 2', 'line 3'],
    );
    assert.match(err.fields[0]?.message ?? '', /column 11 \(Open Date\)/);
    assert.match(err.fields[1]?.message ?? '', /column 13 \(Status Code\)/);
    return true;
  });
  assert.equal(await count('pharmacies'), before, 'not even the good row FZ001');
  assert.equal((await imports()).length, auditsBefore);
});

test('--skip-bad-rows loads the good rows and reports the bad ones; a file of none is refused', async () => {
  const text = file(row({ 1: 'FY001' }), '"FY002","TOO SHORT"', row({ 1: 'FY003' }));
  const r = await importPharmacies(ctx(), { kind: 'system' }, text, { skipBadRows: true });
  assert.equal(r.pharmacies, 2);
  assert.deepEqual(r.problems, [{ line: 2, message: 'expected 27 columns, found 2' }]);
  await assert.rejects(
    importPharmacies(ctx(), { kind: 'system' }, '\n\n', { skipBadRows: true }),
    /no pharmacies/,
  );
  await assert.rejects(
    importPharmacies(ctx(), { kind: 'system' }, `${row()}\n"FX1,"broken\n`),
    (err: unknown) =>
      err instanceof AppError && err.code === 'invalid' && /CSV syntax error/.test(err.message),
  );
});

test('only an admin (or the command line) may load the list', async () => {
  const patient = {
    kind: 'patient' as const,
    accountId: '00000000-0000-4000-8000-000000000001',
    email: 'p@example.com',
    patientId: null,
    practiceOds: null,
    proofingLevel: 'P9' as const,
  };
  await assert.rejects(
    importPharmacies(ctx(), patient, file(row())),
    (err: unknown) => err instanceof AppError && err.code === 'forbidden',
  );
  await assert.rejects(
    importPharmacies(ctx(), null, file(row())),
    (err: unknown) => err instanceof AppError && err.code === 'unauthenticated',
  );
});

test('gp-online import-pharmacies <file>: loads a good file; refuses a bad one naming the line, exit 1', async () => {
  const main = join(dirname(fileURLToPath(import.meta.url)), '..', 'main.ts');
  const dataDir = mkdtempSync(join(tmpdir(), 'gpo-pharm-cli-'));
  try {
    const env: Record<string, string | undefined> = { ...process.env, GP_ONLINE_DATA_DIR: dataDir };
    delete env.DATABASE_URL;
    const run = (path: string, ...more: string[]) =>
      spawnSync(process.execPath, [main, 'import-pharmacies', path, ...more], {
        env,
        encoding: 'utf8',
        timeout: 120_000,
      });
    const good = join(dataDir, 'edispensary.csv');
    writeFileSync(good, file(row(), row({ 1: 'FB456' })));
    const ok = run(good);
    assert.equal(ok.status, 0, ok.stderr);
    assert.deepEqual(JSON.parse(ok.stdout), { pharmacies: 2, inserted: 2, updated: 0, problems: 0 });
    const bad = join(dataDir, 'bad.csv');
    writeFileSync(bad, file(row({ 1: 'FC001' }), row({ 1: 'FC002', 2: '' })));
    const refused = run(bad);
    assert.equal(refused.status, 1);
    assert.match(refused.stderr, /Nothing was loaded: 1 bad rows/);
    assert.match(refused.stderr, /line 2: column 2 \(Name\) is empty/);
    const skipped = run(bad, '--skip-bad-rows');
    assert.equal(skipped.status, 0, skipped.stderr);
    assert.match(skipped.stderr, /line 2: column 2 \(Name\) is empty/);
    const h = await openDatabase({ databaseUrl: null, pgliteDir: pgliteDirFor(dataDir) });
    try {
      const codes = await h.db.selectFrom('pharmacies').select('ods_code').orderBy('ods_code').execute();
      assert.deepEqual(
        codes.map((c) => c.ods_code),
        ['FA123', 'FB456', 'FC001'],
      );
    } finally {
      await h.close();
    }
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
});
