// The results and measurements taken at one demo visit, from the patient's course (trajectories.ts).
import type { Coding, EntryDraft, Measurement } from '../record/index.ts';
import { sct } from './record-codes.ts';
import { valuesAt, type Course } from './trajectories.ts';

export type Taken = {
  kind: 'result' | 'value';
  title: string;
  coding: Coding[];
  details: EntryDraft['details'];
};

const measured = (value: number, unit: string, range: { low?: number; high?: number }): Measurement => ({
  value,
  valueText: null,
  unit,
  low: range.low ?? null,
  high: range.high ?? null,
  interpretation: null,
});

function lab(code: string, title: string, m: Measurement): Taken {
  return {
    kind: 'result',
    title,
    coding: sct(code, title),
    details: { kind: 'result', measurement: m, components: [], reportId: null, category: 'laboratory' },
  };
}

export function takenAt(at: Date, course: Course, rand: () => number): Taken[] {
  const v = valuesAt(at.getTime(), course, rand);
  return [
    {
      kind: 'value',
      title: 'Blood pressure',
      coding: sct('75367002', 'Blood pressure'),
      details: {
        kind: 'value',
        measurement: null,
        components: [
          { name: 'Systolic blood pressure', ...measured(v.systolic, 'mmHg', { low: 90, high: 140 }) },
          { name: 'Diastolic blood pressure', ...measured(v.diastolic, 'mmHg', { low: 60, high: 90 }) },
        ],
      },
    },
    {
      kind: 'value',
      title: 'Body weight',
      coding: sct('27113001', 'Body weight'),
      details: { kind: 'value', measurement: measured(v.weight, 'kg', {}), components: [] },
    },
    lab('1003671000000109', 'Haemoglobin A1c level', measured(v.hba1c, 'mmol/mol', { low: 20, high: 48 })),
    lab('1005671000000105', 'Serum cholesterol level', measured(v.cholesterol, 'mmol/L', { high: 5 })),
    lab('1000661000000107', 'Serum sodium level', measured(v.sodium, 'mmol/L', { low: 133, high: 146 })),
    lab(
      '1011481000000105',
      'eGFR (estimated glomerular filtration rate) using creatinine',
      measured(v.egfr, 'mL/min/1.73m2', { low: 60 }),
    ),
  ];
}
