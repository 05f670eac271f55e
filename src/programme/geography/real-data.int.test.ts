// Real-data tier (needs ../shared/data): the published practice map, list sizes and Fingertips
// IMD import whole, and what lands equals what a plain read of the CSV gives.
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { after, before, test } from 'node:test';
import { inCi, sharedData, testApp, type TestApp } from '../../../test/support/harness.ts';
import { practiceFileKind } from './rules.ts';
import { importGeography } from './service.ts';

const dir = join(sharedData, 'ods-gp-practices');
const FILES = {
  map: 'gp-reg-pat-prac-map_2020-09.csv',
  'list-sizes': 'gp-reg-pat-prac-all_2021-01.csv',
  imd: 'fingertips_imd2019_by_gp_practice.csv',
} as const;
const present = existsSync(dir);

let t: TestApp;
before(async () => {
  if (present) t = await testApp();
});
after(async () => {
  if (present) await t.close();
});

/** Rows by header name, read by csv-parse directly (not through the importer's reader). */
function plain(file: string): Record<string, string>[] {
  return parse(readFileSync(join(dir, file), 'utf8'), { columns: true, bom: true });
}

test('the map, list sizes and IMD of every English practice import, as the CSV says', async (tc) => {
  if (!present) {
    if (inCi) assert.fail(`real-data tier: ${dir} is missing in CI`);
    tc.diagnostic('real-data tier skipped: ../shared/data not found');
    return;
  }
  const ctx = { db: t.db.db, clock: t.clock, meta: null };
  for (const [kind, file] of Object.entries(FILES)) {
    const text = readFileSync(join(dir, file), 'utf8');
    assert.equal(practiceFileKind(text), kind);
    await importGeography(ctx, { kind: 'system' }, text, {
      fileName: file,
      kind: kind as keyof typeof FILES,
    });
  }
  const map = plain(FILES.map);
  const lists = plain(FILES['list-sizes']);
  const pcns = new Set(map.map((r) => r.PCN_CODE).filter((c) => c !== 'U'));
  const r = await t.db.db
    .selectFrom('practice_profiles')
    .select((eb) => [
      eb.fn.countAll<string>().as('practices'),
      eb.fn.count<string>('pcn_code').as('in_pcn'),
      eb.fn.count<string>('list_size').as('sized'),
      eb.fn.sum<string>('list_size').as('patients'),
      eb.fn.count<string>('imd_score').as('scored'),
    ])
    .executeTakeFirstOrThrow();
  const named = await t.db.db
    .selectFrom('areas')
    .select((eb) => eb.fn.countAll<string>().as('n'))
    .where('kind', '=', 'pcn')
    .executeTakeFirstOrThrow();
  assert.equal(Number(r.in_pcn), map.filter((x) => x.PCN_CODE !== 'U').length);
  assert.equal(Number(named.n), pcns.size);
  assert.equal(Number(r.sized), lists.length);
  assert.equal(
    Number(r.patients),
    lists.reduce((n, x) => n + Number(x.NUMBER_OF_PATIENTS), 0),
  );
  assert.equal(Number(r.scored), 6545);
  tc.diagnostic(`${r.practices} practices, ${String(pcns.size)} PCNs, ${r.patients} registered patients`);
});
