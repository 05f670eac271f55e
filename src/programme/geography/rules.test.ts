import assert from 'node:assert/strict';
import { test } from 'node:test';
import { extractDay, imdQuintile, parseGeography, practiceFileKind } from './rules.ts';

const MAP_HEADER =
  'PUBLICATION,EXTRACT_DATE,PRACTICE_CODE,PRACTICE_NAME,PRACTICE_POSTCODE,PCN_CODE,PCN_NAME,ONS_CCG_CODE,CCG_CODE,CCG_NAME,ONS_STP_CODE,STP_CODE,STP_NAME,ONS_COMM_REGION_CODE,COMM_REGION_CODE,COMM_REGION_NAME';
const mapRow = (practice: string, pcn: string, pcnName: string, date = '01-Sep-20') =>
  `GP_PRAC_PAT_LIST,${date},${practice},A SURGERY,TS18 1HU,${pcn},${pcnName},E38000247,16C,NHS Tees Valley CCG,E54000050,QHM,Cumbria and North East,E40000009,Y63,North East and Yorkshire`;
const LIST_HEADER =
  'PUBLICATION,EXTRACT_DATE,TYPE,CCG_CODE,ONS_CCG_CODE,CODE,POSTCODE,SEX,AGE,NUMBER_OF_PATIENTS';
const IMD_HEADER =
  'Indicator ID,Indicator Name,Parent Code,Parent Name,Area Code,Area Name,Area Type,Sex,Age,Category Type,Category,Time period,Value';
const imdRow = (code: string, type: string, value: string, indicator = '93553', year = '2019') =>
  `${indicator},Deprivation score (IMD 2019),,,${code},X,${type},Persons,All ages,,,${year},${value}`;

test('each file is told by its first line; epraccur has no header', () => {
  assert.equal(practiceFileKind(`${MAP_HEADER}\n`), 'map');
  assert.equal(practiceFileKind(`${LIST_HEADER}\r\n`), 'list-sizes');
  assert.equal(practiceFileKind(`\uFEFF${IMD_HEADER}\n`), 'imd');
  assert.equal(practiceFileKind('"A81001","THE DENSHAM SURGERY","Y63"\n'), 'epraccur');
});

test('extract dates as the publications write them', () => {
  assert.equal(extractDay('01-Sep-20'), '2020-09-01');
  assert.equal(extractDay('01JAN2021'), '2021-01-01');
  assert.equal(extractDay('2024-02-29'), '2024-02-29');
  assert.equal(extractDay('29-Feb-23'), null);
  assert.equal(extractDay('1 Sep 2020'), null);
});

test('the map: PCN per practice, names of every level with their parents; "U" is no PCN', () => {
  const f = parseGeography(
    [MAP_HEADER, mapRow('A81001', 'U89141', 'STOCKTON PCN'), mapRow('A84035', 'U', 'Unallocated')].join(
      '\r\n',
    ),
    'map',
  );
  assert.deepEqual(f.problems, []);
  assert.equal(f.on, '2020-09-01');
  assert.deepEqual(
    f.profiles.map((p) => [p.practiceOds, p.pcnCode]),
    [
      ['A81001', 'U89141'],
      ['A84035', undefined],
    ],
  );
  const pcn = f.areas.find((a) => a.kind === 'pcn');
  assert.deepEqual(pcn, { kind: 'pcn', code: 'U89141', name: 'STOCKTON PCN', parent: '16C' });
  assert.deepEqual(
    f.areas.filter((a) => a.kind !== 'practice' && a.kind !== 'pcn').map((a) => [a.kind, a.code, a.parent]),
    [
      ['region', 'Y63', null],
      ['subregion', 'QHM', 'Y63'],
      ['ccg', '16C', 'QHM'],
    ],
  );
  assert.equal(f.areas.filter((a) => a.kind === 'pcn').length, 1, 'no area for "Unallocated"');
});

