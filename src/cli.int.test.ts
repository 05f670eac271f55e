// The gp-online command line against an embedded database in a temporary data folder.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { after, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { sql } from 'kysely';
import { openDatabase, pgliteDirFor } from './platform/db/index.ts';

const main = join(dirname(fileURLToPath(import.meta.url)), 'main.ts');
const dataDir = mkdtempSync(join(tmpdir(), 'gpo-cli-'));
after(() => {
  rmSync(dataDir, { recursive: true, force: true });
});

function cli(...args: string[]) {
  const env: Record<string, string | undefined> = { ...process.env, GP_ONLINE_DATA_DIR: dataDir };
  delete env.DATABASE_URL; // the CLI test always uses its own embedded database
  return spawnSync(process.execPath, [main, ...args], { env, encoding: 'utf8', timeout: 120_000 });
}

test('practice add, user add (staff and patient), bad input and audit verify', async () => {
  const p = cli('practice', 'add', '--ods', 'P81082', '--name', 'THE RYAN MEDICAL CENTRE');
  assert.equal(p.status, 0, p.stderr);
  const staff = cli(
    'user',
    'add',
    '--role',
    'clinician',
    '--email',
    'gp@example.com',
    '--password',
    'a long enough password',
    '--practice',
    'P81082',
    '--name',
    'Dr Who',
  );
  assert.equal(staff.status, 0, staff.stderr);
  assert.match(staff.stdout, /"staff_id":"[0-9a-f-]{36}"/);
  const patient = cli(
    'user',
    'add',
    '--role',
    'patient',
    '--email',
    'jo@example.com',
    '--password',
    'another long password',
    '--practice',
    'P81082',
    '--nhs-number',
    '9434765919',
    '--given',
    'Jo',
    '--family',
    'Bloggs',
    '--birth-date',
    '1980-01-31',
    '--proofing',
    'P9',
    '--record-level',
    'full',
    '--services',
    'appointments,repeats',
  );
  assert.equal(patient.status, 0, patient.stderr);
  const ids = JSON.parse(patient.stdout) as { patient_id: string; account_id: string };
  assert.match(ids.patient_id, /^[0-9a-f-]{36}$/);
  const bad = cli(
    'user',
    'add',
    '--role',
    'patient',
    '--email',
    'x@example.com',
    '--password',
    'another long password',
    '--practice',
    'P81082',
    '--nhs-number',
    '9434765918',
    '--given',
    'A',
    '--family',
    'B',
    '--birth-date',
    '1980-01-31',
  );
  assert.equal(bad.status, 1);
  assert.match(bad.stderr, /NHS number 9434765918 is not valid/);
  // HAZ-12 weak passwords: the command refuses a common password for staff and patients alike.
  for (const role of ['receptionist', 'patient']) {
    const weak = cli(
      'user',
      'add',
      '--role',
      role,
      '--email',
      `weak.${role}@example.com`,
      '--password',
      'password12345',
      '--practice',
      'P81082',
      '--nhs-number',
      '9434765870',
      '--given',
      'A',
      '--family',
      'B',
      '--birth-date',
      '1980-01-31',
    );
    assert.equal(weak.status, 1, role);
    assert.match(weak.stderr, /too common/, role);
  }
  const ok = cli('audit', 'verify');
  assert.equal(ok.status, 0, ok.stderr);
  assert.match(ok.stdout, /audit OK/);

  // Alter one audit row by hand: verify must fail.
  const h = await openDatabase({ databaseUrl: null, pgliteDir: pgliteDirFor(dataDir) });
  await h.db.transaction().execute(async (tx) => {
    await sql`alter table audit_events disable trigger audit_events_no_change`.execute(tx);
    await sql`update audit_events set actor_role = 'admin' where action = 'staff.add'`.execute(tx);
    await sql`alter table audit_events enable trigger audit_events_no_change`.execute(tx);
  });
  await h.close();
  const broken = cli('audit', 'verify');
  assert.equal(broken.status, 1);
  assert.match(broken.stderr, /edited/);
  assert.match(broken.stderr, /audit FAILED/);
});

test('bank-holidays lists the England and Wales days ready days skip; a bad year is refused', () => {
  const r = cli('bank-holidays', '2023');
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /^2023-05-08 {2}King Charles III's Coronation$/m);
  assert.equal(r.stdout.trim().split('\n').length, 9);
  const bad = cli('bank-holidays', 'next');
  assert.equal(bad.status, 1);
  assert.match(bad.stderr, /the year must be written like 2027/);
});
