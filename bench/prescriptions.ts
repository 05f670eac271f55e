// The repeat prescription scenarios of `npm run bench` (issue #11), on the practice that
// bench/prescriptions-seed.ts builds (10,000 patients, 40,000 templates, 20,000 open items):
//   queue page                     GET /staff/prescriptions, a signed-in clinician
//   queue page (filtered, page 2)  GET /staff/prescriptions?status=requested&prescriber=<id>&page=2
//   patient repeats page           GET /patient/prescriptions, a signed-in patient with four repeats
//   order via API                  POST /api/v1/prescriptions/requests {items: [repeatId]} with a
//                                  bearer token: each request orders a repeat nobody has ordered
//                                  yet, so every answer should be 201
// Targets (issue #11, on PostgreSQL): the queue pages at least 50% of `layout` with p99 under
// 100 ms; ordering at least 20% of `hello`.
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type autocannon from 'autocannon';
import type { RxOrders, RxSeed } from './prescriptions-seed.ts';
import { RX_TOTP_SECRET } from './prescriptions-seed.ts';
import { sessionCookie, staffCookie, type Scenario, type ScenarioResult } from './support.ts';

export const RX_SCENARIOS = [
  'queue page',
  'queue page (filtered, page 2)',
  'patient repeats page',
  'order via API',
] as const;
export const RX_TARGETS = { queueVsLayout: 0.5, queueP99Ms: 100, orderVsHello: 0.2 };

/** What bench/server.ts says of the practice; the orders (tokens and repeats) are in a file. */
export type RxReady = RxSeed & { ordersFile: string };

/** Whether `--only TEXT` keeps any of these scenarios (so the server seeds the practice). */
export function rxWanted(only: string | undefined): boolean {
  return !only || RX_SCENARIOS.some((n) => only.split('|').some((o) => n.includes(o)));
}

export async function prescriptionScenarios(
  base: string,
  rx: RxReady,
  connections: number,
): Promise<Scenario[]> {
  const staff = await staffCookie(base, rx.clinician.email, RX_TOTP_SECRET);
  const patient = await sessionCookie(base, rx.patient.email, RX_TOTP_SECRET);
  const { orders } = JSON.parse(readFileSync(rx.ordersFile, 'utf8')) as RxOrders;
  let next = 0;
  const order = {
    method: 'POST' as const,
    path: '/api/v1/prescriptions/requests',
    setupRequest: (req: autocannon.Request) => {
      // Past the end (never, within the budgets below) a repeat is ordered twice and answers 409.
      const o = orders[next++ % orders.length];
      return {
        ...req,
        headers: {
          'content-type': 'application/json',
          authorization: `Bearer ${o?.token ?? ''}`,
          'idempotency-key': randomUUID(),
        },
        body: JSON.stringify({ items: [o?.repeatId ?? ''] }),
      };
    },
  };
  const warmupOrders = Math.min(2000, Math.floor(orders.length / 5));
  return [
    { name: 'queue page', options: () => ({ path: '/staff/prescriptions', headers: { cookie: staff } }) },
    {
      name: 'queue page (filtered, page 2)',
      options: () => ({
        path: `/staff/prescriptions?status=requested&prescriber=${rx.prescriberId}&page=2`,
        headers: { cookie: staff },
      }),
    },
    {
      name: 'patient repeats page',
      options: () => ({ path: '/patient/prescriptions', headers: { cookie: patient } }),
    },
    {
      name: 'order via API',
      options: (phase) => ({
        requests: [order],
        // Each fresh repeat once, over warm-up and measurement (in-flight requests kept in hand).
        maxOverallRequests:
          phase === 'warmup' ? warmupOrders : Math.max(connections, orders.length - next - connections),
      }),
    },
  ];
}

/**
 * The median of 5 lone requests of each page (after one to warm it), as the record pages have. A
 * page that does not answer 200 is reported, not fatal: until the routes of issue #11 are merged
 * they answer 404, and the target checks then fail.
 */
