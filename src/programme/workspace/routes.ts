// The facilitator workspace's pages: the portfolio, a practice, and the forms that change its
// checklist, transition plan and offering history.
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Ctx } from '../../platform/context.ts';
import { AppError } from '../../platform/http/errors.ts';
import { formFields, Type, typed } from '../../platform/http/schema.ts';
import { dateFromParts, formBody, handleForm, type FormBody } from '../../platform/views/forms.ts';
import {
  checklistFormPage,
  checklistValues,
  flashOf,
  offeringFormPage,
  planFormPage,
  planValues,
  portfolioPage,
  practicePage,
} from './present.ts';
import { isElement } from './rules.ts';
import * as service from './service.ts';

const V = 'programme/workspace/views/';
const config = { audience: 'programme' as const };
const Practice = Type.Object({ ods: Type.String({ pattern: '^[A-Za-z0-9]{3,10}$' }) });
const Item = Type.Object({
  ods: Type.String({ pattern: '^[A-Za-z0-9]{3,10}$' }),
  element: Type.String({ maxLength: 40 }),
});
const dateParts = (name: string) => [`${name}[day]`, `${name}[month]`, `${name}[year]`] as const;
const ChecklistBody = formFields('status', ...dateParts('onDate'), 'owner', 'notes');
const PlanBody = formFields('nextSteps', 'receivingOrg', 'owner', ...dateParts('handoverOn'), 'handover');
const OfferingBody = formFields('service', 'offered', ...dateParts('effectiveOn'), 'note');

/** '' when every box of a date input is empty; a part-filled or impossible date stays wrong. */
function dateField(values: FormBody, name: string): string {
  const parts = dateParts(name).map((p) => values[p] ?? '');
  if (parts.every((p) => p === '')) return '';
  return dateFromParts(values, name) || parts.join('/');
}

function elementOf(raw: string) {
  if (!isElement(raw)) throw new AppError('not-found', 'There is no such checklist element.');
  return raw;
}

export async function workspaceRoutes(app: FastifyInstance): Promise<void> {
  const { db, clock } = app.deps;
  const ctx = (req: FastifyRequest): Ctx => ({ db, clock, meta: req.meta });
  const r = typed(app);
  const done = Type.Object(
    {
      done: Type.Optional(Type.String({ maxLength: 20 })),
      order: Type.Optional(Type.Union([Type.Literal('readiness'), Type.Literal('gap')])),
    },
    { additionalProperties: false },
  );

  r.get('/programme/practices', { config, schema: { hide: true, querystring: done } }, async (req, reply) => {
    const order = req.query.order ?? 'readiness';
    const p = await service.portfolio(ctx(req), req.actor, order);
    return reply.page(V + 'portfolio.njk', portfolioPage(p, order));
  });

  r.get(
    '/programme/practices/:ods',
    { config, schema: { hide: true, params: Practice, querystring: done } },
    async (req, reply) => {
      const w = await service.practiceWorkspace(ctx(req), req.actor, req.params.ods.toUpperCase());
      return reply.page(V + 'practice.njk', practicePage(w, flashOf(req.query.done)));
    },
  );

  r.get(
    '/programme/practices/:ods/checklist/:element',
    { config, schema: { hide: true, params: Item } },
    async (req, reply) => {
      const element = elementOf(req.params.element);
      const f = await service.changeFormContext(ctx(req), req.actor, req.params.ods.toUpperCase());
      const values = checklistValues(f.checklist.find((c) => c.element === element));
      return reply.page(V + 'checklist-item.njk', checklistFormPage(f.practice, element, values));
    },
  );

  r.post(
    '/programme/practices/:ods/checklist/:element',
    { config, schema: { hide: true, params: Item, body: ChecklistBody } },
    async (req, reply) => {
      const element = elementOf(req.params.element);
      const ods = req.params.ods.toUpperCase();
      const values = formBody(req.body);
      return handleForm(
        reply,
        V + 'checklist-item.njk',
        async () =>
          checklistFormPage(
            (await service.changeFormContext(ctx(req), req.actor, ods)).practice,
            element,
            values,
          ),
        values,
        async () => {
          await service.updateChecklistItem(ctx(req), req.actor, ods, element, {
            status: values.status ?? '',
            onDate: dateField(values, 'onDate'),
            owner: values.owner ?? '',
            notes: values.notes ?? '',
          });
          return reply.redirect(`/programme/practices/${ods}?done=checklist`);
        },
      );
    },
  );

  r.get(
    '/programme/practices/:ods/plan',
    { config, schema: { hide: true, params: Practice } },
    async (req, reply) => {
      const f = await service.changeFormContext(ctx(req), req.actor, req.params.ods.toUpperCase());
      return reply.page(V + 'plan.njk', planFormPage(f.practice, planValues(f.plan)));
    },
  );

  r.post(
    '/programme/practices/:ods/plan',
    { config, schema: { hide: true, params: Practice, body: PlanBody } },
    async (req, reply) => {
      const ods = req.params.ods.toUpperCase();
      const values = formBody(req.body);
      return handleForm(
        reply,
        V + 'plan.njk',
        async () =>
          planFormPage((await service.changeFormContext(ctx(req), req.actor, ods)).practice, values),
        values,
        async () => {
          await service.updatePlan(ctx(req), req.actor, ods, {
            nextSteps: values.nextSteps ?? '',
            receivingOrg: values.receivingOrg ?? '',
            owner: values.owner ?? '',
            handoverOn: dateField(values, 'handoverOn'),
            handover: values.handover ?? '',
          });
          return reply.redirect(`/programme/practices/${ods}?done=plan`);
        },
      );
    },
  );

  r.get(
    '/programme/practices/:ods/offerings',
    { config, schema: { hide: true, params: Practice } },
    async (req, reply) => {
      const f = await service.changeFormContext(ctx(req), req.actor, req.params.ods.toUpperCase());
      return reply.page(V + 'offering.njk', offeringFormPage(f.practice, {}));
    },
  );

  r.post(
    '/programme/practices/:ods/offerings',
    { config, schema: { hide: true, params: Practice, body: OfferingBody } },
    async (req, reply) => {
      const ods = req.params.ods.toUpperCase();
      const values = formBody(req.body);
      return handleForm(
        reply,
        V + 'offering.njk',
        async () =>
          offeringFormPage((await service.changeFormContext(ctx(req), req.actor, ods)).practice, values),
        values,
        async () => {
          await service.recordPracticeOffering(ctx(req), req.actor, ods, {
            service: values.service ?? '',
            offered: values.offered ?? '',
            effectiveOn: dateField(values, 'effectiveOn'),
            note: values.note ?? '',
          });
          return reply.redirect(`/programme/practices/${ods}?done=offering`);
        },
      );
    },
  );
}
