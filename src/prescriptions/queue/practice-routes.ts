// The practice's prescription queue pages: the queue (paged, filtered by status and prescriber,
// approve several at once), one item (approve, reject with a reason, the dispensing steps). No
// JavaScript needed.
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Ctx } from '../../platform/context.ts';
import { AppError, type FieldError } from '../../platform/http/errors.ts';
import { pageNumber } from '../../platform/http/paging.ts';
import { formFields, Type, typed } from '../../platform/http/schema.ts';
import { formBody, formList, handleForm } from '../../platform/views/forms.ts';
import { isItemStatus, queueDone, STEP_LABEL, queueItem as itemView, queuePage } from './present.ts';
import { approveMany, decide, isDispensingStep, queue, queueItem, recordStep } from './service.ts';

const V = 'prescriptions/queue/views/';
const ID = /^[0-9a-f-]{36}$/;
const text = Type.Optional(Type.String());
const QueueQuery = Type.Object({ status: text, prescriber: text, page: text, done: text, n: text });
const DoneQuery = Type.Object({ done: text });
const IdParams = Type.Object({ id: Type.String() });
const ReasonForm = formFields('reason');
const StepForm = formFields('status');
const ApproveForm = formFields('items', 'back');

function idOf(id: string): string {
  if (!ID.test(id)) throw new AppError('not-found', 'There is no such prescription request.');
  return id;
}

/** The queue's query string: each value not one of ours is named (400), never quietly ignored. */
function queueQuery(q: {
  status?: string | undefined;
  prescriber?: string | undefined;
  page?: string | undefined;
}) {
  const problems: FieldError[] = [];
  const status = q.status || 'requested';
  if (!isItemStatus(status)) problems.push({ field: 'status', message: 'Choose a status from the list' });
  const prescriber = q.prescriber || undefined;
  if (prescriber && prescriber !== 'none' && !ID.test(prescriber))
    problems.push({ field: 'prescriber', message: 'Choose a prescriber from the list' });
  const page = pageNumber(q.page);
  if (problems.length || !isItemStatus(status)) throw AppError.invalid(problems);
  return { status, prescriber, page };
}

/** Only a path back into the queue is followed after a form, never another site. */
function backTo(raw: string | undefined): string {
  return raw && /^\/staff\/prescriptions(\?[A-Za-z0-9=&%_-]*)?$/.test(raw) ? raw : '/staff/prescriptions';
}
const withDone = (back: string, done: string) => `${back}${back.includes('?') ? '&' : '?'}done=${done}`;

export async function queuePracticeRoutes(app: FastifyInstance): Promise<void> {
  const { db, clock } = app.deps;
  const ctx = (req: FastifyRequest): Ctx => ({ db, clock, meta: req.meta });
  const r = typed(app);
  const config = { audience: 'staff' } as const;

  const listPage = async (
    req: FastifyRequest,
    raw: Record<string, string | undefined>,
    flash: string | null,
  ) => {
    const q = queueQuery(raw);
    const found = await queue(ctx(req), req.actor, q);
    return queuePage({ ...found, status: q.status, prescriber: q.prescriber, flash });
  };

  r.get(
    '/staff/prescriptions',
    { config, schema: { hide: true, querystring: QueueQuery } },
    async (req, reply) => reply.page(V + 'queue.njk', await listPage(req, req.query, queueDone(req.query))),
  );

  r.post(
    '/staff/prescriptions/approve',
    { config, schema: { hide: true, body: ApproveForm } },
    async (req, reply) => {
      const back = backTo(formBody(req.body).back);
      const ids = formList(req.body, 'items');
      return handleForm(
        reply,
        V + 'queue.njk',
        async () => ({
          ...(await listPage(req, Object.fromEntries(new URL(back, 'http://x').searchParams), null)),
          firstField: 'items',
        }),
        {},
        async () => {
          if (ids.some((id) => !ID.test(id)))
            throw AppError.invalid([{ field: 'items', message: 'Select requests from the list' }]);
          // A refusal is shown on the queue itself, naming the item, so the prescriber can go on.
          const n = await approveMany(ctx(req), req.actor, ids).catch((err: unknown) => {
            if (err instanceof AppError && (err.code === 'conflict' || err.code === 'not-found'))
              throw AppError.invalid([{ field: 'items', message: `Nothing was approved. ${err.message}` }]);
            throw err;
          });
          return reply.redirect(`${withDone(back, 'approved')}&n=${String(n)}`);
        },
      );
    },
  );

  // --- One item ---
  const onePage = async (req: FastifyRequest, id: string, done?: string) => {
    const found = await queueItem(ctx(req), req.actor, idOf(id));
    const item = itemView(found.row, found.context.get(found.row.patient_id), found);
    const may = found.may;
    return {
      title: `${item.medicine} for ${item.patient}`,
      item,
      flash: queueDone({ done }),
      mayApprove: may.decide && item.mayApprove,
      mayReject: may.decide && item.mayReject,
      cannotApprove: may.decide ? item.cannotApprove : null,
      steps: may.dispense ? item.steps.map((s) => ({ value: s, text: STEP_LABEL[s] })) : [],
      backHref: '/staff/prescriptions',
      firstField: 'reason',
    };
  };
  r.get(
    '/staff/prescriptions/items/:id',
    { config, schema: { hide: true, params: IdParams, querystring: DoneQuery } },
    async (req, reply) =>
      reply.page(V + 'item.njk', { ...(await onePage(req, req.params.id, req.query.done)), values: {} }),
  );
  r.post(
    '/staff/prescriptions/items/:id/approve',
    { config, schema: { hide: true, params: IdParams, body: ReasonForm } },
    async (req, reply) => {
      await decide(ctx(req), req.actor, { itemId: idOf(req.params.id), decision: 'approve' });
      return reply.redirect(`/staff/prescriptions/items/${req.params.id}?done=approved`);
    },
  );
  r.post(
    '/staff/prescriptions/items/:id/reject',
    { config, schema: { hide: true, params: IdParams, body: ReasonForm } },
    async (req, reply) => {
      const values = formBody(req.body);
      return handleForm(
        reply,
        V + 'item.njk',
        () => onePage(req, req.params.id),
        values,
        async () => {
          await decide(ctx(req), req.actor, {
            itemId: idOf(req.params.id),
            decision: 'reject',
            reason: values.reason ?? '',
          });
          return reply.redirect(`/staff/prescriptions/items/${req.params.id}?done=rejected`);
        },
      );
    },
  );
  r.post(
    '/staff/prescriptions/items/:id/status',
    { config, schema: { hide: true, params: IdParams, body: StepForm } },
    async (req, reply) => {
      const values = formBody(req.body);
      return handleForm(
        reply,
        V + 'item.njk',
        async () => ({ ...(await onePage(req, req.params.id)), firstField: 'status' }),
        values,
        async () => {
          const to = values.status ?? '';
          if (!isDispensingStep(to))
            throw AppError.invalid([{ field: 'status', message: 'Choose the step to record' }]);
          await recordStep(ctx(req), req.actor, { itemId: idOf(req.params.id), to });
          return reply.redirect(`/staff/prescriptions/items/${req.params.id}?done=${to}`);
        },
      );
    },
  );
}
