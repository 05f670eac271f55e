import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  nominationProblem,
  odsDate,
  parseEdispensary,
  postcodeKey,
  searchTerm,
  tidyPostcode,
  UnreadableCsv,
} from './rules.ts';
import { row } from './test-fixtures.ts';

test('a published row reads as a pharmacy: code, name, address lines, postcode, phone, status, dates', () => {
  const r = parseEdispensary(
    `${row()}\r\n${row({ 1: 'FB456', 2: 'HEADCORN PHARMACY', 10: 'tn27 9aa', 13: 'C', 12: '20240331' })}\r\n`,
  );
  assert.deepEqual(r.problems, []);
  assert.deepEqual(r.pharmacies[0], {
    odsCode: 'FA123',
    name: 'ROWLANDS PHARMACY',
    addressLines: ['61 ARUNDEL AVENUE', 'HAZEL GROVE', 'STOCKPORT'],
    postcode: 'SK7 5LD',
    phone: '0161 4838729',
    status: 'active',
    openDate: '2006-06-01',
    closeDate: null,
  });
  assert.equal(r.pharmacies[1]?.postcode, 'TN27 9AA');
  assert.equal(r.pharmacies[1].status, 'closed');
  assert.equal(r.pharmacies[1].closeDate, '2024-03-31');
});

test('newer extracts spell the status in full; a byte-order mark and blank lines are ignored', () => {
  const r = parseEdispensary(`\uFEFF${row({ 13: 'ACTIVE' })}\n\n${row({ 1: 'FC789', 13: 'DORMANT' })}\n`);
  assert.deepEqual(r.problems, []);
  assert.deepEqual(
    r.pharmacies.map((p) => p.status),
    ['active', 'dormant'],
  );
});

test('each bad row is a problem naming its line and column; good rows still read', () => {
  const lines = [
    row(),
    row({ 1: 'F A1' }), // line 2: not a code
    row({ 1: 'FD001', 2: '' }), // 3: no name
    row({ 1: 'FD002', 11: '20230229' }), // 4: 29 February in a year that has none
    row({ 1: 'FD003', 13: 'X' }), // 5: unknown status
    '"FD004","SHORT ROW"', // 6: wrong number of columns
    row({ 1: 'fa123' }), // 7: repeats line 1 (codes compared upper-cased)
    row({ 1: 'FD005', 11: '20240229' }), // 8: 29 February 2024 is a real day
  ];
  const r = parseEdispensary(lines.join('\n'));
  assert.deepEqual(
    r.pharmacies.map((p) => p.odsCode),
    ['FA123', 'FD005'],
  );
  assert.equal(r.pharmacies[1]?.openDate, '2024-02-29');
  assert.deepEqual(
    r.problems.map((p) => p.line),
    [2, 3, 4, 5, 6, 7],
  );
  assert.match(r.problems[0]?.message ?? '', /column 1 \(Organisation Code\): "F A1" is not an ODS code/);
  assert.match(r.problems[1]?.message ?? '', /column 2 \(Name\) is empty/);
  assert.match(r.problems[2]?.message ?? '', /column 11 \(Open Date\): "20230229" is not a YYYYMMDD date/);
  assert.match(r.problems[3]?.message ?? '', /column 13 \(Status Code\): unknown status "X"/);
  assert.match(r.problems[4]?.message ?? '', /expected 27 columns, found 2/);
  assert.match(r.problems[5]?.message ?? '', /FA123 repeats line 1/);
});

test('a header row is named as a problem: the published file has none', () => {
  const r = parseEdispensary(`"Organisation Code","Name"\n${row()}`);
  assert.equal(r.problems[0]?.line, 1);
  assert.match(r.problems[0].message, /header row/);
  assert.equal(r.pharmacies.length, 1);
});

test('text that is not CSV (a quote never closed) is refused whole, naming the line', () => {
  assert.throws(
    () => parseEdispensary(`${row()}\n"FA999,"BROKEN\n`),
    (err: unknown) =>
      err instanceof UnreadableCsv && err.problem.line >= 2 && /CSV syntax error/.test(err.message),
  );
});

test('dates: YYYYMMDD and ISO, blank is null, impossible days are not dates', () => {
  assert.equal(odsDate('20261208'), '2026-12-08');
  assert.equal(odsDate('2026-12-08'), '2026-12-08');
  assert.equal(odsDate(' '), null);
  assert.equal(odsDate('20261301'), undefined);
  assert.equal(odsDate('20250229'), undefined);
  assert.equal(odsDate('20280229'), '2028-02-29');
  assert.equal(odsDate('8 Dec 2026'), undefined);
});

test('postcodes: tidied to one space, keyed without spaces', () => {
  assert.equal(tidyPostcode(' pr56jd '), 'PR5 6JD');
  assert.equal(tidyPostcode('SW1A  1AA'), 'SW1A 1AA');
  assert.equal(tidyPostcode('not one'), 'NOT ONE');
  assert.equal(postcodeKey('PR5 6JD'), 'PR56JD');
  assert.equal(postcodeKey(null), null);
  assert.equal(postcodeKey('  '), null);
});

test('a search term: a full postcode, a district, words of a name; any may be an ODS code', () => {
  assert.deepEqual(searchTerm('pr5 6jd'), {
    kind: 'postcode',
    key: 'PR56JD',
    outward: 'PR5',
    code: null,
    name: 'pr5 6jd',
  });
  assert.deepEqual(searchTerm(' PR5 '), { kind: 'outward', outward: 'PR5', code: 'PR5', name: 'pr5' });
  assert.deepEqual(searchTerm('fa123'), { kind: 'text', code: 'FA123', name: 'fa123' });
  assert.deepEqual(searchTerm('Bamber   Bridge'), { kind: 'text', code: null, name: 'bamber bridge' });
  assert.deepEqual(searchTerm('  '), { kind: 'empty' });
  assert.deepEqual(searchTerm('x'.repeat(101)), { kind: 'too-long' });
  assert.equal(searchTerm('x'.repeat(100)).kind, 'text');
});

test('a pharmacy can be nominated while open: not before it opens, not on or after the day it closes', () => {
  const open = { status: 'active' as const, openDate: '2026-12-08', closeDate: '2026-12-31' };
  assert.match(nominationProblem(open, '2026-12-07') ?? '', /not open yet/);
  assert.equal(nominationProblem(open, '2026-12-08'), null);
  assert.equal(nominationProblem(open, '2026-12-30'), null);
  assert.match(nominationProblem(open, '2026-12-31') ?? '', /closed/);
  assert.match(
    nominationProblem({ ...open, status: 'closed', closeDate: null }, '2026-12-10') ?? '',
    /closed/,
  );
  assert.match(
    nominationProblem({ ...open, status: 'dormant', closeDate: null }, '2026-12-10') ?? '',
    /closed/,
  );
  assert.equal(nominationProblem({ status: 'active', openDate: null, closeDate: null }, '2028-02-29'), null);
});
