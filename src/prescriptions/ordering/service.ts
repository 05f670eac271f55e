// The patient's side of repeat prescriptions: their repeats (each saying whether it can be ordered
// now and, if not, why and when), ordering several at once, cancelling an item still requested,
// and their orders with the status of each item. Every rule is judged again inside the order's
// transaction, after the chosen repeats are locked; one open item a repeat is the database's.
import { createHash, randomUUID } from 'node:crypto';
import { canUse, settingsFor as serviceSettings } from '../../accounts/index.ts';
import { audit, auditAlone } from '../../platform/audit/use-case.ts';
import type { Actor, PatientActor } from '../../platform/auth/actor.ts';
import { assertCan } from '../../platform/auth/permissions.ts';
import type { Ctx } from '../../platform/context.ts';
import { englandDay } from '../../platform/dates.ts';
import { sqlState, type Tx } from '../../platform/db/index.ts';
import * as idempotency from '../../platform/db/idempotency-store.ts';
import { AppError } from '../../platform/http/errors.ts';
import { permissions } from '../permissions.ts';
import type { PrescriptionSettings } from '../rules.ts';
import { settingsFor } from '../settings-store.ts';
import type { RequestWithItems } from './present.ts';
import { auditRefusal, refused, shapeError, withIds } from './refusals.ts';
import { factsOf, judgeAll, judgeOrder, optionalText, type OrderRefusal } from './rules.ts';
import * as store from './store.ts';

export type Orderer = { accountId: string; patientId: string; practiceOds: string; bookingOn: boolean };

/** A linked patient whose practice has switched repeat prescription ordering on for them. */
export async function ordererFor(ctx: Ctx, actor: Actor | null): Promise<Orderer> {
  assertCan(actor, permissions.orderOwn);
  if (actor?.kind !== 'patient') throw new AppError('forbidden', 'This is for patients.');
  const p: PatientActor = actor;
  if (!p.patientId || !p.practiceOds)
    throw new AppError('forbidden', 'Link your account to your GP practice first.', { reason: 'not-linked' });
  const { settings } = await serviceSettings(ctx.db, p.practiceOds, p.patientId);
  const account = { linked: true, proofingLevel: p.proofingLevel };
  if (!canUse(account, settings, 'repeat-prescriptions'))
    throw new AppError(
      'forbidden',
      'Your GP practice has not switched on ordering repeat prescriptions online for you.',
      { reason: 'repeats-off' },
    );
  return {
    accountId: p.accountId,
    patientId: p.patientId,
    practiceOds: p.practiceOds,
    bookingOn: canUse(account, settings, 'appointments'),
  };
}

/** Audit rows about the patient's own prescriptions are theirs, at their practice. */
const theirs = (me: Orderer) => ({ practiceOds: me.practiceOds, patientId: me.patientId });

async function judgedRepeats(q: Ctx['db'] | Tx, me: Orderer, today: string) {
  const settings = await settingsFor(q, me.practiceOds);
  const rows = await store.repeatsOf(q, me.practiceOds, me.patientId);
  const judged = judgeAll(
    rows.map((r) => ({ id: r.id, ...factsOf(r) })),
    settings,
    today,
  );
  return { settings, rows, judged };
}

/** The patient's repeats (acute ones too), each judged for today, and the practice's settings. */
export async function myRepeats(ctx: Ctx, actor: Actor | null) {
  const me = await ordererFor(ctx, actor);
  const today = englandDay(ctx.clock.now());
  const { settings, rows, judged } = await judgedRepeats(ctx.db, me, today);
  await auditAlone(ctx, actor, { action: 'prescription.repeats.list', subject: 'repeats', ...theirs(me) });
  return {
    me,
    settings,
    today,
    // An ended repeat is not the patient's to order any more: not listed (an order of it says so).
    repeats: rows.flatMap((r) => {
      const orderability = judged.get(r.id);
      return orderability && r.status !== 'ended' ? [{ row: r, orderability }] : [];
    }),
  };
}

export type OrderInput = {
  items: string[];
  note?: string | null | undefined;
  earlyReason?: string | null | undefined;
  idempotencyKey?: string | undefined;
  channel: 'web' | 'api';
};

/**
 * Checks an order without making it (the check-your-answers page): the chosen repeats and any
 * problem, as the order itself would find it now.
 */
