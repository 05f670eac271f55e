import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { Ajv } from 'ajv';
import { toFhirBundle, type ExportPatient, type FhirBundle, type FhirResource } from './bundle.ts';
import { parseBundle } from '../import/parse.ts';
import { DMD, SNOMED, type EntryDetails, type EntryKind } from '../../model.ts';
import type { VisibleEntry } from '../../rules.ts';

const repoRoot = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..', '..');
const NOW = new Date('2025-03-04T05:06:07.000Z');

const patient: ExportPatient = {
  id: '0b4c1a8e-1111-4c2d-9e3f-000000000001',
  nhsNumber: '9912003888',
  givenName: 'Richard John',
  familyName: 'Smith',
  birthDate: '1970-09-11',
  sex: 'male',
  addressLines: ['4 Sandmoor Drive', 'LEEDS'],
  postcode: 'LS17 7DF',
  practice: { odsCode: 'B82005', name: 'White Rose Surgery' },
};

const uuid = (n: number): string => `7f000000-0000-4000-8000-${String(n).padStart(12, '0')}`;
const CONSULTATION = uuid(1);
const HIDDEN_CONSULTATION = uuid(999);

function entry(
  n: number,
  kind: EntryKind,
  title: string,
  details: EntryDetails,
  extra: Partial<VisibleEntry> = {},
): VisibleEntry {
  return {
    id: uuid(n),
    kind,
    clinicalDate: '2024-01-10',
    recordedAt: '2024-01-10T09:30:00.000Z',
    coding: [{ system: SNOMED, code: String(100000 + n), display: title }],
    title,
    text: null,
    consultationId: null,
    details,
    ...extra,
  };
}

const measurement = {
  value: null,
  valueText: null,
  unit: null,
  low: null,
  high: null,
  interpretation: null,
};

