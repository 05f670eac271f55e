import assert from 'node:assert/strict';
import { test } from 'node:test';
import { only, parse, snomed, subject } from './test-fixtures.ts';

// --- Observation, DiagnosticReport ----------------------------------------------------------

const observation = (extra: Record<string, unknown> = {}) => ({
  resourceType: 'Observation',
  id: 'o1',
  subject,
  status: 'final',
  code: { coding: [{ system: 'http://loinc.org', code: '2345-7', display: 'Glucose' }] },
  effectiveDateTime: '2020-01-01T09:00:00Z',
  issued: '2020-01-02T09:00:00.123Z',
  ...extra,
});

test('Observation (laboratory) → result with measurement, range, interpretation and report link', () => {
  const { result, entries } = parse(
    observation({
      category: [{ coding: [{ code: 'laboratory' }] }],
      valueQuantity: { value: 6.1, unit: 'mmol/L' },
      referenceRange: [{ low: { value: 3.5 }, high: { value: 5.5 } }],
      interpretation: [{ coding: [{ code: 'H' }] }],
    }),
    {
      resourceType: 'DiagnosticReport',
      id: 'r1',
      subject,
      status: 'partial',
      category: [{ coding: [{ code: 'LAB', display: 'Laboratory' }] }],
      code: { text: 'Glucose panel' },
      issued: '2020-01-02T10:00:00Z',
      result: [{ reference: 'Observation/o1' }],
      conclusion: 'Raised.',
      presentedForm: [{ contentType: 'text/plain', data: Buffer.from('Full report').toString('base64') }],
    },
  );
  assert.deepEqual(result.patients[0]?.problems, []);
  const [obs, report] = entries;
  assert.equal(obs?.kind, 'result');
  assert.equal(obs.recordedAt, '2020-01-02T09:00:00.123Z');
  assert.deepEqual(obs.details, {
    kind: 'result',
    measurement: {
      value: 6.1,
      valueText: null,
      unit: 'mmol/L',
      low: 3.5,
      high: 5.5,
      interpretation: 'H',
    },
    components: [],
    reportId: 'DiagnosticReport/r1',
    category: 'laboratory',
  });
  assert.equal(report?.kind, 'result');
  assert.equal(report.title, 'Glucose panel');
  assert.equal(report.text, 'Raised.\n\nFull report');
  assert.equal(report.unfiled, true);
  assert.deepEqual(report.details, {
    kind: 'result',
    measurement: null,
    components: [],
    reportId: null,
    category: 'Laboratory',
  });
  assert.deepEqual(result.patients[0].resourceCounts, { Patient: 1, Observation: 1, DiagnosticReport: 1 });
});

test('Observation (vital signs) → value with components; preliminary → unfiled; text values', () => {
  const bp = only(
    observation({
      status: 'preliminary',
      category: [{ coding: [{ code: 'vital-signs' }] }],
      code: { text: 'Blood pressure' },
      component: [
        { code: { text: 'Systolic blood pressure' }, valueQuantity: { value: 142, unit: 'mm[Hg]' } },
        {
          code: snomed('1091811000000102', 'Diastolic arterial pressure'),
          valueQuantity: { value: 94, code: 'mm[Hg]' },
        },
      ],
    }),
  );
  assert.equal(bp.kind, 'value');
  assert.equal(bp.unfiled, true);
  assert.equal(bp.details.kind === 'value' && bp.details.measurement, null);
  assert.deepEqual(
    bp.details.kind === 'value' ? bp.details.components.map((c) => [c.name, c.value, c.unit]) : null,
    [
      ['Systolic blood pressure', 142, 'mm[Hg]'],
      ['Diastolic arterial pressure', 94, 'mm[Hg]'],
    ],
  );
  const smoker = only(
    observation({
      category: [{ coding: [{ code: 'social-history' }] }],
      valueCodeableConcept: { text: 'Never smoked' },
    }),
  );
  assert.equal(smoker.details.kind === 'value' && smoker.details.measurement?.valueText, 'Never smoked');
  // HAZ-02: a concept with text only is typed text; a coded display and yes/no are coded values.
  const valueOf = (o: Record<string, unknown>) => {
    const d = only(observation({ category: [{ coding: [{ code: 'social-history' }] }], ...o })).details;
    return d.kind === 'value' ? d.measurement : null;
  };
  assert.equal(smoker.details.kind === 'value' && smoker.details.measurement?.valueCoded, false);
  const coded = valueOf({
    valueCodeableConcept: {
      coding: [{ system: 'http://snomed.info/sct', code: '266919005', display: 'Never smoked tobacco' }],
      text: 'never, but her husband does',
    },
  });
  assert.ok(coded);
  assert.equal(coded.valueText, 'Never smoked tobacco');
  assert.equal(coded.valueCoded, true);
  assert.deepEqual(
    [valueOf({ valueBoolean: true })?.valueText, valueOf({ valueBoolean: true })?.valueCoded],
    ['Yes', true],
  );
  assert.equal(valueOf({ valueString: 'lives with an abusive partner' })?.valueCoded, false);
});
