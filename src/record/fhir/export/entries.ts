// One FHIR R4 / UK Core resource per visible record entry, for the export (bundle.ts).
// Pure. References point only at resources in the same export.
import type {
  AllergyIntolerance,
  Condition,
  DocumentReference,
  Encounter,
  Immunization,
  MedicationRequest,
  Observation,
  Procedure,
  ServiceRequest,
} from '@medplum/fhirtypes';
import { SNOMED } from '../../model.ts';
import type { VisibleEntry } from '../../access/rules.ts';
import { isFhirDateTime } from '../import/util.ts';
import {
  ACT_CODE,
  ALLERGY_CATEGORIES,
  ALLERGY_CLINICAL,
  CONDITION_CATEGORY,
  CONDITION_CLINICAL,
  CRITICALITIES,
  OBSERVATION_CATEGORY,
  PRIORITIES,
  PROCEDURE_STATUS,
  SERVICE_REQUEST_STATUS,
} from './codes.ts';
import {
  codedConcept,
  concept,
  courseOfTherapy,
  dateField,
  dispenseRequest,
  doseNumber,
  encounterOf,
  isInstant,
  isVitalSign,
  member,
  meta,
  noteOf,
  observationValue,
  oneOf,
  repeatInformation,
  type Ctx,
} from './elements.ts';
import { narrativeOf } from './narrative.ts';

/** Every resource an entry can become, each with the id of the entry it came from. */
export type EntryResource = (
  | Condition
  | MedicationRequest
  | AllergyIntolerance
  | Immunization
  | Observation
  | Procedure
  | ServiceRequest
  | Encounter
  | DocumentReference
) & { id: string };