/** One entry of every kind, at full access (text and document content present). */
function fullRecord(): VisibleEntry[] {
  return [
    entry(
      1,
      'consultation',
      'Surgery consultation',
      {
        kind: 'consultation',
        clinician: 'Dr Jane Jones',
        location: 'Main surgery',
        consultationType: 'Face to face',
      },
      { text: 'Came in with <cough> & cold.\nAdvised rest.' },
    ),
    entry(
      2,
      'problem',
      'Hypertension',
      { kind: 'problem', clinicalStatus: 'active', significance: 'major', onset: '2019-05', abatement: null },
      { consultationId: CONSULTATION, text: 'Home readings high' },
    ),
    entry(3, 'problem', 'Asthma', {
      kind: 'problem',
      clinicalStatus: 'past',
      significance: null,
      onset: '2001',
      abatement: '2010-06-01',
    }),
    entry(
      4,
      'medication',
      'Ramipril 5mg capsules',
      {
        kind: 'medication',
        prescriptionType: 'repeat',
        status: 'current',
        dosage: 'One a day',
        quantity: 28,
        quantityUnit: 'capsule',
        issuesAuthorised: 6,
        issuesDone: 2,
        reviewDate: '2025-01-10',
        lastIssued: '2024-12-01',
      },
      { coding: [{ system: DMD, code: '39732411000001106', display: 'Ramipril 5mg capsules' }] },
    ),
    entry(5, 'medication', 'Amoxicillin 500mg capsules', {
      kind: 'medication',
      prescriptionType: 'acute',
      status: 'past',
      dosage: null,
      quantity: null,
      quantityUnit: null,
      issuesAuthorised: null,
      issuesDone: null,
      reviewDate: null,
      lastIssued: null,
    }),
    entry(6, 'allergy', 'Penicillin', {
      kind: 'allergy',
      category: 'medication',
      type: 'allergy',
      criticality: 'high',
      reactions: ['Urticarial rash', 'Wheeze'],
      active: true,
    }),
    entry(7, 'immunisation', 'Influenza vaccine', {
      kind: 'immunisation',
      doseNumber: '2',
      site: 'Left upper arm',
      status: 'completed',
    }),
    entry(
      8,
      'result',
      'Serum albumin level',
      {
        kind: 'result',
        measurement: { value: 47, valueText: null, unit: 'g/L', low: 35, high: 50, interpretation: 'N' },
        components: [],
        reportId: 'DiagnosticReport/secret-report',
        category: 'Laboratory',
      },
      { consultationId: HIDDEN_CONSULTATION, text: 'Normal' },
    ),
    entry(
      9,
      'value',
      'Blood pressure',
      {
        kind: 'value',
        measurement: null,
        components: [
          {
            ...measurement,
            name: 'Systolic blood pressure',
            value: 142,
            unit: 'mm[Hg]',
            interpretation: 'H',
          },
          { ...measurement, name: 'Diastolic blood pressure', value: 94, unit: 'mm[Hg]' },
        ],
      },
      { coding: [{ system: SNOMED, code: '75367002', display: 'Blood pressure' }] },
    ),
    entry(10, 'value', 'Smoking status', {
      kind: 'value',
      measurement: { ...measurement, valueText: 'Never smoked', valueCoded: false },
      components: [],
    }),
    entry(11, 'procedure', 'Excision of skin lesion', {
      kind: 'procedure',
      status: 'completed',
      performer: 'Dr Jane Jones',
    }),
    entry(
      12,
      'referral',
      'Referral to dermatology',
      { kind: 'referral', status: 'active', priority: 'routine', recipient: 'Leeds Dermatology' },
      { consultationId: CONSULTATION },
    ),
    entry(
      13,
      'document',
      'Letter from dermatology',
      {
        kind: 'document',
        author: 'Dr Skin',
        contentType: 'text/plain',
        content: 'Dear Dr Jones, seen today — benign.',
        documentType: 'Clinical letter',
      },
      { clinicalDate: '2024-02-01T10:00:00Z', coding: [] },
    ),
    entry(
      14,
      'administrative',
      'Enhanced review not indicated before granting access to own health record',
      { kind: 'administrative' },
      {
        coding: [
          {
            system: SNOMED,
            code: '1364751000000106',
            display: 'Enhanced review not indicated before granting access to own health record',
          },
        ],
      },
    ),
  ];
}

/** The same record as seen below full access: no free text, no document content. */
function detailedRecord(): VisibleEntry[] {
  return fullRecord().map((e) => ({
    ...e,
    text: null,
    details: e.details.kind === 'document' ? { ...e.details, content: null } : e.details,
  }));
}

function resources(bundle: FhirBundle): FhirResource[] {
  return bundle.entry.map((e) => e.resource);
}

function byId(bundle: FhirBundle, n: number): Record<string, unknown> {
  const r = resources(bundle).find((x) => x.id === uuid(n));
  assert.ok(r, `resource ${uuid(n)}`);
  return r;
}

/** Every `reference` string anywhere in a value. */
function referencesIn(value: unknown, out: string[] = []): string[] {
  if (Array.isArray(value)) for (const v of value) referencesIn(v, out);
  else if (typeof value === 'object' && value !== null) {
    for (const [k, v] of Object.entries(value)) {
      if (k === 'reference' && typeof v === 'string') out.push(v);
      else referencesIn(v, out);
    }
  }
  return out;
}

// --- Bundle, Patient, Organization ------------------------------------------------------------

test('a collection Bundle: timestamp now, one entry per resource, fullUrl urn:uuid:<id>', () => {
  const entries = fullRecord();
  const bundle = toFhirBundle(patient, entries, NOW);
  assert.equal(bundle.resourceType, 'Bundle');
  assert.equal(bundle.type, 'collection');
  assert.equal(bundle.timestamp, '2025-03-04T05:06:07.000Z');
  assert.equal(bundle.entry.length, entries.length + 2);
  for (const e of bundle.entry) assert.equal(e.fullUrl, `urn:uuid:${e.resource.id}`);
  assert.deepEqual(
    bundle.entry.slice(2).map((e) => e.resource.id),
    entries.map((e) => e.id),
  );
  assert.equal(new Set(bundle.entry.map((e) => e.fullUrl)).size, bundle.entry.length);
});

