import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { ChildTotals } from '../figures.ts';
import type { ServiceTotals } from '../summary-rules.ts';
import { pcnTotals, practiceTable, uptakeOf } from './practice-table.ts';

const service = (offering: boolean): ServiceTotals => ({
  practicesOffering: offering ? 1 : 0,
  practicesReporting: 1,
  patientsEnabled: null,
  enabledListSize: null,
  transactions: null,
  transactionsListSize: null,
});

function practice(
  code: string,
  o: {
    name?: string;
    supplier?: string;
    offers?: [boolean, boolean, boolean];
    enabled?: number | null;
    list?: number;
    imd?: { score: number; quintile: number };
  },
): ChildTotals {
  const [a, p, d] = o.offers ?? [true, true, true];
  return {
    code,
    name: o.name ?? code,
    supplier: o.supplier ?? 'EMIS',
    month: '2019-03',
    basis: 'pomi',
    practices: 1,
    listSize: o.list ?? 1000,
    patientsEnabledAny: o.enabled === undefined ? 100 : o.enabled,
    enabledAnyListSize: o.enabled === null ? null : (o.list ?? 1000),
    transactions: null,
    transactionsListSize: null,
    services: { appointments: service(a), prescriptions: service(p), detailedCodedRecord: service(d) },
    profile: o.imd
      ? { pcn: null, listSize: null, imd: { score: o.imd.score, year: 2019, quintile: o.imd.quintile } }
      : null,
  };
}

const P = [
  practice('A1', { name: 'Beech', supplier: 'TPP', enabled: 50, imd: { score: 45, quintile: 1 } }),
  practice('A2', { name: 'Ash', offers: [true, true, false], enabled: 250, imd: { score: 12, quintile: 5 } }),
  practice('A3', { name: 'Cedar', offers: [false, false, false], enabled: null, list: 9000 }),
  practice('A4', { name: 'Alder', enabled: 100, list: 400, imd: { score: 30, quintile: 2 } }),
];
const codes = (f: Parameters<typeof practiceTable>[1]) => practiceTable(P, f).rows.map((r) => r.code);

test('by name unless asked; suppliers offered from the practices themselves', () => {
  assert.deepEqual(codes({}), ['A4', 'A2', 'A1', 'A3']);
  assert.deepEqual(practiceTable(P, {}).suppliers, ['EMIS', 'TPP']);
  assert.equal(practiceTable(P, {}).of, 4);
});

test('filters: supplier, services offered, uptake band (edges), deprivation fifth', () => {
  assert.deepEqual(codes({ supplier: 'TPP' }), ['A1']);
  assert.deepEqual(codes({ offers: 'all-three' }), ['A4', 'A1']);
  assert.deepEqual(codes({ offers: 'missing-any' }), ['A2', 'A3']);
  assert.deepEqual(codes({ offers: 'detailedCodedRecord' }), ['A4', 'A1']);
  // A1 5%, A2 25% (the lower edge of its band), A4 25%; A3 not reported is in no band.
  assert.deepEqual(codes({ uptake: 'under-10' }), ['A1']);
  assert.deepEqual(codes({ uptake: '10-to-25' }), []);
  assert.deepEqual(codes({ uptake: '25-to-50' }), ['A4', 'A2']);
  assert.deepEqual(codes({ imd: 1 }), ['A1']);
  assert.deepEqual(codes({ imd: 3 }), []);
  assert.deepEqual(codes({ supplier: 'EMIS', offers: 'all-three' }), ['A4']);
});

test('sorts: not reported last either way, ties by name', () => {
  assert.equal(uptakeOf(P[2]!), null);
  assert.deepEqual(codes({ sort: 'uptake-low' }), ['A1', 'A4', 'A2', 'A3']);
  assert.deepEqual(codes({ sort: 'uptake-high' }), ['A4', 'A2', 'A1', 'A3']);
  assert.deepEqual(codes({ sort: 'list-size' }), ['A3', 'A2', 'A1', 'A4']);
  assert.deepEqual(codes({ sort: 'deprived' }), ['A1', 'A4', 'A2', 'A3']);
});

test('a CCG’s practices by PCN: offering over those reporting, uptake over the lists reporting, no PCN last', () => {
  const inPcn = (p: ChildTotals, code: string | null, name: string | null): ChildTotals => ({
    ...p,
    profile: { pcn: code ? { code, name } : null, listSize: null, imd: null },
  });
  const [a1, a2, a3, a4] = P as [ChildTotals, ChildTotals, ChildTotals, ChildTotals];
  const rows = pcnTotals([
    inPcn(a1, 'U2', 'WEST PCN'),
    inPcn(a2, 'U1', 'EAST PCN'),
    inPcn(a3, 'U1', 'EAST PCN'),
    inPcn(a4, null, null),
  ]);
  assert.deepEqual(
    rows.map((r) => [r.code, r.practices, r.listSize]),
    [
      ['U1', 2, 10000],
      ['U2', 1, 1000],
      [null, 1, 400],
    ],
  );
  const east = rows[0]!;
  assert.deepEqual(east.services.detailedCodedRecord, { offering: 0, reporting: 2 });
  assert.deepEqual(east.services.appointments, { offering: 1, reporting: 2 });
  // Cedar reported no uptake: East's uptake is Ash's alone.
  assert.deepEqual(east.enabledAny, { patients: 250, listSize: 1000 });
});
