// Patient pages for repeat prescriptions: the repeats (each saying whether it can be ordered now
// and if not why and when), the order form, check your answers, the order sent, the orders with
// each item's status, and cancelling an item still requested. Plain forms: no JavaScript needed.
import { randomUUID } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Ctx } from '../../platform/context.ts';
import { AppError, type FieldError } from '../../platform/http/errors.ts';
import { pageNumber } from '../../platform/http/paging.ts';
import { formFields, Type, typed } from '../../platform/http/schema.ts';
import { accountFormRateLimit } from '../../platform/auth/signin-routes.ts';
import { errorContext, formBody, formList } from '../../platform/views/forms.ts';
import { MAX_NOTE_LENGTH } from '../rules.ts';
import { pharmacyView, quantityText, readyDay, repeatView, requestView, spokenDay } from './present.ts';
import * as requests from './requests-service.ts';
import { uuidOf } from './rules.ts';
import * as ordering from './service.ts';

const V = 'prescriptions/ordering/views/';
const text = Type.Optional(Type.String());
const DoneQuery = Type.Object({ done: text });
const PageQuery = Type.Object({ page: text, done: text });
const RequestQuery = Type.Object({ ordered: text, already: text });
const RequestParams = Type.Object({ id: Type.String() });
const ItemParams = Type.Object({ id: Type.String(), item: Type.String() });
const OrderForm = formFields('items', 'note', 'earlyReason', 'idempotencyKey', 'step');

/** Flash messages: `?done=<code>` to a sentence. */
const DONE: Record<string, string> = { cancelled: 'The medicine has been cancelled from your order.' };
const flashOf = (code: string | undefined) => (code ? (DONE[code] ?? null) : null);

function uuidOr404(id: string): string {
  const ok = uuidOf(id);
  if (!ok) throw new AppError('not-found', 'There is no such prescription order.');
  return ok;
}

/** A page's error summary and field errors (several problems may name one field). */
function withErrors(problems: FieldError[]) {
  if (!problems.length) return {};
  const c = errorContext(problems);
  const errorMap: Record<string, { text: string }> = {};
  for (const p of problems)
    errorMap[p.field] = {
      text: errorMap[p.field] ? `${errorMap[p.field]?.text ?? ''}. ${p.message}` : p.message,
    };
  return { errors: problems, errorMap, errorList: c.errorList };
}

/** An order's problems as fields of the form: each refused medicine under "items". */
function problemsOf(err: AppError): FieldError[] {
  if (err.fields.length) return err.fields;
  const errors = err.extra.errors;
  if (!Array.isArray(errors)) return [{ field: 'items', message: err.message }];
  return errors.map((e: unknown) => {
    const r = typeof e === 'object' && e !== null ? e : {};
    const detail = 'detail' in r && typeof r.detail === 'string' ? r.detail : err.message;
    const reason = 'reason' in r ? r.reason : null;
    return { field: reason === 'early-reason-required' ? 'earlyReason' : 'items', message: detail };
  });
}

