// The practice's POMI return: a page that shows a month's figures and their CSV, in NHS
// Digital's published long format, for the practice manager who sends it.
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { stringify } from 'csv-stringify/sync';
import type { Ctx } from '../../platform/context.ts';
import { Type, typed } from '../../platform/http/schema.ts';
import { monthName } from '../dashboard/rules.ts';
import { PUBLISHED_ORDER, fieldValues } from './rules.ts';
import { practicePomiReturn } from './service.ts';

const querystring = Type.Object(
  { month: Type.Optional(Type.String({ pattern: '^\\d{4}-\\d{2}$' })) },
  { additionalProperties: false },
);

export async function pomiExportRoutes(app: FastifyInstance): Promise<void> {
  const { db, clock } = app.deps;
  const ctx = (req: FastifyRequest): Ctx => ({ db, clock, meta: req.meta });
  const config = { audience: 'staff' as const };
  const r = typed(app);

  r.get('/staff/reports/pomi', { config, schema: { hide: true, querystring } }, async (req, reply) => {
    const p = await practicePomiReturn(ctx(req), req.actor, req.query.month);
    const values = fieldValues(p.live);
    return reply.page('programme/export/views/pomi.njk', {
      title: 'Your practice’s POMI return',
      month: p.month,
      monthText: monthName(p.month),
      inProgress: p.month === p.current,
      practice: p.live.practice,
      months: p.months.map((m) => ({ value: m, text: monthName(m), selected: m === p.month })),
      rows: PUBLISHED_ORDER.map((f) => ({ field: f, value: values[f] })),
    });
  });

  r.get('/staff/reports/pomi.csv', { config, schema: { hide: true, querystring } }, async (req, reply) => {
    const p = await practicePomiReturn(ctx(req), req.actor, req.query.month);
    return reply
      .type('text/csv; charset=utf-8')
      .header('content-disposition', `attachment; filename="POMI_${p.live.practice.code}_${p.month}.csv"`)
      .send(stringify(p.records, { record_delimiter: 'windows' }));
  });
}