export async function rxAlone(
  base: string,
  scenarios: Scenario[],
  kind: string,
): Promise<Map<string, { ms: number; kb: number }>> {
  const out = new Map<string, { ms: number; kb: number }>();
  for (const s of scenarios.filter(
    (x) => x.name.includes('page') && RX_SCENARIOS.some((n) => n === x.name),
  )) {
    const o = s.options('measure');
    const times: number[] = [];
    let kb = 0;
    let status = 0;
    for (let i = 0; i < 6; i++) {
      const t = performance.now();
      const res = await fetch(base + (o.path ?? ''), { headers: o.headers as Record<string, string> });
      const body = await res.text();
      status = res.status;
      if (i > 0) times.push(performance.now() - t);
      kb = Math.round(body.length / 1024);
    }
    if (status !== 200) {
      console.error(
        `  ${kind}: ${s.name}: GET ${o.path ?? ''} answered ${String(status)} (not measured alone)`,
      );
      continue;
    }
    times.sort((a, b) => a - b);
    out.set(s.name, { ms: times[2] ?? 0, kb });
    console.error(`  ${kind}: ${s.name} answers ${String(kb)} KB in ${(times[2] ?? 0).toFixed(1)} ms alone`);
  }
  return out;
}

export type RxCheck = { scenario: string; target: string; actual: string; pass: boolean };

/** The targets for these scenarios, and that every answer was a success (201 for orders). */
export function rxChecks(results: ScenarioResult[]): RxCheck[] {
  const checks: RxCheck[] = [];
  const pct = (n: number | null) => (n === null ? '-' : `${(n * 100).toFixed(1)}%`);
  for (const r of results) {
    if (!RX_SCENARIOS.some((n) => n === r.scenario)) continue;
    if (r.scenario.startsWith('queue page')) {
      checks.push(
        {
          scenario: r.scenario,
          target: `req/s >= ${String(RX_TARGETS.queueVsLayout * 100)}% of layout`,
          actual: pct(r.vsLayout),
          pass: r.vsLayout !== null && r.vsLayout >= RX_TARGETS.queueVsLayout,
        },
        {
          scenario: r.scenario,
          target: `p99 < ${String(RX_TARGETS.queueP99Ms)} ms`,
          actual: `${r.p99Ms.toFixed(1)} ms`,
          pass: r.p99Ms < RX_TARGETS.queueP99Ms,
        },
      );
    }
    if (r.scenario === 'order via API') {
      const created = r.statusCodes['201'] ?? 0;
      checks.push(
        {
          scenario: r.scenario,
          target: `req/s >= ${String(RX_TARGETS.orderVsHello * 100)}% of hello`,
          actual: pct(r.vsHello),
          pass: r.vsHello !== null && r.vsHello >= RX_TARGETS.orderVsHello,
        },
        {
          scenario: r.scenario,
          target: 'every order answered 201',
          actual: `${String(created)} of ${String(r.requests)}`,
          pass: r.requests > 0 && created === r.requests,
        },
      );
    }
    checks.push({
      scenario: r.scenario,
      target: 'answers, without errors or non-2xx',
      actual: `${String(r.requests)} answered, ${String(r.non2xx)} non-2xx, ${String(r.errors)} errors, ${String(r.timeouts)} timeouts`,
      pass: r.requests > 0 && r.non2xx === 0 && r.errors === 0 && r.timeouts === 0,
    });
  }
  return checks;
}

/** The practice's size and how long it took to seed, for the printed report. */
export function rxLine(rx: RxReady | null): string {
  if (!rx) return 'repeat prescriptions practice: not seeded (no scenario of it chosen)';
  return `repeat prescriptions practice ${rx.practice}: ${String(rx.patients)} patients, ${String(rx.templates)} repeat templates, ${String(rx.openItems)} open items (${String(rx.requestedItems)} requested), ${String(rx.issues)} issues, ${String(rx.recordEntries)} record entries; seeded in ${(rx.seedMs / 1000).toFixed(1)} s`;
}
