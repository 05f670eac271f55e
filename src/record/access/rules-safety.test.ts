// Clinical-safety boundaries of the one access rule (issue #8; docs/clinical-safety/hazard-log.md).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { EntryDetails, Measurement, RecordAccess, RecordEntry } from '../model.ts';
import {
  automaticAccess,
  CODE_DECLINED,
  CODE_ENHANCED_REVIEW,
  CODE_NO_ENHANCED_REVIEW,
  decidingAccessCode,
  sixteenthBirthdayBetween,
} from './automatic-rules.ts';
import { visibleRecord } from './rules.ts';

let n = 0;
const SCT = 'http://snomed.info/sct';
const measurement = (over: Partial<Measurement> = {}): Measurement => ({
  value: null,
  valueText: null,
  unit: null,
  low: null,
  high: null,
  interpretation: null,
  ...over,
});
const medication = (status: 'current' | 'past'): EntryDetails => ({
  kind: 'medication',
  prescriptionType: 'repeat',
  status,
  dosage: 'One tablet daily',
  quantity: 28,
  quantityUnit: 'tablet',
  issuesAuthorised: null,
  issuesDone: null,
  reviewDate: null,
  lastIssued: null,
});

function entry(over: Partial<RecordEntry> & Pick<RecordEntry, 'kind'>): RecordEntry {
  n++;
  const details: EntryDetails =
    over.kind === 'medication'
      ? medication('current')
      : over.kind === 'allergy'
        ? {
            kind: 'allergy',
            category: null,
            type: null,
            criticality: null,
            reactions: ['Rash'],
            active: true,
          }
        : over.kind === 'consultation'
          ? { kind: 'consultation', clinician: 'Dr A', location: null, consultationType: null }
          : over.kind === 'document'
            ? {
                kind: 'document',
                author: null,
                contentType: 'text/plain',
                content: 'letter',
                documentType: null,
              }
            : over.kind === 'result'
              ? {
                  kind: 'result',
                  measurement: measurement({ value: 5 }),
                  components: [],
                  reportId: null,
                  category: null,
                }
              : over.kind === 'administrative'
                ? { kind: 'administrative' }
                : { kind: 'procedure', status: null, performer: null };
  return {
    id: `s${String(n)}`,
    patientId: 'p',
    practiceOds: 'P81082',
    source: null,
    clinicalDate: '2026-06-01',
    recordedAt: '2026-06-01T10:00:00Z',
    coding: [{ system: SCT, code: String(200000 + n), display: `Coded ${String(n)}` }],
    title: `Coded ${String(n)}`,
    text: 'Seen with her partner, who is drinking again',
    consultationId: null,
    draft: false,
    unfiled: false,
    unreviewed: false,
    visibleOnline: true,
    importedAt: '2026-06-01T10:00:00Z',
    details,
    ...over,
  };
}

const access = (over: Partial<RecordAccess> = {}): RecordAccess => ({
  level: 'full',
  prospectiveFrom: '2026-01-01',
  detailedFrom: '2026-01-01',
  fullFrom: '2026-01-01',
  historicAccess: false,
  historicLevel: 'full',
  reviewedAt: '2026-06-02T00:00:00Z',
  withheld: false,
  ...over,
});
const ids = (entries: RecordEntry[], a: RecordAccess) => visibleRecord(entries, a).map((e) => e.id);
const only = (e: RecordEntry, a: RecordAccess) => visibleRecord([e], a)[0];

// --- Free text only at full access ------------------------------------------------------------

test('HAZ-02 a result written as text (valueString) is free text: the coded entry shows without it below full', () => {
  const typed = entry({
    kind: 'result',
    details: {
      kind: 'result',
      measurement: measurement({ valueText: 'Partner reports she is frightened', valueCoded: false }),
      components: [
        measurement({ valueText: 'see note', valueCoded: false }) as Measurement & { name: string },
      ],
      reportId: null,
      category: 'laboratory',
    },
  });
  for (const level of ['detailed', 'summary'] as const) {
    const shown = visibleRecord([typed], access({ level }));
    if (level === 'summary') {
      assert.deepEqual(shown, [], 'results are not summary information');
      continue;
    }
    const d = shown[0]?.details;
    assert.ok(d?.kind === 'result');
    assert.equal(d.measurement?.valueText, null);
    assert.equal(d.components[0]?.valueText, null);
    assert.equal(shown[0]?.text, null);
    assert.doesNotMatch(JSON.stringify(shown), /frightened|see note|drinking/);
  }
  const full = only(typed, access());
  assert.ok(full?.details.kind === 'result');
  assert.equal(full.details.measurement?.valueText, 'Partner reports she is frightened');
});

