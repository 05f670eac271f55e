// FHIR R4 / UK Core import: Bundles, loose resources and NDJSON → patient drafts and record entries.
// Pure: no I/O, no clock. One indexing pass (references), then one mapping pass per resource.
import { mapAllergy, mapCondition, mapImmunization, mapProcedure, mapServiceRequest } from './clinical.ts';
import { mapDocumentReference, mapEncounter } from './encounter.ts';
import type { MapContext, MapOutcome } from './entry.ts';
import { RefIndex, keyOf } from './references.ts';
import { mapMedicationRequest, mapMedicationStatement } from './medication.ts';
import { mapPatient, type PatientDraft } from './patient.ts';
import { mapDiagnosticReport, mapObservation } from './results.ts';
import { arr, obj, str, type ImportProblem, type Json } from './util.ts';
import type { EntryDraft } from '../../model.ts';

export type { ImportProblem } from './util.ts';
export type { PatientDraft } from './patient.ts';
export { NHS_NUMBER_SYSTEM, ODS_SYSTEM } from './patient.ts';
export { ACCESS_CODES } from './clinical.ts';

export type ParsedPatient = {
  patient: PatientDraft;
  entries: EntryDraft[];
  problems: ImportProblem[];
  /** Mapped resources by FHIR type (the Patient included). */
  resourceCounts: Record<string, number>;
};

export type ParseResult = {
  patients: ParsedPatient[];
  /** Resources not mapped on purpose, by type: unsupported types, 'Condition (entered-in-error)', … */
  skipped: Record<string, number>;
  /** Problems not tied to one patient (bad input, unknown subject, a patient that could not be read). */
  problems: ImportProblem[];
  /** Resources seen in total. */
  resources: number;
  /** Patient resources that could not be read at all (their problems are in `problems`). */
  unreadablePatients?: number;
};

type Mapper = (r: Json, ctx: MapContext) => MapOutcome;

const MAPPERS: Record<string, Mapper | undefined> = {
  Condition: mapCondition,
  AllergyIntolerance: mapAllergy,
  MedicationRequest: mapMedicationRequest,
  MedicationStatement: mapMedicationStatement,
  Immunization: mapImmunization,
  Observation: mapObservation,
  DiagnosticReport: mapDiagnosticReport,
  Procedure: mapProcedure,
  ServiceRequest: mapServiceRequest,
  Encounter: mapEncounter,
  DocumentReference: mapDocumentReference,
};

const BUNDLE_TYPES = new Set(['transaction', 'collection', 'batch', 'searchset']);

/** One input resource: the parsed JSON, its label for problems and its Bundle fullUrl if any. */
type Item = { value: unknown; label: string; fullUrl: string | null };
/** What reading the input gathers: the resources to map, and problems with the input itself. */
type Inputs = { items: Item[]; problems: ImportProblem[] };

export function parseBundle(bundle: unknown): ParseResult {
  const into: Inputs = { items: [], problems: [] };
  addBundle(bundle, '', into);
  const result = parseItems(into.items);
  result.problems.unshift(...into.problems);
  return result;
}

export function parseResources(resources: unknown[], labels?: string[]): ParseResult {
  const into: Inputs = { items: [], problems: [] };
  resources.forEach((value, i) => {
    const label = labels?.[i] ?? `resource[${i}]`;
    const r = obj(value);
    // Searchset/collection Bundles among loose resources (e.g. example files) are opened one level.
    if (r?.resourceType === 'Bundle' && typeof r.type === 'string' && BUNDLE_TYPES.has(r.type)) {
      addBundle(r, `${label} `, into);
    } else into.items.push({ value, label, fullUrl: null });
  });
  const result = parseItems(into.items);
  result.problems.unshift(...into.problems);
  return result;
}

export function parseNdjson(
  text: string,
  fileLabel: string,
): { resources: unknown[]; labels: string[]; problems: ImportProblem[] } {
  const resources: unknown[] = [];
  const labels: string[] = [];
  const problems: ImportProblem[] = [];
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const line = (lines[i] ?? '').trim();
    if (line === '') continue;
    const label = `${fileLabel} line ${i + 1}`;
    try {
      resources.push(JSON.parse(line) as unknown);
      labels.push(label);
    } catch (err) {
      problems.push({ resource: label, field: 'line', message: `not valid JSON: ${(err as Error).message}` });
    }
  }
  return { resources, labels, problems };
}

