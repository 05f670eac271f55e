import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { isOdsCode, odsDateToIso, parseEpraccur, practiceStatusFromCode } from './rules.ts';
import type { PracticeRecord, PracticeStatus } from './rules.ts';

import { DENSHAM, row } from './epraccur-samples.ts';

test('isOdsCode accepts 3-8 letters or digits, trimmed and upper-cased', () => {
  for (const ok of ['A81001', 'Y00001', '00K', 'RX3', 'W00', 'GUE645', ' a81001 ', 'ABCDEFGH']) {
    assert.equal(isOdsCode(ok), true, ok);
  }
  for (const bad of [
    '',
    'AB',
    'ABCDEFGHI',
    'A81 001',
    'A81-001',
    'A8100!',
    'practice_code',
    'Organisation Code',
  ]) {
    assert.equal(isOdsCode(bad), false, bad);
  }
});

test('odsDateToIso converts YYYYMMDD (and ISO) and rejects non-dates', () => {
  assert.equal(odsDateToIso('19740401'), '1974-04-01');
  assert.equal(odsDateToIso(' 20231204 '), '2023-12-04');
  assert.equal(odsDateToIso('2023-12-04'), '2023-12-04');
  assert.equal(odsDateToIso('20240229'), '2024-02-29');
  assert.equal(odsDateToIso(''), null);
  assert.equal(odsDateToIso('   '), null);
  for (const bad of [
    '20230229',
    '20231301',
    '20230000',
    '20230431',
    '2023120',
    '202312041',
    '2023/12/04',
    'ABCDEFGH',
  ]) {
    assert.equal(odsDateToIso(bad), undefined, bad);
  }
});

test('practiceStatusFromCode maps A, C, D, P', () => {
  assert.equal(practiceStatusFromCode('A'), 'active');
  assert.equal(practiceStatusFromCode('C'), 'closed');
  assert.equal(practiceStatusFromCode('D'), 'dormant');
  assert.equal(practiceStatusFromCode('P'), 'proposed');
  assert.equal(practiceStatusFromCode(' a '), 'active');
  assert.equal(practiceStatusFromCode('X'), null);
  assert.equal(practiceStatusFromCode(''), null);
});

test('parses good rows into practice records, keeping upper-case names and dropping empty address lines', () => {
  const text = [
    row(),
    row({ 1: 'A81003', 2: 'VICTORIA MEDICAL PRACTICE', 9: 'EXTRA LINE', 12: '20171031', 13: 'C', 18: '' }),
  ].join('\n');
  const r = parseEpraccur(text);
  assert.deepEqual(r.problems, []);
  assert.equal(r.skipped, 0);
  assert.deepEqual(r.practices[0], DENSHAM);
  assert.deepEqual(r.practices[1], {
    ...DENSHAM,
    odsCode: 'A81003',
    name: 'VICTORIA MEDICAL PRACTICE',
    addressLines: ['THE HEALTH CENTRE', 'LAWSON STREET', 'STOCKTON ON TEES', 'CLEVELAND', 'EXTRA LINE'],
    status: 'closed',
    closeDate: '2017-10-31',
    phone: null,
  });
  assert.equal(r.practices.length, 2);
});

test('empty optional cells become null and cells are trimmed', () => {
  const r = parseEpraccur(
    row({ 1: ' y00001 ', 5: ' LINE ONE ', 6: '', 7: '', 8: '', 10: '', 11: '', 15: '', 18: '', 26: '' }),
  );
  assert.deepEqual(r.problems, []);
  assert.deepEqual(r.practices, [
    {
      odsCode: 'Y00001',
      name: 'THE DENSHAM SURGERY',
      addressLines: ['LINE ONE'],
      postcode: null,
      commissionerCode: null,
      status: 'active',
      prescribingSetting: null,
      openDate: null,
      closeDate: null,
      phone: null,
    },
  ]);
});

test('maps every status code', () => {
  const codes: [string, PracticeStatus][] = [
    ['A', 'active'],
    ['C', 'closed'],
    ['D', 'dormant'],
    ['P', 'proposed'],
  ];
  const text = codes.map(([code], i) => row({ 1: `P0000${i}`, 13: code })).join('\n');
  const r = parseEpraccur(text);
  assert.deepEqual(r.problems, []);
  assert.deepEqual(
    r.practices.map((p) => p.status),
    codes.map(([, s]) => s),
  );
});

