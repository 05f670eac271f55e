import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  ageOn,
  canUse,
  detailsMatch,
  diffSettings,
  formatLinkageKey,
  isIsoDate,
  meetsLevel,
  NO_SERVICES,
  normaliseSettings,
  opensEarlier,
  passwordProblem,
  serviceAccess,
} from './rules.ts';

test('proofing levels order P0 < P5 < P9', () => {
  assert.equal(meetsLevel('P9', 'P5'), true);
  assert.equal(meetsLevel('P5', 'P9'), false);
  assert.equal(meetsLevel('P0', 'P5'), false);
  assert.equal(meetsLevel('P5', 'P5'), true);
});

test('proofing gates: no record access below P9 even when the practice switched it on', () => {
  const settings = {
    ...NO_SERVICES,
    appointments: true,
    repeatPrescriptions: true,
    recordLevel: 'full' as const,
    prospectiveFrom: '2026-01-01',
  };
  const p5 = { linked: true, proofingLevel: 'P5' as const };
  assert.equal(canUse(p5, settings, 'record'), false);
  assert.equal(canUse(p5, settings, 'repeat-prescriptions'), false);
  assert.equal(canUse(p5, settings, 'appointments'), true);
  const status = serviceAccess(p5, settings).find((s) => s.service === 'record')?.status;
  assert.equal(status, 'needs-identity-check');
  assert.equal(canUse({ linked: true, proofingLevel: 'P9' }, settings, 'record'), true);
});

test('proofing gates: nothing without linking, nothing the practice has not switched on', () => {
  const all = {
    ...NO_SERVICES,
    appointments: true,
    repeatPrescriptions: true,
    recordLevel: 'summary' as const,
    pharmacyView: true,
    pharmacyUpdate: true,
  };
  for (const s of serviceAccess({ linked: false, proofingLevel: 'P9' }, all))
    assert.equal(s.status, 'needs-linking');
  for (const s of serviceAccess({ linked: true, proofingLevel: 'P9' }, NO_SERVICES))
    assert.equal(s.status, 'not-switched-on');
});

test('linkage keys print in groups of five', () => {
  assert.equal(formatLinkageKey('ABCDEFGHJKLMNPQ'), 'ABCDE-FGHJK-LMNPQ');
});

test('linking details match regardless of case, accents, spaces and hyphens, but dates must be equal', () => {
  const record = { familyName: "O'Brien-Smith", birthDate: '1980-02-29' };
  assert.equal(detailsMatch({ surname: 'obrien smith', birthDate: '1980-02-29' }, record), true);
  assert.equal(detailsMatch({ surname: 'OBRIENSMITH', birthDate: '1980-02-28' }, record), false);
  assert.equal(detailsMatch({ surname: 'Brien', birthDate: '1980-02-29' }, record), false);
  assert.equal(
    detailsMatch({ surname: 'Zoë', birthDate: '2000-01-01' }, { familyName: 'Zoe', birthDate: '2000-01-01' }),
    true,
  );
});

test('settings: record access off clears its dates; switching on starts prospective access today', () => {
  const on = normaliseSettings({ ...NO_SERVICES, recordLevel: 'full' }, NO_SERVICES, '2026-11-25');
  assert.equal(on.prospectiveFrom, '2026-11-25');
  const off = normaliseSettings({ ...on, recordLevel: 'none', historicAccess: true }, on, '2026-12-01');
  assert.equal(off.prospectiveFrom, null);
  assert.equal(off.historicAccess, false);
  const kept = normaliseSettings({ ...on, recordLevel: 'detailed', prospectiveFrom: null }, on, '2026-12-01');
  assert.equal(kept.prospectiveFrom, '2026-11-25');
  assert.deepEqual(Object.keys(diffSettings(on, kept)), ['recordLevel', 'fullFrom']);
});

