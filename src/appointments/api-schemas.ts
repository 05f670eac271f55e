// JSON shapes of the appointments API, as TypeBox schemas: Fastify validates with them, OpenAPI
// documents them, and the route types come from them. Response schemas list every field; anything
// else is stripped.
import { Nullable, Type, type Static } from '../platform/http/schema.ts';

const problem = Type.Ref('problem#');
const errors = { 400: problem, 401: problem, 403: problem, 404: problem, 409: problem };
const security = [{ bearer: [] }];
const uuid = Type.String({ format: 'uuid' });
const day = Type.String({ format: 'date' });
const TIME = '^([01][0-9]|2[0-3]):[0-5][0-9]$';
const time = Type.String({ pattern: TIME });
const channel = Type.Enum(['face-to-face', 'telephone', 'video', 'home-visit'], { type: 'string' });
const nullableInteger = (bounds: { minimum: number; maximum: number }) => Nullable(Type.Integer(bounds));
const nullableString = (more: { pattern?: string; maxLength?: number }) => Nullable(Type.String(more));

/** A free slot (shared as `slot#`: the problem schema's alternatives use it too). */
export const slotSchema = Type.Object(
  {
    id: Type.String(),
    start: Type.String({ format: 'date-time' }),
    end: Type.String({ format: 'date-time' }),
    type: Type.Object({ id: Type.String(), name: Type.String(), channel: Type.String() }),
    practitioner: Type.Object({
      id: Type.String(),
      name: Type.String(),
      role: Type.String(),
      gender: Type.String(),
    }),
    location: Type.Object({ id: Type.String(), name: Type.String() }),
  },
  { $id: 'slot' },
);
export type SlotJson = Static<typeof slotSchema>;

/** A refusal's alternatives, checked before a page shows them. */
export const Alternatives = Type.Array(slotSchema);

const appointment = Type.Object({
  id: Type.String(),
  status: Type.String(),
  start: Type.String({ format: 'date-time' }),
  end: Type.String({ format: 'date-time' }),
  type: Type.String(),
  channel: Type.String(),
  practitioner: Type.String(),
  location: Type.String(),
  reason: Nullable(Type.String()),
  booked_online: Type.Boolean(),
  booked_at: Type.String({ format: 'date-time' }),
  cancel_reason: Nullable(Type.String()),
  cancelled_by: Nullable(Type.String()),
  can_cancel: Type.Boolean(),
});

const IdParams = Type.Object({ id: uuid });

/** A refused booking: the problem, with the next free slots or the patient's own appointment. */
const bookingRefused = Type.Object(
  {
    type: Type.String(),
    title: Type.String(),
    status: Type.Integer(),
    detail: Type.String(),
    reason: Type.Optional(Type.String()),
    alternatives: Type.Optional(Type.Array(Type.Ref('slot#'))),
    appointmentId: Type.Optional(
      Type.String({
        format: 'uuid',
        description:
          'With reason already-booked-by-you: the patient’s own appointment in this slot (GET /api/v1/appointments lists it)',
      }),
    ),
  },
  {
    description:
      'The booking was refused; nothing was booked. `reason` says why: slot-taken (another patient booked it first; `alternatives` are the next free slots of the type), already-booked-by-you (this patient already has this slot; `appointmentId` is theirs), or a rule of the practice (limit-reached, not-released, beyond-horizon, in-the-past, missed-appointments, not-bookable-online, withdrawn).',
  },
);

const tags = ['appointments'];
const practiceTags = ['appointments (practice)'];

