// MedicationRequest and MedicationStatement → 'medication' entries (UK Core repeat information,
// prescription type, dm+d or RxNorm coding kept as sent).
import { buildEntry, type DateField, type MapContext, type MapOutcome } from './entry.ts';
import {
  conceptText,
  extensionCode,
  extensionsNamed,
  first,
  num,
  obj,
  statusCode,
  str,
  subExtension,
  type Json,
} from './util.ts';
import type { MedicationDetails } from '../../model.ts';

const CURRENT_REQUEST = new Set(['active', 'on-hold', 'draft']);

export function mapMedicationRequest(r: Json, ctx: MapContext): MapOutcome {
  if (r.status === 'entered-in-error') return { skip: 'MedicationRequest (entered-in-error)' };
  const dispense = obj(r.dispenseRequest);
  const quantity = obj(dispense?.quantity);
  const repeat = extensionsNamed(r, 'MedicationRepeatInformation')[0];
  const details: MedicationDetails = {
    kind: 'medication',
    prescriptionType: prescriptionTypeOf(r),
    status: typeof r.status === 'string' && CURRENT_REQUEST.has(r.status) ? 'current' : 'past',
    dosage: dosageText(first(r.dosageInstruction)),
    quantity: num(quantity?.value),
    quantityUnit: str(quantity?.unit) ?? str(quantity?.code),
    issuesAuthorised: num(dispense?.numberOfRepeatsAllowed),
    issuesDone:
      repeat === undefined
        ? null
        : num(subExtension(repeat, 'numberOfPrescriptionsIssued')?.valueUnsignedInt),
    reviewDate: repeat === undefined ? null : dateValue(subExtension(repeat, 'authorisationExpiryDate')),
    lastIssued: null,
  };
  return medicationEntry(r, ctx, {
    type: 'MedicationRequest',
    details,
    clinical: [['MedicationRequest.authoredOn', r.authoredOn]],
    recorded: [],
  });
}

export function mapMedicationStatement(r: Json, ctx: MapContext): MapOutcome {
  if (r.status === 'entered-in-error') return { skip: 'MedicationStatement (entered-in-error)' };
  const lastIssue = extensionsNamed(r, 'MedicationStatementLastIssueDate')[0];
  const details: MedicationDetails = {
    kind: 'medication',
    prescriptionType: prescriptionTypeOf(r),
    status: r.status === 'active' ? 'current' : 'past',
    dosage: dosageText(first(r.dosage)),
    quantity: null,
    quantityUnit: null,
    issuesAuthorised: null,
    issuesDone: null,
    reviewDate: null,
    lastIssued: lastIssue === undefined ? null : dateValue(lastIssue),
  };
  const effective: DateField =
    r.effectiveDateTime !== undefined
      ? ['MedicationStatement.effectiveDateTime', r.effectiveDateTime]
      : ['MedicationStatement.effectivePeriod.start', obj(r.effectivePeriod)?.start];
  return medicationEntry(r, ctx, {
    type: 'MedicationStatement',
    details,
    clinical: [effective],
    recorded: [['MedicationStatement.dateAsserted', r.dateAsserted]],
  });
}

type MedicationSpec = {
  type: 'MedicationRequest' | 'MedicationStatement';
  details: MedicationDetails;
  clinical: DateField[];
  recorded: DateField[];
};

function medicationEntry(
  r: Json,
  ctx: MapContext,
  { type, details, clinical, recorded }: MedicationSpec,
): MapOutcome {
  const medicine = medicineOf(r, ctx);
  return buildEntry(r, ctx, {
    kind: 'medication',
    details,
    concept: medicine.concept,
    conceptField: `${type}.medication[x]`,
    required: true,
    title: medicine.title,
    clinical,
    recorded,
  });
}

/** medicationCodeableConcept, else the referenced (bundle or contained) Medication's code, else the display. */
function medicineOf(r: Json, ctx: MapContext): { concept: unknown; title: string | null } {
  if (r.medicationCodeableConcept !== undefined) return { concept: r.medicationCodeableConcept, title: null };
  const medication = ctx.index.resolve(r.medicationReference, r);
  if (medication?.resourceType === 'Medication' && conceptText(medication.code) !== null) {
    return { concept: medication.code, title: null };
  }
  return { concept: undefined, title: str(obj(r.medicationReference)?.display) };
}

const PRESCRIPTION_TYPES: Record<string, MedicationDetails['prescriptionType']> = {
  acute: 'acute',
  repeat: 'repeat',
  'repeat-dispensing': 'repeat-dispensing',
  'delayed-prescribing': 'delayed',
  delayed: 'delayed',
};

const COURSE_OF_THERAPY: Record<string, MedicationDetails['prescriptionType']> = {
  acute: 'acute',
  continuous: 'repeat',
  'continuous-repeating-dispensing': 'repeat-dispensing',
};

/**
 * A PrescriptionType extension (GP Connect `…-GPC-PrescriptionType-1` / any `…PrescriptionType`)
 * wins; else courseOfTherapyType (HL7 and UK Core codes); else acute.
 */
function prescriptionTypeOf(r: Json): MedicationDetails['prescriptionType'] {
  for (const ext of extensionsNamed(r, 'PrescriptionType')) {
    const code = extensionCode(ext);
    const type = code === null ? undefined : PRESCRIPTION_TYPES[code];
    if (type !== undefined) return type;
  }
  const course = statusCode(r.courseOfTherapyType);
  return (course === null ? undefined : COURSE_OF_THERAPY[course]) ?? 'acute';
}

function dateValue(ext: Json | undefined): string | null {
  return str(ext?.valueDateTime) ?? str(ext?.valueDate);
}

/** Dosage.text, else a minimal "1 tablet, twice a day, as needed" from doseAndRate and timing. */
export function dosageText(dosage: Json | undefined): string | null {
  if (dosage === undefined) return null;
  const text = str(dosage.text);
  if (text !== null) return text;
  const dose = obj(first(dosage.doseAndRate)?.doseQuantity);
  const doseValue = num(dose?.value);
  const parts = [
    doseValue === null ? null : [doseValue, str(dose?.unit)].filter((p) => p !== null).join(' '),
    timingText(obj(obj(dosage.timing)?.repeat)),
    dosage.asNeededBoolean === true ? 'as needed' : null,
  ].filter((p): p is string => p !== null);
  return parts.length > 0 ? parts.join(', ') : null;
}

const UNIT_WORDS: Record<string, string> = {
  s: 'second',
  min: 'minute',
  h: 'hour',
  d: 'day',
  wk: 'week',
  mo: 'month',
  a: 'year',
};

function timingText(repeat: Json | undefined): string | null {
  const frequency = num(repeat?.frequency);
  const period = num(repeat?.period);
  const unit = UNIT_WORDS[str(repeat?.periodUnit) ?? ''];
  if (frequency === null || period === null || unit === undefined) return null;
  const times = frequency === 1 ? 'once' : frequency === 2 ? 'twice' : `${frequency} times`;
  return period === 1 ? `${times} a ${unit}` : `${times} every ${period} ${unit}s`;
}
