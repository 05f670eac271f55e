// How an order is refused: each refused repeat named with its rule and in words, a shape problem
// named by its field, ids read as the database stores them, and every refusal audited.
import { auditAlone } from '../../platform/audit/use-case.ts';
import type { Actor } from '../../platform/auth/actor.ts';
import type { Ctx } from '../../platform/context.ts';
import { AppError } from '../../platform/http/errors.ts';
import { MAX_ITEMS_PER_ORDER } from '../rules.ts';
import { refusalText } from './present.ts';
import { uuidOf, type OrderRefusal } from './rules.ts';

/** Who ordered, as much as a refusal needs (the service's Orderer). */
type Who = { practiceOds: string; patientId: string; bookingOn: boolean };

/** Refusals of an order: the problem names each item and the rule that stops it. */
export function refused(
  refusals: OrderRefusal[],
  c: { me: Who; today: string; names: Map<string, string> },
): AppError {
  const errors = refusals.map((r) => {
    const { item, reason, ...when } = r;
    return {
      pointer: `/items/${item}`,
      item,
      reason,
      detail: refusalText(r, {
        bookingOn: c.me.bookingOn,
        today: c.today,
        medicine: c.names.get(item) ?? null,
      }),
      ...when,
    };
  });
  const onlyReason = refusals.every((r) => r.reason === 'early-reason-required');
  const first = errors[0]?.detail ?? 'This order cannot be made.';
  return onlyReason
    ? new AppError('invalid', first, { reason: 'early-reason-required', extra: { errors } })
    : new AppError(
        'conflict',
        errors.length === 1 ? first : 'Some of these medicines cannot be ordered now.',
        {
          reason: 'not-orderable',
          extra: { errors },
        },
      );
}

/**
 * The order's ids as the database stores them (lower case). An id that is no UUID at all (a form
 * tampered with) is a named 400, never a query PostgreSQL would reject.
 */
export function withIds<T extends { items: string[] }>(input: T): T | AppError {
  const items = input.items.map(uuidOf);
  if (items.some((i) => i === null)) return shapeError('not-a-repeat-id', 'Choose medicines from the list');
  return { ...input, items: items.filter((i) => i !== null) };
}

export function shapeError(shape: string, detail: string): AppError {
  const field = shape === 'note-too-long' ? 'note' : shape === 'reason-too-long' ? 'earlyReason' : 'items';
  return new AppError('invalid', detail, { reason: shape, fields: [{ field, message: detail }] });
}

/** A refused order is audited too: who tried, which repeats, and the rule each broke. */
export async function auditRefusal(
  ctx: Ctx,
  actor: Actor | null,
  me: Who,
  r: { err: AppError; input: { items: string[]; channel: string } },
): Promise<void> {
  const extra: unknown = r.err.extra.errors;
  const errors: unknown[] = Array.isArray(extra) ? extra : [];
  await auditAlone(ctx, actor, {
    action: 'prescription.order',
    outcome: 'failure',
    subject: 'repeats',
    practiceOds: me.practiceOds,
    patientId: me.patientId,
    details: {
      reason: r.err.reason ?? r.err.code,
      // As sent (a tampered form may send anything): bounded, so the audit row stays small.
      items: r.input.items.slice(0, MAX_ITEMS_PER_ORDER + 1).map((i) => i.slice(0, 64)),
      refused: errors.flatMap((e) =>
        typeof e === 'object' && e !== null && 'item' in e && 'reason' in e
          ? [{ item: e.item, reason: e.reason }]
          : [],
      ),
      channel: r.input.channel,
    },
  });
}
