// Demo appointment books: each demo practice gets practitioners, a location, slot types named as
// the NHS App guidance asks (plain words, the channel in the name) and two weeks of sessions from
// today, released at once, so a newcomer can book straight away. Idempotent: a practice that has
// practitioners already is left alone.
import { randomUUID } from 'node:crypto';
import { audit } from '../platform/audit/use-case.ts';
import { SYSTEM_ACTOR } from '../platform/auth/actor.ts';
import type { Clock } from '../platform/clock.ts';
import type { Db } from '../platform/db/index.ts';
import type { Channel, PractitionerRole } from '../platform/db/schema.ts';
import { addDays, isoWeekday, localDay, writeSession } from '../appointments/index.ts';
import * as store from './store.ts';

const PEOPLE: { name: string; role: PractitionerRole; gender: 'female' | 'male' }[] = [
  { name: 'Dr Amara Okafor (F)', role: 'gp', gender: 'female' },
  { name: 'Dr Tom Whitfield (M)', role: 'gp', gender: 'male' },
  { name: 'Nurse Priya Shah (F)', role: 'nurse', gender: 'female' },
];

const TYPES: {
  key: string;
  name: string;
  minutes: number;
  channel: Channel;
  category: string;
  online: boolean;
  practiceOnly: boolean;
  guidance: string | null;
}[] = [
  {
    key: 'gp',
    name: 'GP appointment at the surgery',
    minutes: 10,
    channel: 'face-to-face',
    category: 'General Consultation Routine',
    online: true,
    practiceOnly: false,
    guidance: null,
  },
  {
    key: 'gp-phone',
    name: 'Phone call with a GP',
    minutes: 10,
    channel: 'telephone',
    category: 'General Consultation Routine',
    online: true,
    practiceOnly: false,
    guidance: 'The GP will call the number on your record. Keep your phone with you.',
  },
  {
    key: 'blood',
    name: 'Blood test with the nurse',
    minutes: 15,
    channel: 'face-to-face',
    category: 'Planned Clinical Procedure',
    online: true,
    practiceOnly: false,
    guidance: 'Only book this if a GP or nurse has asked you to have a blood test.',
  },
  {
    key: 'urgent',
    name: 'On the day urgent',
    minutes: 10,
    channel: 'face-to-face',
    category: 'General Consultation Acute',
    online: false,
    practiceOnly: true,
    guidance: null,
  },
];

/** Morning and afternoon clinics, Monday to Friday: who, which type, when. */
const CLINICS: { person: number; type: string; start: string; end: string }[] = [
  { person: 0, type: 'gp', start: '08:30', end: '11:00' },
  { person: 1, type: 'gp-phone', start: '09:00', end: '10:30' },
  { person: 1, type: 'urgent', start: '11:00', end: '12:00' },
  { person: 2, type: 'blood', start: '08:30', end: '10:30' },
  { person: 0, type: 'gp-phone', start: '14:00', end: '15:30' },
  { person: 1, type: 'gp', start: '15:00', end: '17:30' },
];

export async function loadDemoAppointments(
  db: Db,
  clock: Clock,
  practiceOds: string,
  days = 14,
): Promise<number> {
  const has = await store.hasPractitioners(db, practiceOds);
  if (has) return 0;
  const now = clock.now();
  return db.transaction().execute(async (tx) => {
    const people = PEOPLE.map((p) => ({ ...p, id: randomUUID() }));
    await store.insertPractitioners(
      tx,
      people.map((p) => ({
        id: p.id,
        practice_ods: practiceOds,
        name: p.name,
        role: p.role,
        gender: p.gender,
        created_at: now,
      })),
    );
    const locationId = randomUUID();
    await store.insertLocation(tx, {
      id: locationId,
      practice_ods: practiceOds,
      name: 'Main surgery',
      address: null,
      created_at: now,
    });
    const types = new Map(TYPES.map((t) => [t.key, randomUUID()]));
    await store.insertSlotTypes(
      tx,
      TYPES.map((t) => ({
        id: types.get(t.key) ?? '',
        practice_ods: practiceOds,
        name: t.name,
        duration_minutes: t.minutes,
        channel: t.channel,
        national_category: t.category,
        bookable_online: t.online,
        practice_only: t.practiceOnly,
        release_days_before: null,
        release_time: null,
        horizon_days: null,
        guidance: t.guidance,
        created_at: now,
      })),
    );
    await store.insertAppointmentRules(tx, {
      practice_ods: practiceOds,
      release_days_before: null,
      release_time: null,
      horizon_days: 28,
      max_future_bookings: 2,
      cancel_cutoff_minutes: 240,
      dna_limit: 2,
      dna_window_days: 365,
      guidance: 'If you need help today, call the surgery or use NHS 111 online. In an emergency, call 999.',
      release_waves: 1,
      wave_interval_minutes: 60,
      held_back_percent: 0,
      held_back_release_minutes: 120,
      updated_at: now,
      updated_by: null,
    });
    let slots = 0;
    for (let d = localDay(now), i = 0; i < days; i++, d = addDays(d, 1)) {
      if (isoWeekday(d) > 5) continue;
      for (const c of CLINICS) {
        const made = await writeSession(tx, {
          practiceOds: practiceOds,
          by: null,
          session: {
            practitionerId: people[c.person]?.id ?? '',
            locationId,
            slotTypeId: types.get(c.type) ?? '',
            day: d,
            start: c.start,
            end: c.end,
          },
          templateId: null,
          now: now,
        });
        slots += made?.slots ?? 0;
      }
    }
    await audit(tx, { db, clock, meta: null }, SYSTEM_ACTOR, {
      action: 'demo.appointments-created',
      practiceOds,
      subject: 'appointment-book',
      details: { slots },
    });
    return slots;
  });
}
