// The appointments JSON API: patients (slots, book, list, cancel) and practice staff (set-up,
// sessions, the book, booking and changes for patients). OpenAPI at /api/docs.
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Ctx } from '../platform/context.ts';
import { AppError } from '../platform/http/errors.ts';
import type { AppointmentStatus, Channel, PractitionerRole } from '../platform/db/schema.ts';
import { appointmentJson, appointmentSchemas as S, slotJson } from './api-schemas.ts';
import type { PracticeRules } from './rules.ts';
import * as own from './mine.ts';
import * as service from './service.ts';
import * as book from './book-service.ts';
import * as setup from './setup-service.ts';

const tags = ['appointments (practice)'];
const security = [{ bearer: [] }];

export async function appointmentApiRoutes(app: FastifyInstance): Promise<void> {
  const { db, clock } = app.deps;
  const ctx = (req: FastifyRequest): Ctx => ({ db, clock, meta: req.meta });

  // --- Patients ---
  app.get<{
    Querystring: {
      from?: string;
      to?: string;
      type?: string;
      practitioner?: string;
      channel?: Channel;
      limit?: number;
    };
  }>('/api/v1/appointments/slots', { config: { audience: 'patient' }, schema: S.slots }, async (req) => {
    const q = req.query;
    const slots = await service.findSlots(ctx(req), req.actor, {
      from: q.from,
      to: q.to,
      slotTypeId: q.type,
      practitionerId: q.practitioner,
      channel: q.channel,
      limit: q.limit,
    });
    return { slots: slots.map(slotJson) };
  });

  app.post<{ Body: { slotId: string; reason?: string }; Headers: { 'idempotency-key'?: string } }>(
    '/api/v1/appointments',
    { config: { audience: 'patient' }, schema: S.book },
    async (req, reply) => {
      const r = await service.bookOwn(ctx(req), req.actor, {
        slotId: req.body.slotId,
        reason: req.body.reason,
        idempotencyKey: req.headers['idempotency-key'],
      });
      if (r.replayed) reply.header('idempotent-replayed', 'true');
      return reply.status(r.replayed ? 200 : 201).send(appointmentJson(r.appointment, true));
    },
  );

  app.get('/api/v1/appointments', { config: { audience: 'patient' }, schema: S.list }, async (req) => {
    const mine = await own.myAppointments(ctx(req), req.actor);
    return {
      upcoming: mine.upcoming.map((a) => appointmentJson(a, a.cancelRefusal === null)),
      past: mine.past.map((a) => appointmentJson(a, false)),
    };
  });

  app.delete<{ Params: { id: string } }>(
    '/api/v1/appointments/:id',
    { config: { audience: 'patient' }, schema: S.cancel },
    async (req, reply) => {
      await own.cancelOwn(ctx(req), req.actor, req.params.id);
      return reply.status(204).send();
    },
  );

  // --- Practice staff ---
  app.get(
    '/api/v1/practice/appointments/setup',
    {
      config: { audience: 'staff' },
      schema: { tags, security, summary: 'Practitioners, locations, slot types and online booking rules' },
    },
    async (req) => setup.setup(ctx(req), req.actor),
  );

  app.post<{ Body: { name: string; role: PractitionerRole; gender: 'female' | 'male' | 'not-stated' } }>(
    '/api/v1/practice/appointments/practitioners',
    {
      config: { audience: 'staff' },
      schema: {
        tags,
        security,
        body: {
          type: 'object',
          required: ['name', 'role', 'gender'],
          properties: {
            name: { type: 'string', minLength: 1, maxLength: 200 },
            role: {
              type: 'string',
              enum: [
                'gp',
                'nurse',
                'healthcare-assistant',
                'pharmacist',
                'physiotherapist',
                'paramedic',
                'other',
              ],
            },
            gender: { type: 'string', enum: ['female', 'male', 'not-stated'] },
          },
          additionalProperties: false,
        },
      },
    },
    async (req, reply) =>
      reply.status(201).send({ id: await setup.addPractitioner(ctx(req), req.actor, req.body) }),
  );

  app.post<{ Body: { name: string; address?: string } }>(
    '/api/v1/practice/appointments/locations',
    {
      config: { audience: 'staff' },
      schema: {
        tags,
        security,
        body: {
          type: 'object',
          required: ['name'],
          properties: {
            name: { type: 'string', minLength: 1, maxLength: 200 },
            address: { type: 'string', maxLength: 500 },
          },
          additionalProperties: false,
        },
      },
    },
    async (req, reply) =>
      reply.status(201).send({ id: await setup.addLocation(ctx(req), req.actor, req.body) }),
  );

  app.post<{ Body: setup.SlotTypeInput }>(
    '/api/v1/practice/appointments/slot-types',
    {
      config: { audience: 'staff' },
      schema: {
        tags,
        security,
        body: {
          type: 'object',
          required: [
            'name',
            'durationMinutes',
            'channel',
            'nationalCategory',
            'bookableOnline',
            'practiceOnly',
          ],
          properties: {
            name: { type: 'string', minLength: 1, maxLength: 100 },
            durationMinutes: { type: 'integer', minimum: 5, maximum: 240 },
            channel: { type: 'string', enum: ['face-to-face', 'telephone', 'video', 'home-visit'] },
            nationalCategory: { type: 'string', minLength: 1, maxLength: 200 },
            bookableOnline: { type: 'boolean' },
            practiceOnly: { type: 'boolean' },
            releaseDaysBefore: { type: ['integer', 'null'], minimum: 0, maximum: 90 },
            releaseTime: { type: ['string', 'null'], pattern: '^([01][0-9]|2[0-3]):[0-5][0-9]$' },
            horizonDays: { type: ['integer', 'null'], minimum: 0, maximum: 365 },
            guidance: { type: ['string', 'null'], maxLength: 2000 },
          },
          additionalProperties: false,
        },
      },
    },
    async (req, reply) =>
      reply.status(201).send({ id: await setup.addSlotType(ctx(req), req.actor, req.body) }),
  );

  app.put<{ Body: PracticeRules & { version: number } }>(
    '/api/v1/practice/appointments/rules',
    {
      config: { audience: 'staff' },
      schema: {
        tags,
        security,
        summary: 'Replace the online booking rules (send the version you read: optimistic concurrency)',
        body: {
          type: 'object',
          required: [
            'version',
            'releaseDaysBefore',
            'releaseTime',
            'horizonDays',
            'maxFutureBookings',
            'cancelCutoffMinutes',
            'dnaLimit',
            'dnaWindowDays',
            'guidance',
            'releaseWaves',
            'waveIntervalMinutes',
            'heldBackPercent',
            'heldBackReleaseMinutes',
          ],
          properties: {
            version: { type: 'integer', minimum: 0 },
            releaseDaysBefore: { type: ['integer', 'null'], minimum: 0, maximum: 90 },
            releaseTime: { type: ['string', 'null'], pattern: '^([01][0-9]|2[0-3]):[0-5][0-9]$' },
            horizonDays: { type: 'integer', minimum: 0, maximum: 365 },
            maxFutureBookings: { type: 'integer', minimum: 1, maximum: 20 },
            cancelCutoffMinutes: { type: 'integer', minimum: 0, maximum: 10080 },
            dnaLimit: { type: 'integer', minimum: 0, maximum: 20 },
            dnaWindowDays: { type: 'integer', minimum: 1, maximum: 3650 },
            guidance: { type: 'string', maxLength: 4000 },
            releaseWaves: { type: 'integer', minimum: 1, maximum: 12 },
            waveIntervalMinutes: { type: 'integer', minimum: 5, maximum: 720 },
            heldBackPercent: { type: 'integer', minimum: 0, maximum: 100 },
            heldBackReleaseMinutes: { type: 'integer', minimum: 0, maximum: 2880 },
          },
          additionalProperties: false,
        },
      },
    },
    async (req, reply) => {
      const { version, ...rules } = req.body;
      await setup.updateRules(ctx(req), req.actor, rules, version);
      return reply.status(204).send();
    },
  );

  app.post<{ Body: setup.SessionInput }>(
    '/api/v1/practice/appointments/sessions',
    { config: { audience: 'staff' }, schema: S.staffSession },
    async (req, reply) => reply.status(201).send(await setup.addSession(ctx(req), req.actor, req.body)),
  );

  app.get<{ Querystring: { from: string; days?: number; practitioner?: string; location?: string } }>(
    '/api/v1/practice/appointments/book',
    { config: { audience: 'staff' }, schema: S.staffBook },
    async (req) => {
      const rows = await book.appointmentBook(ctx(req), req.actor, {
        from: req.query.from,
        days: req.query.days ?? 1,
        practitionerId: req.query.practitioner,
        locationId: req.query.location,
      });
      return { slots: rows };
    },
  );

  app.post<{ Body: { slotId: string; patientId: string; reason?: string } }>(
    '/api/v1/practice/appointments',
    { config: { audience: 'staff' }, schema: S.staffBookFor },
    async (req, reply) => {
      const a = await book.bookForPatient(ctx(req), req.actor, req.body);
      return reply.status(201).send(appointmentJson(a, true));
    },
  );

  app.post<{ Params: { id: string }; Body: { action: string; reason?: string; toSlotId?: string } }>(
    '/api/v1/practice/appointments/:id/actions',
    { config: { audience: 'staff' }, schema: S.staffChange },
    async (req, reply) => {
      const { action, reason = '', toSlotId } = req.body;
      if (action === 'cancel') await book.cancelForPatient(ctx(req), req.actor, req.params.id, reason);
      else if (action === 'move') {
        if (!toSlotId)
          throw AppError.invalid([
            { field: 'toSlotId', message: 'Choose the slot to move the appointment to' },
          ]);
        const a = await book.moveAppointment(ctx(req), req.actor, req.params.id, toSlotId, reason);
        return reply.status(201).send(appointmentJson(a, true));
      } else await book.recordStatus(ctx(req), req.actor, req.params.id, action as AppointmentStatus);
      return reply.status(204).send();
    },
  );
}
