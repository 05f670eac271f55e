// The demo's results follow plausible courses: small steps between visits, a response to
// treatment, the same values for the same seed.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { EntryDraft } from '../record/index.ts';
import { METFORMIN_CODE } from './record-codes.ts';
import { generateRecord } from './records.ts';

const opts = { today: '2026-11-20', years: 10, consultationsPerYear: 6, documentsPerYear: 2 };
const record = generateRecord(1004, opts).entries;
const byDate = (a: EntryDraft, b: EntryDraft) => (a.recordedAt < b.recordedAt ? -1 : 1);

/** [time, value] for each result of a code (or a component's name), oldest first. */
function series(code: string, component?: string): [number, number][] {
  return record
    .filter((e) => e.coding[0]?.code === code && !e.unfiled)
    .sort(byDate)
    .map((e): [number, number] => {
      const d = e.details;
      if (d.kind !== 'result' && d.kind !== 'value') throw new Error('not a measurement');
      const m = component ? d.components.find((c) => c.name === component) : d.measurement;
      return [new Date(e.recordedAt).getTime(), m?.value ?? NaN];
    });
}
const largestStep = (s: [number, number][]) =>
  Math.max(...s.slice(1).map(([, v], i) => Math.abs(v - (s[i]?.[1] ?? v))));
const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
const DAY = 86_400_000;

test('demo HbA1c: small steps between results, rising to about 60 before metformin, falling after it starts and after the dose is raised', () => {
  const hba1c = series('1003671000000109');
  assert.ok(hba1c.length > 40);
  assert.ok(largestStep(hba1c) <= 8, `steps of up to ${String(largestStep(hba1c))} mmol/mol`);
  const metformin = record
    .filter((e) => e.coding[0]?.code === METFORMIN_CODE)
    .sort(byDate)
    .map((e) => new Date(e.recordedAt).getTime());
  const [started, raised] = metformin;
  assert.ok(started !== undefined && raised !== undefined && started < raised, 'started, then raised');
  const within = (from: number, to: number) => hba1c.filter(([t]) => t >= from && t < to).map(([, v]) => v);
  const before = within(started - 180 * DAY, started);
  const settled = within(started + 150 * DAY, raised);
  const after = within(raised + 150 * DAY, Infinity);
  assert.ok(before.length && settled.length && after.length);
  assert.ok(mean(before) >= 56 && Math.max(...before) <= 66, `before metformin: ${before.join(', ')}`);
  assert.ok(mean(settled) <= mean(before) - 3, `on metformin: ${settled.join(', ')}`);
  assert.ok(mean(after) <= mean(settled) - 2, `on the higher dose: ${after.join(', ')}`);
  assert.ok(Math.max(...after) - Math.min(...after) <= 6, 'then stable, with small noise');
  assert.ok(Math.min(...hba1c.map(([, v]) => v)) >= 34, 'never an implausible low');
});

test('demo blood pressure, weight, cholesterol, sodium and eGFR move by small steps within plausible limits', () => {
  const checks: [string, string | undefined, number, number, number][] = [
    ['75367002', 'Systolic blood pressure', 24, 115, 170],
    ['75367002', 'Diastolic blood pressure', 16, 70, 105],
    ['27113001', undefined, 3, 70, 95],
    ['1005671000000105', undefined, 1.2, 3.5, 7],
    ['1000661000000107', undefined, 4, 135, 143],
    ['1011481000000105', undefined, 12, 70, 95],
  ];
  for (const [code, component, step, low, high] of checks) {
    const s = series(code, component);
    const values = s.map(([, v]) => v);
    assert.ok(s.length > 40, `${component ?? code} is measured`);
    assert.ok(largestStep(s) <= step, `${component ?? code}: a step of ${String(largestStep(s))}`);
    assert.ok(
      Math.min(...values) >= low && Math.max(...values) <= high,
      `${component ?? code}: ${values.join(', ')}`,
    );
  }
});

test('the demo record is the same for the same seed, and every medicine names its own dose form', () => {
  assert.deepEqual(generateRecord(1004, opts), generateRecord(1004, opts));
  const forms = new Map(
    record.flatMap((e) => (e.details.kind === 'medication' ? [[e.title, e.details.quantityUnit]] : [])),
  );
  assert.equal(forms.get('Amoxicillin 500mg capsules'), 'capsule');
  assert.equal(forms.get('Salbutamol 100micrograms/dose inhaler'), 'inhaler');
  assert.equal(forms.get('Metformin 500mg tablets'), 'tablet');
});
