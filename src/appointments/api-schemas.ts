// JSON shapes of the appointments API. Response schemas list every field; anything else is stripped.
import type { AppointmentRow, FreeSlot } from './store.ts';

const problem = { $ref: 'problem#' } as const;
const errors = { 400: problem, 401: problem, 403: problem, 404: problem, 409: problem } as const;
const security = [{ bearer: [] }];
const uuid = { type: 'string', format: 'uuid' } as const;
const day = { type: 'string', format: 'date' } as const;
const time = { type: 'string', pattern: '^([01][0-9]|2[0-3]):[0-5][0-9]$' } as const;
const channel = { type: 'string', enum: ['face-to-face', 'telephone', 'video', 'home-visit'] } as const;

export const slotSchema = {
  $id: 'slot',
  type: 'object',
  properties: {
    id: { type: 'string' },
    start: { type: 'string', format: 'date-time' },
    end: { type: 'string', format: 'date-time' },
    type: {
      type: 'object',
      properties: { id: { type: 'string' }, name: { type: 'string' }, channel: { type: 'string' } },
    },
    practitioner: {
      type: 'object',
      properties: {
        id: { type: 'string' },
        name: { type: 'string' },
        role: { type: 'string' },
        gender: { type: 'string' },
      },
    },
    location: { type: 'object', properties: { id: { type: 'string' }, name: { type: 'string' } } },
  },
} as const;

export function slotJson(s: FreeSlot) {
  return {
    id: s.id,
    start: s.starts_at.toISOString(),
    end: s.ends_at.toISOString(),
    type: { id: s.slot_type_id, name: s.type_name, channel: s.channel },
    practitioner: {
      id: s.practitioner_id,
      name: s.practitioner_name,
      role: s.practitioner_role,
      gender: s.practitioner_gender,
    },
    location: { id: s.location_id, name: s.location_name },
  };
}

const appointment = {
  type: 'object',
  properties: {
    id: { type: 'string' },
    status: { type: 'string' },
    start: { type: 'string', format: 'date-time' },
    end: { type: 'string', format: 'date-time' },
    type: { type: 'string' },
    channel: { type: 'string' },
    practitioner: { type: 'string' },
    location: { type: 'string' },
    reason: { type: ['string', 'null'] },
    booked_online: { type: 'boolean' },
    booked_at: { type: 'string', format: 'date-time' },
    cancel_reason: { type: ['string', 'null'] },
    cancelled_by: { type: ['string', 'null'] },
    can_cancel: { type: 'boolean' },
  },
} as const;

export function appointmentJson(a: AppointmentRow, canCancel: boolean) {
  return {
    id: a.id,
    status: a.status,
    start: a.starts_at.toISOString(),
    end: a.ends_at.toISOString(),
    type: a.type_name,
    channel: a.channel,
    practitioner: a.practitioner_name,
    location: a.location_name,
    reason: a.reason,
    booked_online: a.booked_online,
    booked_at: a.booked_at.toISOString(),
    cancel_reason: a.cancel_reason,
    cancelled_by: a.cancelled_by_type,
    can_cancel: canCancel,
  };
}

const tags = ['appointments'];

export const appointmentSchemas = {
  slots: {
    tags,
    security,
    summary: 'Free slots the patient can book online now (at most 14 days a search)',
    querystring: {
      type: 'object',
      properties: {
        from: day,
        to: day,
        type: uuid,
        practitioner: uuid,
        channel,
        limit: { type: 'integer', minimum: 1, maximum: 500 },
      },
      additionalProperties: false,
    },
    response: {
      200: { type: 'object', properties: { slots: { type: 'array', items: { $ref: 'slot#' } } } },
      ...errors,
    },
  },
  book: {
    tags,
    security,
    summary: 'Book a slot. Send an Idempotency-Key header so a retry never books twice.',
    headers: {
      type: 'object',
      properties: { 'idempotency-key': { type: 'string', minLength: 8, maxLength: 200 } },
    },
    body: {
      type: 'object',
      required: ['slotId'],
      properties: { slotId: uuid, reason: { type: 'string', maxLength: 500 } },
      additionalProperties: false,
    },
    response: { 200: appointment, 201: appointment, ...errors },
  },
  list: {
    tags,
    security,
    summary: 'The patient’s upcoming and past appointments',
    response: {
      200: {
        type: 'object',
        properties: {
          upcoming: { type: 'array', items: appointment },
          past: { type: 'array', items: appointment },
        },
      },
      ...errors,
    },
  },
  cancel: {
    tags,
    security,
    summary: 'Cancel one of the patient’s appointments (before the practice’s cut-off)',
    params: { type: 'object', properties: { id: uuid }, required: ['id'] },
    response: { 204: { type: 'null' }, ...errors },
  },
  staffBook: {
    tags,
    security,
    summary: 'The appointment book: every slot from a day, with its appointment and patient',
    querystring: {
      type: 'object',
      required: ['from'],
      properties: {
        from: day,
        days: { type: 'integer', minimum: 1, maximum: 7, default: 1 },
        practitioner: uuid,
        location: uuid,
      },
      additionalProperties: false,
    },
  },
  staffSession: {
    tags,
    security,
    summary: 'Add a session; its slots are generated with their online release times',
    body: {
      type: 'object',
      required: ['practitionerId', 'locationId', 'slotTypeId', 'day', 'start', 'end'],
      properties: { practitionerId: uuid, locationId: uuid, slotTypeId: uuid, day, start: time, end: time },
      additionalProperties: false,
    },
  },
  staffBookFor: {
    tags,
    security,
    summary: 'Book a slot for a patient (any free slot, online rules do not apply)',
    body: {
      type: 'object',
      required: ['slotId', 'patientId'],
      properties: { slotId: uuid, patientId: uuid, reason: { type: 'string', maxLength: 500 } },
      additionalProperties: false,
    },
  },
  staffChange: {
    tags,
    security,
    summary: 'Cancel (with a reason the patient sees), move, or record arrived / seen / did not attend',
    params: { type: 'object', properties: { id: uuid }, required: ['id'] },
    body: {
      type: 'object',
      required: ['action'],
      properties: {
        action: { type: 'string', enum: ['cancel', 'move', 'arrived', 'seen', 'did-not-attend'] },
        reason: { type: 'string', maxLength: 500 },
        toSlotId: uuid,
      },
      additionalProperties: false,
    },
  },
} as const;