export async function orderingPatientRoutes(app: FastifyInstance): Promise<void> {
  const { db, clock } = app.deps;
  const ctx = (req: FastifyRequest): Ctx => ({ db, clock, meta: req.meta });
  const r = typed(app);
  const page = { config: { audience: 'patient' }, schema: { hide: true } } as const;

  r.get(
    '/patient/prescriptions',
    { ...page, schema: { hide: true, querystring: DoneQuery } },
    async (req, reply) => {
      const mine = await ordering.myRepeats(ctx(req), req.actor);
      const repeats = mine.repeats.map((x) =>
        repeatView(x.row, { orderability: x.orderability, bookingOn: mine.me.bookingOn, today: mine.today }),
      );
      return reply.page(V + 'repeats.njk', {
        title: 'Your repeat prescriptions',
        repeats,
        onlineOrdering: mine.settings.onlineOrdering,
        anyOrderable: repeats.some((x) => x.orderable),
        flash: flashOf(req.query.done),
        backHref: '/patient',
      });
    },
  );

  type Values = { items: string[]; note?: string | undefined; earlyReason?: string | undefined };

  /** The order form: the repeats that can be ordered now, with what was chosen and typed. */
  const orderPage = async (req: FastifyRequest, c: { values: Values; key?: string | undefined }) => {
    const mine = await ordering.myRepeats(ctx(req), req.actor);
    const orderable = mine.repeats.filter((x) => x.orderability.orderable);
    const early = orderable.flatMap((x) =>
      x.orderability.orderable && x.orderability.early ? [x.orderability] : [],
    );
    return {
      title: 'Which medicines do you need?',
      items: orderable.map((x) => {
        const v = repeatView(x.row, {
          orderability: x.orderability,
          bookingOn: mine.me.bookingOn,
          today: mine.today,
        });
        return {
          value: v.id,
          text: v.medicine,
          hint: { text: [v.quantity, v.message].filter(Boolean).join('. ') },
          checked: c.values.items.includes(v.id),
        };
      }),
      earlyOffered: early.length > 0,
      earlyRequired: early.some((e) => e.reasonRequired),
      maxNote: MAX_NOTE_LENGTH,
      idempotencyKey: (c.key && uuidOf(c.key)) ?? randomUUID(),
      values: c.values,
      backHref: '/patient/prescriptions',
    };
  };

  const showForm = async (
    reply: FastifyReply,
    req: FastifyRequest,
    c: { values: Values; key?: string | undefined; status: number; problems: FieldError[] },
  ) =>
    reply.status(c.status).page(V + 'order.njk', { ...(await orderPage(req, c)), ...withErrors(c.problems) });

  r.get('/patient/prescriptions/order', page, async (req, reply) =>
    showForm(reply, req, { values: { items: [] }, status: 200, problems: [] }),
  );

  /**
   * Check your answers: the order as it would be made now. After Back and a change, the page's key
   * may already have sent a different order (`earlier`): that one is named as sent, and this one
   * gets a fresh key so the patient can send it.
   */
  const checkPage = async (
    reply: FastifyReply,
    req: FastifyRequest,
    c: { values: Values; key: string | undefined; earlier?: string },
  ) => {
    const { values, key, earlier } = c;
    const input = { ...values, channel: 'web' as const };
    const check = await ordering.checkOrder(ctx(req), req.actor, input);
    if (check.refusal)
      return showForm(reply, req, {
        values,
        key,
        status: check.refusal.status,
        problems: problemsOf(check.refusal),
      });
    const pharmacy = pharmacyView(check.pharmacy);
    return reply.page(V + 'check.njk', {
      title: 'Check your order before sending it',
      chosenRows: values.items.flatMap((id) => {
        const t = check.chosen.find((x) => x.id === id);
        if (!t) return [];
        const early = check.verdict.ok && check.verdict.early.includes(id);
        return [
          {
            key: { text: t.drug_name },
            value: {
              text: `${quantityText(t.quantity, t.quantity_unit)}. ${t.dosage}${early ? '. Early order' : ''}`,
            },
          },
        ];
      }),
      orderRows: [
        ...(check.verdict.ok && check.verdict.earlyReason
          ? [{ key: { text: 'Why you need it early' }, value: { text: check.verdict.earlyReason } }]
          : []),
        { key: { text: 'Note to your GP practice' }, value: { text: values.note?.trim() || 'None' } },
        {
          key: { text: 'Pharmacy' },
          value: {
            text: pharmacy
              ? `${pharmacy.name}, ${pharmacy.address}`
              : 'You have not nominated a pharmacy: collect your prescription from your GP practice',
          },
        },
        {
          key: { text: 'Expected to be ready' },
          value: { text: spokenDay(readyDay(clock.now(), check.settings.turnaroundDays)) },
        },
      ],
      values,
      idempotencyKey: key ?? randomUUID(),
      earlierHref: earlier ? `/patient/prescriptions/requests/${earlier}` : null,
      backHref: '/patient/prescriptions/order',
    });
  };

  r.post(
    '/patient/prescriptions/order',
    {
      config: { audience: 'patient', rateLimit: accountFormRateLimit },
      schema: { hide: true, body: OrderForm },
    },
    async (req, reply) => {
      const f = formBody(req.body);
      // The note and reason as typed (formBody trims them): kept on the page when a problem is shown.
      const values: Values = {
        items: formList(req.body, 'items'),
        note: typeof req.body.note === 'string' ? req.body.note : f.note,
        earlyReason: typeof req.body.earlyReason === 'string' ? req.body.earlyReason : f.earlyReason,
      };
      const key = (f.idempotencyKey && uuidOf(f.idempotencyKey)) ?? undefined;
      const input = { ...values, channel: 'web' as const };
      if (f.step === 'change') return showForm(reply, req, { values, key, status: 200, problems: [] });
      if (f.step !== 'confirm') return checkPage(reply, req, { values, key });
      try {
        const o = await ordering.orderOwn(ctx(req), req.actor, {
          ...input,
          idempotencyKey: key ? `page-${key}` : undefined,
        });
        return await reply.redirect(`/patient/prescriptions/requests/${o.request.id}?ordered=1`);
      } catch (err) {
        if (!(err instanceof AppError)) throw err;
        // The page's key sent another order first (Back, change, send): this one is not sent yet.
        const earlier = ordering.earlierRequestId(err);
        if (earlier) return checkPage(reply, req, { values, key: undefined, earlier });
        if (err.code !== 'invalid' && err.reason !== 'not-orderable') throw err;
        return showForm(reply, req, { values, key, status: err.status, problems: problemsOf(err) });
      }
    },
  );

  r.get(
    '/patient/prescriptions/requests',
    { ...page, schema: { hide: true, querystring: PageQuery } },
    async (req, reply) => {
      const mine = await requests.myRequests(ctx(req), req.actor, pageNumber(req.query.page));
      const link = (n: number) => `/patient/prescriptions/requests?page=${String(n)}`;
      return reply.page(V + 'requests.njk', {
        title: 'Your prescription orders',
        requests: mine.requests.map((x) => requestView(x, { ...mine.settings, today: mine.today })),
        pages: {
          previous: mine.page > 1 ? link(mine.page - 1) : null,
          next: mine.page < mine.pages ? link(mine.page + 1) : null,
          text: mine.pages > 1 ? `Page ${String(mine.page)} of ${String(mine.pages)}` : null,
        },
        flash: flashOf(req.query.done),
        backHref: '/patient/prescriptions',
      });
    },
  );

  r.get(
    '/patient/prescriptions/requests/:id',
    { ...page, schema: { hide: true, params: RequestParams, querystring: RequestQuery } },
    async (req, reply) => {
      const one = await requests.myRequest(ctx(req), req.actor, uuidOr404(req.params.id));
      const v = requestView(one.request, { ...one.settings, today: one.today });
      const pharmacy = pharmacyView(one.pharmacy);
      const ordered = Boolean(req.query.ordered);
      return reply.page(V + 'request.njk', {
        title: ordered
          ? 'Order sent'
          : req.query.already
            ? 'You have already sent this order'
            : 'Your prescription order',
        ordered,
        r: v,
        rows: [
          { key: { text: 'Ordered on' }, value: { text: v.orderedOn } },
          ...(v.expectedReady || v.readyPassed
            ? [{ key: { text: 'Expected to be ready' }, value: { text: v.expectedReady ?? v.readyPassed } }]
            : []),
          {
            key: { text: 'Pharmacy' },
            value: {
              text: v.pharmacy
                ? pharmacy && pharmacy.name === v.pharmacy
                  ? `${pharmacy.name}, ${pharmacy.address}`
                  : v.pharmacy
                : 'No nominated pharmacy: collect your prescription from your GP practice',
            },
          },
          ...(v.earlyReason
            ? [{ key: { text: 'Why you need it early' }, value: { text: v.earlyReason } }]
            : []),
          ...(v.note ? [{ key: { text: 'Note to your GP practice' }, value: { text: v.note } }] : []),
        ],
        backHref: '/patient/prescriptions/requests',
      });
    },
  );

  const cancelPage = async (req: FastifyRequest, ids: { id: string; item: string }) => {
    const one = await requests.myRequest(ctx(req), req.actor, uuidOr404(ids.id));
    const v = requestView(one.request, { ...one.settings, today: one.today });
    const item = v.items.find((i) => i.id === uuidOf(ids.item));
    if (!item) throw new AppError('not-found', 'There is no such medicine in this order.');
    return { v, item };
  };

  r.get(
    '/patient/prescriptions/requests/:id/items/:item/cancel',
    { ...page, schema: { hide: true, params: ItemParams } },
    async (req, reply) => {
      const { v, item } = await cancelPage(req, req.params);
      if (!item.cancelHref)
        throw new AppError(
          'conflict',
          `This medicine can no longer be cancelled online: its status is “${item.status.text}”. Contact your GP practice if you do not need it.`,
        );
      return reply.page(V + 'cancel.njk', {
        title: `Are you sure you want to cancel ${item.medicine}?`,
        item,
        orderedOn: v.orderedOn,
        action: item.cancelHref,
        backHref: `/patient/prescriptions/requests/${v.id}`,
      });
    },
  );

  r.post(
    '/patient/prescriptions/requests/:id/items/:item/cancel',
    {
      config: { audience: 'patient', rateLimit: accountFormRateLimit },
      schema: { hide: true, params: ItemParams },
    },
    async (req, reply) => {
      await requests.cancelMyItem(ctx(req), req.actor, {
        requestId: uuidOr404(req.params.id),
        itemId: uuidOr404(req.params.item),
      });
      return reply.redirect('/patient/prescriptions/requests?done=cancelled');
    },
  );
}
