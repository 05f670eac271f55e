// Clinical-safety boundaries of the one access rule (issue #8; docs/clinical-safety/hazard-log.md): free text, the access codes and coded titles.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Measurement } from '../model.ts';
import { CODE_DECLINED, CODE_ENHANCED_REVIEW, CODE_NO_ENHANCED_REVIEW } from './automatic-rules.ts';
import { visibleRecord } from './rules.ts';
import { access, entry, ids, measurement, only, SCT } from './safety-fixtures.ts';

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
