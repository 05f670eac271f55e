// The demo records' vocabulary: real SNOMED CT and dm+d concepts for invented people.
import type { Coding } from '../record/index.ts';
import { DMD, SNOMED } from '../record/index.ts';

export const sct = (code: string, display: string): Coding[] => [{ system: SNOMED, code, display }];
export const dmd = (code: string, display: string): Coding[] => [{ system: DMD, code, display }];

export const REPEATS = [
  { code: '319283006', name: 'Amlodipine 5mg tablets', dosage: 'One tablet once a day', quantity: 28 },
  { code: '320000009', name: 'Atorvastatin 20mg tablets', dosage: 'One tablet at night', quantity: 28 },
  {
    code: '325278005',
    name: 'Metformin 500mg tablets',
    dosage: 'One tablet twice a day with food',
    quantity: 56,
  },
  {
    code: '3408611000001107',
    name: 'Salbutamol 100micrograms/dose inhaler',
    dosage: 'Two puffs when needed',
    quantity: 1,
  },
];
export const ACUTES = [
  {
    code: '323509004',
    name: 'Amoxicillin 500mg capsules',
    dosage: 'One capsule three times a day for 5 days',
    quantity: 15,
  },
  {
    code: '322236009',
    name: 'Paracetamol 500mg tablets',
    dosage: 'Two tablets up to four times a day',
    quantity: 32,
  },
  {
    code: '329652003',
    name: 'Ibuprofen 400mg tablets',
    dosage: 'One tablet three times a day after food',
    quantity: 24,
  },
];
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
