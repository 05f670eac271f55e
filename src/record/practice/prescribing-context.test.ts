// What a prescriber is shown from the record: each abnormal result in words with its range, the
// newest few listed and the rest counted, allergies with their reactions.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Measurement } from '../model.ts';
import { contextsOf, MAX_RESULTS_SHOWN, resultText } from './prescribing-context.ts';
import type { ContextRow } from './prescribing-store.ts';

const m = (over: Partial<Measurement>): Measurement => ({
  value: 6.1,
  valueText: null,
  unit: 'mmol/L',
  low: 3.5,
  high: 5.3,
  interpretation: null,
  ...over,
});

test('a result in words: the value, its unit, what is wrong and the range', () => {
  assert.equal(resultText(m({})), '6.1 mmol/L (high, range 3.5 to 5.3)');
  assert.equal(resultText(m({ value: 3.1 })), '3.1 mmol/L (low, range 3.5 to 5.3)');
  assert.equal(resultText(m({ interpretation: 'hh' })), '6.1 mmol/L (very high, range 3.5 to 5.3)');
  assert.equal(resultText(m({ low: null })), '6.1 mmol/L (high, up to 5.3)');
  assert.equal(
    resultText(
      m({ value: null, valueText: 'Positive', unit: null, low: null, high: null, interpretation: 'A' }),
    ),
    'Positive (abnormal)',
  );
  assert.equal(resultText(null), 'abnormal');
});

test('grouped by patient: newest results first, a few listed and all counted; allergies kept', () => {
  const result = (patientId: string, n: number): ContextRow => ({
    patientId,
    kind: 'result',
    title: `Result ${String(n)}`,
    clinicalDate: `2026-11-${String(10 + n)}`,
    sortKey: `2026-11-${String(10 + n)}`,
    details: { kind: 'result', measurement: m({}), components: [], reportId: null, category: null },
  });
  const rows: ContextRow[] = [
    ...[5, 4, 3, 2, 1].map((n) => result('a', n)),
    {
      patientId: 'a',
      kind: 'allergy',
      title: 'Penicillin',
      clinicalDate: null,
      sortKey: '2001-01-01',
      details: {
        kind: 'allergy',
        category: null,
        type: 'allergy',
        criticality: 'high',
        reactions: ['Rash'],
        active: true,
      },
    },
    result('b', 1),
  ];
  const c = contextsOf(rows);
  const a = c.get('a');
  assert.equal(a?.abnormalCount, 5);
  assert.deepEqual(
    a.abnormalResults.map((r) => r.title),
    ['Result 5', 'Result 4', 'Result 3'].slice(0, MAX_RESULTS_SHOWN),
  );
  assert.deepEqual(a.allergies, [{ title: 'Penicillin', reactions: ['Rash'], criticality: 'high' }]);
  assert.equal(c.get('b')?.abnormalCount, 1);
  assert.equal(c.get('c'), undefined);
});
