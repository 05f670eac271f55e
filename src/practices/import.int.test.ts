// Loading the real ODS epraccur lists into the database (real-data tier: needs ../shared/data).
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { inCi, sharedData, testApp, type TestApp } from '../../test/support/harness.ts';
import { importPractices } from './service.ts';

const dir = join(sharedData, 'ods-gp-practices');
let t: TestApp;
before(async () => {
  t = await testApp();
});
after(async () => {
  await t.close();
});

test('the 2019 and 2023 epraccur files load; a re-import updates instead of duplicating', async (ctx) => {
  if (!existsSync(dir)) {
    if (inCi) assert.fail(`real-data tier: ${dir} is missing in CI`);
    ctx.diagnostic('real-data tier skipped: ../shared/data not found');
    return;
  }
  const c = { db: t.db.db, clock: t.clock, meta: null };
  const y2019 = await importPractices(
    c,
    { kind: 'system' },
    readFileSync(join(dir, 'epraccur_2019-12.csv'), 'utf8'),
    { gpPracticesOnly: true },
  );
  assert.equal(y2019.practices, 8204);
  assert.equal(y2019.inserted, 8204);
  assert.equal(y2019.problems.length, 0);
  const y2023 = await importPractices(
    c,
    { kind: 'system' },
    readFileSync(join(dir, 'epraccur_2023-12.csv'), 'utf8'),
    { gpPracticesOnly: true },
  );
  assert.equal(y2023.practices, 8647);
  assert.ok(y2023.updated > 7000, `most 2023 practices were already there: ${String(y2023.updated)}`);
  assert.equal(y2023.inserted + y2023.updated, 8647);
  const total = await t.db.db
    .selectFrom('practices')
    .select((eb) => eb.fn.countAll<string>().as('n'))
    .executeTakeFirstOrThrow();
  assert.equal(Number(total.n), 8204 + y2023.inserted);
  const densham = await t.db.db
    .selectFrom('practices')
    .selectAll()
    .where('ods_code', '=', 'A81001')
    .executeTakeFirstOrThrow();
  assert.equal(densham.name, 'THE DENSHAM SURGERY');
  assert.equal(densham.commissioner_code, '16C', 'the later file wins');
  assert.equal(densham.postcode, 'TS18 1HU');
  const audit = await t.db.db
    .selectFrom('audit_events')
    .select('details')
    .where('action', '=', 'practice.import')
    .execute();
  assert.equal(audit.length, 2);
});

test('a file with no practices in it is refused and writes nothing', async () => {
  const c = { db: t.db.db, clock: t.clock, meta: null };
  const before = await t.db.db.selectFrom('audit_events').select('seq').execute();
  const cells = Array<string>(27).fill('');
  cells[0] = 'A81-01'; // not an ODS code
  cells[1] = 'NAME';
  cells[12] = 'A';
  const badRow = cells.map((x) => `"${x}"`).join(',');
  await assert.rejects(
    importPractices(c, { kind: 'system' }, badRow + '\n'),
    /No practices could be read: line 1/,
  );
  await assert.rejects(importPractices(c, { kind: 'system' }, '"code","name"\n"A1","B"\n'), /header row/);
  const afterRows = await t.db.db.selectFrom('audit_events').select('seq').execute();
  assert.equal(afterRows.length, before.length);
});
