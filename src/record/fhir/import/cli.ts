// `gp-online import-fhir <file|folder> --practice ODS`: reads FHIR R4 Bundles, single resources
// and bulk NDJSON, then imports them through the same use case as the API.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { basename, extname, join } from 'node:path';
import type { Ctx } from '../../../platform/context.ts';
import { AppError } from '../../../platform/http/errors.ts';
import { parseBundle, parseNdjson, parseResources, type ParseResult } from './parse.ts';
import { importParsed, type ImportOptions, type ImportProgress, type ImportSummary } from './service.ts';
import { errorCode, obj, type ImportProblem } from './util.ts';
import { countOf } from '../../../platform/words.ts';

/** A path that cannot be read is a clear message, not a stack trace. */
function unreadable(path: string, err: unknown): AppError {
  const code = errorCode(err);
  const why =
    code === 'ENOENT'
      ? 'there is no such file or folder'
      : code === 'EACCES' || code === 'EPERM'
        ? 'permission denied'
        : code === 'EISDIR'
          ? 'it is a folder'
          : err instanceof Error
            ? err.message
            : String(err);
  return new AppError('invalid', `Cannot read ${path}: ${why}`);
}

function filesIn(path: string): string[] {
  let isDir: boolean;
  try {
    isDir = statSync(path).isDirectory();
  } catch (err) {
    throw unreadable(path, err);
  }
  if (!isDir) return [path];
  let names: string[];
  try {
    names = readdirSync(path);
  } catch (err) {
    throw unreadable(path, err);
  }
  return names
    .filter((f) => ['.json', '.ndjson'].includes(extname(f).toLowerCase()))
    .sort()
    .map((f) => join(path, f));
}

function merge(into: ParseResult, r: ParseResult): void {
  into.patients.push(...r.patients);
  into.problems.push(...r.problems);
  into.resources += r.resources;
  if (r.unreadablePatients) into.unreadablePatients = (into.unreadablePatients ?? 0) + r.unreadablePatients;
  for (const [k, n] of Object.entries(r.skipped)) into.skipped[k] = (into.skipped[k] ?? 0) + n;
}

/** Bundles are parsed one by one; loose resources from every file are parsed together so references between files resolve. */
export function readFhirInput(path: string): { parsed: ParseResult; files: number } {
  const parsed: ParseResult = { patients: [], skipped: {}, problems: [], resources: 0 };
  const loose: unknown[] = [];
  const labels: string[] = [];
  const problems: ImportProblem[] = [];
  const files = filesIn(path);
  for (const file of files) {
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch (err) {
      throw unreadable(file, err);
    }
    const name = basename(file);
    if (extname(file).toLowerCase() === '.ndjson') {
      const r = parseNdjson(text, name);
      loose.push(...r.resources);
      labels.push(...r.labels);
      problems.push(...r.problems);
      continue;
    }
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch (err) {
      problems.push({
        resource: name,
        field: '(file)',
        message: `is not valid JSON: ${err instanceof Error ? err.message : String(err)}`,
      });
      continue;
    }
    if (obj(json)?.resourceType === 'Bundle') merge(parsed, parseBundle(json));
    else {
      loose.push(json);
      labels.push(name);
    }
  }
  if (loose.length) merge(parsed, parseResources(loose, labels));
  parsed.problems.push(...problems);
  return { parsed, files: files.length };
}

export async function importFhirPath(
  ctx: Ctx,
  practiceOds: string,
  path: string,
  options: ImportOptions,
  progress?: ImportProgress,
): Promise<ImportSummary & { files: number; seconds: number }> {
  const started = performance.now();
  const { parsed, files } = readFhirInput(path);
  const summary = await importParsed(ctx, { kind: 'system' }, { practiceOds, parsed, options, progress });
  return { ...summary, files, seconds: (performance.now() - started) / 1000 };
}

export function formatSummary(s: ImportSummary & { files: number; seconds: number }): string {
  const lines = [
    `Read ${countOf(s.files, 'file')}, ${countOf(s.resources, 'resource')} in ${s.seconds.toFixed(1)} s (${String(Math.round(s.resources / Math.max(s.seconds, 0.001)))} resources/s)`,
    `Patients: ${String(s.patients.created)} created, ${String(s.patients.updated)} updated, ${String(s.patients.rejected)} rejected`,
  ];
  const kinds = [...new Set([...Object.keys(s.entries.created), ...Object.keys(s.entries.updated)])].sort();
  for (const k of kinds)
    lines.push(
      `  ${k.padEnd(16)} ${String(s.entries.created[k] ?? 0).padStart(6)} created ${String(s.entries.updated[k] ?? 0).padStart(6)} updated`,
    );
  const skipped = Object.entries(s.skipped).sort();
  if (skipped.length)
    lines.push(`Skipped (not imported): ${skipped.map(([k, n]) => `${k} ${String(n)}`).join(', ')}`);
  if (s.errors.length) {
    lines.push(`Errors: ${String(s.errors.length)}`);
    for (const e of s.errors.slice(0, 50)) lines.push(`  ${e.resource} ${e.field}: ${e.message}`);
    if (s.errors.length > 50) lines.push(`  … and ${String(s.errors.length - 50)} more (use --json for all)`);
  }
  return lines.join('\n');
}
