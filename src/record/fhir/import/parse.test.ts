import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseBundle, parseNdjson, parseResources } from './parse.ts';
import { condition, only, parse, patient } from './test-fixtures.ts';

test('recordedAt falls back to meta.lastUpdated, then the clinical date; a bad clinical date is a problem', () => {
  const meta = only(condition({ recordedDate: undefined, meta: { lastUpdated: '2021-03-04T05:06:07Z' } }));
  assert.equal(meta.recordedAt, '2021-03-04T05:06:07Z');
  const onset = only(condition({ recordedDate: undefined, onsetDateTime: '2018-07' }));
  assert.equal(onset.recordedAt, '2018-07-01T00:00:00Z');
  const { result } = parse(condition({ onsetDateTime: '2018-07-01T10:00' }));
  assert.equal(result.patients[0]?.problems[0]?.field, 'Condition.onsetDateTime');
});

test('a resource whose subject is not a Patient in the input is a top-level problem', () => {
  const result = parseResources([
    condition({ subject: { reference: 'Patient/elsewhere' } }),
    condition({ id: 'c2', subject: undefined }),
  ]);
  assert.equal(result.patients.length, 0);
  assert.deepEqual(result.problems[0], {
    resource: 'Condition/c1',
    field: 'Condition.subject',
    message: 'Condition.subject Patient/elsewhere is not a Patient in this import',
  });
  assert.equal(result.problems[1]?.message, 'Condition.subject is missing');
});

// --- Bundles, references, NDJSON ------------------------------------------------------------

test('parseBundle resolves urn:uuid references and groups entries by patient', () => {
  const bundle = {
    resourceType: 'Bundle',
    type: 'transaction',
    entry: [
      { fullUrl: 'urn:uuid:aaa', resource: patient({ id: 'a' }) },
      { fullUrl: 'urn:uuid:bbb', resource: patient({ id: 'b' }) },
      {
        fullUrl: 'urn:uuid:enc',
        resource: {
          resourceType: 'Encounter',
          id: 'enc',
          subject: { reference: 'urn:uuid:bbb' },
          period: { start: '2020-01-01' },
        },
      },
      {
        resource: condition({
          subject: { reference: 'urn:uuid:bbb' },
          encounter: { reference: 'urn:uuid:enc' },
        }),
      },
      { resource: { resourceType: 'Claim', id: 'cl' } },
      { request: { method: 'GET', url: 'Patient' } },
    ],
  };
  const result = parseBundle(bundle);
  assert.equal(result.resources, 5);
  assert.deepEqual(result.skipped, { Claim: 1 });
  assert.deepEqual(result.problems, [
    { resource: 'entry[5]', field: 'Bundle.entry.resource', message: 'Bundle entry has no resource' },
  ]);
  assert.deepEqual(
    result.patients.map((p) => [p.patient.source.id, p.entries.length]),
    [
      ['Patient/a', 0],
      ['Patient/b', 2],
    ],
  );
  assert.equal(result.patients[1]?.entries[1]?.consultationSource, 'Encounter/enc');
});

test('parseBundle: wrong Bundle.type or not a Bundle is a problem naming Bundle.type', () => {
  for (const input of [
    { resourceType: 'Bundle', type: 'document' },
    { resourceType: 'Patient' },
    null,
    'x',
  ]) {
    const result = parseBundle(input);
    assert.equal(result.patients.length, 0);
    assert.equal(result.problems[0]?.field, 'Bundle.type');
  }
});

test('parseResources: non-resources are problems; labels name the input', () => {
  const result = parseResources([42, { id: 'x' }], ['a.json', 'b.json']);
  assert.deepEqual(
    result.problems.map((p) => [p.resource, p.field]),
    [
      ['a.json', 'resourceType'],
      ['b.json', 'resourceType'],
    ],
  );
  assert.equal(result.resources, 2);
});

test('parseNdjson: bad lines are problems naming the line; blank lines ignored', () => {
  const text = `${JSON.stringify(patient())}\n\n{not json\r\n${JSON.stringify(condition())}\n`;
  const parsed = parseNdjson(text, 'x.ndjson');
  assert.equal(parsed.resources.length, 2);
  assert.deepEqual(parsed.labels, ['x.ndjson line 1', 'x.ndjson line 4']);
  assert.equal(parsed.problems[0]?.resource, 'x.ndjson line 3');
  const result = parseResources(parsed.resources, parsed.labels);
  assert.equal(result.patients[0]?.entries.length, 1);
});