export function entryResource(e: VisibleEntry, ctx: Ctx): EntryResource {
  const d = e.details;
  switch (d.kind) {
    case 'problem':
      return {
        resourceType: 'Condition',
        id: e.id,
        meta: meta('Condition'),
        clinicalStatus: codedConcept({
          system: CONDITION_CLINICAL,
          code: d.clinicalStatus === 'active' ? 'active' : 'inactive',
        }),
        category: [
          codedConcept({
            system: CONDITION_CATEGORY,
            code: 'problem-list-item',
            display: 'Problem List Item',
          }),
        ],
        code: concept(e),
        subject: ctx.subject,
        ...encounterOf(e, ctx),
        ...dateField('onsetDateTime', d.onset ?? e.clinicalDate),
        ...dateField('abatementDateTime', d.abatement),
        recordedDate: e.recordedAt,
        ...noteOf(e),
      };
    case 'administrative':
      // The inverse of the importer: online-access codes (104/106/103) arrive as Condition and must
      // come back as 'administrative' on re-import, or a 104 stops blocking automatic access.
      return {
        resourceType: 'Condition',
        id: e.id,
        meta: meta('Condition'),
        code: concept(e),
        subject: ctx.subject,
        ...encounterOf(e, ctx),
        ...dateField('onsetDateTime', e.clinicalDate),
        recordedDate: e.recordedAt,
        ...noteOf(e),
      };
    case 'medication':
      return {
        resourceType: 'MedicationRequest',
        id: e.id,
        meta: meta('MedicationRequest'),
        ...repeatInformation(d),
        status: d.status === 'current' ? 'active' : 'completed',
        intent: 'order',
        medicationCodeableConcept: concept(e),
        subject: ctx.subject,
        ...encounterOf(e, ctx),
        ...dateField('authoredOn', e.clinicalDate ?? e.recordedAt),
        courseOfTherapyType: courseOfTherapy(d.prescriptionType),
        ...noteOf(e),
        ...(d.dosage === null ? {} : { dosageInstruction: [{ text: d.dosage }] }),
        ...dispenseRequest(d),
      };
    case 'allergy':
      return {
        resourceType: 'AllergyIntolerance',
        id: e.id,
        meta: meta('AllergyIntolerance'),
        clinicalStatus: codedConcept({ system: ALLERGY_CLINICAL, code: d.active ? 'active' : 'inactive' }),
        ...(d.type === null ? {} : { type: d.type }),
        ...oneOf('category', { value: d.category, allowed: ALLERGY_CATEGORIES, wrap: (c) => [c] }),
        ...oneOf('criticality', { value: d.criticality, allowed: CRITICALITIES, wrap: (c) => c }),
        code: concept(e),
        patient: ctx.subject,
        ...encounterOf(e, ctx),
        ...dateField('onsetDateTime', e.clinicalDate),
        recordedDate: e.recordedAt,
        ...noteOf(e),
        ...(d.reactions.length === 0
          ? {}
          : { reaction: [{ manifestation: d.reactions.map((text) => ({ text })) }] }),
      };
    case 'immunisation':
      return {
        resourceType: 'Immunization',
        id: e.id,
        meta: meta('Immunization'),
        status: d.status === 'not-done' ? 'not-done' : 'completed',
        vaccineCode: concept(e),
        patient: ctx.subject,
        ...encounterOf(e, ctx),
        // occurrence[x] is required; when the date is not known, say so rather than guess one.
        ...(e.clinicalDate !== null && isFhirDateTime(e.clinicalDate)
          ? { occurrenceDateTime: e.clinicalDate }
          : { occurrenceString: 'unknown' }),
        recorded: e.recordedAt,
        ...(d.site === null ? {} : { site: { text: d.site } }),
        ...noteOf(e),
        ...(d.doseNumber === null ? {} : { protocolApplied: [doseNumber(d.doseNumber)] }),
      };
    case 'result':
    case 'value': {
      const category =
        d.kind === 'result'
          ? [
              codedConcept({ system: OBSERVATION_CATEGORY, code: 'laboratory', display: 'Laboratory' }),
              ...(d.category === null || d.category.toLowerCase() === 'laboratory'
                ? []
                : [{ text: d.category }]),
            ]
          : [
              isVitalSign(e)
                ? codedConcept({ system: OBSERVATION_CATEGORY, code: 'vital-signs', display: 'Vital Signs' })
                : codedConcept({ system: OBSERVATION_CATEGORY, code: 'exam', display: 'Exam' }),
            ];
      return {
        resourceType: 'Observation',
        id: e.id,
        meta: meta('Observation'),
        status: 'final',
        category,
        code: concept(e),
        subject: ctx.subject,
        ...encounterOf(e, ctx),
        ...dateField('effectiveDateTime', e.clinicalDate),
        ...(isInstant(e.recordedAt) ? { issued: e.recordedAt } : {}),
        ...(d.measurement === null ? {} : observationValue(d.measurement)),
        ...noteOf(e),
        ...(d.components.length === 0
          ? {}
          : { component: d.components.map((c) => ({ code: { text: c.name }, ...observationValue(c) })) }),
      };
    }
    case 'procedure':
      return {
        resourceType: 'Procedure',
        id: e.id,
        meta: meta('Procedure'),
        status: member(d.status, PROCEDURE_STATUS) ?? 'unknown',
        code: concept(e),
        subject: ctx.subject,
        ...encounterOf(e, ctx),
        ...dateField('performedDateTime', e.clinicalDate),
        ...(d.performer === null ? {} : { performer: [{ actor: { display: d.performer } }] }),
        ...noteOf(e),
      };
    case 'referral':
      return {
        resourceType: 'ServiceRequest',
        id: e.id,
        meta: meta('ServiceRequest'),
        status: member(d.status, SERVICE_REQUEST_STATUS) ?? 'unknown',
        intent: 'order',
        category: [{ coding: [{ system: SNOMED, code: '3457005', display: 'Patient referral' }] }],
        ...oneOf('priority', { value: d.priority, allowed: PRIORITIES, wrap: (p) => p }),
        code: concept(e),
        subject: ctx.subject,
        ...encounterOf(e, ctx),
        ...dateField('authoredOn', e.clinicalDate),
        ...(d.recipient === null ? {} : { performer: [{ display: d.recipient }] }),
        ...noteOf(e),
      };
    case 'consultation':
      return {
        resourceType: 'Encounter',
        id: e.id,
        meta: meta('Encounter'),
        // Encounter has no note: the consultation's free text is its narrative.
        ...narrativeOf(e.text),
        status: 'finished',
        class: { system: ACT_CODE, code: 'AMB' },
        type: [concept(e, d.consultationType)],
        subject: ctx.subject,
        ...(d.clinician === null ? {} : { participant: [{ individual: { display: d.clinician } }] }),
        ...(e.clinicalDate !== null && isFhirDateTime(e.clinicalDate)
          ? { period: { start: e.clinicalDate } }
          : {}),
        ...(d.location === null ? {} : { location: [{ location: { display: d.location } }] }),
      };
    case 'document': {
      const contentType =
        d.contentType?.toLowerCase().startsWith('text/') === true ? d.contentType : 'text/plain';
      const encounter = encounterOf(e, ctx).encounter;
      return {
        resourceType: 'DocumentReference',
        id: e.id,
        meta: meta('DocumentReference'),
        ...narrativeOf(e.text),
        status: 'current',
        ...(e.coding.length === 0 && d.documentType === null ? {} : { type: concept(e, d.documentType) }),
        subject: ctx.subject,
        ...(e.clinicalDate !== null && isInstant(e.clinicalDate) ? { date: e.clinicalDate } : {}),
        ...(d.author === null ? {} : { author: [{ display: d.author }] }),
        description: e.title,
        content: [
          {
            attachment:
              d.content === null
                ? { title: e.title }
                : {
                    contentType,
                    data: Buffer.from(d.content, 'utf8').toString('base64'),
                    title: e.title,
                    ...dateField('creation', e.clinicalDate),
                  },
          },
        ],
        ...(encounter === undefined ? {} : { context: { encounter: [encounter] } }),
      };
    }
  }
}
