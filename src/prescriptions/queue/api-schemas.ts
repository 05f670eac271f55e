// JSON shapes of the practice's prescription queue API (TypeBox): Fastify validates with them,
// OpenAPI documents them; response schemas list every field, anything else is stripped.
import { Nullable, Type } from '../../platform/http/schema.ts';

const problem = Type.Ref('problem#');
/** A refused decision or step: the problem, naming the item and the rule it broke. */
const refusal = Type.Object(
  {
    type: Type.String(),
    title: Type.String(),
    status: Type.Integer(),
    detail: Type.String(),
    reason: Type.Optional(Type.String()),
    errors: Type.Optional(Type.Array(Type.Object({ item: Type.String(), reason: Type.String() }))),
  },
  {
    description:
      'Nothing was changed. `errors` names the item and the rule: `reason` is one of no-such-item, already-decided, no-issues-left, repeat-suspended, repeat-ended, repeat-expired, status-order.',
  },
);
const errors = { 400: problem, 401: problem, 403: problem, 404: refusal, 409: refusal };
const security = [{ bearer: [] }];
const tags = ['Practice: prescriptions'];
const uuid = Type.String({ format: 'uuid' });
const statuses = ['requested', 'approved', 'rejected', 'cancelled', 'issued', 'sent', 'ready', 'collected'];

const item = Type.Object({
  id: Type.String(),
  request_id: Type.String(),
  patient: Type.Object({ id: Type.String(), name: Type.String(), nhs_number: Type.String() }),
  repeat_id: Type.String(),
  medicine: Type.String(),
  dosage: Type.String(),
  quantity: Type.Number(),
  quantity_unit: Type.String(),
  changed_since_request: Type.Boolean({
    description:
      'The repeat was changed after the request: medicine, dosage and quantity are what approving issues now',
  }),
  status: Type.String(),
  requested_at: Type.String({ format: 'date-time' }),
  overdue: Type.Boolean({ description: 'Open and waiting longer than the practice turnaround' }),
  prescriber: Nullable(Type.Object({ id: Type.String(), name: Type.String() })),
  early: Type.Boolean(),
  early_reason: Nullable(Type.String()),
  note: Nullable(Type.String()),
  last_issued_at: Nullable(Type.String({ format: 'date-time' })),
  issues_authorised: Type.Integer(),
  issues_made: Type.Integer(),
  review_date: Nullable(Type.String({ format: 'date' })),
  repeat_until: Nullable(
    Type.String({ format: 'date', description: 'The last day the repeat may be ordered and approved' }),
  ),
  abnormal_results: Type.Array(
    Type.Object({ title: Type.String(), on: Nullable(Type.String()), value: Type.String() }),
  ),
  allergies: Type.Array(
    Type.Object({
      title: Type.String(),
      reactions: Type.Array(Type.String()),
      criticality: Nullable(Type.String()),
    }),
  ),
});

export const queueSchemas = {
  list: {
    tags,
    security,
    summary: 'The practice’s prescription requests, one item a row, oldest first',
    querystring: Type.Object(
      {
        status: Type.Optional(Type.Enum(statuses, { type: 'string', default: 'requested' })),
        prescriber: Type.Optional(
          Type.String({ pattern: '^(none|[0-9a-f-]{36})$', description: 'A staff id, or none' }),
        ),
        page: Type.Optional(Type.Integer({ minimum: 1, maximum: 10_000 })),
      },
      { additionalProperties: false },
    ),
    response: {
      200: Type.Object({
        page: Type.Integer(),
        pages: Type.Integer(),
        total: Type.Integer(),
        items: Type.Array(item),
      }),
      ...errors,
    },
  },
  decision: {
    tags,
    security,
    summary: 'Approve or reject one requested item (clinicians)',
    description:
      'Approving records the issue and counts it on the repeat, once even when two prescribers approve at once; a refusal names the item and the rule in `errors` (already-decided, no-issues-left, repeat-suspended, repeat-ended, repeat-expired: its repeat-until day has passed).',
    params: Type.Object({ id: uuid }),
    body: Type.Object(
      {
        decision: Type.Enum(['approve', 'reject'], { type: 'string' }),
        reason: Type.Optional(
          Type.String({ maxLength: 500, description: 'Needed to reject: the patient sees it' }),
        ),
      },
      { additionalProperties: false },
    ),
    response: {
      200: Type.Object({ id: Type.String(), status: Type.String(), issue_id: Nullable(Type.String()) }),
      ...errors,
    },
  },
  status: {
    tags,
    security,
    summary: 'Record a dispensing step of an approved item: issued, sent to the pharmacy, ready, collected',
    description:
      'Steps go in order (status-order). A suspended or ended repeat is not issued or sent on: that step is refused as repeat-suspended or repeat-ended.',
    params: Type.Object({ id: uuid }),
    body: Type.Object(
      { status: Type.Enum(['issued', 'sent', 'ready', 'collected'], { type: 'string' }) },
      { additionalProperties: false },
    ),
    response: { 200: Type.Object({ id: Type.String(), status: Type.String() }), ...errors },
  },
};
