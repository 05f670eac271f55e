import assert from 'node:assert/strict';
import test from 'node:test';
import { stringify } from 'csv-stringify/sync';
import { parsePomi } from '../pomi/rules.ts';
import { LONG_HEADER, PUBLISHED_ORDER, longRecords, pomiPeriodEnd, type LiveMonth } from './rules.ts';

const live = (more: Partial<LiveMonth> = {}): LiveMonth => ({
  month: '2024-02',
  practice: { code: 'P81082', name: 'THE RYAN MEDICAL CENTRE, WALTON' },
  region: { code: 'Y54', name: 'NORTH OF ENGLAND COMMISSIONING REGION' },
  subregion: null,
  ccg: { code: '00X', name: 'NHS Chorley and South Ribble CCG' },
  listSize: 9431,
  enabledAny: 2000,
  newlyEnabled: 12,
  appointments: { offered: true, enabled: 1891, use: 300 },
  prescriptions: { offered: false, enabled: 1500, use: 784 },
  detailedRecord: { offered: null, enabled: 416, use: 242 },
  ...more,
});

test('the period end is the month’s last day as the long format writes it, 29 February in a leap year', () => {
  assert.equal(pomiPeriodEnd('2018-04'), '30APR2018');
  assert.equal(pomiPeriodEnd('2024-02'), '29FEB2024');
  assert.equal(pomiPeriodEnd('2023-02'), '28FEB2023');
  assert.equal(pomiPeriodEnd('2026-12'), '31DEC2026');
  assert.throws(() => pomiPeriodEnd('2026-13'));
});

test('one row per field in the published order; Sys_* 2, 1 or blank; Total_Use adds the three uses', () => {
  const rows = longRecords([live()]);
  assert.deepEqual(rows[0], [...LONG_HEADER]);
  assert.equal(rows.length, 1 + 13);
  assert.deepEqual(
    rows.slice(1).map((r) => r[10]),
    [...PUBLISHED_ORDER],
  );
  const value = Object.fromEntries(rows.slice(1).map((r) => [r[10], r[11]] as [string, string]));
  assert.equal(value.Sys_Appts_Enbld, '2');
  assert.equal(value.Sys_Presc_Enbld, '1');
  assert.equal(value.Sys_DetCodeRec_Enbld, '');
  assert.equal(value.Total_Use, String(300 + 784 + 242));
  assert.deepEqual(rows[1]?.slice(0, 10), [
    '29FEB2024',
    'Y54',
    'NORTH OF ENGLAND COMMISSIONING REGION',
    '',
    '',
    '00X',
    'NHS Chorley and South Ribble CCG',
    'P81082',
    'THE RYAN MEDICAL CENTRE, WALTON',
    'GP ONLINE',
  ]);
});

test('our own POMI reader takes the return back with the same numbers (blank stays not reported)', () => {
  const text = stringify(longRecords([live()]), { record_delimiter: 'windows' });
  assert.match(text, /^report_period_end,region_code,[^\n]*\r\n29FEB2024,Y54,/);
  assert.match(text, /,"THE RYAN MEDICAL CENTRE, WALTON",GP ONLINE,/);
  const parsed = parsePomi(text);
  assert.equal(parsed.problems.length, 0, JSON.stringify(parsed.problems));
  const r = parsed.returns[0]!;
  assert.equal(r.periodEnd, '2024-02-29');
  assert.equal(r.values.pat_appts_enbld, 1891);
  assert.equal(r.values.sys_presc_enbld, 1);
  assert.equal(r.values.sys_detcoderec_enbld, null);
  assert.equal(r.values.total_use, 1326);
  assert.equal(r.supplier, 'GP ONLINE');
});
