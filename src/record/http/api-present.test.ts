import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { VisibleEntry } from '../access/rules.ts';
import { apiEntry, apiSection } from './api-present.ts';
import { SECTION_ORDER } from '../read/present.ts';

const bp: VisibleEntry = {
  id: 'e1',
  kind: 'value',
  clinicalDate: '2026-01-02',
  recordedAt: '2026-01-02T10:00:00.000Z',
  coding: [{ system: 'http://snomed.info/sct', code: '75367002', display: 'Blood pressure' }],
  title: 'Blood pressure',
  text: null,
  consultationId: null,
  details: {
    kind: 'value',
    measurement: null,
    components: [
      {
        name: 'Systolic blood pressure',
        value: 148,
        valueText: null,
        unit: 'mmHg',
        low: 90,
        high: 140,
        interpretation: null,
      },
    ],
  },
};

test('an entry in the API’s snake case, with out-of-range flags on its measurements', () => {
  assert.deepEqual(apiEntry(bp), {
    id: 'e1',
    heading: 'value',
    date: '2026-01-02',
    recorded_at: '2026-01-02T10:00:00.000Z',
    title: 'Blood pressure',
    codes: bp.coding,
    text: null,
    consultation_id: null,
    details: {
      measurement: null,
      components: [
        {
          value: 148,
          value_text: null,
          unit: 'mmHg',
          low: 90,
          high: 140,
          interpretation: null,
          out_of_range: 'high',
          name: 'Systolic blood pressure',
        },
      ],
    },
  });
});

test('a heading page links to the next page only when there is one', () => {
  const section = SECTION_ORDER.find((s) => s.slug === 'measurements')!;
  const page = { section, entries: [bp], children: new Map(), page: 1, more: true };
  assert.equal(apiSection(page).next, '/api/v1/record/sections/measurements?page=3');
  assert.equal(apiSection({ ...page, more: false }).next, null);
  assert.equal(apiSection(page).page, 2);
});
