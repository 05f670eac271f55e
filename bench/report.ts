// What `npm run bench` prints: the target checks, the record's size and each database's table.
import type { ServerReady } from './server.ts';
import type { ScenarioResult } from './support.ts';
import { rxChecks } from './prescriptions.ts';

export const TARGETS = { pageVsLayout: 0.5, pageP99Ms: 50, apiVsHello: 0.2 };

/** One database's run, as much of it as the report shows. */
export type DatabaseRun = {
  database: string;
  setupMs: ServerReady['setupMs'];
  record: ServerReady['record'];
  fhirImport: ServerReady['fhirImport'];
  checks: Check[];
  peakRssMb: number;
  scenarios: (ScenarioResult & { alone: { ms: number; kb: number } | null })[];
};

export type Load = { connections: number; duration: number; warmup: number };

export type Check = { scenario: string; target: string; actual: string; pass: boolean };

export function targetChecks(results: ScenarioResult[]): Check[] {
  const checks: Check[] = [];
  const pct = (n: number | null) => (n === null ? '-' : `${(n * 100).toFixed(1)}%`);
  for (const r of results) {
    if (!r.scenario.startsWith('record')) continue;
    const clean = r.requests > 0 && r.non2xx === 0 && r.errors === 0 && r.timeouts === 0;
    if (r.scenario.endsWith('(page)')) {
      checks.push({
        scenario: r.scenario,
        target: `req/s >= ${String(TARGETS.pageVsLayout * 100)}% of layout`,
        actual: pct(r.vsLayout),
        pass: r.vsLayout !== null && r.vsLayout >= TARGETS.pageVsLayout,
      });
      checks.push({
        scenario: r.scenario,
        target: `p99 < ${String(TARGETS.pageP99Ms)} ms`,
        actual: `${r.p99Ms.toFixed(1)} ms`,
        pass: r.p99Ms < TARGETS.pageP99Ms,
      });
    } else {
      checks.push({
        scenario: r.scenario,
        target: `req/s >= ${String(TARGETS.apiVsHello * 100)}% of hello`,
        actual: pct(r.vsHello),
        pass: r.vsHello !== null && r.vsHello >= TARGETS.apiVsHello,
      });
    }
    checks.push({
      scenario: r.scenario,
      target: 'answers, without errors or non-2xx',
      actual: `${String(r.requests)} answered, ${String(r.non2xx)} non-2xx, ${String(r.errors)} errors, ${String(r.timeouts)} timeouts`,
      pass: clean,
    });
  }
  // Repeat prescriptions (issue #11): their own targets.
  checks.push(...rxChecks(results));
  return checks;
}

// --- Output ------------------------------------------------------------------------------------

export function recordLines(db: DatabaseRun): string {
  const r = db.record;
  const f = db.fhirImport;
  const kinds = Object.entries(r.byKind)
    .map(([k, n]) => `${k} ${String(n)}`)
    .join(', ');
  return [
    `record of ${r.email}: ${String(r.total)} entries (${kinds}); ${String(r.coded)} coded entries (${String(r.codedClinical)} not counting consultations and documents), ${String(r.consultationsWithText)} consultations with text, ${String(r.documents)} documents`,
    `record import: ${String(r.generated)} entries in ${(r.importMs / 1000).toFixed(2)} s (${String(r.entriesPerSec)} entries/s)`,
    'skipped' in f
      ? `FHIR import: ${f.skipped}`
      : `FHIR import (${f.practice}): ${String(f.files)} files, ${String(f.resources)} resources, ${String(f.patients.created + f.patients.updated)} patients (${String(f.patients.rejected)} rejected), ${String(f.entries)} entries, ${String(f.errors)} problems in ${f.seconds.toFixed(2)} s (${String(f.resourcesPerSec)} resources/s)`,
  ].join('\n');
}

export function checkLines(db: DatabaseRun): string {
  return db.checks
    .map((c) => `${c.pass ? 'PASS' : 'FAIL'}  ${db.database}: ${c.scenario}: ${c.target} (${c.actual})`)
    .join('\n');
}

export function table(db: DatabaseRun, load: Load): string {
  const head = [
    'scenario',
    'req/s',
    'p50 ms',
    'p99 ms',
    'non-2xx/errors',
    '429',
    'peak RSS MB',
    '÷hello',
    '÷layout',
    'alone ms',
    'KB',
  ];
  const fmt = (n: number | null, d = 1) => (n === null ? '-' : n.toFixed(d));
  const rows = db.scenarios.map((r) => [
    r.scenario,
    fmt(r.reqPerSec),
    fmt(r.p50Ms),
    fmt(r.p99Ms),
    `${String(r.non2xx - r.tooMany)}/${String(r.errors)}`,
    String(r.tooMany),
    fmt(r.peakRssMb),
    fmt(r.vsHello, 3),
    fmt(r.vsLayout, 3),
    r.alone ? fmt(r.alone.ms) : '-',
    r.alone ? String(r.alone.kb) : '-',
  ]);
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: string[]) =>
    cells.map((c, i) => (i === 0 ? c.padEnd(widths[i] ?? 0) : c.padStart(widths[i] ?? 0))).join('  ');
  return [
    `${db.database}: ${String(load.connections)} connections, ${String(load.duration)} s each (+${String(load.warmup)} s warm-up); server peak RSS (VmHWM) ${String(db.peakRssMb)} MB; setup ${JSON.stringify(db.setupMs)} ms`,
    line(head),
    line(widths.map((w) => '-'.repeat(w))),
    ...rows.map(line),
  ].join('\n');
}