// --- Real data (../shared/data/ods-gp-practices beside the repo) -------------------------------

const repoRoot = join(import.meta.dirname, '..', '..');
const dataDir = join(repoRoot, '..', 'shared', 'data', 'ods-gp-practices');

function statusCounts(practices: PracticeRecord[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const p of practices) counts[p.status] = (counts[p.status] ?? 0) + 1;
  return counts;
}

test('real data: ODS epraccur Dec 2019 and Dec 2023 and the active-England subset', async (t) => {
  if (!existsSync(dataDir)) {
    if (process.env.CI === 'true') {
      assert.fail(
        `real-data tier: ${dataDir} not found, and CI=true requires ../shared/data beside the repo`,
      );
    }
    t.diagnostic('real-data tier skipped: ../shared/data not found');
    return;
  }
  const read = (name: string): string => readFileSync(join(dataDir, name), 'utf8');

  await t.test('epraccur_2019-12.csv (CRLF line ends)', () => {
    const text = read('epraccur_2019-12.csv');
    const all = parseEpraccur(text);
    assert.deepEqual(all.problems, []);
    assert.equal(all.practices.length, 14357);
    assert.deepEqual(statusCounts(all.practices), { active: 11474, closed: 2427, dormant: 451, proposed: 5 });
    const byCode = new Map(all.practices.map((p) => [p.odsCode, p]));
    assert.deepEqual(byCode.get('A81001'), {
      ...DENSHAM,
      addressLines: ['THE HEALTH CENTRE', 'LAWSON STREET', 'STOCKTON-ON-TEES', 'CLEVELAND'],
      commissionerCode: '00K',
    });
    assert.deepEqual(byCode.get('A81003'), {
      odsCode: 'A81003',
      name: 'VICTORIA MEDICAL PRACTICE',
      addressLines: ['THE HEALTH CENTRE', 'VICTORIA ROAD', 'HARTLEPOOL', 'CLEVELAND'],
      postcode: 'TS26 8DB',
      commissionerCode: '00K',
      status: 'closed',
      prescribingSetting: 4,
      openDate: '1974-04-01',
      closeDate: '2017-10-31',
      phone: '01429 272945',
    });
    // A closed non-GP record whose address cell starts with a space in the file.
    assert.deepEqual(byCode.get('GUE645')?.addressLines, [
      'ASSOCIATE SPECIALIST IN',
      'PSYCHIATARY',
      'CASTEL HOSPITAL,CASTEL',
      'GUERNSEY',
    ]);

    const gp = parseEpraccur(text, { gpPracticesOnly: true });
    assert.deepEqual(gp.problems, []);
    assert.equal(gp.practices.length, 8204);
    assert.equal(gp.skipped, 14357 - 8204);
    assert.deepEqual(statusCounts(gp.practices), { active: 6830, closed: 1073, dormant: 301 });
  });

  await t.test('epraccur_2023-12.csv (LF line ends, ICB era)', () => {
    const text = read('epraccur_2023-12.csv');
    const all = parseEpraccur(text);
    assert.deepEqual(all.problems, []);
    assert.equal(all.practices.length, 15971);
    assert.deepEqual(statusCounts(all.practices), { active: 12083, closed: 3503, dormant: 384, proposed: 1 });
    assert.deepEqual(
      all.practices.find((p) => p.odsCode === 'A81001'),
      DENSHAM,
    );

    const gp = parseEpraccur(text, { gpPracticesOnly: true });
    assert.deepEqual(gp.problems, []);
    assert.equal(gp.practices.length, 8647);
    assert.equal(gp.skipped, 15971 - 8647);
    assert.deepEqual(statusCounts(gp.practices), { active: 6750, closed: 1690, dormant: 207 });

    // The derived active-England subset (header row, ISO dates) reads the same as its source rows.
    const subset = parseEpraccur(read('gp_practices_active_england_2023-12.csv'));
    assert.deepEqual(subset.problems, []);
    assert.equal(subset.practices.length, 6348);
    const source = new Map(gp.practices.map((p) => [p.odsCode, p]));
    for (const p of subset.practices) assert.deepEqual(p, source.get(p.odsCode), p.odsCode);
    // Active GP practices in the 2023 file not in the England subset are the Welsh ones.
    assert.equal(gp.practices.filter((p) => p.status === 'active').length - subset.practices.length, 402);
  });
});
