// Condition, AllergyIntolerance, Immunization, Procedure and ServiceRequest → EntryDraft.
import { buildEntry, type MapContext, type MapOutcome } from './entry.ts';
import {
  arr,
  codedDisplay,
  codedText,
  codingsOf,
  conceptText,
  extensionCode,
  extensionsNamed,
  first,
  labelled,
  obj,
  statusCode,
  str,
  subExtension,
  typedOnly,
  type Json,
} from './util.ts';
import { SNOMED, type AllergyDetails, type ProblemDetails } from '../../model.ts';

/** The online record access codes (domain.md §2.1): 104, 106 and 103. */
export const ACCESS_CODES: ReadonlySet<string> = new Set([
  '1364731000000104',
  '1364751000000106',
  '1290331000000103',
]);

// active | recurrence | relapse, an unknown code or none at all → 'active'.
const PAST = new Set(['inactive', 'remission', 'resolved']);

export function mapCondition(r: Json, ctx: MapContext): MapOutcome {
  const verification = statusCode(r.verificationStatus);
  if (verification === 'entered-in-error' || verification === 'refuted') {
    return { skip: `Condition (${verification})` };
  }
  const onset = dateOf(r, 'onset');
  const abatement = dateOf(r, 'abatement');
  const administrative = codingsOf(r.code).some((c) => c.system === SNOMED && ACCESS_CODES.has(c.code));
  const clinicalStatus = statusCode(r.clinicalStatus);
  const details: ProblemDetails = {
    kind: 'problem',
    clinicalStatus: clinicalStatus !== null && PAST.has(clinicalStatus) ? 'past' : 'active',
    significance: significanceOf(r),
    onset: typeof onset[1] === 'string' ? onset[1] : null,
    abatement: typeof abatement[1] === 'string' ? abatement[1] : null,
  };
  return buildEntry(r, ctx, {
    kind: administrative ? 'administrative' : 'problem',
    details: administrative ? { kind: 'administrative' } : details,
    concept: r.code,
    conceptField: 'Condition.code',
    required: true,
    clinical: [onset],
    recorded: [['Condition.recordedDate', r.recordedDate]],
  });
}

/** onsetDateTime / onsetPeriod.start (and the same for abatement) as a DateField. */
function dateOf(r: Json, name: 'onset' | 'abatement'): [string, unknown] {
  if (r[`${name}DateTime`] !== undefined) return [`Condition.${name}DateTime`, r[`${name}DateTime`]];
  return [`Condition.${name}Period.start`, obj(r[`${name}Period`])?.start];
}

/** GP Connect / UK Core problem significance (major | minor), as valueCode or nested. */
function significanceOf(r: Json): 'major' | 'minor' | null {
  for (const ext of [...extensionsNamed(r, 'ProblemSignificance'), ...extensionsNamed(r, 'ProblemHeader')]) {
    const part = subExtension(ext, 'significance') ?? subExtension(ext, 'problemSignificance') ?? ext;
    const code = extensionCode(part);
    if (code === 'major' || code === 'minor') return code;
  }
  return null;
}

export function mapAllergy(r: Json, ctx: MapContext): MapOutcome {
  const verification = statusCode(r.verificationStatus);
  if (verification === 'entered-in-error') return { skip: 'AllergyIntolerance (entered-in-error)' };
  const clinicalStatus = statusCode(r.clinicalStatus);
  const type = r.type === 'allergy' || r.type === 'intolerance' ? r.type : null;
  // Coded manifestations are part of the coded record; a reaction typed as text (or its
  // description) is free text and goes with the entry's text, shown at full access only.
  const reactions: string[] = [];
  const reactionText: string[] = [];
  for (const reaction of arr(r.reaction)) {
    for (const m of arr(obj(reaction)?.manifestation)) {
      // Only a coding's display is coded; a code without one is shown by its typed text, as free text.
      const coded = codedDisplay(m);
      const text = coded ?? conceptText(m);
      const into = coded !== null ? reactions : reactionText;
      if (text !== null && !into.includes(text)) into.push(text);
    }
    const description = str(obj(reaction)?.description);
    if (description !== null && !reactionText.includes(description)) reactionText.push(description);
  }
  const details: AllergyDetails = {
    kind: 'allergy',
    category: str(arr(r.category)[0]),
    type,
    criticality: str(r.criticality),
    reactions,
    active: clinicalStatus === null || clinicalStatus === 'active',
  };
  const onset = r.onsetDateTime !== undefined ? r.onsetDateTime : obj(r.onsetPeriod)?.start;
  return buildEntry(r, ctx, {
    kind: 'allergy',
    details,
    concept: r.code,
    conceptField: 'AllergyIntolerance.code',
    extraText: reactionText.map((t) => `Reaction: ${t}`),
    required: true,
    clinical: [
      [
        r.onsetDateTime !== undefined
          ? 'AllergyIntolerance.onsetDateTime'
          : 'AllergyIntolerance.onsetPeriod.start',
        onset,
      ],
    ],
    recorded: [['AllergyIntolerance.recordedDate', r.recordedDate]],
  });
}

export function mapImmunization(r: Json, ctx: MapContext): MapOutcome {
  if (r.status === 'entered-in-error') return { skip: 'Immunization (entered-in-error)' };
  const protocol = first(r.protocolApplied);
  const dose = protocol?.doseNumberPositiveInt ?? protocol?.doseNumberString;
  return buildEntry(r, ctx, {
    kind: 'immunisation',
    details: {
      kind: 'immunisation',
      doseNumber: typeof dose === 'number' || typeof dose === 'string' ? String(dose) : null,
      site: codedText(r.site),
      status: str(r.status),
    },
    extraText: [labelled('Site', typedOnly(r.site))],
    concept: r.vaccineCode,
    conceptField: 'Immunization.vaccineCode',
    required: true,
    clinical: [['Immunization.occurrenceDateTime', r.occurrenceDateTime]],
    recorded: [['Immunization.recorded', r.recorded]],
  });
}

export function mapProcedure(r: Json, ctx: MapContext): MapOutcome {
  if (r.status === 'entered-in-error') return { skip: 'Procedure (entered-in-error)' };
  const performed: [string, unknown] =
    r.performedDateTime !== undefined
      ? ['Procedure.performedDateTime', r.performedDateTime]
      : ['Procedure.performedPeriod.start', obj(r.performedPeriod)?.start];
  return buildEntry(r, ctx, {
    kind: 'procedure',
    details: {
      kind: 'procedure',
      status: str(r.status),
      performer: ctx.index.name(first(r.performer)?.actor, r),
    },
    concept: r.code,
    conceptField: 'Procedure.code',
    required: true,
    clinical: [performed],
    recorded: [],
  });
}

export function mapServiceRequest(r: Json, ctx: MapContext): MapOutcome {
  if (r.status === 'entered-in-error') return { skip: 'ServiceRequest (entered-in-error)' };
  return buildEntry(r, ctx, {
    kind: 'referral',
    details: {
      kind: 'referral',
      status: str(r.status),
      priority: str(r.priority),
      recipient: ctx.index.name(arr(r.performer)[0], r),
    },
    concept: r.code,
    conceptField: 'ServiceRequest.code',
    required: true,
    clinical: [['ServiceRequest.authoredOn', r.authoredOn]],
    recorded: [],
    extraText: [str(r.patientInstruction)],
  });
}
