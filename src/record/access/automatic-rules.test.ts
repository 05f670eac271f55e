import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  automaticAccess,
  CODE_DECLINED,
  CODE_ENHANCED_REVIEW,
  CODE_NO_ENHANCED_REVIEW,
  turns16On,
} from './automatic-rules.ts';

test('automatic access: adults get it unless a 104 is the latest review code or they declined; under-16s never', () => {
  const base = {
    birthDate: '1990-05-05',
    today: '2026-11-25',
    level: 'none' as const,
    levelSetByHand: false,
    trigger: 'linked' as const,
    codes: [],
  };
  assert.equal(automaticAccess(base), 'enable');
  assert.equal(automaticAccess({ ...base, level: 'full' }), 'already-full');
  assert.equal(automaticAccess({ ...base, birthDate: '2010-11-26' }), 'under-16');
  assert.equal(automaticAccess({ ...base, birthDate: '2010-11-25' }), 'enable', '16 today');
  const c104 = { code: CODE_ENHANCED_REVIEW, recordedAt: '2024-01-01T00:00:00Z' };
  const c106later = { code: CODE_NO_ENHANCED_REVIEW, recordedAt: '2025-01-01T00:00:00Z' };
  const c104later = { code: CODE_ENHANCED_REVIEW, recordedAt: '2026-01-01T00:00:00Z' };
  assert.equal(automaticAccess({ ...base, codes: [c104] }), 'enhanced-review');
  assert.equal(
    automaticAccess({ ...base, codes: [c104, c106later] }),
    'enable',
    'a later 106 negates the 104',
  );
  assert.equal(automaticAccess({ ...base, codes: [c104later, c106later, c104] }), 'enhanced-review');
  assert.equal(
    automaticAccess({ ...base, codes: [{ code: CODE_DECLINED, recordedAt: '2020-01-01T00:00:00Z' }] }),
    'declined',
  );
});

test('the 16th birthday, including 29 February', () => {
  assert.equal(turns16On('2010-11-25', '2026-11-25'), true);
  assert.equal(turns16On('2010-11-25', '2026-11-26'), false);
  assert.equal(turns16On('2008-02-29', '2024-02-29'), true);
  assert.equal(turns16On('2012-02-29', '2028-02-29'), true);
  assert.equal(turns16On('2011-02-28', '2027-02-28'), true);
  assert.equal(turns16On('2012-02-29', '2028-02-28'), false);
});
