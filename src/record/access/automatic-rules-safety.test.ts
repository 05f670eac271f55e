// Clinical-safety boundaries of the one access rule (issue #8; docs/clinical-safety/hazard-log.md): which access code decides, and the 16th-birthday run.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  automaticAccess,
  CODE_DECLINED,
  CODE_ENHANCED_REVIEW,
  CODE_NO_ENHANCED_REVIEW,
  decidingAccessCode,
  sixteenthBirthdayBetween,
} from './automatic-rules.ts';

// --- Code order fails safe ------------------------------------------------------------------------

test('HAZ-08 of the access codes the latest recorded wins, a 106 after a 103 too; at the same moment the more restrictive', () => {
  const at = (code: string, t: string) => ({ code, recordedAt: t });
  assert.equal(
    decidingAccessCode([
      at(CODE_DECLINED, '2024-01-01T10:00:00Z'),
      at(CODE_NO_ENHANCED_REVIEW, '2025-01-01T10:00:00Z'),
    ]),
    CODE_NO_ENHANCED_REVIEW,
  );
  assert.equal(
    decidingAccessCode([
      at(CODE_NO_ENHANCED_REVIEW, '2025-01-01T10:00:00Z'),
      at(CODE_DECLINED, '2025-02-01T10:00:00Z'),
    ]),
    CODE_DECLINED,
  );
  const same = '2025-03-03T09:15:00Z';
  assert.equal(
    decidingAccessCode([at(CODE_NO_ENHANCED_REVIEW, same), at(CODE_ENHANCED_REVIEW, same)]),
    CODE_ENHANCED_REVIEW,
  );
  assert.equal(
    decidingAccessCode([at(CODE_ENHANCED_REVIEW, same), at(CODE_NO_ENHANCED_REVIEW, same)]),
    CODE_ENHANCED_REVIEW,
  );
  assert.equal(
    decidingAccessCode([at(CODE_NO_ENHANCED_REVIEW, same), at(CODE_DECLINED, same)]),
    CODE_DECLINED,
  );
  assert.equal(decidingAccessCode([at(CODE_ENHANCED_REVIEW, same), at(CODE_DECLINED, same)]), CODE_DECLINED);
  // The same moment written two ways is still the same moment.
  assert.equal(
    decidingAccessCode([
      at(CODE_NO_ENHANCED_REVIEW, '2025-03-03T09:15:00.000Z'),
      at(CODE_ENHANCED_REVIEW, '2025-03-03T10:15:00+01:00'),
    ]),
    CODE_ENHANCED_REVIEW,
  );
  const base = {
    birthDate: '1990-05-05',
    today: '2026-11-25',
    level: 'none' as const,
    levelSetByHand: false,
    trigger: 'bulk' as const,
  };
  assert.equal(
    automaticAccess({
      ...base,
      codes: [at(CODE_DECLINED, '2024-01-01T10:00:00Z'), at(CODE_NO_ENHANCED_REVIEW, '2025-01-01T10:00:00Z')],
    }),
    'enable',
  );
  assert.equal(
    automaticAccess({ ...base, codes: [at(CODE_NO_ENHANCED_REVIEW, same), at(CODE_ENHANCED_REVIEW, same)] }),
    'enhanced-review',
  );
});

test('HAZ-08 a level staff set by hand: a bulk enable and linking leave it; the 16th birthday reads the codes', () => {
  const base = {
    birthDate: '1990-05-05',
    today: '2026-11-25',
    level: 'summary' as const,
    levelSetByHand: true,
    codes: [],
  };
  assert.equal(automaticAccess({ ...base, trigger: 'bulk' }), 'set-by-hand');
  assert.equal(automaticAccess({ ...base, trigger: 'linked' }), 'set-by-hand');
  assert.equal(automaticAccess({ ...base, trigger: 'birthday' }), 'enable');
  assert.equal(automaticAccess({ ...base, trigger: 'bulk', levelSetByHand: false }), 'enable');
  const c104 = { code: CODE_ENHANCED_REVIEW, recordedAt: '2026-01-01T00:00:00Z' };
  assert.equal(automaticAccess({ ...base, trigger: 'birthday', codes: [c104] }), 'enhanced-review');
});

// --- Missed days are caught up ------------------------------------------------------------------

test('HAZ-05 the 16th-birthday run covers every day since the last run, 29 February included', () => {
  assert.equal(sixteenthBirthdayBetween('2010-11-27', '2026-11-26', '2026-12-01'), '2026-11-27');
  assert.equal(
    sixteenthBirthdayBetween('2010-11-26', '2026-11-26', '2026-12-01'),
    null,
    'the last run did it',
  );
  assert.equal(sixteenthBirthdayBetween('2010-12-01', '2026-11-26', '2026-12-01'), '2026-12-01');
  assert.equal(sixteenthBirthdayBetween('2010-12-02', '2026-11-26', '2026-12-01'), null, 'not yet 16');
  // Born 29 February 2012: 16 on 29 February 2028; born 29 February 2008: 16 on 29 February 2024.
  assert.equal(sixteenthBirthdayBetween('2012-02-29', '2028-02-28', '2028-02-29'), '2028-02-29');
  // Sixteen is a multiple of four, so a 29 February baby turns 16 on a 29 February (2000–2099).
  assert.equal(sixteenthBirthdayBetween('2016-02-29', '2032-02-28', '2032-03-01'), '2032-02-29');
  assert.equal(sixteenthBirthdayBetween('2012-02-29', '2027-02-27', '2027-03-01'), null, '15 in 2027');
});

test('HAZ-08 a 106 in a draft does not lift a 104; a date-only code is at the same moment as any that day', () => {
  const c104 = { code: CODE_ENHANCED_REVIEW, recordedAt: '2025-04-01T09:00:00Z' };
  assert.equal(
    decidingAccessCode([
      c104,
      { code: CODE_NO_ENHANCED_REVIEW, recordedAt: '2025-05-01T09:00:00Z', draft: true },
    ]),
    CODE_ENHANCED_REVIEW,
  );
  assert.equal(
    decidingAccessCode([{ code: CODE_DECLINED, recordedAt: '2025-05-01T09:00:00Z', draft: true }, c104]),
    CODE_DECLINED,
    'a restrictive code counts even in a draft',
  );
  const dateOnly104 = { code: CODE_ENHANCED_REVIEW, recordedAt: '2025-06-10T00:00:00.000Z' };
  const timed106 = { code: CODE_NO_ENHANCED_REVIEW, recordedAt: '2025-06-10T15:20:00Z' };
  assert.equal(decidingAccessCode([dateOnly104, timed106]), CODE_ENHANCED_REVIEW);
  assert.equal(
    decidingAccessCode([dateOnly104, { ...timed106, recordedAt: '2025-06-11T08:00:00Z' }]),
    CODE_NO_ENHANCED_REVIEW,
    'the next day is later',
  );
});

test('HAZ-08 a late birthday run leaves a level staff set on or after the birthday', () => {
  const base = {
    birthDate: '2010-11-27',
    today: '2026-12-01',
    level: 'summary' as const,
    levelSetByHand: true,
    trigger: 'birthday' as const,
    birthday: '2026-11-27',
    codes: [],
  };
  assert.equal(automaticAccess({ ...base, levelSetOn: '2026-11-28' }), 'set-by-hand');
  assert.equal(automaticAccess({ ...base, levelSetOn: '2026-11-27' }), 'set-by-hand');
  assert.equal(automaticAccess({ ...base, levelSetOn: '2026-11-26' }), 'enable');
});
