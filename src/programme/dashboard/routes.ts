// The programme dashboard: an area's online services over time, as a page and as CSV.
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { stringify } from 'csv-stringify/sync';
import { LRUCache } from 'lru-cache';
import type { Ctx } from '../../platform/context.ts';
import { Type, typed } from '../../platform/http/schema.ts';
import { offeringChartSvg } from './chart.ts';
import { dashboardPage } from './present.ts';
import { OFFERS, SORTS, UPTAKE, type PracticeFilter } from './practice-table.ts';
import { comparedMonths, csvRecords, offeringPoints } from './rules.ts';
import { areaDashboard, type Dashboard } from './service.ts';

const month = Type.Optional(Type.String({ pattern: '^\\d{4}-\\d{2}$' }));
/** A select left at "any" sends an empty value: the same as not asking. */
const oneOf = (values: readonly string[]) =>
  Type.Optional(Type.Union([Type.Literal(''), ...values.map((v) => Type.Literal(v))]));
const querystring = Type.Object(
  {
    area: Type.Optional(Type.String({ minLength: 1, maxLength: 12, pattern: '^[A-Za-z0-9]+$' })),
    from: month,
    to: month,
    supplier: Type.Optional(Type.String({ maxLength: 40, pattern: '^[A-Za-z0-9 ()&.-]*$' })),
    offers: oneOf(OFFERS),
    uptake: oneOf(UPTAKE),
    imd: oneOf(['1', '2', '3', '4', '5']),
    sort: oneOf(SORTS),
  },
  { additionalProperties: false },
);

/** The practice table's filters from the query, blanks dropped. */
function filterOf(q: {
  supplier?: string | undefined;
  offers?: string | undefined;
  uptake?: string | undefined;
  imd?: string | undefined;
  sort?: string | undefined;
}): PracticeFilter {
  const pick = <T extends string>(v: string | undefined, values: readonly T[]) => values.find((x) => x === v);
  return {
    supplier: q.supplier?.trim() || undefined,
    offers: pick(q.offers, OFFERS),
    uptake: pick(q.uptake, UPTAKE),
    imd: q.imd ? Number(q.imd) : undefined,
    sort: pick(q.sort, SORTS),
  };
}

export async function dashboardRoutes(app: FastifyInstance): Promise<void> {
  const { db, clock } = app.deps;
  const ctx = (req: FastifyRequest): Ctx => ({ db, clock, meta: req.meta });
  const config = { audience: 'programme' as const };
  const r = typed(app);

  // The page below the layout, rendered once per import, area and compared months (the promise
  // is kept, so requests arriving together share one render).
  const bodies = new LRUCache<string, Promise<{ title: string; html: string }>>({ max: 500 });
  const render = async (
    d: Dashboard,
    q: { from?: string | undefined; to?: string | undefined } & PracticeFilter,
  ) => {
    const view = dashboardPage(d, q);
    const svg = d.totals.length
      ? await offeringChartSvg(`${d.version}|${d.area.code}`, offeringPoints(d.totals))
      : null;
    return {
      title: view.title,
      html: await app.view('programme/views/dashboard-body.njk', { ...view, svg }),
    };
  };

  r.get('/programme/dashboard', { config, schema: { hide: true, querystring } }, async (req, reply) => {
    const q = req.query;
    const d = await areaDashboard(ctx(req), req.actor, q);
    // Keyed by the months actually compared, so made-up months share the default page.
    const compared = comparedMonths(d.totals, q);
    const f = filterOf(q);
    const key = [
      d.version,
      d.area.code,
      compared?.from.month ?? '',
      compared?.to.month ?? '',
      f.supplier ?? '',
      f.offers ?? '',
      f.uptake ?? '',
      f.imd ?? '',
      f.sort ?? '',
    ].join('|');
    let body = bodies.get(key);
    if (!body) {
      body = render(d, { from: q.from, to: q.to, ...f });
      bodies.set(key, body);
      body.catch(() => bodies.delete(key));
    }
    const { title, html } = await body;
    return reply.page('programme/views/dashboard.njk', { title, body: html });
  });

  r.get('/programme/dashboard.csv', { config, schema: { hide: true, querystring } }, async (req, reply) => {
    const d = await areaDashboard(ctx(req), req.actor, req.query);
    return reply
      .type('text/csv; charset=utf-8')
      .header('content-disposition', `attachment; filename="online-services-${d.area.code}.csv"`)
      .send(stringify(csvRecords(d.area.code, d.totals), { record_delimiter: 'windows' }));
  });
}
