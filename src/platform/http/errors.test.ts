import assert from 'node:assert/strict';
import { test } from 'node:test';
import { plainValidationMessage } from './errors.ts';

test('schema complaints are plain sentences about the field, not the validator’s words', () => {
  const cases: [Parameters<typeof plainValidationMessage>[0], string][] = [
    [{ keyword: 'required', params: { missingProperty: 'email' } }, 'is missing'],
    [{ keyword: 'type', params: { type: 'integer' }, message: 'must be integer' }, 'must be a whole number'],
    [{ keyword: 'type', params: { type: 'string' } }, 'must be text'],
    [
      { keyword: 'pattern', params: { pattern: '^[0-9]+$' }, message: 'must match pattern "^[0-9]+$"' },
      'is not in the right form',
    ],
    [{ keyword: 'format', params: { format: 'date' } }, 'is not in the right form'],
    [{ keyword: 'enum', params: { allowedValues: ['a', 'b'] } }, 'is not one of the choices'],
    [{ keyword: 'maxLength', params: { limit: 500 } }, 'must be 500 characters or fewer'],
    [{ keyword: 'minLength', params: { limit: 1 } }, 'must not be empty'],
    [{ keyword: 'minLength', params: { limit: 12 } }, 'must be at least 12 characters'],
    [{ keyword: 'maximum', params: { limit: 31 } }, 'must be 31 or less'],
    [{ keyword: 'minimum', params: { limit: 1 } }, 'must be 1 or more'],
    [{ keyword: 'somethingNew', message: 'must pass "somethingNew" keyword validation' }, 'is not valid'],
  ];
  for (const [v, want] of cases) assert.equal(plainValidationMessage(v), want, v.keyword);
});