test('HAZ-02 a coded value (a concept’s display) stays at detailed; an interpretation written as text does not', () => {
  const coded = entry({
    kind: 'result',
    details: {
      kind: 'result',
      measurement: measurement({
        valueText: 'Positive',
        valueCoded: true,
        interpretation: 'Discussed with mum',
      }),
      components: [],
      reportId: null,
      category: null,
    },
  });
  const d = only(coded, access({ level: 'detailed' }))?.details;
  assert.ok(d?.kind === 'result');
  const m = d.measurement;
  assert.ok(m);
  assert.equal(m.valueText, 'Positive');
  assert.equal(m.interpretation, null);
  const flagged = entry({
    kind: 'result',
    details: {
      kind: 'result',
      measurement: measurement({ value: 9, interpretation: 'H' }),
      components: [],
      reportId: null,
      category: null,
    },
  });
  const f = only(flagged, access({ level: 'detailed' }))?.details;
  assert.equal(f?.kind === 'result' ? f.measurement?.interpretation : undefined, 'H');
});

test('HAZ-02 text typed with a code is free text: below full the title is the code’s display', () => {
  const e = entry({
    kind: 'procedure',
    coding: [{ system: SCT, code: '80146002', display: 'Appendicectomy' }],
    title: 'Appendicectomy — mother says her brother did this to him',
  });
  assert.equal(only(e, access({ level: 'detailed' }))?.title, 'Appendicectomy');
  assert.equal(only(e, access())?.title, e.title);
  // An entry with nothing coded is not part of the coded record: nothing of it below full.
  const uncoded = entry({ kind: 'procedure', coding: [], title: 'Typed: note about neighbour' });
  assert.deepEqual(ids([uncoded], access({ level: 'detailed' })), []);
  assert.deepEqual(ids([uncoded], access()), [uncoded.id]);
  // A medicine or allergy keeps its name (summary information), never the text with it.
  const med = entry({ kind: 'medication', coding: [], title: 'Sertraline 50mg tablets' });
  const shown = only(med, access({ level: 'summary' }));
  assert.ok(shown);
  assert.equal(shown.title, 'Sertraline 50mg tablets');
  assert.equal(shown.text, null);
});

test('HAZ-02 every field of every kind below full holds no free text', () => {
  const kinds = [
    'problem',
    'medication',
    'allergy',
    'immunisation',
    'result',
    'value',
    'procedure',
    'referral',
    'consultation',
    'administrative',
  ] as const;
  const all = kinds.map((kind) => entry({ kind }));
  const shown = visibleRecord(all, access({ level: 'detailed' }));
  assert.equal(shown.length, kinds.length);
  for (const e of shown) assert.equal(e.text, null, e.kind);
  assert.doesNotMatch(JSON.stringify(shown), /drinking/);
});

// --- A redacted consultation leaves no text ---------------------------------------------------

test('HAZ-02 a hidden consultation: the medicine and allergy kept from it lose all its free text, even at full', () => {
  const c = entry({ kind: 'consultation', visibleOnline: false });
  const med = entry({ kind: 'medication', consultationId: c.id });
  const allergy = entry({ kind: 'allergy', consultationId: c.id });
  const coded = entry({ kind: 'procedure', consultationId: c.id });
  const out = visibleRecord([c, med, allergy, coded], access({ historicAccess: true }));
  assert.deepEqual(
    out.map((e) => e.id),
    [med.id, allergy.id],
  );
  for (const e of out) {
    assert.equal(e.text, null);
    assert.equal(e.consultationId, null);
  }
  assert.doesNotMatch(JSON.stringify(out), /drinking/);
  // The same medicine from a visible consultation keeps its text at full.
  const shownC = entry({ kind: 'consultation' });
  const med2 = entry({ kind: 'medication', consultationId: shownC.id });
  assert.equal(visibleRecord([shownC, med2], access())[1]?.text, med2.text);
});

