// JSON shapes of the patient's repeat prescriptions API, as TypeBox schemas: Fastify validates
// with them, OpenAPI documents them, and response schemas strip anything unlisted.
import { Nullable, Type } from '../../platform/http/schema.ts';
import { MAX_ITEMS_PER_ORDER, MAX_NOTE_LENGTH } from '../rules.ts';
import { UUID_PATTERN } from './rules.ts';

const problem = Type.Ref('problem#');
const security = [{ bearer: [] }];
const uuid = Type.String({ pattern: UUID_PATTERN, description: 'A UUID' });
const day = Type.String({ format: 'date' });
const tags = ['prescriptions'];

const STATUSES = ['requested', 'approved', 'rejected', 'cancelled', 'issued', 'sent', 'ready', 'collected'];
const REASONS = [
  'acute',
  'repeat-dispensing',
  'not-online',
  'suspended',
  'ended',
  'ordering-off',
  'already-requested',
  'no-issues-left',
  'expired',
  'review-due',
  'too-early',
];

const repeat = Type.Object({
  id: Type.String(),
  medicine: Type.String(),
  dosage: Type.String(),
  quantity: Type.Number(),
  quantity_unit: Type.String(),
  type: Type.Enum(['repeat', 'repeat-dispensing', 'acute'], { type: 'string' }),
  orderable: Type.Boolean(),
  early: Type.Boolean({ description: 'Orderable now, but before it is due' }),
  early_reason_required: Type.Boolean(),
  not_orderable_reason: Nullable(Type.String({ enum: REASONS })),
  available_from: Nullable(
    Type.String({ format: 'date', description: 'With too-early: the first day it can be ordered' }),
  ),
  due_on: Nullable(Type.String({ format: 'date' })),
  issues_left: Type.Integer(),
  review_date: Nullable(Type.String({ format: 'date' })),
  repeat_until: Nullable(Type.String({ format: 'date' })),
  last_issued_on: Nullable(Type.String({ format: 'date' })),
  open_item: Nullable(
    Type.Object({ request_id: Type.String(), item_id: Type.String(), status: Type.String() }),
  ),
});

const item = Type.Object({
  id: Type.String(),
  repeat_id: Type.String(),
  medicine: Type.String(),
  dosage: Type.String(),
  quantity: Type.Number(),
  quantity_unit: Type.String(),
  early: Type.Boolean(),
  status: Type.String({ enum: STATUSES }),
  status_at: Type.String({ format: 'date-time' }),
  reject_reason: Nullable(Type.String()),
  can_cancel: Type.Boolean(),
});

const request = Type.Object({
  id: Type.String(),
  requested_at: Type.String({ format: 'date-time' }),
  expected_ready_on: Type.String({
    format: 'date',
    description:
      'The practice’s turnaround in working days (weekends and England and Wales bank holidays skipped)',
  }),
  ready_day_passed: Type.Boolean({
    description:
      'Some item is still on its way and expected_ready_on is before today: the patient should contact the practice if it is not ready',
  }),
  note: Nullable(Type.String()),
  early_reason: Nullable(Type.String()),
  pharmacy: Nullable(Type.Object({ ods_code: Type.String(), name: Type.String() })),
  items: Type.Array(item),
});

/** A refused order: nothing was ordered; each refused item is named with its rule. */
const orderProblem = Type.Object(
  {
    type: Type.String(),
    title: Type.String(),
    status: Type.Integer(),
    detail: Type.String(),
    reason: Type.Optional(Type.String()),
    requestId: Type.Optional(Type.String({ description: 'With idempotency-key-reused: the first order' })),
    itemStatus: Type.Optional(Type.String({ description: 'With not-cancellable: the item’s status now' })),
    errors: Type.Optional(
      Type.Array(
        Type.Object({
          pointer: Type.String(),
          detail: Type.String(),
          item: Type.Optional(Type.String({ description: 'The repeat (or item) refused' })),
          reason: Type.Optional(
            Type.String({
              description: 'The rule: not_orderable_reason, no-such-repeat or early-reason-required',
            }),
          ),
          status: Type.Optional(Type.String()),
          from: Type.Optional(day),
          dueOn: Type.Optional(day),
          on: Type.Optional(day),
        }),
      ),
    ),
  },
  {
    description:
      'The order was refused and nothing was ordered. `reason` is not-orderable (409: each refused repeat in `errors` with its rule), early-reason-required (400: say why in `reason`), idempotency-key-reused (409: `requestId` is the first order), or a shape problem (400: not-a-repeat-id, no-items, too-many-items, repeated-item, note-too-long, reason-too-long).',
  },
);

const errors = { 400: orderProblem, 401: problem, 403: problem, 404: problem, 409: orderProblem };

export const orderingSchemas = {
  repeats: {
    tags,
    security,
    summary:
      'The patient’s repeat prescriptions (acute ones too), each saying whether it can be ordered now and if not why and when',
    response: {
      200: Type.Object({ online_ordering: Type.Boolean(), repeats: Type.Array(repeat) }),
      ...errors,
    },
  },
  order: {
    tags,
    security,
    summary:
      'Order repeats: all of them or none. Send an Idempotency-Key header so a retry never orders twice.',
    description:
      'A retry with the same Idempotency-Key answers 200 with the order it made (header idempotent-replayed). `reason` is needed when a repeat is early and the practice asks for one.',
    headers: Type.Object({ 'idempotency-key': Type.Optional(Type.String({ minLength: 8, maxLength: 200 })) }),
    body: Type.Object(
      {
        items: Type.Array(uuid, { minItems: 1, maxItems: MAX_ITEMS_PER_ORDER }),
        note: Type.Optional(Type.String({ maxLength: MAX_NOTE_LENGTH })),
        reason: Type.Optional(Type.String({ maxLength: MAX_NOTE_LENGTH })),
      },
      { additionalProperties: false },
    ),
    response: { 200: request, 201: request, ...errors },
  },
  requests: {
    tags,
    security,
    summary: 'The patient’s orders, newest first, with the status of each item',
    querystring: Type.Object(
      { page: Type.Optional(Type.Integer({ minimum: 1, maximum: 10000 })) },
      { additionalProperties: false },
    ),
    response: {
      200: Type.Object({ page: Type.Integer(), pages: Type.Integer(), requests: Type.Array(request) }),
      ...errors,
    },
  },
  cancel: {
    tags,
    security,
    summary: 'Cancel one item of an order while it is still requested',
    params: Type.Object({ id: uuid, item: uuid }),
    response: { 204: Type.Null(), ...errors },
  },
};
