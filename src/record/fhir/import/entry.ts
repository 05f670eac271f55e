// The part of every FHIR → EntryDraft mapping that is the same for all resource types: source,
// coding, title, note text, clinical date, recordedAt, consultation link and the problems they raise.
import type { RefIndex } from './references.ts';
import {
  codingsOf,
  conceptText,
  isFhirDateTime,
  joinText,
  notesText,
  obj,
  str,
  toDateTime,
  type ImportProblem,
  type Json,
} from './util.ts';
import type { Coding, EntryDetails, EntryDraft } from '../../model.ts';

export type MapContext = {
  index: RefIndex;
  /** Observation resource → 'DiagnosticReport/<id>' of a report listing it in `result`. */
  reportFor: Map<Json, string>;
};

/** What a mapper produced: an entry, problems (nothing mapped), or a reason to skip it quietly. */
export type MapOutcome = { entry: EntryDraft } | { problems: ImportProblem[] } | { skip: string };

/** A candidate date: its FHIRPath and the value found there (undefined when absent). */
export type DateField = [field: string, value: unknown];

export type EntrySpec = {
  kind: EntryDraft['kind'];
  details: EntryDetails;
  /** The main CodeableConcept and its FHIRPath; `required` makes a missing one a problem. */
  concept: unknown;
  conceptField: string;
  required: boolean;
  /** Used when the concept gives no title (e.g. a medicine from a referenced Medication). */
  title?: string | null;
  coding?: Coding[];
  fallbackTitle?: string;
  clinical: DateField[];
  recorded: DateField[];
  extraText?: (string | null)[];
  draft?: boolean;
  unfiled?: boolean;
  unreviewed?: boolean;
};

export function buildEntry(r: Json, ctx: MapContext, spec: EntrySpec): MapOutcome {
  const type = str(r.resourceType) ?? 'Resource';
  const id = str(r.id) ?? '';
  const label = `${type}/${id}`;
  const problems: ImportProblem[] = [];
  const title =
    spec.title ?? conceptText(spec.concept) ?? (spec.required ? null : (spec.fallbackTitle ?? null));
  if (title === null) {
    problems.push({ resource: label, field: spec.conceptField, message: `${spec.conceptField} is missing` });
  }
  const clinical = pickDate(spec.clinical);
  if (clinical.bad !== null) problems.push(badDate(label, clinical.bad));
  const meta: DateField = [`${type}.meta.lastUpdated`, obj(r.meta)?.lastUpdated];
  const recorded = pickDate([...spec.recorded, meta]);
  if (recorded.bad !== null) problems.push(badDate(label, recorded.bad));
  const recordedAt = recorded.value ?? clinical.value;
  if (recordedAt === null && recorded.bad === null && clinical.bad === null) {
    const fields = [...spec.recorded, ...spec.clinical].map(([f]) => f);
    const field = fields[0] ?? meta[0];
    problems.push({ resource: label, field, message: `no usable date (${[...fields, meta[0]].join(', ')})` });
  }
  if (problems.length > 0 || title === null || recordedAt === null) return { problems };
  return {
    entry: {
      kind: spec.kind,
      source: { system: 'fhir', id: label },
      clinicalDate: clinical.value,
      recordedAt: toDateTime(recordedAt),
      coding: spec.coding ?? codingsOf(spec.concept),
      title,
      text: joinText([...(spec.extraText ?? []), notesText(r.note)]),
      consultationSource: consultationOf(r, ctx.index),
      draft: spec.draft ?? false,
      unfiled: spec.unfiled ?? false,
      unreviewed: spec.unreviewed ?? false,
      details: spec.details,
    },
  };
}

/** The first present value; `bad` names it when it is not a valid FHIR date/dateTime. */
function pickDate(fields: DateField[]): { value: string | null; bad: DateField | null } {
  for (const f of fields) {
    if (f[1] === undefined || f[1] === null) continue;
    return typeof f[1] === 'string' && isFhirDateTime(f[1])
      ? { value: f[1], bad: null }
      : { value: null, bad: f };
  }
  return { value: null, bad: null };
}

function badDate(resource: string, [field, value]: DateField): ImportProblem {
  return {
    resource,
    field,
    message: `${field} ${JSON.stringify(value)} is not a valid FHIR date or dateTime`,
  };
}

/** encounter / context.encounter[0] / context (MedicationStatement) → 'Encounter/<id>'. */
function consultationOf(r: Json, index: RefIndex): string | null {
  const context = obj(r.context);
  const candidates = [r.encounter, context?.encounter, context];
  for (const c of candidates) {
    const ref: unknown = Array.isArray(c) ? (c as unknown[])[0] : c;
    if (str(obj(ref)?.reference) === null) continue;
    const key = index.key(ref, r);
    if (key?.startsWith('Encounter/') === true) return key;
  }
  return null;
}
