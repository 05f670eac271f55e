import assert from 'node:assert/strict';
import { test } from 'node:test';
import { alternativeView, appointmentJson, messageFields, slotJson, slotView } from './present.ts';
import type { AppointmentRow, FreeSlot } from './store.ts';

const slot: FreeSlot = {
  id: 's1',
  starts_at: new Date('2026-12-01T09:30:00Z'),
  ends_at: new Date('2026-12-01T09:40:00Z'),
  release_at: new Date('2026-11-01T08:00:00Z'),
  held_back: false,
  slot_type_id: 't1',
  type_name: 'GP appointment',
  channel: 'telephone',
  duration_minutes: 10,
  practitioner_id: 'p1',
  practitioner_name: 'Dr Amara Okafor',
  practitioner_role: 'gp',
  practitioner_gender: 'female',
  location_id: 'l1',
  location_name: 'Main surgery',
};

test('a slot reads in England time, in words, on pages and in JSON', () => {
  const v = slotView(slot);
  assert.equal(v.when, 'Tuesday 1 December 2026 at 9:30am');
  assert.equal(v.channel, 'By phone');
  assert.equal(v.role, 'GP');
  const json = slotJson(slot);
  assert.equal(json.start, '2026-12-01T09:30:00.000Z');
  assert.deepEqual(json.practitioner, { id: 'p1', name: 'Dr Amara Okafor', role: 'gp', gender: 'female' });
});

test('an alternative from a refusal’s JSON reads as the slot does', () => {
  const a = alternativeView(slotJson(slot));
  const v = slotView(slot);
  assert.deepEqual(a, { id: 's1', when: v.when, practitioner: v.practitioner, location: v.location });
});

test('an appointment in JSON and in a message', () => {
  const a: AppointmentRow = {
    id: 'a1',
    patient_id: 'pt1',
    status: 'booked',
    reason: null,
    booked_online: true,
    booked_by_type: 'patient',
    booked_at: new Date('2026-11-30T07:00:00Z'),
    cancel_reason: null,
    cancelled_by_type: null,
    status_changed_at: new Date('2026-11-30T07:00:00Z'),
    slot_id: 's1',
    starts_at: slot.starts_at,
    ends_at: slot.ends_at,
    type_name: slot.type_name,
    channel: slot.channel,
    practitioner_name: slot.practitioner_name,
    practitioner_role: 'gp',
    location_name: slot.location_name,
    location_address: null,
  };
  assert.equal(appointmentJson(a, true).can_cancel, true);
  assert.equal(appointmentJson(a, false).booked_at, '2026-11-30T07:00:00.000Z');
  assert.deepEqual(messageFields(a), {
    when: 'Tuesday 1 December 2026 at 9:30am',
    what: 'GP appointment',
    with: 'Dr Amara Okafor',
    where: 'Main surgery',
  });
});
