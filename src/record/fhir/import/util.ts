// Small pure helpers for reading FHIR R4 JSON without trusting its shape: typed getters,
// CodeableConcepts, FHIR date/dateTime checks and the shared types of the importer (fhir.ts).
import type { Coding } from '../../model.ts';

export type Json = Record<string, unknown>;

/** One thing an import could not take as it is. */
export type ImportProblem = { resource: string; field: string; message: string };

/** The `code` a thrown error carries (a Node errno code, an SQLSTATE), if any. */
export function errorCode(err: unknown): string | null {
  const code = typeof err === 'object' && err !== null && 'code' in err ? err.code : null;
  return typeof code === 'string' ? code : null;
}

export function obj(v: unknown): Json | undefined {
  return typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Json) : undefined;
}

export function arr(v: unknown): unknown[] {
  return Array.isArray(v) ? v : [];
}

export function str(v: unknown): string | null {
  return typeof v === 'string' && v.trim() !== '' ? v : null;
}

export function num(v: unknown): number | null {
  return typeof v === 'number' && Number.isFinite(v) ? v : null;
}

/** The first element of an array property as an object. */
export function first(v: unknown): Json | undefined {
  return Array.isArray(v) ? obj(v[0]) : undefined;
}

export function codingsOf(concept: unknown): Coding[] {
  const out: Coding[] = [];
  for (const c of arr(obj(concept)?.coding)) {
    const coding = obj(c);
    const code = str(coding?.code);
    if (coding === undefined || code === null) continue;
    out.push({ system: str(coding.system) ?? '', code, display: str(coding.display) });
  }
  return out;
}

/** Text shown for a CodeableConcept: text, else the first display, else the first code. */
export function conceptText(concept: unknown): string | null {
  const cc = obj(concept);
  if (cc === undefined) return null;
  const text = str(cc.text);
  if (text !== null) return text;
  let code: string | null = null;
  for (const c of arr(cc.coding)) {
    const coding = obj(c);
    const display = str(coding?.display);
    if (display !== null) return display;
    code ??= str(coding?.code);
  }
  return code;
}

/** The display of a CodeableConcept's codings (not its text), falling back to text. */
/** A coding's display, or null when no coding has one (the concept's typed text does not count). */
export function codedDisplay(concept: unknown): string | null {
  for (const c of arr(obj(concept)?.coding)) {
    const display = str(obj(c)?.display);
    if (display !== null) return display;
  }
  return null;
}

/**
 * What a concept says in coded form: a coding's display, else its code; never the text typed
 * with it (free text, shown at full access only). Null when the concept is text only.
 */
export function codedText(concept: unknown): string | null {
  return codedDisplay(concept) ?? conceptCodes(concept)[0] ?? null;
}

/** A concept given as text only (no coding): free text. */
export function typedOnly(concept: unknown): string | null {
  return arr(obj(concept)?.coding).length === 0 ? str(obj(concept)?.text) : null;
}

export function conceptDisplay(concept: unknown): string | null {
  for (const c of arr(obj(concept)?.coding)) {
    const display = str(obj(c)?.display);
    if (display !== null) return display;
  }
  return str(obj(concept)?.text);
}

export function conceptCodes(concept: unknown): string[] {
  return arr(obj(concept)?.coding)
    .map((c) => str(obj(c)?.code))
    .filter((c): c is string => c !== null);
}

/** The first coding code of a status CodeableConcept, e.g. Condition.clinicalStatus. */
export function statusCode(concept: unknown): string | null {
  return conceptCodes(concept)[0] ?? null;
}

/** note[].text joined by blank lines. */
export function notesText(notes: unknown): string | null {
  const parts = arr(notes)
    .map((n) => str(obj(n)?.text))
    .filter((t): t is string => t !== null);
  return parts.length > 0 ? parts.join('\n\n') : null;
}

export function joinText(parts: readonly (string | null)[]): string | null {
  const present = parts.filter((p): p is string => p !== null && p !== '');
  return present.length > 0 ? present.join('\n\n') : null;
}

/** Extensions whose url ends with the given name (UK Core, GP Connect STU3 and local variants). */
export function extensionsNamed(resource: Json, name: string): Json[] {
  const out: Json[] = [];
  for (const e of arr(resource.extension)) {
    const ext = obj(e);
    const url = str(ext?.url);
    if (ext !== undefined && url !== null && urlNames(url, name)) out.push(ext);
  }
  return out;
}

function urlNames(url: string, name: string): boolean {
  const last = url.slice(url.lastIndexOf('/') + 1).replace(/-\d+$/, '');
  return last === name || last.endsWith('-' + name);
}

/** A sub-extension (complex extension part) by url. */
export function subExtension(ext: Json, url: string): Json | undefined {
  for (const e of arr(ext.extension)) {
    const part = obj(e);
    if (part?.url === url) return part;
  }
  return undefined;
}

/** The code carried by an extension as valueCode, valueCoding or valueCodeableConcept. */
export function extensionCode(ext: Json): string | null {
  return str(ext.valueCode) ?? str(obj(ext.valueCoding)?.code) ?? statusCode(ext.valueCodeableConcept);
}

// --- FHIR dates -------------------------------------------------------------------------------

// FHIR R4 date / dateTime: partial dates allowed; a time needs seconds and a zone.
const DATE_TIME =
  /^(\d{4})(?:-(0[1-9]|1[0-2])(?:-(0[1-9]|[12]\d|3[01])(?:T(?:[01]\d|2[0-3]):[0-5]\d:(?:[0-5]\d|60)(?:\.\d+)?(?:Z|[+-](?:0\d|1[0-3]):[0-5]\d|[+-]14:00))?)?)?$/;

const MONTH_DAYS = [31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/** A valid FHIR date or dateTime (a real calendar day when the day is given). */
export function isFhirDateTime(value: string): boolean {
  const m = DATE_TIME.exec(value);
  if (m === null) return false;
  if (m[3] === undefined || m[2] === undefined) return true;
  const year = Number(m[1]);
  const month = Number(m[2]);
  const day = Number(m[3]);
  if (day > (MONTH_DAYS[month - 1] ?? 0)) return false;
  const leap = (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
  return !(month === 2 && day === 29 && !leap);
}

/** A date-time for recordedAt: a (partial) date becomes midnight UTC on its first day. */
export function toDateTime(value: string): string {
  if (value.length > 10) return value;
  const [y, m = '01', d = '01'] = value.split('-');
  return `${y ?? value}-${m}-${d}T00:00:00Z`;
}

/** "Label: text", for free text moved into an entry's text. */
export function labelled(label: string, text: string | null): string | null {
  return text === null ? null : `${label}: ${text}`;
}
