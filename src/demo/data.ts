// The self-contained demo data set: three real practices (public ODS data), their staff, and
// generated patients. Nothing here is a real person: NHS numbers come from the 999 test range.
import type { StaffRole } from '../platform/db/schema.ts';
import type { PracticeRecord } from '../practices/index.ts';

export const DEMO_PASSWORD = 'gp-online-demo';

export const DEMO_PRACTICES: PracticeRecord[] = [
  {
    odsCode: 'P81082',
    name: 'THE RYAN MEDICAL CENTRE',
    addressLines: ["ST MARY'S ROAD", 'BAMBER BRIDGE', 'PRESTON'],
    postcode: 'PR5 6JD',
    commissionerCode: '00X',
    status: 'active',
    prescribingSetting: 4,
    openDate: '1974-04-01',
    closeDate: null,
    phone: '01772 335136',
  },
  {
    odsCode: 'N81001',
    name: 'AUDLEM MEDICAL PRACTICE',
    addressLines: ['16 CHESHIRE ST, AUDLEM', 'CREWE', 'CHESHIRE'],
    postcode: 'CW3 0AH',
    commissionerCode: '27D',
    status: 'active',
    prescribingSetting: 4,
    openDate: '1974-04-01',
    closeDate: null,
    phone: '01270 811440',
  },
  {
    odsCode: 'N82001',
    name: 'THE MARGARET THOMPSON MED CENTRE',
    addressLines: ['105 EAST MILLWOOD ROAD', 'LIVERPOOL'],
    postcode: 'L24 6TH',
    commissionerCode: '99A',
    status: 'active',
    prescribingSetting: 4,
    openDate: '1974-04-01',
    closeDate: null,
    phone: '0151 4253331',
  },
];

/** Fixed base32 secrets, so the demo panel can show each account's current code. Demo only. */
export type DemoStaff = {
  email: string;
  name: string;
  role: StaffRole;
  practiceOds: string | null;
  totpSecret: string;
  scope?: string[];
  commissionerCode?: string;
};

export const DEMO_STAFF: DemoStaff[] = [
  {
    email: 'reception@ryan.demo.gp-online.test',
    name: 'Rita Reception',
    role: 'receptionist',
    practiceOds: 'P81082',
    totpSecret: 'GPODEMORECEPTIONRYAN2222',
  },
  {
    email: 'gp@ryan.demo.gp-online.test',
    name: 'Dr Gina Patel',
    role: 'clinician',
    practiceOds: 'P81082',
    totpSecret: 'GPODEMOCLINICIANRYAN2222',
  },
  {
    email: 'manager@ryan.demo.gp-online.test',
    name: 'Mo Manager',
    role: 'practice-manager',
    practiceOds: 'P81082',
    totpSecret: 'GPODEMOMANAGERRYAN222222',
  },
  {
    email: 'gp@audlem.demo.gp-online.test',
    name: 'Dr Alan Audlem',
    role: 'clinician',
    practiceOds: 'N81001',
    totpSecret: 'GPODEMOCLINICIANAUDLEM22',
  },
  {
    email: 'gp@thompson.demo.gp-online.test',
    name: 'Dr Tess Thompson',
    role: 'clinician',
    practiceOds: 'N82001',
    totpSecret: 'GPODEMOCLINICIANTHOMPSON',
  },
  {
    email: 'facilitator@demo.gp-online.test',
    name: 'Fay Facilitator',
    role: 'facilitator',
    practiceOds: null,
    totpSecret: 'GPODEMOFACILITATOR222222',
    scope: ['P81082', 'N81001', 'N82001'],
  },
  {
    email: 'commissioner@demo.gp-online.test',
    name: 'Cal Commissioner',
    role: 'commissioner',
    practiceOds: null,
    totpSecret: 'GPODEMOCOMMISSIONER22222',
    commissionerCode: '00X',
  },
  {
    email: 'admin@demo.gp-online.test',
    name: 'Ada Admin',
    role: 'admin',
    practiceOds: null,
    totpSecret: 'GPODEMOADMIN222222222222',
  },
];

export type DemoPatientAccount = {
  email: string;
  who: string;
  totpSecret: string;
  /** Index into the generated patients of the first practice; null for an account not linked yet. */
  patientIndex: number | null;
  proofing: 'P0' | 'P5' | 'P9';
  services: {
    appointments: boolean;
    repeatPrescriptions: boolean;
    recordLevel: 'none' | 'summary' | 'detailed' | 'full';
    prospectiveFrom?: string;
    historicAccess?: boolean;
  };
  /** Years of generated GP record (0 for none). */
  recordYears: number;
};

