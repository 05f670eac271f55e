import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { isOdsCode, odsDateToIso, parseEpraccur, practiceStatusFromCode } from './rules.ts';
import type { PracticeRecord, PracticeStatus } from './rules.ts';

// --- Inline samples ----------------------------------------------------------------------------

/** A real-looking 27-column epraccur row (A81001, Dec 2023), with 1-based column overrides. */
function cells(overrides: Record<number, string> = {}): string[] {
  const base = [
    'A81001',
    'THE DENSHAM SURGERY',
    'Y63',
    'QHM',
    'THE HEALTH CENTRE',
    'LAWSON STREET',
    'STOCKTON ON TEES',
    'CLEVELAND',
    '',
    'TS18 1HU',
    '19740401',
    '',
    'A',
    'B',
    '16C',
    '20200401',
    '',
    '01642 672351',
    '',
    '',
    '',
    '0',
    '',
    '16C',
    '',
    '4',
    '',
  ];
  for (const [col, value] of Object.entries(overrides)) base[Number(col) - 1] = value;
  return base;
}

const quoted = (cs: string[]): string => cs.map((c) => `"${c.replaceAll('"', '""')}"`).join(',');
const row = (overrides: Record<number, string> = {}): string => quoted(cells(overrides));

const DENSHAM: PracticeRecord = {
  odsCode: 'A81001',
  name: 'THE DENSHAM SURGERY',
  addressLines: ['THE HEALTH CENTRE', 'LAWSON STREET', 'STOCKTON ON TEES', 'CLEVELAND'],
  postcode: 'TS18 1HU',
  commissionerCode: '16C',
  status: 'active',
  prescribingSetting: 4,
  openDate: '1974-04-01',
  closeDate: null,
  phone: '01642 672351',
};

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

test('reads quoted fields with commas, doubled quotes and line breaks; CRLF, BOM and blank lines', () => {
  const text =
    '\uFEFF' +
    [
      row({ 2: 'PARK SURGERY, ONE LIFE', 6: '7 TRINITY MEWS,N. ORMESBY', 7: 'THE "OLD" MILL' }),
      '',
      row({ 1: 'A81002', 5: 'LINE ONE\nLINE ONE CONTINUED' }),
      row({ 1: 'A81003', 26: 'bad' }),
    ].join('\r\n') +
    '\r\n\r\n';
  const r = parseEpraccur(text);
  assert.equal(r.practices.length, 2);
  const first = r.practices[0]!;
  const second = r.practices[1]!;
  assert.equal(first.odsCode, 'A81001');
  assert.equal(first.name, 'PARK SURGERY, ONE LIFE');
  assert.deepEqual(first.addressLines, [
    'THE HEALTH CENTRE',
    '7 TRINITY MEWS,N. ORMESBY',
    'THE "OLD" MILL',
    'CLEVELAND',
  ]);
  assert.equal(second.addressLines[0], 'LINE ONE\nLINE ONE CONTINUED');
  // Line 1: first row, line 2 blank, lines 3-4 the two-line row, line 5 the bad row.
  assert.deepEqual(
    r.problems.map((p) => p.line),
    [5],
  );
});

test('unquoted rows parse too', () => {
  const r = parseEpraccur(cells().join(','));
  assert.deepEqual(r.practices, [DENSHAM]);
});

