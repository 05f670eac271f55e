// How the epraccur reader copes with real-world CSV: quoting, line endings, bad rows, headers.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseEpraccur } from './rules.ts';
import { cells, DENSHAM, quoted, row } from './epraccur-samples.ts';

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