export async function checkOrder(ctx: Ctx, actor: Actor | null, raw: OrderInput) {
  const me = await ordererFor(ctx, actor);
  const ids = withIds(raw);
  const input = ids instanceof AppError ? { ...raw, items: [] } : ids;
  const today = englandDay(ctx.clock.now());
  const { settings, rows, judged } = await judgedRepeats(ctx.db, me, today);
  const note = optionalText(input.note);
  const verdict = judgeOrder({
    items: input.items,
    note,
    earlyReason: optionalText(input.earlyReason),
    repeats: judged,
  });
  const names = new Map(rows.map((r) => [r.id, r.drug_name]));
  const pharmacy = await store.nominatedPharmacy(ctx.db, me.practiceOds, me.patientId);
  await auditAlone(ctx, actor, { action: 'prescription.order.check', subject: 'repeats', ...theirs(me) });
  return {
    me,
    settings,
    verdict,
    names,
    chosen: rows.filter((r) => input.items.includes(r.id)),
    pharmacy,
    today,
    refusal:
      ids instanceof AppError
        ? ids
        : verdict.ok
          ? null
          : verdict.shape !== null
            ? shapeError(verdict.shape, verdict.detail)
            : refused(verdict.refusals, { me, today, names }),
  };
}

function requestHash(input: OrderInput): string {
  return createHash('sha256')
    .update(
      JSON.stringify([[...input.items].sort(), optionalText(input.note), optionalText(input.earlyReason)]),
    )
    .digest('hex');
}

export type Ordered = {
  request: RequestWithItems;
  settings: PrescriptionSettings;
  today: string;
  replayed: boolean;
};

/**
 * Orders the chosen repeats for the signed-in patient: all of them or none. With an
 * Idempotency-Key a retry (or a second press) answers with the first order and never orders
 * twice; the same key with a different order is refused and names the first.
 */
export async function orderOwn(ctx: Ctx, actor: Actor | null, raw: OrderInput): Promise<Ordered> {
  const me = await ordererFor(ctx, actor);
  try {
    return await placeOrder(ctx, actor, me, raw);
  } catch (err) {
    if (err instanceof AppError) await auditRefusal(ctx, actor, me, { err, input: raw });
    throw err;
  }
}

async function placeOrder(ctx: Ctx, actor: Actor | null, me: Orderer, raw: OrderInput): Promise<Ordered> {
  const input = withIds(raw);
  if (input instanceof AppError) throw input;
  const now = ctx.clock.now();
  const today = englandDay(now);
  const note = optionalText(input.note);
  // Keys are shared with booking (one table, keyed by account and key): an order's own space, so a
  // key first sent with a booking never finds that booking's answer.
  const key = input.idempotencyKey ? `rx:${input.idempotencyKey}` : undefined;
  try {
    return await ctx.db.transaction().execute(async (tx) => {
      if (key) {
        const hash = requestHash(input);
        const earlier = await idempotency.claimIdempotencyKey(tx, {
          accountId: me.accountId,
          key,
          practiceOds: me.practiceOds,
          requestHash: hash,
          now,
        });
        if (earlier) {
          const id = storedId(earlier.response);
          if (earlier.requestHash !== hash)
            throw new AppError('conflict', 'This Idempotency-Key was used for a different order.', {
              reason: 'idempotency-key-reused',
              ...(id ? { extra: { requestId: id } } : {}),
            });
          const again = id ? await requestWithItems(tx, me, id) : undefined;
          if (!again) throw new AppError('conflict', 'The earlier request with this key is not finished.');
          return { request: again, settings: await settingsFor(tx, me.practiceOds), today, replayed: true };
        }
      }
      await store.lockRepeats(tx, me.practiceOds, me.patientId, [...new Set(input.items)]);
      const { settings, rows, judged } = await judgedRepeats(tx, me, today);
      const verdict = judgeOrder({
        items: input.items,
        note,
        earlyReason: optionalText(input.earlyReason),
        repeats: judged,
      });
      if (!verdict.ok) {
        if (verdict.shape !== null) throw shapeError(verdict.shape, verdict.detail);
        throw refused(verdict.refusals, {
          me,
          today,
          names: new Map(rows.map((r) => [r.id, r.drug_name])),
        });
      }
      const request = await insertOrder(tx, {
        me,
        now,
        note,
        earlyReason: verdict.earlyReason,
        early: new Set(verdict.early),
        chosen: input.items.flatMap((id) => rows.filter((r) => r.id === id)),
        channel: input.channel,
      });
      await audit(tx, ctx, actor, {
        action: 'prescription.order',
        ...theirs(me),
        subject: `prescription-request:${request.id}`,
        details: {
          items: request.items.map((i) => i.template_id),
          early: verdict.early,
          channel: input.channel,
        },
      });
      if (key)
        await idempotency.storeIdempotentResponse(tx, {
          accountId: me.accountId,
          key,
          statusCode: 201,
          response: { id: request.id },
        });
      return { request, settings, today, replayed: false };
    });
  } catch (err) {
    // The one-open-item index caught an order the locks did not (an item opened another way):
    // name the items that are open now.
    if (sqlState(err) !== '23505') throw err;
    const { rows, judged } = await judgedRepeats(ctx.db, me, today);
    const open: OrderRefusal[] = input.items.flatMap((item) => {
      const j = judged.get(item);
      return j && !j.orderable && j.reason === 'already-requested' ? [{ item, ...j }] : [];
    });
    throw refused(
      open.length
        ? open
        : input.items.map((item) => ({ item, reason: 'already-requested', status: 'requested' })),
      { me, today, names: new Map(rows.map((r) => [r.id, r.drug_name])) },
    );
  }
}