export const DEMO_PATIENTS: DemoPatientAccount[] = [
  {
    email: 'new.patient@demo.gp-online.test',
    who: 'Patient, not linked yet (P0)',
    totpSecret: 'GPODEMOPATIENTNEW2222222',
    patientIndex: null,
    proofing: 'P0',
    services: { appointments: false, repeatPrescriptions: false, recordLevel: 'none' },
    recordYears: 0,
  },
  {
    email: 'p5.patient@demo.gp-online.test',
    who: 'Patient linked by letter (P5)',
    totpSecret: 'GPODEMOPATIENTPFIVE22222',
    patientIndex: 0,
    proofing: 'P5',
    services: {
      appointments: true,
      repeatPrescriptions: true,
      recordLevel: 'summary',
      prospectiveFrom: '2023-10-31',
    },
    recordYears: 6,
  },
  {
    email: 'summary.patient@demo.gp-online.test',
    who: 'Patient, summary record (P9)',
    totpSecret: 'GPODEMOPATIENTSUMMARY222',
    patientIndex: 1,
    proofing: 'P9',
    services: {
      appointments: true,
      repeatPrescriptions: true,
      recordLevel: 'summary',
      prospectiveFrom: '2023-10-31',
    },
    recordYears: 6,
  },
  {
    email: 'detailed.patient@demo.gp-online.test',
    who: 'Patient, detailed coded record (P9)',
    totpSecret: 'GPODEMOPATIENTDETAILED22',
    patientIndex: 2,
    proofing: 'P9',
    services: {
      appointments: true,
      repeatPrescriptions: true,
      recordLevel: 'detailed',
      prospectiveFrom: '2023-10-31',
    },
    recordYears: 8,
  },
  {
    email: 'full.patient@demo.gp-online.test',
    who: 'Patient, full record (P9)',
    totpSecret: 'GPODEMOPATIENTFULL222222',
    patientIndex: 3,
    proofing: 'P9',
    services: {
      appointments: true,
      repeatPrescriptions: true,
      recordLevel: 'full',
      prospectiveFrom: '2023-10-31',
      historicAccess: true,
    },
    recordYears: 10,
  },
];

const GIVEN_F = [
  'Olivia',
  'Amelia',
  'Isla',
  'Ava',
  'Mia',
  'Grace',
  'Freya',
  'Aisha',
  'Zara',
  'Eleanor',
  'Margaret',
  'Joan',
  'Priya',
  'Chloe',
  'Niamh',
  'Fatima',
];
const GIVEN_M = [
  'Oliver',
  'George',
  'Noah',
  'Arthur',
  'Leo',
  'Harry',
  'Mohammed',
  'Jack',
  'Thomas',
  'Ravi',
  'William',
  'Kenneth',
  'Dylan',
  'Connor',
  'Ibrahim',
  'Joseph',
];
const FAMILY = [
  'Smith',
  'Jones',
  'Taylor',
  'Brown',
  'Williams',
  'Wilson',
  'Johnson',
  'Davies',
  'Patel',
  'Robinson',
  'Wright',
  'Thompson',
  'Evans',
  'Walker',
  'Khan',
  'Roberts',
  'Hughes',
  'Ahmed',
  'Murphy',
  "O'Neill",
  'Clarke',
  'Jackson',
  'Lewis-Hall',
  'Nowak',
];
const STREETS = [
  'Church Road',
  'Station Road',
  'Victoria Street',
  'Mill Lane',
  'Park Avenue',
  'Queens Road',
  'Chapel Street',
  'Manor Way',
];

/** A small deterministic generator (mulberry32), so every demo load makes the same people. */
export function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export type GeneratedPatient = {
  givenName: string;
  familyName: string;
  birthDate: string;
  sex: 'female' | 'male';
  addressLines: string[];
  postcode: string;
  seed: number;
};

/** Patients of every age from newborn to 95, spread over the three practices. */
export function generatePatients(count: number, today: string): GeneratedPatient[] {
  const rand = seeded(20131101);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)] as T;
  const year = Number(today.slice(0, 4));
  const out: GeneratedPatient[] = [];
  for (let i = 0; i < count; i++) {
    const sex = rand() < 0.5 ? 'female' : 'male';
    // The first few are adults, as the demo accounts use them.
    const age = i < 8 ? 25 + i * 6 : Math.floor(rand() * 96);
    const month = 1 + Math.floor(rand() * 12);
    const day = 1 + Math.floor(rand() * 28);
    out.push({
      givenName: pick(sex === 'female' ? GIVEN_F : GIVEN_M),
      familyName: pick(FAMILY),
      birthDate: `${String(year - age - 1)}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`,
      sex,
      addressLines: [`${String(1 + Math.floor(rand() * 180))} ${pick(STREETS)}`],
      postcode: '',
      seed: 100 + i,
    });
  }
  return out;
}