test('bad rows become problems naming the column; the rest of the file is still read', () => {
  const lines = [
    row({ 1: 'A00001' }), // 1 good
    quoted(cells().slice(0, 26)), // 2 too few columns
    quoted([...cells({ 1: 'A00003' }), '']), // 3 too many columns
    row({ 1: 'A8!001' }), // 4 bad code
    row({ 1: 'AB' }), // 5 code too short
    row({ 1: '' }), // 6 empty code
    row({ 1: 'A00007', 11: '19741301' }), // 7 bad open date
    row({ 1: 'A00008', 12: '2017-02-30' }), // 8 bad close date
    row({ 1: 'A00009', 13: 'X' }), // 9 unknown status
    row({ 1: 'A00010', 13: '' }), // 10 empty status
    row({ 1: 'A00011', 26: 'GP' }), // 11 non-numeric setting
    row({ 1: 'A00012', 2: '  ' }), // 12 empty name
    row({ 1: 'A00013', 11: 'soon', 13: 'Z' }), // 13 two problems
    row({ 1: 'A00001' }), // 14 duplicate of line 1
    row({ 1: 'A00015' }), // 15 good
  ];
  const r = parseEpraccur(lines.join('\n'));
  assert.deepEqual(
    r.practices.map((p) => p.odsCode),
    ['A00001', 'A00015'],
  );
  const byLine = new Map(r.problems.map((p) => [p.line, p.message]));
  assert.deepEqual([...byLine.keys()], [2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14]);
  assert.equal(r.problems.length, 13, 'one problem per bad row');
  assert.match(byLine.get(2)!, /expected 27 columns, found 26/);
  assert.match(byLine.get(3)!, /expected 27 columns, found 28/);
  assert.match(byLine.get(4)!, /column 1 \(Organisation Code\): "A8!001" is not an ODS code/);
  assert.match(byLine.get(5)!, /column 1 \(Organisation Code\): "AB"/);
  assert.match(byLine.get(6)!, /column 1 \(Organisation Code\): "" is not an ODS code/);
  assert.match(byLine.get(7)!, /column 11 \(Open Date\): "19741301" is not a valid YYYYMMDD date/);
  assert.match(byLine.get(8)!, /column 12 \(Close Date\): "2017-02-30" is not a valid/);
  assert.match(byLine.get(9)!, /column 13 \(Status Code\): unknown status "X"/);
  assert.match(byLine.get(10)!, /column 13 \(Status Code\): unknown status ""/);
  assert.match(byLine.get(11)!, /column 26 \(Prescribing Setting\): "GP" is not a whole number/);
  assert.match(byLine.get(12)!, /column 2 \(Name\) is empty/);
  assert.match(byLine.get(13)!, /column 11 \(Open Date\).*; column 13 \(Status Code\)/);
  assert.match(byLine.get(14)!, /column 1 \(Organisation Code\): A00001 repeats the row on line 1/);
});

test('a CSV syntax error is a problem on its line, not a rejected file', () => {
  const text = [
    row(),
    quoted(cells({ 1: 'A00002' })).replace('"A00002"', '"A00002"x'),
    row({ 1: 'A00003' }),
  ].join('\n');
  const r = parseEpraccur(text);
  assert.deepEqual(
    r.practices.map((p) => p.odsCode),
    ['A81001', 'A00003'],
  );
  assert.equal(r.problems.length, 1);
  assert.equal(r.problems[0]!.line, 2);
  assert.match(r.problems[0]!.message, /CSV syntax error/);
});

test('an unclosed quote loses only its own line', () => {
  const text = [
    row(),
    '"A00002","NEVER CLOSED,Y63',
    '',
    row({ 1: 'A00004' }),
    row({ 1: 'A00005' }),
    '"A00006',
  ].join('\r\n');
  const r = parseEpraccur(text);
  assert.deepEqual(
    r.practices.map((p) => p.odsCode),
    ['A81001', 'A00004', 'A00005'],
  );
  assert.deepEqual(
    r.problems.map((p) => p.line),
    [2, 6],
  );
  for (const p of r.problems) assert.match(p.message, /^CSV syntax error: /);
});

test('text that is not CSV at all stops after 100 syntax errors', () => {
  const text = Array.from({ length: 300 }, (_, i) => `A${String(i).padStart(5, '0')}"x`).join('\n');
  const r = parseEpraccur(text);
  assert.deepEqual(r.practices, []);
  assert.equal(r.problems.length, 101);
  assert.equal(r.problems[99]!.line, 100);
  assert.deepEqual(r.problems[100], {
    line: 101,
    message: 'CSV syntax error: 100 unreadable records, so the file was not read from here on',
  });
});

