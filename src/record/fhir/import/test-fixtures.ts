// Small FHIR inputs shared by the importer's tests: one patient and the helpers that parse with it.
import assert from 'node:assert/strict';
import { parseResources, type ParseResult } from './parse.ts';
import type { EntryDraft } from '../../model.ts';

export const PID = 'p1';
export const subject = { reference: `Patient/${PID}` };
export const patient = (extra: Record<string, unknown> = {}): Record<string, unknown> => ({
  resourceType: 'Patient',
  id: PID,
  identifier: [{ system: 'https://fhir.nhs.uk/Id/nhs-number', value: '991 200 3888' }],
  name: [
    { use: 'maiden', family: 'Old', given: ['X'] },
    { use: 'official', family: 'Smith', given: ['Richard', 'John'] },
  ],
  gender: 'male',
  birthDate: '1970-09-11',
  address: [
    { line: ['4 Sandmoor Drive'], city: 'LEEDS', district: 'West Yorkshire', postalCode: 'LS17 7DF' },
  ],
  ...extra,
});
export const snomed = (code: string, display: string) => ({
  coding: [{ system: 'http://snomed.info/sct', code, display }],
});

/** Parse a patient plus the given resources; return the result and the patient's entries. */
export function parse(...resources: Record<string, unknown>[]): {
  result: ParseResult;
  entries: EntryDraft[];
} {
  const result = parseResources([patient(), ...resources]);
  return { result, entries: result.patients[0]?.entries ?? [] };
}

export function only(...resources: Record<string, unknown>[]): EntryDraft {
  const { result, entries } = parse(...resources);
  assert.deepEqual(result.problems, []);
  assert.deepEqual(result.patients[0]?.problems, []);
  assert.equal(entries.length, 1);
  const [entry] = entries;
  assert.ok(entry);
  return entry;
}

export const condition = (extra: Record<string, unknown> = {}) => ({
  resourceType: 'Condition',
  id: 'c1',
  subject,
  code: snomed('38341003', 'Hypertension'),
  recordedDate: '2020-01-02',
  ...extra,
});