test('HAZ-04 a raised level starts its own prospective date; what was shown keeps its date; lowering clears', () => {
  const summary = normaliseSettings({ ...NO_SERVICES, recordLevel: 'summary' }, NO_SERVICES, '2024-03-01');
  assert.deepEqual(
    [summary.prospectiveFrom, summary.detailedFrom, summary.fullFrom],
    ['2024-03-01', null, null],
  );
  // Raised to detailed: the coded record starts today, not at the summary start of 2024.
  const detailed = normaliseSettings({ ...summary, recordLevel: 'detailed' }, summary, '2025-06-10');
  assert.deepEqual(
    [detailed.prospectiveFrom, detailed.detailedFrom, detailed.fullFrom],
    ['2024-03-01', '2025-06-10', null],
  );
  // Raised to full (the form sends the date it showed, unchanged): free text starts today.
  const full = normaliseSettings({ ...detailed, recordLevel: 'full' }, detailed, '2026-12-01');
  assert.deepEqual(
    [full.prospectiveFrom, full.detailedFrom, full.fullFrom],
    ['2024-03-01', '2025-06-10', '2026-12-01'],
  );
  // Lowered, then raised again: the full level's old date is not brought back.
  const lowered = normaliseSettings({ ...full, recordLevel: 'detailed' }, full, '2027-01-05');
  assert.equal(lowered.fullFrom, null);
  assert.equal(lowered.detailedFrom, '2025-06-10');
  const again = normaliseSettings({ ...lowered, recordLevel: 'full' }, lowered, '2027-02-01');
  assert.equal(again.fullFrom, '2027-02-01');
  // None to full at once: every level from the day of the change (or the 16th birthday given).
  const atOnce = normaliseSettings({ ...NO_SERVICES, recordLevel: 'full' }, NO_SERVICES, '2026-08-31');
  assert.deepEqual(
    [atOnce.prospectiveFrom, atOnce.detailedFrom, atOnce.fullFrom],
    ['2026-08-31', '2026-08-31', '2026-08-31'],
  );
  // A date staff enter in the change is their decision for every level held.
  const chosen = normaliseSettings(
    { ...detailed, recordLevel: 'full', prospectiveFrom: '2023-10-31' },
    detailed,
    '2026-12-01',
  );
  assert.deepEqual(
    [chosen.prospectiveFrom, chosen.detailedFrom, chosen.fullFrom],
    ['2023-10-31', '2023-10-31', '2023-10-31'],
  );
});

test('passwords: length rules and not the email name', () => {
  assert.match(passwordProblem('short', 'a@b.co') ?? '', /12 characters or more/);
  assert.equal(passwordProblem('correct horse battery', 'jo@example.com'), null);
  assert.match(passwordProblem('jo.bloggs-password', 'jo.bloggs@example.com') ?? '', /email/);
});

test('ages and ISO dates', () => {
  assert.equal(ageOn('2010-11-25', '2026-11-25'), 16);
  assert.equal(ageOn('2010-11-26', '2026-11-25'), 15);
  assert.equal(ageOn('2008-02-29', '2026-02-28'), 17);
  assert.equal(isIsoDate('2026-02-29'), false);
  assert.equal(isIsoDate('2024-02-29'), true);
  assert.equal(isIsoDate('24-02-29'), false);
});

test('HAZ-06 historic access covers the level it was granted at; raising keeps it there, lowering narrows it', () => {
  const summary = normaliseSettings({ ...NO_SERVICES, recordLevel: 'summary' }, NO_SERVICES, '2024-03-01');
  const granted = normaliseSettings({ ...summary, historicAccess: true }, summary, '2024-04-01');
  assert.equal(granted.historicLevel, 'summary');
  const raised = normaliseSettings({ ...granted, recordLevel: 'full' }, granted, '2026-12-01');
  assert.equal(raised.historicLevel, 'summary', 'older notes are not opened by the raise');
  const full = normaliseSettings({ ...NO_SERVICES, recordLevel: 'full' }, NO_SERVICES, '2025-01-01');
  const fullHistoric = normaliseSettings({ ...full, historicAccess: true }, full, '2025-02-01');
  const lowered = normaliseSettings({ ...fullHistoric, recordLevel: 'detailed' }, fullHistoric, '2025-03-01');
  assert.equal(lowered.historicLevel, 'detailed');
  const off = normaliseSettings({ ...lowered, recordLevel: 'none' }, lowered, '2025-04-01');
  assert.equal(off.historicLevel, null);
});

test('HAZ-06 a typed start date earlier than the change would give opens older records (a review is needed)', () => {
  const detailed = normaliseSettings({ ...NO_SERVICES, recordLevel: 'detailed' }, NO_SERVICES, '2025-06-10');
  const withDate = (date: string) =>
    normaliseSettings({ ...detailed, recordLevel: 'full', prospectiveFrom: date }, detailed, '2026-12-01');
  const usual = normaliseSettings({ ...detailed, recordLevel: 'full' }, detailed, '2026-12-01');
  assert.equal(opensEarlier(usual, withDate('2000-01-01')), true, 'years of notes');
  assert.equal(opensEarlier(usual, withDate('2025-07-01')), true, 'the full level still moves earlier');
  assert.equal(opensEarlier(usual, withDate('2027-01-01')), false, 'a later date only restricts');
  assert.equal(opensEarlier(usual, usual), false);
  const fromNone = normaliseSettings(
    { ...NO_SERVICES, recordLevel: 'summary', prospectiveFrom: '2023-10-31' },
    NO_SERVICES,
    '2026-12-01',
  );
  const fromNoneUsual = normaliseSettings(
    { ...NO_SERVICES, recordLevel: 'summary' },
    NO_SERVICES,
    '2026-12-01',
  );
  assert.equal(opensEarlier(fromNoneUsual, fromNone), true, 'switching on with a past date');
});
