// The patient's orders: the history (a page of orders, each item with its status, any reason it
// was rejected and the expected ready day), one order, and cancelling an item still requested.
// Every read and the cancelling are audited.
import { audit, auditAlone } from '../../platform/audit/use-case.ts';
import type { Actor } from '../../platform/auth/actor.ts';
import type { Ctx } from '../../platform/context.ts';
import { englandDay } from '../../platform/dates.ts';
import { AppError } from '../../platform/http/errors.ts';
import { noSuchPage } from '../../platform/http/paging.ts';
import { settingsFor } from '../settings-store.ts';
import { itemStatusText } from './present.ts';
import { uuidOf } from './rules.ts';
import { ordererFor, requestWithItems, type Orderer } from './service.ts';
import * as store from './store.ts';

/** Orders a page of the history. */
export const REQUESTS_PAGE_SIZE = 10;

const theirs = (me: Orderer) => ({ practiceOds: me.practiceOds, patientId: me.patientId });

/** A page of the patient's orders, newest first, each with its items. */
export async function myRequests(ctx: Ctx, actor: Actor | null, page: number) {
  const me = await ordererFor(ctx, actor);
  const { requests, total } = await store.requestsOf(ctx.db, me.practiceOds, {
    patientId: me.patientId,
    limit: REQUESTS_PAGE_SIZE,
    offset: (page - 1) * REQUESTS_PAGE_SIZE,
  });
  const pages = Math.max(1, Math.ceil(total / REQUESTS_PAGE_SIZE));
  if (page > pages) throw noSuchPage(page);
  const items = await store.itemsOf(ctx.db, me.practiceOds, {
    patientId: me.patientId,
    requestIds: requests.map((r) => r.id),
  });
  const settings = await settingsFor(ctx.db, me.practiceOds);
  await auditAlone(ctx, actor, {
    action: 'prescription.requests.list',
    subject: 'prescription-requests',
    ...theirs(me),
    details: { page },
  });
  return {
    me,
    settings,
    today: englandDay(ctx.clock.now()),
    page,
    pages,
    requests: requests.map((r) => ({ ...r, items: items.filter((i) => i.request_id === r.id) })),
  };
}

const notFound = () => new AppError('not-found', 'There is no such prescription order.');

/** One of the patient's own orders (another patient's is "not found", never "forbidden"). */
export async function myRequest(ctx: Ctx, actor: Actor | null, requestId: string) {
  const me = await ordererFor(ctx, actor);
  const id = uuidOf(requestId);
  const request = id ? await requestWithItems(ctx.db, me, id) : undefined;
  if (!request) throw notFound();
  const settings = await settingsFor(ctx.db, me.practiceOds);
  const pharmacy = await store.nominatedPharmacy(ctx.db, me.practiceOds, me.patientId);
  await auditAlone(ctx, actor, {
    action: 'prescription.request.view',
    subject: `prescription-request:${request.id}`,
    ...theirs(me),
  });
  return { me, request, settings, today: englandDay(ctx.clock.now()), pharmacy };
}

/**
 * Cancels one item of the patient's order while it is still requested. A prescriber approving
 * it at the same moment and the patient cancelling never both win: one conditional update.
 */
export async function cancelMyItem(
  ctx: Ctx,
  actor: Actor | null,
  ids: { requestId: string; itemId: string },
): Promise<store.ItemRow> {
  const me = await ordererFor(ctx, actor);
  const now = ctx.clock.now();
  const requestId = uuidOf(ids.requestId);
  const itemId = uuidOf(ids.itemId);
  try {
    if (!requestId || !itemId) throw notFound();
    return await cancelTx(ctx, actor, me, { patientId: me.patientId, requestId, itemId, now });
  } catch (err) {
    // A refused cancel is audited too: which item, and why (not found, or no longer requested).
    if (err instanceof AppError)
      await auditAlone(ctx, actor, {
        action: 'prescription.item.cancel',
        outcome: 'failure',
        ...theirs(me),
        subject: itemId ? `prescription-item:${itemId}` : null,
        details: {
          reason: err.reason ?? err.code,
          requestId: requestId ?? ids.requestId.slice(0, 64),
          itemId: itemId ?? ids.itemId.slice(0, 64),
          ...(typeof err.extra.itemStatus === 'string' ? { itemStatus: err.extra.itemStatus } : {}),
        },
      });
    throw err;
  }
}

function cancelTx(
  ctx: Ctx,
  actor: Actor | null,
  me: Orderer,
  p: { patientId: string; requestId: string; itemId: string; now: Date },
): Promise<store.ItemRow> {
  const { requestId, itemId, now } = p;
  return ctx.db.transaction().execute(async (tx) => {
    const item = await store.itemOf(tx, me.practiceOds, p);
    if (!item) throw notFound();
    if (!(await store.cancelItem(tx, me.practiceOds, { ...p, now }))) {
      const now2 = (await store.itemOf(tx, me.practiceOds, p))?.status ?? item.status;
      throw new AppError(
        'conflict',
        `This medicine can no longer be cancelled online: its status is “${itemStatusText(now2)}”. Contact your GP practice if you do not need it.`,
        { reason: 'not-cancellable', extra: { itemStatus: now2 } },
      );
    }
    await audit(tx, ctx, actor, {
      action: 'prescription.item.cancel',
      ...theirs(me),
      subject: `prescription-item:${itemId}`,
      details: { requestId, templateId: item.template_id },
    });
    return { ...item, status: 'cancelled' as const, status_at: now };
  });
}
