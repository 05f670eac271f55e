// The demo records' vocabulary: real SNOMED CT and dm+d concepts for invented people.
import type { Coding } from '../record/index.ts';
import { DMD, SNOMED } from '../record/index.ts';

export const sct = (code: string, display: string): Coding[] => [{ system: SNOMED, code, display }];
export const dmd = (code: string, display: string): Coding[] => [{ system: DMD, code, display }];

/** `form` is the dose form the quantity counts (dm+d's unit of measure: tablet, capsule, inhaler). */
export type DemoMedicine = { code: string; name: string; dosage: string; quantity: number; form: string };

export const REPEATS: readonly DemoMedicine[] = [
  {
    code: '319283006',
    name: 'Amlodipine 5mg tablets',
    dosage: 'One tablet once a day',
    quantity: 28,
    form: 'tablet',
  },
  {
    code: '320000009',
    name: 'Atorvastatin 20mg tablets',
    dosage: 'One tablet at night',
    quantity: 28,
    form: 'tablet',
  },
  {
    code: '325278005',
    name: 'Metformin 500mg tablets',
    dosage: 'One tablet twice a day with food',
    quantity: 56,
    form: 'tablet',
  },
  {
    code: '3408611000001107',
    name: 'Salbutamol 100micrograms/dose inhaler',
    dosage: 'Two puffs when needed',
    quantity: 1,
    form: 'inhaler',
  },
];
export const ACUTES: readonly DemoMedicine[] = [
  {
    code: '323509004',
    name: 'Amoxicillin 500mg capsules',
    dosage: 'One capsule three times a day for 5 days',
    quantity: 15,
    form: 'capsule',
  },
  {
    code: '322236009',
    name: 'Paracetamol 500mg tablets',
    dosage: 'Two tablets up to four times a day',
    quantity: 32,
    form: 'tablet',
  },
  {
    code: '329652003',
    name: 'Ibuprofen 400mg tablets',
    dosage: 'One tablet three times a day after food',
    quantity: 24,
    form: 'tablet',
  },
];
/** Metformin at its first, lower dose, before it was raised to the current repeat. */
export const METFORMIN_FIRST: DemoMedicine = {
  code: '325278005',
  name: 'Metformin 500mg tablets',
  dosage: 'One tablet once a day with food',
  quantity: 28,
  form: 'tablet',
};
export const METFORMIN_CODE = '325278005';

export const REASONS = [
  'Review of blood pressure',
  'Cough for two weeks',
  'Annual asthma review',
  'Diabetes review',
  'Back pain after lifting',
  'Medication review',
  'Sore throat',
  'Feeling tired all the time',
];
