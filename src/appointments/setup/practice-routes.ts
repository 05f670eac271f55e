// Practice pages for appointment set-up: sessions, weekly templates, slot types, practitioners,
// locations, and the online booking rules. Each form redirects back with what was done; a
// mistake shows the page again with it named.
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Ctx } from '../../platform/context.ts';
import { AppError } from '../../platform/http/errors.ts';
import { formFields, Type, typed } from '../../platform/http/schema.ts';
import { formBody, handleForm, type FormBody } from '../../platform/views/forms.ts';
import {
  isChannel,
  isGender,
  isIsoDate,
  isPractitionerRole,
  localDay,
  NATIONAL_CATEGORIES,
} from '../rules.ts';
import { dayOr, inForm, int, ruleProblems, rulesFromForm, rulesValues, sessionInput } from './forms.ts';
import { setupDone, setupPage, type Done } from './present.ts';
import { staffMay } from '../present.ts';
import * as sessions from './sessions-service.ts';
import * as setup from './service.ts';
import { isRetirable } from './store.ts';

const PAGE = 'appointments/views/practice/setup.njk';
const ID = /^[0-9a-f-]{36}$/;

const text = Type.Optional(Type.String());
const SetupQuery = Type.Object({ done: text, sessions: text, slots: text });
// Every field of every set-up form (they share one page).
const SetupForm = formFields(
  'practitionerId',
  'locationId',
  'slotTypeId',
  'day',
  'start',
  'end',
  'weekday',
  'name',
  'role',
  'gender',
  'address',
  'access',
  'durationMinutes',
  'channel',
  'nationalCategory',
  'guidance',
  'kind',
  'id',
  'active',
  'version',
  'releaseTime',
  'releaseDaysBefore',
  'horizonDays',
  'maxFutureBookings',
  'cancelCutoffHours',
  'dnaLimit',
  'dnaWindowDays',
  'releaseWaves',
  'waveIntervalMinutes',
  'heldBackPercent',
  'heldBackReleaseMinutes',
);

export async function setupPracticeRoutes(app: FastifyInstance): Promise<void> {
  const { db, clock } = app.deps;
  const ctx = (req: FastifyRequest): Ctx => ({ db, clock, meta: req.meta });
  const r = typed(app);
  const config = { audience: 'staff' } as const;
  const page = async (req: FastifyRequest) =>
    setupPage(await setup.setup(ctx(req), req.actor), {
      today: localDay(clock.now()),
      may: staffMay(req.actor),
    });

  r.get(
    '/staff/appointments/setup',
    { config, schema: { hide: true, querystring: SetupQuery } },
    async (req, reply) => {
      const p = await page(req);
      return reply.page(PAGE, { ...p, values: rulesValues(p.s.rules), flash: setupDone(req.query) });
    },
  );

  /**
   * A set-up form: `run` does it and says what was done, for the page to show. The page holds
   * several forms with fields of the same name; a mistake is named at its own form's field.
   */
  const post = (path: string, run: (req: FastifyRequest, v: FormBody) => Promise<Done>) =>
    r.post(
      `/staff/appointments/setup/${path}`,
      { config, schema: { hide: true, body: SetupForm } },
      async (req, reply) => {
        const values = formBody(req.body);
        return handleForm(
          reply,
          PAGE,
          () => page(req),
          values,
          async () => {
            const done = await inForm(path, () => run(req, values));
            return reply.redirect(`/staff/appointments/setup?${new URLSearchParams(done).toString()}`);
          },
        );
      },
    );

  post('session', async (req, v) => {
    const made = await sessions.addSession(ctx(req), req.actor, sessionInput(v));
    return { done: 'session', slots: String(made.slots) };
  });
  post('template', async (req, v) => {
    if (v.day && !isIsoDate(v.day))
      throw AppError.invalid([{ field: 'day', message: 'Enter the date the weekly session starts from' }]);
    const made = await sessions.addTemplate(ctx(req), req.actor, {
      ...sessionInput(v),
      // Not a whole number is no weekday (named), never Monday.
      weekday: int(v.weekday, 0),
      validFrom: dayOr(v.day, localDay(clock.now())),
      validUntil: null,
    });
    return { done: 'template', sessions: String(made.sessions), slots: String(made.slots) };
  });
  post('practitioner', async (req, v) => {
    const role = v.role ?? 'other';
    const gender = v.gender ?? 'not-stated';
    if (!isPractitionerRole(role)) throw AppError.invalid([{ field: 'role', message: 'Choose a role' }]);
    if (!isGender(gender)) throw AppError.invalid([{ field: 'gender', message: 'Choose a gender' }]);
    await setup.addPractitioner(ctx(req), req.actor, { name: v.name ?? '', role, gender });
    return { done: 'practitioner' };
  });
  post('location', async (req, v) => {
    await setup.addLocation(ctx(req), req.actor, { name: v.name ?? '', address: v.address ?? null });
    return { done: 'location' };
  });
  post('slot-type', async (req, v) => {
    const access = v.access ?? 'online';
    const channel = v.channel ?? 'face-to-face';
    if (!isChannel(channel)) throw AppError.invalid([{ field: 'channel', message: 'Choose how' }]);
    await setup.addSlotType(ctx(req), req.actor, {
      name: v.name ?? '',
      durationMinutes:
        v.durationMinutes && !/^[0-9]+$/.test(v.durationMinutes) ? Number.NaN : int(v.durationMinutes, 10),
      channel,
      nationalCategory: v.nationalCategory ?? NATIONAL_CATEGORIES[0],
      bookableOnline: access === 'online',
      practiceOnly: access === 'practice-only',
      guidance: v.guidance ?? null,
    });
    return { done: 'slot-type' };
  });
  post('in-use', async (req, v) => {
    const kind = v.kind ?? '';
    const id = v.id ?? '';
    if (!isRetirable(kind) || !ID.test(id))
      throw new AppError('not-found', 'There is no such item at your practice.');
    const active = v.active === 'yes';
    await setup.setInUse(ctx(req), req.actor, { kind, id, active });
    return { done: active ? 'in-use' : 'not-in-use' };
  });
  post('rules', async (req, v) => {
    const rules = rulesFromForm(v);
    const problems = ruleProblems(rules, v);
    if (problems.length) throw AppError.invalid(problems);
    await setup.updateRules(ctx(req), req.actor, { rules, expectedVersion: int(v.version, 0) });
    return { done: 'rules' };
  });
}