// --- A new level starts a new prospective date --------------------------------------------------

test('HAZ-04 raised level: coded entries from before detailed access began stay hidden; medicines shown before stay shown', () => {
  // Summary since 2024, detailed since 10 June 2025, full since 1 December 2026.
  const a = access({ prospectiveFrom: '2024-03-01', detailedFrom: '2025-06-10', fullFrom: '2026-12-01' });
  const pastMed = entry({
    kind: 'medication',
    recordedAt: '2024-05-01T09:00:00Z',
    details: medication('past'),
  });
  const beforeDetailed = entry({ kind: 'procedure', recordedAt: '2025-06-09T22:59:59Z' }); // 23:59:59 BST on the 9th
  const onDetailedDay = entry({ kind: 'procedure', recordedAt: '2025-06-09T23:30:00Z' }); // 00:30 BST on the 10th
  const letterBefore = entry({ kind: 'document', recordedAt: '2026-11-30T23:59:59Z' });
  const letterOnDay = entry({ kind: 'document', recordedAt: '2026-12-01T00:00:00Z' });
  assert.deepEqual(ids([pastMed, beforeDetailed, onDetailedDay, letterBefore, letterOnDay], a), [
    pastMed.id,
    onDetailedDay.id,
    letterOnDay.id,
  ]);
  // Free text written before full access began is not shown with the coded entry.
  assert.equal(only(onDetailedDay, a)?.text, null);
  assert.equal(only(letterOnDay, a)?.text, letterOnDay.text);
  // Historic access (after a review) opens every date.
  assert.equal(only(beforeDetailed, { ...a, historicAccess: true })?.text, beforeDetailed.text);
});

test('HAZ-07 the start day opens at England’s midnight: 00:30 in summer time is in, 23:59 the day before is out', () => {
  const a = access({
    level: 'detailed',
    prospectiveFrom: '2026-07-16',
    detailedFrom: '2026-07-16',
    fullFrom: null,
  });
  const at0030 = entry({ kind: 'procedure', recordedAt: '2026-07-15T23:30:00Z' });
  const at2359 = entry({ kind: 'procedure', recordedAt: '2026-07-15T22:59:00Z' });
  const nextDay = entry({ kind: 'procedure', recordedAt: '2026-07-17T09:00:00Z' });
  assert.deepEqual(ids([at0030, at2359, nextDay], a), [at0030.id, nextDay.id]);
  const leap = access({
    level: 'detailed',
    prospectiveFrom: '2028-02-29',
    detailedFrom: '2028-02-29',
    fullFrom: null,
  });
  const feb28 = entry({ kind: 'procedure', recordedAt: '2028-02-28T23:59:59Z' });
  const feb29 = entry({ kind: 'procedure', recordedAt: '2028-02-29T00:00:00Z' });
  const mar1 = entry({ kind: 'procedure', recordedAt: '2028-03-01T00:00:00Z' });
  assert.deepEqual(ids([feb28, feb29, mar1], leap), [feb29.id, mar1.id]);
});

// --- The codes themselves stay private ------------------------------------------------------------

test('HAZ-03 the 104, 106 and 103 codes are never shown, at any level, with historic access, or typed as text', () => {
  const codes = [CODE_ENHANCED_REVIEW, CODE_NO_ENHANCED_REVIEW, CODE_DECLINED].map((code) =>
    entry({ kind: 'administrative', coding: [{ system: SCT, code, display: 'Online access code' }] }),
  );
  const typed = entry({
    kind: 'administrative',
    coding: [
      {
        system: SCT,
        code: '999999',
        display: 'Enhanced review indicated before granting access to own health record',
      },
    ],
  });
  const second = entry({
    kind: 'administrative',
    coding: [
      { system: SCT, code: '308342008', display: 'Patient data status' },
      { system: SCT, code: CODE_ENHANCED_REVIEW, display: null },
    ],
  });
  const other = entry({ kind: 'administrative' });
  assert.deepEqual(ids([...codes, typed, second, other], access({ historicAccess: true })), [other.id]);
});

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