function addBundle(bundle: unknown, prefix: string, { items, problems }: Inputs): void {
  const b = obj(bundle);
  const label = `${prefix}Bundle${str(b?.id) === null ? '' : `/${str(b?.id) ?? ''}`}`;
  if (b?.resourceType !== 'Bundle') {
    problems.push({
      resource: label,
      field: 'Bundle.type',
      message: 'not a FHIR Bundle (resourceType is not "Bundle")',
    });
    return;
  }
  if (typeof b.type !== 'string' || !BUNDLE_TYPES.has(b.type)) {
    const message = `Bundle.type ${JSON.stringify(b.type ?? null)} is not transaction, collection, batch or searchset`;
    problems.push({ resource: label, field: 'Bundle.type', message });
    return;
  }
  if (b.entry !== undefined && !Array.isArray(b.entry)) {
    problems.push({ resource: label, field: 'Bundle.entry', message: 'Bundle.entry is not an array' });
    return;
  }
  arr(b.entry).forEach((e, i) => {
    const entry = obj(e);
    const entryLabel = `${prefix}entry[${i}]`;
    if (entry?.resource === undefined) {
      problems.push({
        resource: entryLabel,
        field: 'Bundle.entry.resource',
        message: 'Bundle entry has no resource',
      });
    } else items.push({ value: entry.resource, label: entryLabel, fullUrl: str(entry.fullUrl) });
  });
}

/** Per-import state while mapping. */
type Run = {
  ctx: MapContext;
  result: ParseResult;
  /** Patient resource → its parsed patient, or a problem message when it could not be read. */
  patients: Map<Json, ParsedPatient | string>;
};

function parseItems(items: Item[]): ParseResult {
  const index = new RefIndex();
  const resources: (Json | undefined)[] = items.map((item) => {
    const r = obj(item.value);
    if (r !== undefined && typeof r.resourceType === 'string') index.add(r, item.fullUrl);
    return r;
  });
  const run: Run = {
    ctx: { index, reportFor: new Map() },
    result: { patients: [], skipped: {}, problems: [], resources: items.length },
    patients: new Map(),
  };
  resources.forEach((r, i) => {
    if (r?.resourceType === 'Patient') addPatient(run, r, labelOf(r, items[i]));
    if (r?.resourceType === 'DiagnosticReport') linkReport(run.ctx, r);
  });
  resources.forEach((r, i) => {
    mapItem(run, r, labelOf(r, items[i]));
  });
  return run.result;
}

function labelOf(r: Json | undefined, item: Item | undefined): string {
  return (r === undefined ? null : keyOf(r)) ?? item?.label ?? 'resource';
}

function addPatient(run: Run, r: Json, label: string): void {
  const { patient, problems } = mapPatient(r, label, run.ctx.index);
  if (patient === null) {
    run.result.problems.push(...problems);
    run.result.unreadablePatients = (run.result.unreadablePatients ?? 0) + 1;
    run.patients.set(r, `the subject ${label} could not be imported`);
    return;
  }
  const parsed: ParsedPatient = { patient, entries: [], problems, resourceCounts: { Patient: 1 } };
  run.patients.set(r, parsed);
  run.result.patients.push(parsed);
}

/** Remember which Observations a report lists in `result`, for ResultDetails.reportId. */
function linkReport(ctx: MapContext, report: Json): void {
  const key = keyOf(report);
  if (key === null) return;
  for (const ref of arr(report.result)) {
    const observation = ctx.index.resolve(ref, report);
    if (observation !== undefined && !ctx.reportFor.has(observation)) ctx.reportFor.set(observation, key);
  }
}

function mapItem(run: Run, r: Json | undefined, label: string): void {
  const { result } = run;
  const type = r === undefined ? null : str(r.resourceType);
  if (r === undefined || type === null) {
    result.problems.push({
      resource: label,
      field: 'resourceType',
      message: 'not a FHIR resource (no resourceType)',
    });
    return;
  }
  if (type === 'Patient') return;
  const mapper = MAPPERS[type];
  if (mapper === undefined) {
    count(result.skipped, type);
    return;
  }
  if (str(r.id) === null) {
    result.problems.push({ resource: label, field: `${type}.id`, message: `${type}.id is missing` });
    return;
  }
  const patient = subjectOf(run, r, { type, label });
  if (patient === null) return;
  const outcome = mapper(r, run.ctx);
  if ('entry' in outcome) {
    patient.entries.push(outcome.entry);
    count(patient.resourceCounts, type);
  } else if ('skip' in outcome) count(result.skipped, outcome.skip);
  else patient.problems.push(...outcome.problems);
}

/** The parsed patient a resource belongs to (subject, or patient for allergies and immunisations). */
function subjectOf(
  run: Run,
  r: Json,
  { type, label }: { type: string; label: string },
): ParsedPatient | null {
  const field = type === 'AllergyIntolerance' || type === 'Immunization' ? 'patient' : 'subject';
  const reference = r[field];
  const target = run.ctx.index.resolve(reference, r);
  const parsed = target === undefined ? undefined : run.patients.get(target);
  if (parsed !== undefined && typeof parsed !== 'string') return parsed;
  const ref = str(obj(reference)?.reference);
  const message =
    typeof parsed === 'string'
      ? parsed
      : ref === null
        ? `${type}.${field} is missing`
        : `${type}.${field} ${ref} is not a Patient in this import`;
  run.result.problems.push({ resource: label, field: `${type}.${field}`, message });
  return null;
}

function count(counts: Record<string, number>, key: string): void {
  counts[key] = (counts[key] ?? 0) + 1;
}