test('the map: bad codes, dates, repeats and a mixed extract are named by line', () => {
  const f = parseGeography(
    [
      MAP_HEADER,
      mapRow('A81001', 'U89141', 'P'),
      mapRow('not ods', 'U89141', 'P'),
      mapRow('A81002', 'U89141', 'P', '31-Sep-20'),
      mapRow('A81001', 'U89141', 'P'),
      mapRow('A81003', 'U89141', 'P', '01-Oct-20'),
    ].join('\n'),
    'map',
  );
  assert.deepEqual(
    f.problems.map((p) => p.line),
    [3, 4, 5, 6],
  );
  assert.match(f.problems[0]?.message ?? '', /PRACTICE_CODE "not ods" is not an ODS code/);
  assert.match(f.problems[1]?.message ?? '', /EXTRACT_DATE "31-Sep-20"/);
  assert.match(f.problems[2]?.message ?? '', /A81001 is already on line 2/);
  assert.match(f.problems[3]?.message ?? '', /differs from "2020-09-01"/);
  const noPcn = parseGeography('PRACTICE_CODE,NAME\nA81001,X\n', 'map');
  assert.match(noPcn.problems[0]?.message ?? '', /the header has no EXTRACT_DATE, PRACTICE_NAME, PCN_CODE/);
});

test('list sizes: the all-patients rows only, whole numbers', () => {
  const f = parseGeography(
    [
      LIST_HEADER,
      'GP_PRAC_PAT_LIST,01JAN2021,GP,00L,E38000130,A84002,NE65 7UW,ALL,ALL,5903',
      'GP_PRAC_PAT_LIST,01JAN2021,GP,00L,E38000130,A84002,NE65 7UW,MALE,ALL,2903',
      'GP_PRAC_PAT_LIST,01JAN2021,GP,00L,E38000130,A84003,NE63 9UT,ALL,ALL,14738',
    ].join('\n'),
    'list-sizes',
  );
  assert.deepEqual(f.problems, []);
  assert.equal(f.on, '2021-01-01');
  assert.deepEqual(
    f.profiles.map((p) => [p.practiceOds, p.listSize]),
    [
      ['A84002', 5903],
      ['A84003', 14738],
    ],
  );
  const bad = parseGeography(
    `${LIST_HEADER}\nGP_PRAC_PAT_LIST,01JAN2021,GP,00L,E,A84002,X,ALL,ALL,59.5\n`,
    'list-sizes',
  );
  assert.match(bad.problems[0]?.message ?? '', /NUMBER_OF_PATIENTS "59.5" is not a whole number/);
});

test('IMD: practices only (not England), blank not scored, another indicator refused', () => {
  const f = parseGeography(
    [
      IMD_HEADER,
      imdRow('E92000001', 'England', '21.72'),
      imdRow('A81001', 'GP', '32.3609392614188'),
      imdRow('A81002', 'GP', ''),
    ].join('\n'),
    'imd',
  );
  assert.deepEqual(f.problems, []);
  assert.equal(f.year, 2019);
  assert.deepEqual(
    f.profiles.map((p) => [p.practiceOds, p.imdScore]),
    [['A81001', 32.361]],
  );
  const other = parseGeography([IMD_HEADER, imdRow('A81001', 'GP', '3', '90453')].join('\n'), 'imd');
  assert.match(other.problems[0]?.message ?? '', /indicator "90453" is not 93553/);
  const high = parseGeography([IMD_HEADER, imdRow('A81001', 'GP', '101')].join('\n'), 'imd');
  assert.match(high.problems[0]?.message ?? '', /not a deprivation score from 0 to 100/);
});

test('deprivation fifths: 1 the most deprived, edges inclusive, none without a score', () => {
  const cuts = [40, 30, 20, 10];
  assert.equal(imdQuintile(45, cuts), 1);
  assert.equal(imdQuintile(40, cuts), 1);
  assert.equal(imdQuintile(39.999, cuts), 2);
  assert.equal(imdQuintile(10, cuts), 4);
  assert.equal(imdQuintile(9.9, cuts), 5);
  assert.equal(imdQuintile(null, cuts), null);
  assert.equal(imdQuintile(20, []), null);
});
