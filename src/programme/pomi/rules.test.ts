import assert from 'node:assert/strict';
import { test } from 'node:test';
import { isPomiHeader, parsePomi, periodEnd } from './rules.ts';
import { longFile, wideFile, wideRow, WIDE_HEADER } from './test-files.ts';

test('a period end is read in the published, older and ISO spellings, only as a month’s last day', () => {
  assert.deepEqual(periodEnd('30APR2018'), { date: '2018-04-30' });
  assert.deepEqual(periodEnd('30-Apr-18'), { date: '2018-04-30' });
  assert.deepEqual(periodEnd('2019-03-31'), { date: '2019-03-31' });
  assert.deepEqual(periodEnd('29FEB2020'), { date: '2020-02-29' });
  assert.deepEqual(periodEnd('28FEB2019'), { date: '2019-02-28' });
  assert.match((periodEnd('28FEB2020') as { problem: string }).problem, /not the last day of a month/);
  assert.match((periodEnd('29FEB2019') as { problem: string }).problem, /not a real date/);
  assert.match((periodEnd('31APR2018') as { problem: string }).problem, /not a real date/);
  assert.match((periodEnd('30/04/2018') as { problem: string }).problem, /not a date like 30APR2018/);
});

test('the long format gathers a practice’s month from its rows; blank stays not reported; unknown fields are kept', () => {
  const f = parsePomi(
    longFile([
      ['30APR2018', 'B82007', 'Sys_Appts_Enbld', '2'],
      ['30APR2018', 'B82007', 'Pat_Appts_Enbld', '416'],
      ['30APR2018', 'B82007', 'patient_list_size', '5210'],
      ['30APR2018', 'B82007', 'Pat_Appts_Use', ''],
      ['30APR2018', 'B82007', 'Pat_Online_Consult', '7'],
      ['31MAY2018', 'B82007', 'Sys_Appts_Enbld', '1'],
    ]),
  );
  assert.equal(f.format, 'long');
  assert.deepEqual(f.problems, []);
  assert.equal(f.returns.length, 2);
  const [april, may] = f.returns;
  assert.ok(april && may);
  assert.equal(april.periodEnd, '2018-04-30');
  assert.equal(april.ccgCode, '02N');
  assert.equal(april.supplier, 'TPP');
  assert.equal(april.values.sys_appts_enbld, 2);
  assert.equal(april.values.pat_appts_enbld, 416);
  assert.equal(april.values.patient_list_size, 5210);
  assert.equal(april.values.pat_appts_use, null);
  assert.equal(april.values.sys_presc_enbld, null);
  assert.deepEqual(april.other, { Pat_Online_Consult: 7 });
  assert.equal(may.values.sys_appts_enbld, 1);
});

test('bad long rows are named by line (the header is line 1); a field given twice names its first line', () => {
  const f = parsePomi(
    longFile([
      ['30APR2018', 'B82007', 'Sys_Appts_Enbld', '2'],
      ['30APR2018', 'B82007', 'Sys_Appts_Enbld', '2'],
      ['31APR2018', 'B82007', 'Pat_Appts_Use', '3'],
      ['30APR2018', 'B82007', 'Pat_Appts_Use', '3.5'],
      ['30APR2018', 'B82007', 'Sys_Presc_Enbld', '5'],
      ['30APR2018', 'b8 2007', 'Total_Use', '1'],
    ]),
  );
  assert.deepEqual(
    f.problems.map((p) => [p.line, p.message]),
    [
      [3, 'Sys_Appts_Enbld for B82007 in the month ending 2018-04-30 repeats line 2'],
      [4, 'report_period_end: "31APR2018" is not a real date'],
      [5, 'Pat_Appts_Use: "3.5" is not a whole number'],
      [6, 'Sys_Presc_Enbld: "5" is not a system status (0, 1, 2 or 9)'],
      [7, 'practice_code: "b8 2007" is not an ODS code'],
    ],
  );
});

test('the wide format reads one practice-month a row, negatives as published, and names bad rows', () => {
  const good = wideRow('2018-04-30', 'A81001', [4086, 567, -1, 2, 566, 11, 2, 565, 208, 2, 5, 2, 220]);
  const f = parsePomi(
    wideFile([
      good,
      wideRow('2018-04-30', 'A81002', [19906, '', '', 1, '', '', '', '', '', '', '', '', '']),
      good,
      'x,y',
      wideRow('2018-04-31', 'A81003', [1, 1, 1, 2, 1, 1, 2, 1, 1, 2, 1, 1, 1]),
    ]),
  );
  assert.equal(f.format, 'wide');
  assert.equal(f.returns.length, 2);
  const [first, second] = f.returns;
  assert.ok(first && second);
  assert.equal(first.values.new_pat_enbld, -1);
  assert.equal(first.values.total_use, 220);
  assert.equal(second.values.total_pat_enbld, null);
  assert.equal(second.values.sys_appts_enbld, 1);
  assert.deepEqual(
    f.problems.map((p) => p.line),
    [4, 5, 6],
  );
  assert.match(f.problems[0]?.message ?? '', /A81001 in the month ending 2018-04-30 repeats line 2/);
  assert.match(f.problems[1]?.message ?? '', /expected 19 columns, found 2/);
  assert.match(f.problems[2]?.message ?? '', /not a real date/);
});