// --- Historic access: the levels it was granted at, the entries the review saw ------------------

test('HAZ-06 historic access granted at summary opens no older coded entries or notes when the level is raised', () => {
  const old = entry({
    kind: 'consultation',
    recordedAt: '2020-03-01T09:00:00Z',
    importedAt: '2020-03-01T09:00:00Z',
  });
  const oldPastMed = entry({
    kind: 'medication',
    recordedAt: '2020-03-01T09:00:00Z',
    importedAt: '2020-03-01T09:00:00Z',
    details: medication('past'),
  });
  const raised = access({
    prospectiveFrom: '2024-01-01',
    detailedFrom: '2026-12-01',
    fullFrom: '2026-12-01',
    historicAccess: true,
    historicLevel: 'summary',
  });
  assert.deepEqual(ids([old, oldPastMed], raised), [oldPastMed.id], 'older medicines only, as granted');
  assert.equal(only(oldPastMed, raised)?.text, null, 'and without notes: free text was not granted');
  assert.deepEqual(ids([old], { ...raised, historicLevel: 'full' }), [old.id]);
});

test('HAZ-06 historic access opens only what had arrived by the whole-record review', () => {
  const seen = entry({
    kind: 'procedure',
    recordedAt: '2015-01-01T09:00:00Z',
    importedAt: '2026-05-01T09:00:00Z',
  });
  const later = entry({
    kind: 'procedure',
    recordedAt: '2015-01-01T09:00:00Z',
    importedAt: '2026-06-03T09:00:00Z',
  });
  const a = access({ historicAccess: true, reviewedAt: '2026-06-02T00:00:00Z' });
  assert.deepEqual(ids([seen, later], a), [seen.id]);
  assert.deepEqual(ids([seen, later], { ...a, reviewedAt: null }), [], 'no review, no older records');
  // Entries recorded after the start date need no review.
  const recent = entry({
    kind: 'procedure',
    recordedAt: '2026-07-01T09:00:00Z',
    importedAt: '2026-07-01T09:00:00Z',
  });
  assert.deepEqual(ids([recent], a), [recent.id]);
});

test('HAZ-11 a coded entry with no display is shown by its kind, not dropped', () => {
  const vaccine = entry({
    kind: 'immunisation',
    coding: [{ system: 'https://dmd.nhs.uk', code: '39114911000001105', display: null }],
    title: 'typed: given by the school nurse after mum agreed',
    details: { kind: 'immunisation', doseNumber: '1', site: null, status: 'completed' },
  });
  assert.equal(only(vaccine, access({ level: 'detailed' }))?.title, 'Vaccination');
});

test('HAZ-02 typed component names and every free-text field are empty below full', () => {
  const typed = 'TYPED-her partner says';
  const bp = entry({
    kind: 'value',
    text: typed,
    details: {
      kind: 'value',
      measurement: measurement({ valueText: typed, valueCoded: false, interpretation: typed }),
      components: [{ ...measurement({ value: 140, valueText: typed }), name: typed, nameCoded: false }],
    },
  });
  const doc = entry({
    kind: 'document',
    details: {
      kind: 'document',
      author: 'Dr B',
      contentType: 'text/plain',
      content: typed,
      documentType: null,
    },
  });
  const allergy = entry({ kind: 'allergy', text: typed });
  const consultation = entry({ kind: 'consultation', text: typed });
  const detailed = visibleRecord([bp, doc, allergy, consultation], access({ level: 'detailed' }));
  assert.equal(detailed.length, 3, 'no document below full');
  assert.doesNotMatch(JSON.stringify(detailed), /TYPED/);
  const full = visibleRecord([bp, doc, allergy, consultation], access());
  assert.equal(full.length, 4);
  assert.match(JSON.stringify(full), /TYPED/);
  // The same at full access for entries from before full access began.
  const late = visibleRecord([bp, doc, allergy, consultation], access({ fullFrom: '2026-06-02' }));
  assert.doesNotMatch(JSON.stringify(late), /TYPED/);
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
