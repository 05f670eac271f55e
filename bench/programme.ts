// The programme scenarios of `npm run bench` (issue #12), with all 12 months of 2018-19 POMI
// (../shared/data/pomi, both wide files) imported by bench/server.ts:
//   programme England (page)    GET /programme/dashboard, a signed-in commissioner
//   programme region (page)     GET /programme/dashboard?area=Y54 (North of England, 2018-19)
//   programme summary (API)     GET /api/v1/programme/summary?area=Y54&month=2018-10, bearer token
// Targets (issue #12, on PGlite): p99 under 200 ms, and the pages at least 30% of `layout`.
// Also prints how long the import of both files took (target: under 10 s on PGlite).
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DEMO_STAFF } from '../src/demo/data.ts';
import type { Ctx } from '../src/platform/context.ts';
import { importPomi } from '../src/programme/index.ts';
import { apiToken, staffCookie, type Scenario, type ScenarioResult } from './support.ts';

export const PROGRAMME_SCENARIOS = [
  'programme England (page)',
  'programme region (page)',
  'programme summary (API)',
] as const;
export const PROGRAMME_TARGETS = { pageVsLayout: 0.3, p99Ms: 200, importSeconds: 10 };
export const POMI_FILES = [
  'pomi_practice_monthly_2018-04_to_2018-09.csv',
  'pomi_practice_monthly_2018-10_to_2019-03.csv',
];

export type PomiReady = { practiceMonths: number; importMs: number };

export function programmeWanted(only: string | undefined): boolean {
  return !only || PROGRAMME_SCENARIOS.some((n) => only.split('|').some((o) => n.includes(o)));
}

/** Imports both 2018-19 wide files (in bench/server.ts); null when the data folder is absent. */
export async function loadPomi(ctx: Ctx, dir: string): Promise<PomiReady | null> {
  if (!POMI_FILES.every((f) => existsSync(join(dir, f)))) return null;
  const started = performance.now();
  let practiceMonths = 0;
  for (const f of POMI_FILES) {
    const r = await importPomi(ctx, { kind: 'system' }, readFileSync(join(dir, f), 'utf8'), { fileName: f });
    practiceMonths += r.practiceMonths;
  }
  return { practiceMonths, importMs: Math.round(performance.now() - started) };
}

export async function programmeScenarios(base: string): Promise<Scenario[]> {
  const c = DEMO_STAFF.find((s) => s.role === 'commissioner');
  if (!c) throw new Error('no demo commissioner');
  const token = await apiToken(base, c.email, c.totpSecret);
  // The next step's code: the token has just spent this step's.
  const cookie = await staffCookie(base, c.email, c.totpSecret, {
    home: '/programme',
    codeAt: Date.now() + 30_000,
  });
  return [
    {
      name: 'programme England (page)',
      options: () => ({ path: '/programme/dashboard', headers: { cookie } }),
    },
    {
      name: 'programme region (page)',
      options: () => ({ path: '/programme/dashboard?area=Y54', headers: { cookie } }),
    },
    {
      name: 'programme summary (API)',
      options: () => ({
        path: '/api/v1/programme/summary?area=Y54&month=2018-10',
        headers: { authorization: `Bearer ${token}` },
      }),
    },
  ];
}

export function programmeLines(pomi: PomiReady | null, results: readonly ScenarioResult[]): string {
  if (!pomi)
    return 'programme: POMI not loaded (../shared/data/pomi missing, or no programme scenario chosen)';
  const t = PROGRAMME_TARGETS;
  const lines = [
    `programme: ${pomi.practiceMonths.toLocaleString('en-GB')} POMI practice-months imported in ${(pomi.importMs / 1000).toFixed(1)} s ` +
      `(target < ${String(t.importSeconds)} s on PGlite: ${pomi.importMs < t.importSeconds * 1000 ? 'PASS' : 'FAIL'})`,
  ];
  for (const r of results.filter((x) => (PROGRAMME_SCENARIOS as readonly string[]).includes(x.scenario))) {
    const page = r.scenario.endsWith('(page)');
    const ratio = page
      ? `${(r.vsLayout ?? 0).toFixed(3)} of layout (target ≥ ${String(t.pageVsLayout)})`
      : `${(r.vsHello ?? 0).toFixed(3)} of hello`;
    const pass = r.p99Ms < t.p99Ms && (!page || (r.vsLayout ?? 0) >= t.pageVsLayout) && r.non2xx === 0;
    lines.push(
      `  ${r.scenario}: ${ratio}, p99 ${String(r.p99Ms)} ms (target < ${String(t.p99Ms)}): ${pass ? 'PASS' : 'FAIL'}`,
    );
  }
  return lines.join('\n');
}