async function insertOrder(
  tx: Tx,
  o: {
    me: Orderer;
    now: Date;
    note: string | null;
    earlyReason: string | null;
    early: Set<string>;
    chosen: store.RepeatRow[];
    channel: 'web' | 'api';
  },
): Promise<RequestWithItems> {
  const { me, now } = o;
  const pharmacy = await store.nominatedPharmacy(tx, me.practiceOds, me.patientId);
  const id = randomUUID();
  await store.insertRequest(tx, {
    id,
    practiceOds: me.practiceOds,
    patientId: me.patientId,
    accountId: me.accountId,
    now,
    note: o.note,
    earlyReason: o.earlyReason,
    pharmacyOds: pharmacy?.ods_code ?? null,
    channel: o.channel,
  });
  const items = o.chosen.map((t) => ({
    id: randomUUID(),
    templateId: t.id,
    prescriberId: t.authorised_by,
    drugName: t.drug_name,
    dosage: t.dosage,
    quantity: t.quantity,
    quantityUnit: t.quantity_unit,
    early: o.early.has(t.id),
  }));
  await store.insertItems(tx, {
    requestId: id,
    practiceOds: me.practiceOds,
    patientId: me.patientId,
    now,
    items,
  });
  // The order as stored, from what this transaction wrote (no read back).
  return {
    id,
    requested_at: now,
    note: o.note,
    early_reason: o.earlyReason,
    pharmacy_ods: pharmacy?.ods_code ?? null,
    pharmacy_name: pharmacy?.name ?? null,
    channel: o.channel,
    items: items
      .map((i) => ({
        id: i.id,
        request_id: id,
        template_id: i.templateId,
        drug_name: i.drugName,
        dosage: i.dosage,
        quantity: i.quantity,
        quantity_unit: i.quantityUnit,
        early: i.early,
        status: 'requested' as const,
        status_at: now,
        reject_reason: null,
      }))
      .sort((a, b) =>
        a.drug_name < b.drug_name ? -1 : a.drug_name > b.drug_name ? 1 : a.id < b.id ? -1 : 1,
      ),
  };
}

/** The request id an earlier request with the key stored, if it finished. */
function storedId(response: unknown): string | undefined {
  if (typeof response !== 'object' || response === null || !('id' in response)) return undefined;
  return typeof response.id === 'string' ? response.id : undefined;
}

export async function requestWithItems(
  q: Ctx['db'] | Tx,
  me: Orderer,
  requestId: string,
): Promise<RequestWithItems | undefined> {
  const r = await store.requestOf(q, me.practiceOds, { patientId: me.patientId, requestId });
  if (!r) return undefined;
  const items = await store.itemsOf(q, me.practiceOds, { patientId: me.patientId, requestIds: [r.id] });
  return { ...r, items };
}

/** The request id a refusal "key used for a different order" names. */
export function earlierRequestId(err: AppError): string | null {
  const id = err.extra.requestId;
  return err.reason === 'idempotency-key-reused' && typeof id === 'string' ? id : null;
}
