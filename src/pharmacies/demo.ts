// Demo pharmacies: made-up pharmacies (codes in a demo-only FD… range, invented names and
// street numbers) near each demo practice, so a demo patient's postcode search finds some.
// One near the first practice is closed, so a search shows that closed ones are not offered.
import type { Db } from '../platform/db/index.ts';
import type { Clock } from '../platform/clock.ts';
import type { PharmacyRecord } from './rules.ts';
import { savePharmacies } from './service.ts';

const open = (p: Omit<PharmacyRecord, 'status' | 'closeDate'>): PharmacyRecord => ({
  ...p,
  status: 'active',
  closeDate: null,
});

/** The demo pharmacies, by the demo practice (ODS code) they are near. */
export const DEMO_PHARMACIES_NEAR: Record<string, readonly PharmacyRecord[]> = {
  // THE RYAN MEDICAL CENTRE, PR5 6JD
  P81082: [
    open({
      odsCode: 'FDE01',
      name: 'BAMBER BRIDGE DEMO PHARMACY',
      addressLines: ['12 STATION ROAD', 'BAMBER BRIDGE', 'PRESTON'],
      postcode: 'PR5 6QR',
      phone: '01772 000101',
      openDate: '1998-04-01',
    }),
    open({
      odsCode: 'FDE02',
      name: "ST MARY'S DEMO CHEMIST",
      addressLines: ["3 ST MARY'S ROAD", 'BAMBER BRIDGE', 'PRESTON'],
      postcode: 'PR5 6JD',
      phone: '01772 000102',
      openDate: '2004-10-01',
    }),
    {
      odsCode: 'FDE03',
      name: 'OLD MILL DEMO PHARMACY',
      addressLines: ['40 OLD MILL LANE', 'BAMBER BRIDGE', 'PRESTON'],
      postcode: 'PR5 6SX',
      phone: null,
      status: 'closed',
      openDate: '1990-01-01',
      closeDate: '2024-03-31',
    },
  ],
  // AUDLEM MEDICAL PRACTICE, CW3 0AH
  N81001: [
    open({
      odsCode: 'FDE11',
      name: 'AUDLEM DEMO PHARMACY',
      addressLines: ['5 CHESHIRE STREET', 'AUDLEM', 'CREWE'],
      postcode: 'CW3 0AH',
      phone: '01270 000111',
      openDate: '1985-06-01',
    }),
    open({
      odsCode: 'FDE12',
      name: 'NANTWICH ROAD DEMO CHEMIST',
      addressLines: ['88 NANTWICH ROAD', 'AUDLEM', 'CREWE'],
      postcode: 'CW3 0DL',
      phone: '01270 000112',
      openDate: '2011-02-01',
    }),
  ],
  // THE MARGARET THOMPSON MED CENTRE, L24 6TH
  N82001: [
    open({
      odsCode: 'FDE21',
      name: 'SPEKE DEMO PHARMACY',
      addressLines: ['101 EAST MILLWOOD ROAD', 'LIVERPOOL'],
      postcode: 'L24 6TH',
      phone: '0151 000 0121',
      openDate: '2001-09-01',
    }),
    open({
      odsCode: 'FDE22',
      name: 'HALE ROAD DEMO CHEMIST',
      addressLines: ['7 HALE ROAD', 'SPEKE', 'LIVERPOOL'],
      postcode: 'L24 5RB',
      phone: '0151 000 0122',
      openDate: '2015-05-01',
    }),
  ],
};

export const DEMO_PHARMACIES: readonly PharmacyRecord[] = Object.values(DEMO_PHARMACIES_NEAR).flat();

/** Adds the demo pharmacies (safe to run again: updated by ODS code); returns how many were new. */
export async function loadDemoPharmacies(db: Db, clock: Clock): Promise<number> {
  return savePharmacies({ db, clock, meta: null }, DEMO_PHARMACIES);
}