test('UK Core Patient and practice Organization, linked by reference and ODS identifier', () => {
  const bundle = toFhirBundle(patient, [], NOW);
  assert.equal(bundle.entry.length, 2);
  const [p, org] = resources(bundle);
  assert.ok(p?.resourceType === 'Patient' && org?.resourceType === 'Organization');
  assert.deepEqual(p, {
    resourceType: 'Patient',
    id: patient.id,
    meta: { profile: ['https://fhir.hl7.org.uk/StructureDefinition/UKCore-Patient'] },
    identifier: [{ system: 'https://fhir.nhs.uk/Id/nhs-number', value: '9912003888' }],
    name: [{ use: 'official', family: 'Smith', given: ['Richard', 'John'] }],
    gender: 'male',
    birthDate: '1970-09-11',
    address: [{ line: ['4 Sandmoor Drive', 'LEEDS'], postalCode: 'LS17 7DF' }],
    generalPractitioner: [
      {
        reference: `urn:uuid:${org.id}`,
        identifier: { system: 'https://fhir.nhs.uk/Id/ods-organization-code', value: 'B82005' },
        display: 'White Rose Surgery',
      },
    ],
  });
  assert.deepEqual(org, {
    resourceType: 'Organization',
    id: org.id,
    meta: { profile: ['https://fhir.hl7.org.uk/StructureDefinition/UKCore-Organization'] },
    identifier: [{ system: 'https://fhir.nhs.uk/Id/ods-organization-code', value: 'B82005' }],
    name: 'White Rose Surgery',
  });
  assert.match(org.id, /^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  // Stable: the same practice always gets the same id; another practice another.
  const again = toFhirBundle(patient, [], new Date(0));
  assert.equal(again.entry[1]?.resource.id, org.id);
  const other = toFhirBundle({ ...patient, practice: { odsCode: 'A81001', name: 'X' } }, [], NOW);
  assert.notEqual(other.entry[1]?.resource.id, org.id);
});

test('Patient leaves out an empty address and an empty name part', () => {
  const bundle = toFhirBundle(
    { ...patient, givenName: '', addressLines: [], postcode: null, sex: 'unknown' },
    [],
    NOW,
  );
  const p = bundle.entry[0]?.resource as unknown as Record<string, unknown>;
  assert.equal('address' in p, false);
  assert.deepEqual(p.name, [{ use: 'official', family: 'Smith' }]);
  assert.equal(p.gender, 'unknown');
});

// --- One resource per entry --------------------------------------------------------------------

test('problem → Condition (status, problem-list-item, code, onset, recordedDate, note, encounter)', () => {
  const bundle = toFhirBundle(patient, fullRecord(), NOW);
  assert.deepEqual(byId(bundle, 2), {
    resourceType: 'Condition',
    id: uuid(2),
    meta: { profile: ['https://fhir.hl7.org.uk/StructureDefinition/UKCore-Condition'] },
    clinicalStatus: {
      coding: [{ system: 'http://terminology.hl7.org/CodeSystem/condition-clinical', code: 'active' }],
    },
    category: [
      {
        coding: [
          {
            system: 'http://terminology.hl7.org/CodeSystem/condition-category',
            code: 'problem-list-item',
            display: 'Problem List Item',
          },
        ],
      },
    ],
    code: { coding: [{ system: SNOMED, code: '100002', display: 'Hypertension' }], text: 'Hypertension' },
    subject: { reference: `urn:uuid:${patient.id}` },
    encounter: { reference: `urn:uuid:${CONSULTATION}` },
    onsetDateTime: '2019-05',
    recordedDate: '2024-01-10T09:30:00.000Z',
    note: [{ text: 'Home readings high' }],
  });
  const past = byId(bundle, 3);
  assert.deepEqual(past.clinicalStatus, {
    coding: [{ system: 'http://terminology.hl7.org/CodeSystem/condition-clinical', code: 'inactive' }],
  });
  assert.equal(past.abatementDateTime, '2010-06-01');
  assert.equal('note' in past, false);
  assert.equal('encounter' in past, false);
});

test('medication → MedicationRequest (status, intent, course of therapy, dosage, quantity, repeats)', () => {
  const bundle = toFhirBundle(patient, fullRecord(), NOW);
  const repeat = byId(bundle, 4);
  assert.equal(repeat.resourceType, 'MedicationRequest');
  assert.equal(repeat.status, 'active');
  assert.equal(repeat.intent, 'order');
  assert.deepEqual(repeat.courseOfTherapyType, {
    coding: [
      {
        system: 'http://terminology.hl7.org/CodeSystem/medicationrequest-course-of-therapy',
        code: 'continuous',
        display: 'Continuous long term therapy',
      },
    ],
  });
  assert.deepEqual(repeat.medicationCodeableConcept, {
    coding: [{ system: DMD, code: '39732411000001106', display: 'Ramipril 5mg capsules' }],
    text: 'Ramipril 5mg capsules',
  });
  assert.deepEqual(repeat.dosageInstruction, [{ text: 'One a day' }]);
  assert.deepEqual(repeat.dispenseRequest, {
    numberOfRepeatsAllowed: 6,
    quantity: { value: 28, unit: 'capsule' },
  });
  assert.equal(repeat.authoredOn, '2024-01-10');
  assert.deepEqual(repeat.extension, [
    {
      url: 'https://fhir.hl7.org.uk/StructureDefinition/Extension-UKCore-MedicationRepeatInformation',
      extension: [
        { url: 'numberOfPrescriptionsIssued', valueUnsignedInt: 2 },
        { url: 'authorisationExpiryDate', valueDateTime: '2025-01-10' },
      ],
    },
  ]);
  const acute = byId(bundle, 5);
  assert.equal(acute.status, 'completed');
  assert.equal((acute.courseOfTherapyType as { coding: { code: string }[] }).coding[0]?.code, 'acute');
  for (const absent of ['dosageInstruction', 'dispenseRequest', 'extension', 'note']) {
    assert.equal(absent in acute, false, absent);
  }
});

test('allergy → AllergyIntolerance; immunisation → Immunization', () => {
  const bundle = toFhirBundle(patient, fullRecord(), NOW);
  const allergy = byId(bundle, 6);
  assert.equal(allergy.resourceType, 'AllergyIntolerance');
  assert.deepEqual(allergy.clinicalStatus, {
    coding: [{ system: 'http://terminology.hl7.org/CodeSystem/allergyintolerance-clinical', code: 'active' }],
  });
  assert.equal(allergy.type, 'allergy');
  assert.deepEqual(allergy.category, ['medication']);
  assert.equal(allergy.criticality, 'high');
  assert.deepEqual(allergy.patient, { reference: `urn:uuid:${patient.id}` });
  assert.deepEqual(allergy.reaction, [{ manifestation: [{ text: 'Urticarial rash' }, { text: 'Wheeze' }] }]);
  assert.equal(allergy.recordedDate, '2024-01-10T09:30:00.000Z');

  const vaccine = byId(bundle, 7);
  assert.equal(vaccine.resourceType, 'Immunization');
  assert.equal(vaccine.status, 'completed');
  assert.equal(vaccine.occurrenceDateTime, '2024-01-10');
  assert.equal(vaccine.recorded, '2024-01-10T09:30:00.000Z');
  assert.deepEqual(vaccine.site, { text: 'Left upper arm' });
  assert.deepEqual(vaccine.protocolApplied, [{ doseNumberPositiveInt: 2 }]);

  const [notDone] = toFhirBundle(
    patient,
    [
      entry(
        7,
        'immunisation',
        'Flu',
        { kind: 'immunisation', doseNumber: 'booster', site: null, status: 'not-done' },
        { clinicalDate: null },
      ),
    ],
    NOW,
  ).entry.slice(2);
  const r = notDone?.resource as unknown as Record<string, unknown>;
  assert.equal(r.status, 'not-done');
  assert.equal(r.occurrenceString, 'unknown');
  assert.equal('occurrenceDateTime' in r, false);
  assert.deepEqual(r.protocolApplied, [{ doseNumberString: 'booster' }]);
});

test('result → laboratory Observation; value → vital-signs or exam Observation with components', () => {
  const bundle = toFhirBundle(patient, fullRecord(), NOW);
  const lab = byId(bundle, 8);
  assert.equal(lab.resourceType, 'Observation');
  assert.equal(lab.status, 'final');
  assert.deepEqual(lab.category, [
    {
      coding: [
        {
          system: 'http://terminology.hl7.org/CodeSystem/observation-category',
          code: 'laboratory',
          display: 'Laboratory',
        },
      ],
    },
  ]);
  assert.deepEqual(lab.valueQuantity, { value: 47, unit: 'g/L' });
  assert.deepEqual(lab.referenceRange, [
    { low: { value: 35, unit: 'g/L' }, high: { value: 50, unit: 'g/L' } },
  ]);
  assert.deepEqual(lab.interpretation, [
    { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/v3-ObservationInterpretation', code: 'N' }] },
  ]);
  assert.equal(lab.effectiveDateTime, '2024-01-10');
  assert.equal(lab.issued, '2024-01-10T09:30:00.000Z');
  // Its consultation is not exported: no encounter reference, and the report id is not leaked.
  assert.equal('encounter' in lab, false);
  assert.doesNotMatch(JSON.stringify(bundle), /secret-report/);

  const bp = byId(bundle, 9);
  assert.equal((bp.category as { coding: { code: string }[] }[])[0]?.coding[0]?.code, 'vital-signs');
  assert.equal('valueQuantity' in bp, false);
  assert.deepEqual(bp.component, [
    {
      code: { text: 'Systolic blood pressure' },
      valueQuantity: { value: 142, unit: 'mm[Hg]' },
      interpretation: [
        {
          coding: [
            { system: 'http://terminology.hl7.org/CodeSystem/v3-ObservationInterpretation', code: 'H' },
          ],
        },
      ],
    },
    { code: { text: 'Diastolic blood pressure' }, valueQuantity: { value: 94, unit: 'mm[Hg]' } },
  ]);
  const smoking = byId(bundle, 10);
  assert.equal((smoking.category as { coding: { code: string }[] }[])[0]?.coding[0]?.code, 'exam');
  assert.equal(smoking.valueString, 'Never smoked');
});

test('procedure → Procedure; referral → ServiceRequest', () => {
  const bundle = toFhirBundle(patient, fullRecord(), NOW);
  const procedure = byId(bundle, 11);
  assert.equal(procedure.resourceType, 'Procedure');
  assert.equal(procedure.status, 'completed');
  assert.equal(procedure.performedDateTime, '2024-01-10');
  assert.deepEqual(procedure.performer, [{ actor: { display: 'Dr Jane Jones' } }]);

  const referral = byId(bundle, 12);
  assert.equal(referral.resourceType, 'ServiceRequest');
  assert.equal(referral.status, 'active');
  assert.equal(referral.intent, 'order');
  assert.equal(referral.priority, 'routine');
  assert.deepEqual(referral.category, [
    { coding: [{ system: SNOMED, code: '3457005', display: 'Patient referral' }] },
  ]);
  assert.deepEqual(referral.performer, [{ display: 'Leeds Dermatology' }]);
  assert.equal(referral.authoredOn, '2024-01-10');
  assert.deepEqual(referral.encounter, { reference: `urn:uuid:${CONSULTATION}` });

  const unknown = toFhirBundle(
    patient,
    [entry(11, 'procedure', 'X', { kind: 'procedure', status: 'weird', performer: null })],
    NOW,
  ).entry[2]?.resource as unknown as Record<string, unknown>;
  assert.equal(unknown.status, 'unknown');
  assert.equal('performer' in unknown, false);
});

test('consultation → Encounter (finished, AMB, period, participant, narrative text)', () => {
  const bundle = toFhirBundle(patient, fullRecord(), NOW);
  assert.deepEqual(byId(bundle, 1), {
    resourceType: 'Encounter',
    id: CONSULTATION,
    meta: { profile: ['https://fhir.hl7.org.uk/StructureDefinition/UKCore-Encounter'] },
    text: {
      status: 'additional',
      div: '<div xmlns="http://www.w3.org/1999/xhtml">Came in with &lt;cough&gt; &amp; cold.<br/>Advised rest.</div>',
    },
    status: 'finished',
    class: { system: 'http://terminology.hl7.org/CodeSystem/v3-ActCode', code: 'AMB' },
    type: [
      { coding: [{ system: SNOMED, code: '100001', display: 'Surgery consultation' }], text: 'Face to face' },
    ],
    subject: { reference: `urn:uuid:${patient.id}` },
    participant: [{ individual: { display: 'Dr Jane Jones' } }],
    period: { start: '2024-01-10' },
    location: [{ location: { display: 'Main surgery' } }],
  });
});

test('document → DocumentReference: text/plain base64 content at full access, title only without it', () => {
  const full = byId(toFhirBundle(patient, fullRecord(), NOW), 13);
  assert.equal(full.resourceType, 'DocumentReference');
  assert.equal(full.status, 'current');
  assert.equal(full.description, 'Letter from dermatology');
  assert.equal(full.date, '2024-02-01T10:00:00Z');
  assert.deepEqual(full.type, { text: 'Clinical letter' });
  assert.deepEqual(full.author, [{ display: 'Dr Skin' }]);
  assert.deepEqual(full.content, [
    {
      attachment: {
        contentType: 'text/plain',
        data: Buffer.from('Dear Dr Jones, seen today — benign.', 'utf8').toString('base64'),
        title: 'Letter from dermatology',
        creation: '2024-02-01T10:00:00Z',
      },
    },
  ]);
  const detailed = byId(toFhirBundle(patient, detailedRecord(), NOW), 13);
  assert.deepEqual(detailed.content, [{ attachment: { title: 'Letter from dermatology' } }]);
});

test('administrative → Condition without a problem-list category (re-imports as administrative)', () => {
  const admin = byId(toFhirBundle(patient, fullRecord(), NOW), 14);
  assert.equal(admin.resourceType, 'Condition');
  assert.equal('category' in admin, false);
  assert.equal('clinicalStatus' in admin, false);
  assert.deepEqual((admin.code as { coding: unknown[] }).coding, [
    {
      system: SNOMED,
      code: '1364751000000106',
      display: 'Enhanced review not indicated before granting access to own health record',
    },
  ]);
});

// --- Only what it is given ---------------------------------------------------------------------

test('nothing outside the given entries appears; references point only at exported resources', () => {
  const all = fullRecord();
  const given = all.filter((e) => e.id !== uuid(3) && e.id !== uuid(6));
  const bundle = toFhirBundle(patient, given, NOW);
  const json = JSON.stringify(bundle);
  assert.doesNotMatch(json, new RegExp(uuid(3)));
  assert.doesNotMatch(json, new RegExp(uuid(6)));
  assert.doesNotMatch(json, /Asthma|Penicillin|Urticarial/);
  assert.doesNotMatch(json, new RegExp(HIDDEN_CONSULTATION));
  const fullUrls = new Set(bundle.entry.map((e) => e.fullUrl));
  const refs = referencesIn(bundle);
  assert.ok(refs.length > given.length);
  for (const ref of refs) assert.ok(fullUrls.has(ref), `${ref} is exported`);

  // Without the consultation, nothing points at it.
  const noConsultation = toFhirBundle(
    patient,
    all.filter((e) => e.kind !== 'consultation'),
    NOW,
  );
  assert.doesNotMatch(JSON.stringify(noConsultation), new RegExp(CONSULTATION));
  for (const ref of referencesIn(noConsultation)) {
    assert.ok(noConsultation.entry.some((e) => e.fullUrl === ref));
  }
  // Nothing given: only the patient and the practice.
  assert.deepEqual(
    toFhirBundle(patient, [], NOW).entry.map((e) => e.resource.resourceType),
    ['Patient', 'Organization'],
  );
});

test('free text and document content are absent when null', () => {
  const bundle = toFhirBundle(patient, detailedRecord(), NOW);
  const json = JSON.stringify(bundle);
  for (const secret of ['Home readings high', 'cough', 'Advised rest', 'Normal"', 'Dear Dr Jones']) {
    assert.equal(json.includes(secret), false, secret);
  }
  assert.equal(json.includes(Buffer.from('Dear Dr Jones', 'utf8').toString('base64').slice(0, 12)), false);
  for (const r of resources(bundle)) {
    assert.equal('note' in r, false, `${r.resourceType} note`);
    assert.equal('text' in r, false, `${r.resourceType} text`);
  }
  assert.equal(json.includes('"data"'), false);
});

test('pure: the same input gives the same Bundle and the input is not changed', () => {
  const entries = fullRecord();
  const before = structuredClone(entries);
  assert.deepEqual(toFhirBundle(patient, entries, NOW), toFhirBundle(patient, entries, NOW));
  assert.deepEqual(entries, before);
});

// --- Round trip through the importer -----------------------------------------------------------

/**
 * What a round trip is known to lose: problem significance (no UK Core R4 element or extension)
 * a medicine's last issue date (MedicationStatement only, not MedicationRequest) and a result's
 * report id (the DiagnosticReport is not an entry, so it is not exported and not pointed at).
 */
function withoutKnownLosses(d: EntryDetails): EntryDetails {
  if (d.kind === 'problem') return { ...d, significance: null };
  if (d.kind === 'medication') return { ...d, lastIssued: null };
  if (d.kind === 'result') return { ...d, reportId: null };
  // Codes of reactions, sites and component names are not kept, so what the export writes as
  // text comes back as typed text (HAZ-02).
  if (d.kind === 'allergy') return { ...d, reactions: [] };
  if (d.kind === 'immunisation') return { ...d, site: null };
  if (d.kind === 'value') return { ...d, components: d.components.map((c) => ({ ...c, nameCoded: false })) };
  return d;
}

/** What the importer makes of an entry's text: typed reactions or site first, then the notes. */
function textBack(e: { kind: string; text: string | null; details: EntryDetails }): string | null {
  const d = e.details;
  const typed =
    d.kind === 'allergy'
      ? d.reactions.map((r) => `Reaction: ${r}`)
      : d.kind === 'immunisation' && d.site
        ? [`Site: ${d.site}`]
        : [];
  // Encounter and DocumentReference have no note: their text is the narrative, which the importer does not read.
  const notes = e.kind === 'consultation' || e.kind === 'document' || !e.text ? [] : [e.text];
  const parts = [...typed, ...notes];
  return parts.length ? parts.join('\n\n') : null;
}

test('round trip: parseBundle reads the export back with the same kinds, titles and codes', () => {
  const entries = fullRecord();
  const result = parseBundle(toFhirBundle(patient, entries, NOW));
  assert.deepEqual(result.problems, []);
  assert.deepEqual(result.skipped, { Organization: 1 }); // read only through Patient.generalPractitioner
  assert.equal(result.patients.length, 1);
  const parsed = result.patients[0]!;
  assert.deepEqual(parsed.problems, []);
  assert.equal(parsed.patient.nhsNumber, patient.nhsNumber);
  assert.equal(parsed.patient.givenName, patient.givenName);
  assert.equal(parsed.patient.familyName, patient.familyName);
  assert.equal(parsed.patient.birthDate, patient.birthDate);
  assert.equal(parsed.patient.sex, patient.sex);
  assert.deepEqual(parsed.patient.addressLines, patient.addressLines);
  assert.equal(parsed.patient.postcode, patient.postcode);
  assert.equal(parsed.patient.generalPractitionerOds, patient.practice.odsCode);
  assert.equal(parsed.entries.length, entries.length);
  const simple = (e: { kind: string; title: string; coding: { system: string; code: string }[] }) => ({
    kind: e.kind,
    title: e.title,
    codes: e.coding.map((c) => `${c.system}|${c.code}`),
  });
  assert.deepEqual(parsed.entries.map(simple), entries.map(simple));
  for (const [i, e] of entries.entries()) {
    const back = parsed.entries[i]!;
    assert.equal(back.text, textBack(e), `${e.kind} text`);
    assert.equal(back.source?.id.endsWith(`/${e.id}`), true);
    assert.equal(
      back.consultationSource,
      e.consultationId === CONSULTATION ? `Encounter/${CONSULTATION}` : null,
      `${e.kind} consultation`,
    );
    if (e.details.kind === 'document') {
      assert.ok(back.details.kind === 'document');
      assert.equal(back.details.content, e.details.content);
      assert.equal(back.details.documentType, e.details.documentType);
    } else if (e.kind !== 'consultation')
      assert.deepEqual(back.details, withoutKnownLosses(e.details), e.kind);
  }
});

// --- Real data: the official FHIR R4 JSON schema -----------------------------------------------

test('real data: every exported resource and the Bundle validate against the FHIR R4 JSON schema', (t) => {
  const schemaPath = join(repoRoot, '..', 'shared', 'data', 'fhir-r4-schema', 'fhir.schema.json');
  if (!existsSync(schemaPath)) {
    if (process.env.CI === 'true') assert.fail(`${schemaPath} is missing on CI`);
    t.diagnostic('real-data tier skipped: ../shared/data not found');
    return;
  }
  const schema = JSON.parse(readFileSync(schemaPath, 'utf8')) as Record<string, unknown>;
  delete schema.id; // draft-04 style "id": Ajv 8 wants $id; the schema is added under its file name instead
  const require = createRequire(import.meta.url);
  const ajv = new Ajv({ strict: false, allErrors: true });
  ajv.addMetaSchema(require('ajv/dist/refs/json-schema-draft-06.json') as Record<string, unknown>);
  ajv.addSchema(schema, 'fhir.schema.json');
  const validators = new Map<string, ReturnType<typeof ajv.compile>>();
  const validate = (type: string, value: unknown): string[] => {
    let v = validators.get(type);
    if (v === undefined) {
      v = ajv.compile({ $ref: `fhir.schema.json#/definitions/${type}` });
      validators.set(type, v);
    }
    return v(value) ? [] : (v.errors ?? []).map((e) => `${type}${e.instancePath} ${e.message ?? ''}`);
  };
  for (const entries of [fullRecord(), detailedRecord()]) {
    const bundle = toFhirBundle(patient, entries, NOW);
    const errors = resources(bundle).flatMap((r) => validate(r.resourceType, r));
    assert.deepEqual(errors, []);
    assert.deepEqual(validate('Bundle', bundle), []);
  }
  // The schema does catch mistakes (so a pass means something).
  assert.notDeepEqual(validate('Encounter', { resourceType: 'Encounter', status: 'done', class: {} }), []);
});
