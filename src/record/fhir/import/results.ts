// Observation → 'result' (laboratory) or 'value' (vital signs, survey, …); DiagnosticReport → 'result'.
import { buildEntry, type DateField, type MapContext, type MapOutcome } from './entry.ts';
import {
  arr,
  codedDisplay,
  codedText,
  conceptText,
  conceptCodes,
  first,
  num,
  obj,
  str,
  type Json,
} from './util.ts';
import type { Component, Measurement } from '../../model.ts';

const UNFILED = new Set(['preliminary', 'registered']);
const UNFILED_REPORT = new Set(['preliminary', 'registered', 'partial']);

export function mapObservation(r: Json, ctx: MapContext): MapOutcome {
  if (r.status === 'entered-in-error' || r.status === 'cancelled')
    return { skip: `Observation (${r.status})` };
  const measurement = measurementOf(r);
  const components: Component[] = [];
  for (const c of arr(r.component)) {
    const component = obj(c);
    const m = component === undefined ? null : measurementOf(component);
    if (component === undefined || m === null) continue;
    // A component named only by typed text keeps its name at full access only (nameCoded).
    const coded = codedText(component.code);
    components.push({
      ...m,
      name: coded ?? conceptText(component.code) ?? 'Component',
      nameCoded: coded !== null,
    });
  }
  const laboratory = arr(r.category).some((c) =>
    conceptCodes(c).some((code) => code.toLowerCase() === 'laboratory'),
  );
  return buildEntry(r, ctx, {
    kind: laboratory ? 'result' : 'value',
    details: laboratory
      ? {
          kind: 'result',
          measurement,
          components,
          reportId: ctx.reportFor.get(r) ?? null,
          category: categoryOf(r),
        }
      : { kind: 'value', measurement, components },
    concept: r.code,
    conceptField: 'Observation.code',
    required: true,
    clinical: [effectiveOf(r, 'Observation')],
    recorded: [['Observation.issued', r.issued]],
    unfiled: typeof r.status === 'string' && UNFILED.has(r.status),
  });
}

export function mapDiagnosticReport(r: Json, ctx: MapContext): MapOutcome {
  if (r.status === 'entered-in-error' || r.status === 'cancelled')
    return { skip: `DiagnosticReport (${r.status})` };
  return buildEntry(r, ctx, {
    kind: 'result',
    details: { kind: 'result', measurement: null, components: [], reportId: null, category: categoryOf(r) },
    concept: r.code,
    conceptField: 'DiagnosticReport.code',
    required: true,
    clinical: [effectiveOf(r, 'DiagnosticReport')],
    recorded: [['DiagnosticReport.issued', r.issued]],
    extraText: [str(r.conclusion), ...arr(r.presentedForm).map((a) => attachmentText(obj(a)))],
    unfiled: typeof r.status === 'string' && UNFILED_REPORT.has(r.status),
  });
}

function effectiveOf(r: Json, type: string): DateField {
  if (r.effectiveDateTime !== undefined) return [`${type}.effectiveDateTime`, r.effectiveDateTime];
  if (r.effectiveInstant !== undefined) return [`${type}.effectiveInstant`, r.effectiveInstant];
  return [`${type}.effectivePeriod.start`, obj(r.effectivePeriod)?.start];
}

function categoryOf(r: Json): string | null {
  return codedText(arr(r.category)[0]);
}

/** value[x], referenceRange[0] and interpretation of an Observation or one of its components. */
function measurementOf(r: Json): Measurement | null {
  const quantity = obj(r.valueQuantity);
  const value = num(quantity?.value) ?? num(r.valueInteger);
  // A coded value (a concept's display, yes or no) is part of the coded record; a typed value
  // (valueString, or a concept with text only) is free text, shown at full access only.
  const free = str(r.valueString);
  const coded = codedDisplay(r.valueCodeableConcept) ?? booleanText(r.valueBoolean);
  const valueText = free ?? coded ?? conceptText(r.valueCodeableConcept);
  if (value === null && valueText === null) return null;
  const range = first(r.referenceRange);
  return {
    value,
    valueText,
    ...(valueText === null ? {} : { valueCoded: free === null && coded !== null }),
    unit: str(quantity?.unit) ?? str(quantity?.code),
    low: num(obj(range?.low)?.value),
    high: num(obj(range?.high)?.value),
    interpretation: str(obj(first(first(r.interpretation)?.coding))?.code),
  };
}

function booleanText(v: unknown): string | null {
  return typeof v === 'boolean' ? (v ? 'Yes' : 'No') : null;
}

/** Base64 text/* attachment data decoded as UTF-8 (other content types and URLs give null). */
export function attachmentText(attachment: Json | undefined): string | null {
  const contentType = str(attachment?.contentType);
  const data = str(attachment?.data);
  if (contentType === null || data === null || !contentType.toLowerCase().startsWith('text/')) return null;
  return str(Buffer.from(data, 'base64').toString('utf8'));
}
