// The programme dashboard: an area's online services over time, as a page and as CSV.
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { stringify } from 'csv-stringify/sync';
import { LRUCache } from 'lru-cache';
import type { Ctx } from '../../platform/context.ts';
import { Type, typed } from '../../platform/http/schema.ts';
import { offeringChartSvg } from './chart.ts';
import { dashboardPage } from './present.ts';
import { comparedMonths, csvRecords, offeringPoints } from './rules.ts';
import { areaDashboard, type Dashboard } from './service.ts';

const month = Type.Optional(Type.String({ pattern: '^\\d{4}-\\d{2}$' }));
const querystring = Type.Object(
  {
    area: Type.Optional(Type.String({ minLength: 1, maxLength: 12, pattern: '^[A-Za-z0-9]+$' })),
    from: month,
    to: month,
  },
  { additionalProperties: false },
);

export async function dashboardRoutes(app: FastifyInstance): Promise<void> {
  const { db, clock } = app.deps;
  const ctx = (req: FastifyRequest): Ctx => ({ db, clock, meta: req.meta });
  const config = { audience: 'programme' as const };
  const r = typed(app);

  // The page below the layout, rendered once per import, area and compared months (the promise
  // is kept, so requests arriving together share one render).
  const bodies = new LRUCache<string, Promise<{ title: string; html: string }>>({ max: 500 });
  const render = async (d: Dashboard, q: { from?: string | undefined; to?: string | undefined }) => {
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
    const key = `${d.version}|${d.area.code}|${compared?.from.month ?? ''}|${compared?.to.month ?? ''}`;
    let body = bodies.get(key);
    if (!body) {
      body = render(d, q);
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