export const appointmentSchemas = {
  slots: {
    tags,
    security,
    summary: 'Free slots the patient can book online now (at most 14 days a search)',
    querystring: Type.Object(
      {
        from: Type.Optional(day),
        to: Type.Optional(day),
        type: Type.Optional(uuid),
        practitioner: Type.Optional(uuid),
        channel: Type.Optional(channel),
        limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500 })),
      },
      { additionalProperties: false },
    ),
    response: { 200: Type.Object({ slots: Type.Array(Type.Ref('slot#')) }), ...errors },
  },
  book: {
    tags,
    security,
    summary: 'Book a slot. Send an Idempotency-Key header so a retry never books twice.',
    description:
      'A retry with the same Idempotency-Key answers 200 with the appointment it booked. Booking again a slot the patient already has (without the key, or with a new one) books nothing and answers 409 with reason already-booked-by-you and the `appointmentId`.',
    headers: Type.Object({ 'idempotency-key': Type.Optional(Type.String({ minLength: 8, maxLength: 200 })) }),
    body: Type.Object(
      { slotId: uuid, reason: Type.Optional(Type.String({ maxLength: 500 })) },
      { additionalProperties: false },
    ),
    response: { 200: appointment, 201: appointment, ...errors, 409: bookingRefused },
  },
  list: {
    tags,
    security,
    summary: 'The patient’s upcoming and past appointments',
    description: 'Every appointment comes on one page: `page` may be 1; a later page is a 404.',
    querystring: Type.Object(
      { page: Type.Optional(Type.Integer({ minimum: 1, maximum: 10000 })) },
      { additionalProperties: false },
    ),
    response: {
      200: Type.Object({ upcoming: Type.Array(appointment), past: Type.Array(appointment) }),
      ...errors,
    },
  },
  cancel: {
    tags,
    security,
    summary: 'Cancel one of the patient’s appointments (before the practice’s cut-off)',
    params: IdParams,
    response: { 204: Type.Null(), ...errors },
  },
  setup: {
    tags: practiceTags,
    security,
    summary: 'Practitioners, locations, slot types and online booking rules',
  },
  practitioner: {
    tags: practiceTags,
    security,
    body: Type.Object(
      {
        name: Type.String({ minLength: 1, maxLength: 200 }),
        role: Type.Enum(
          ['gp', 'nurse', 'healthcare-assistant', 'pharmacist', 'physiotherapist', 'paramedic', 'other'],
          { type: 'string' },
        ),
        gender: Type.Enum(['female', 'male', 'not-stated'], { type: 'string' }),
      },
      { additionalProperties: false },
    ),
  },
  location: {
    tags: practiceTags,
    security,
    body: Type.Object(
      {
        name: Type.String({ minLength: 1, maxLength: 200 }),
        address: Type.Optional(Type.String({ maxLength: 500 })),
      },
      { additionalProperties: false },
    ),
  },
  slotType: {
    tags: practiceTags,
    security,
    body: Type.Object(
      {
        name: Type.String({ minLength: 1, maxLength: 100 }),
        durationMinutes: Type.Integer({ minimum: 5, maximum: 240 }),
        channel,
        nationalCategory: Type.String({ minLength: 1, maxLength: 200 }),
        bookableOnline: Type.Boolean(),
        practiceOnly: Type.Boolean(),
        releaseDaysBefore: Type.Optional(nullableInteger({ minimum: 0, maximum: 90 })),
        releaseTime: Type.Optional(nullableString({ pattern: TIME })),
        horizonDays: Type.Optional(nullableInteger({ minimum: 0, maximum: 365 })),
        guidance: Type.Optional(nullableString({ maxLength: 2000 })),
      },
      { additionalProperties: false },
    ),
  },
  rules: {
    tags: practiceTags,
    security,
    summary: 'Replace the online booking rules (send the version you read: optimistic concurrency)',
    body: Type.Object(
      {
        version: Type.Integer({ minimum: 0 }),
        releaseDaysBefore: nullableInteger({ minimum: 0, maximum: 90 }),
        releaseTime: nullableString({ pattern: TIME }),
        horizonDays: Type.Integer({ minimum: 0, maximum: 365 }),
        maxFutureBookings: Type.Integer({ minimum: 1, maximum: 20 }),
        cancelCutoffMinutes: Type.Integer({ minimum: 0, maximum: 10080 }),
        dnaLimit: Type.Integer({ minimum: 0, maximum: 20 }),
        dnaWindowDays: Type.Integer({ minimum: 1, maximum: 3650 }),
        guidance: Type.String({ maxLength: 4000 }),
        releaseWaves: Type.Integer({ minimum: 1, maximum: 12 }),
        waveIntervalMinutes: Type.Integer({ minimum: 5, maximum: 720 }),
        heldBackPercent: Type.Integer({ minimum: 0, maximum: 100 }),
        heldBackReleaseMinutes: Type.Integer({ minimum: 0, maximum: 2880 }),
      },
      { additionalProperties: false },
    ),
  },
  staffBook: {
    tags,
    security,
    summary: 'The appointment book: every slot from a day, with its appointment and patient',
    querystring: Type.Object(
      {
        from: day,
        days: Type.Optional(Type.Integer({ minimum: 1, maximum: 7, default: 1 })),
        practitioner: Type.Optional(uuid),
        location: Type.Optional(uuid),
      },
      { additionalProperties: false },
    ),
  },
  staffSession: {
    tags,
    security,
    summary: 'Add a session; its slots are generated with their online release times',
    body: Type.Object(
      { practitionerId: uuid, locationId: uuid, slotTypeId: uuid, day, start: time, end: time },
      { additionalProperties: false },
    ),
  },
  staffBookFor: {
    tags,
    security,
    summary: 'Book a slot for a patient (any free slot, online rules do not apply)',
    body: Type.Object(
      { slotId: uuid, patientId: uuid, reason: Type.Optional(Type.String({ maxLength: 500 })) },
      { additionalProperties: false },
    ),
  },
  staffChange: {
    tags,
    security,
    summary: 'Cancel (with a reason the patient sees), move, or record arrived / seen / did not attend',
    params: IdParams,
    body: Type.Object(
      {
        action: Type.Enum(['cancel', 'move', 'arrived', 'seen', 'did-not-attend'], { type: 'string' }),
        reason: Type.Optional(Type.String({ maxLength: 500 })),
        toSlotId: Type.Optional(uuid),
      },
      { additionalProperties: false },
    ),
  },
};
