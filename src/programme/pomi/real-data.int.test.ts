// Real-data tier (needs ../shared/data): all of 2018-19's POMI imported gives England's monthly
// totals a plain sum over the CSV gives, and the published long format agrees with the wide file.
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { inCi, sharedData, testApp, type TestApp } from '../../../test/support/harness.ts';
import { areaTotals, type AreaTotals } from '../summary-rules.ts';
import { importPomi } from './service.ts';
import { monthlyTotals } from './store.ts';

const dir = join(sharedData, 'pomi');
const WIDE = ['pomi_practice_monthly_2018-04_to_2018-09.csv', 'pomi_practice_monthly_2018-10_to_2019-03.csv'];
const LONG = 'POMI_raw_long_format_sample_CCG-02N_2018-04_to_2019-03.csv';
const present = existsSync(dir);

let wide: TestApp;
let long: TestApp;
before(async () => {
  if (!present) return;
  wide = await testApp();
  long = await testApp();
});
after(async () => {
  if (!present) return;
  await wide.close();
  await long.close();
});

function skipped(ctx: { diagnostic: (s: string) => void }): boolean {
  if (present) return false;
  if (inCi) assert.fail(`real-data tier: ${dir} is missing in CI`);
  ctx.diagnostic('real-data tier skipped: ../shared/data not found');
  return true;
}

/** England's totals per month, summed straight from the wide files with no parser of ours. */
function csvTotals(): Map<string, AreaTotals> {
  const out = new Map<string, AreaTotals>();
  for (const file of WIDE) {
    const [head, ...lines] = readFileSync(join(dir, file), 'utf8').trim().split(/\r?\n/);
    const cols = (head ?? '').split(',');
    const at = (name: string) => cols.indexOf(name);
    for (const line of lines) {
      const c = line.split(',');
      const v = (name: string) => c[at(name)] ?? '';
      const month = v('report_period_end').slice(0, 7);
      const blank = () => ({
        practicesOffering: 0,
        practicesReporting: 0,
        patientsEnabled: null,
        enabledListSize: null,
        transactions: null,
        transactionsListSize: null,
      });
      const t: AreaTotals = out.get(month) ?? {
        month,
        basis: 'pomi',
        practices: 0,
        listSize: null,
        patientsEnabledAny: null,
        enabledAnyListSize: null,
        transactions: null,
        transactionsListSize: null,
        services: { appointments: blank(), prescriptions: blank(), detailedCodedRecord: blank() },
      };
      const add = (sum: number | null, name: string) => (v(name) === '' ? sum : (sum ?? 0) + Number(v(name)));
      // The list size of the practices that reported `name`: each share's denominator.
      const listIf = (sum: number | null, name: string) =>
        v(name) === '' ? sum : add(sum, 'patient_list_size');
      t.practices += 1;
      t.listSize = add(t.listSize, 'patient_list_size');
      t.patientsEnabledAny = add(t.patientsEnabledAny, 'Total_Pat_Enbld');
      t.enabledAnyListSize = listIf(t.enabledAnyListSize, 'Total_Pat_Enbld');
      t.transactions = add(t.transactions, 'Total_Use');
      t.transactionsListSize = listIf(t.transactionsListSize, 'Total_Use');
      for (const [key, sys, enabled, use] of [
        ['appointments', 'Sys_Appts_Enbld', 'Pat_Appts_Enbld', 'Pat_Appts_Use'],
        ['prescriptions', 'Sys_Presc_Enbld', 'Pat_Presc_Enbld', 'Pat_Presc_Use'],
        ['detailedCodedRecord', 'Sys_DetCodeRec_Enbld', 'Pat_DetCodeRec_Enbld', 'Pat_DetCodeRec_Use'],
      ] as const) {
        const s = t.services[key];
        if (v(sys) === '2') s.practicesOffering += 1;
        if (v(sys) !== '') s.practicesReporting += 1;
        s.patientsEnabled = add(s.patientsEnabled, enabled);
        s.enabledListSize = listIf(s.enabledListSize, enabled);
        s.transactions = add(s.transactions, use);
        s.transactionsListSize = listIf(s.transactionsListSize, use);
      }
      out.set(month, t);
    }
  }
  return out;
}

test('the 2018-19 wide files import whole and England’s monthly totals equal a sum over the CSV', async (ctx) => {
  if (skipped(ctx)) return;
  const c = { db: wide.db.db, clock: wide.clock, meta: null };
  let practiceMonths = 0;
  for (const file of WIDE) {
    const r = await importPomi(c, { kind: 'system' }, readFileSync(join(dir, file), 'utf8'), {
      fileName: file,
    });
    practiceMonths += r.practiceMonths;
  }
  assert.equal(practiceMonths, 41730 + 41231);
  const expected = csvTotals();
  const got = (await monthlyTotals(wide.db.db, null, null)).map(areaTotals);
  assert.equal(got.length, 12);
  for (const month of got) assert.deepEqual(month, expected.get(month.month), month.month);
  // The headline a dashboard shows, checked by eye once against the file: April 2018.
  const [april] = got;
  assert.ok(april);
  assert.equal(april.month, '2018-04');
  assert.ok(april.practices > 6900);
});

test('the published long-format sample for CCG 02N imports with the wide files’ numbers', async (ctx) => {
  if (skipped(ctx)) return;
  const c = { db: long.db.db, clock: long.clock, meta: null };
  const r = await importPomi(c, { kind: 'system' }, readFileSync(join(dir, LONG), 'utf8'), {
    fileName: LONG,
  });
  assert.equal(r.format, 'long');
  assert.equal(r.practiceMonths, 2496 / 13);
  const area = { column: 'ccg_code', code: '02N' } as const;
  const fromLong = (await monthlyTotals(long.db.db, area, null)).map(areaTotals);
  const fromWide = (await monthlyTotals(wide.db.db, area, null)).map(areaTotals);
  assert.equal(fromLong.length, 12);
  assert.deepEqual(fromLong, fromWide);
  // Practice by practice too, every field.
  const rows = (db: TestApp) =>
    db.db.db
      .selectFrom('pomi_returns')
      .selectAll()
      .where('ccg_code', '=', '02N')
      .orderBy('practice_ods')
      .orderBy('period_end')
      .execute();
  const strip = (list: Awaited<ReturnType<typeof rows>>) => list.map((r) => ({ ...r, import_id: null }));
  assert.deepEqual(strip(await rows(long)), strip(await rows(wide)));
});