test('a bad code in the first row is a problem, not mistaken for a header', () => {
  const r = parseEpraccur([row({ 1: 'a81 001' }), row({ 1: 'A00002' })].join('\n'));
  assert.deepEqual(
    r.practices.map((p) => p.odsCode),
    ['A00002'],
  );
  assert.equal(r.problems[0]!.line, 1);
  assert.match(r.problems[0]!.message, /column 1 \(Organisation Code\)/);
});

test('gpPracticesOnly keeps prescribing setting 4 and counts the rest as skipped', () => {
  const text = [
    row({ 1: 'A00001', 26: '4' }),
    row({ 1: 'A00002', 26: '0' }),
    row({ 1: 'A00003', 26: '25' }),
    row({ 1: 'A00004', 26: '' }),
    row({ 1: 'A00005', 13: 'C', 12: '20200101', 26: '4' }),
    row({ 1: 'A00006', 26: 'X' }), // bad: a problem, not skipped
  ].join('\n');
  const all = parseEpraccur(text);
  assert.equal(all.practices.length, 5);
  assert.equal(all.skipped, 0);
  assert.deepEqual(
    all.practices.map((p) => p.prescribingSetting),
    [4, 0, 25, null, 4],
  );
  const gp = parseEpraccur(text, { gpPracticesOnly: true });
  assert.deepEqual(
    gp.practices.map((p) => p.odsCode),
    ['A00001', 'A00005'],
  );
  assert.equal(gp.skipped, 3);
  assert.equal(gp.problems.length, 1);
  assert.equal(gp.problems[0]?.line, 6);
});

test('empty input gives an empty result', () => {
  for (const text of ['', '\n\n', '\uFEFF', '\r\n']) {
    assert.deepEqual(parseEpraccur(text), { practices: [], problems: [], skipped: 0 });
  }
});

test('a file with a recognised header is read by column name', () => {
  const header =
    'practice_code,practice_name,nhs_region_code,icb_code,sub_icb_location_code,address_line_1,address_line_2,' +
    'address_line_3,address_line_4,address_line_5,postcode,open_date,status_code,phone,prescribing_setting';
  const text = [
    header,
    'A81001,THE DENSHAM SURGERY,Y63,QHM,16C,THE HEALTH CENTRE,LAWSON STREET,STOCKTON ON TEES,CLEVELAND,,TS18 1HU,1974-04-01,A,01642 672351,4',
    'A81002,"PARK SURGERY, ONE LIFE",Y63,QHM,16C,,,,,,,1974-02-30,A,,4',
    'A81003,TOO SHORT',
  ].join('\n');
  const r = parseEpraccur(text);
  assert.deepEqual(r.practices, [DENSHAM]);
  assert.deepEqual(
    r.problems.map((p) => p.line),
    [3, 4],
  );
  assert.match(r.problems[0]?.message ?? '', /column 12 \("open_date"\): "1974-02-30" is not a valid/);
  assert.match(r.problems[1]?.message ?? '', /expected 15 columns, found 2/);
});

test('a header that does not name the needed columns is rejected as not an epraccur file', () => {
  for (const text of [
    'Organisation Code,Name,Status\nA81001,THE DENSHAM SURGERY,A\n',
    'code,practice_name,status_code\nA81001,X,A\n',
    'PUBLICATION,EXTRACT_DATE,TYPE,CCG_CODE,ONS_CCG_CODE,CODE,POSTCODE,SEX,AGE,NUMBER_OF_PATIENTS\n',
  ]) {
    assert.throws(
      () => parseEpraccur(text),
      (err: unknown) => {
        assert.ok(err instanceof Error);
        assert.match(err.message, /has a header row/);
        assert.match(err.message, /not an ODS epraccur file/);
        return true;
      },
      text,
    );
  }
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
