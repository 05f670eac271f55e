import assert from 'node:assert/strict';
import { test } from 'node:test';
import { historyRows, nominationJson, pharmacyRows, pharmacyView } from './present.ts';

const row = {
  ods_code: 'FDE01',
  name: 'BAMBER BRIDGE DEMO PHARMACY',
  address_lines: ['12 STATION ROAD', 'PRESTON'],
  postcode: 'PR5 6QR',
  phone: null,
  status: 'active' as const,
  open_date: null,
  close_date: null,
};

test('a pharmacy: one line of address ending in the postcode; what is not known says so', () => {
  const v = pharmacyView(row);
  assert.deepEqual(v, {
    odsCode: 'FDE01',
    name: 'BAMBER BRIDGE DEMO PHARMACY',
    address: '12 STATION ROAD, PRESTON, PR5 6QR',
    phone: null,
  });
  assert.deepEqual(
    pharmacyRows(pharmacyView({ ...row, address_lines: [], postcode: null })).map((r) => r.value.text),
    ['BAMBER BRIDGE DEMO PHARMACY', 'Not known', 'Not known', 'FDE01'],
  );
});

test('history rows: first nomination, a change, a removal; by the patient or the practice', () => {
  const at = new Date('2026-06-01T09:05:00Z'); // summer time: 10:05 in England
  const rows = historyRows([
    { changed_at: at, pharmacy_ods: 'FDE02', pharmacy_name: 'B', previous_ods: 'FDE01', by_patient: true },
    { changed_at: at, pharmacy_ods: 'FDE01', pharmacy_name: 'A', previous_ods: null, by_patient: false },
    { changed_at: at, pharmacy_ods: null, pharmacy_name: null, previous_ods: 'FDE02', by_patient: false },
  ]);
  assert.deepEqual(
    rows.map((r) => r.map((c) => c.text)),
    [
      ['1 June 2026 at 10:05', 'Changed to B (FDE02)', 'You, online'],
      ['1 June 2026 at 10:05', 'Nominated A (FDE01)', 'Your GP practice'],
      ['1 June 2026 at 10:05', 'Nomination removed', 'Your GP practice'],
    ],
  );
});

test('JSON: the nomination or null, and whether it can be changed', () => {
  assert.deepEqual(nominationJson(null, false), { nominated: null, can_change: false });
  const at = new Date('2026-12-08T10:00:00Z');
  assert.deepEqual(nominationJson({ ...row, nominated_at: at, version: 3 }, true), {
    nominated: {
      ods_code: 'FDE01',
      name: 'BAMBER BRIDGE DEMO PHARMACY',
      address_lines: ['12 STATION ROAD', 'PRESTON'],
      postcode: 'PR5 6QR',
      phone: null,
      nominated_at: '2026-12-08T10:00:00.000Z',
    },
    can_change: true,
  });
});