test('a wide file keeps columns it does not know by name', () => {
  const f = parsePomi(
    `${WIDE_HEADER},Pat_Online_Consult\n${wideRow('2018-04-30', 'A81001', Array(13).fill(1))},9\n`,
  );
  assert.deepEqual(f.problems, []);
  assert.deepEqual(f.returns[0]?.other, { Pat_Online_Consult: 9 });
});

test('a file that is not POMI is refused by its header, an empty one as empty', () => {
  assert.match(parsePomi('code,name\nA81001,X\n').problems[0]?.message ?? '', /not a POMI file/);
  assert.match(parsePomi('').problems[0]?.message ?? '', /empty/);
  assert.equal(parsePomi('\uFEFF' + wideFile([])).problems.length, 0);
});

test('a POMI header is told from the other CSV files published beside it', () => {
  assert.equal(isPomiHeader(WIDE_HEADER.split(',')), true);
  assert.equal(isPomiHeader(['report_period_end', 'practice_code', 'field', 'value']), true);
  assert.equal(isPomiHeader(['REPORT_PERIOD_END', 'PRACTICE_CODE', 'Sys_Presc_Enbld']), true);
  // The practice lookup is read for its names; the 2015 indicator-portal layout is not POMI's.
  assert.equal(isPomiHeader(['practice_code', 'practice_name', 'ccg_code', 'last_report_period_end']), true);
  assert.equal(isPomiHeader(['PeriodStart', 'PeriodEnd', 'GPPracticeCode', 'PatientsEnabled']), false);
  assert.equal(isPomiHeader(['report_period_end', 'practice_code', 'practice_name']), false);
});

test('names come from the long format and the practice lookup, with the level above; the wide files have none', () => {
  const long = parsePomi(longFile([['30APR2018', 'B82007', 'Sys_Appts_Enbld', '2']]));
  assert.deepEqual(
    long.areas.map((a) => [a.kind, a.code, a.name, a.parent]),
    [
      ['region', 'Y54', 'NORTH OF ENGLAND COMMISSIONING REGION', null],
      ['subregion', 'Q72', 'NHS ENGLAND NORTH (YORKSHIRE AND HUMBER)', 'Y54'],
      ['ccg', '02N', 'NHS Airedale, Wharfedale and Craven CCG', 'Q72'],
      ['practice', 'B82007', 'A PRACTICE', '02N'],
    ],
  );
  const lookup = parsePomi(
    'practice_code,practice_name,ccg_code,ccg_name,subregion_code,subregion_name,region_code,region_name,system_supplier,last_report_period_end\n' +
      'A81001,THE DENSHAM SURGERY,00K,NHS Hartlepool and Stockton-on-Tees CCG,Q74,NHS ENGLAND NORTH (CUMBRIA AND NORTH EAST),Y54,NORTH OF ENGLAND COMMISSIONING REGION,TPP,2019-03-31\n',
  );
  assert.equal(lookup.format, 'lookup');
  assert.deepEqual(lookup.returns, []);
  assert.equal(lookup.areas.find((a) => a.kind === 'practice')?.name, 'THE DENSHAM SURGERY');
  assert.equal(lookup.areas.find((a) => a.kind === 'ccg')?.parent, 'Q74');
  assert.deepEqual(parsePomi(wideFile([wideRow('2018-04-30', 'A81001', Array(13).fill(1))])).areas, []);
});

test('a field named like an object property is kept as any other; a short long-format row is named', () => {
  const f = parsePomi(
    longFile([
      ['30APR2018', 'B82007', 'constructor', '3'],
      ['30APR2018', 'B82007', 'toString', '4'],
    ]) + '30APR2018,Y54\r\n',
  );
  assert.deepEqual(f.returns[0]?.other, { constructor: 3, toString: 4 });
  assert.equal(f.problems.length, 1);
  assert.match(f.problems[0]?.message ?? '', /expected 12 columns, found 2/);
  assert.equal(isPomiHeader(['report_period_end', 'practice_code', 'toString']), false);
});
