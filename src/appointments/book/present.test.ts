import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  appointmentPage,
  appointmentDone,
  bookDone,
  bookPage,
  byPractitioner,
  isRecordableStatus,
  sessionRow,
  slotRow,
  weekTable,
} from './present.ts';

type Row = Parameters<typeof slotRow>[0];
const at = (iso: string) => new Date(iso);
const row = (r: Partial<Row> = {}): Row => ({
  slot_id: 's1',
  starts_at: at('2026-12-01T09:00:00Z'),
  ends_at: at('2026-12-01T09:10:00Z'),
  release_at: at('2026-11-01T08:00:00Z'),
  held_back: false,
  withdrawn: false,
  session_id: 'c1',
  type_name: 'GP appointment',
  channel: 'face-to-face',
  bookable_online: true,
  practice_only: false,
  practitioner_id: 'p1',
  practitioner_name: 'Dr Amara Okafor',
  location_id: 'l1',
  location_name: 'Main surgery',
  appointment_id: null,
  status: null,
  reason: null,
  booked_online: null,
  booked_by_type: null,
  patient_id: null,
  given_name: null,
  family_name: null,
  nhs_number: null,
  ...r,
});

test('a free slot links to booking it, naming the time and person for screen readers', () => {
  assert.deepEqual(slotRow(row(), true), [
    { text: '9am' },
    { text: 'GP appointment' },
    {
      link: {
        href: '/staff/appointments/slots/s1/book',
        text: 'Book',
        hidden: '9am with Dr Amara Okafor',
      },
    },
    { text: 'Free' },
  ]);
});

test('a booked slot links to its appointment by the patient’s name; a withdrawn one says so', () => {
  const booked = slotRow(
    row({
      appointment_id: 'a1',
      patient_id: 'pt1',
      given_name: 'Eleanor',
      family_name: "O'Brien",
      status: 'booked',
      booked_online: true,
      held_back: true,
      practice_only: true,
    }),
    true,
  );
  assert.deepEqual(booked[1], { text: 'GP appointment (practice only) (held back)' });
  assert.deepEqual(booked[2], { link: { href: '/staff/appointments/a1', text: "Eleanor O'Brien" } });
  assert.deepEqual(booked[3], { text: 'Booked (booked online)' });
  assert.deepEqual(
    slotRow(row({ appointment_id: 'a2', patient_id: 'p', status: 'did-not-attend' }), true)[3],
    {
      text: 'Did not attend',
    },
  );
  assert.deepEqual(slotRow(row({ withdrawn: true }), true)[2], { text: 'Session cancelled' });
  assert.deepEqual(slotRow(row(), false)[2], { text: 'No one booked' }, 'no Book link for those who may not');
});

test('the day groups slots by practitioner in order; the week counts booked and free by day', () => {
  const rows = [
    row(),
    row({ slot_id: 's2', practitioner_id: 'p2', practitioner_name: 'Nurse Lee' }),
    row({ slot_id: 's3', appointment_id: 'a1', patient_id: 'x', starts_at: at('2026-12-02T10:00:00Z') }),
    row({ slot_id: 's4', withdrawn: true }),
  ];
  assert.deepEqual(
    byPractitioner(rows, true).map((p) => [p.name, p.rows.length]),
    [
      ['Dr Amara Okafor', 3],
      ['Nurse Lee', 1],
    ],
  );
  const week = weekTable(rows, '2026-11-30');
  assert.equal(week.head.length, 8);
  assert.deepEqual(week.head[2], { text: 'Tuesday 1 December' });
  assert.deepEqual(week.rows[0], [
    { text: 'Dr Amara Okafor' },
    { text: '–' },
    { text: '0 booked, 1 free' },
    { text: '1 booked, 0 free' },
    { text: '–' },
    { text: '–' },
    { text: '–' },
    { text: '–' },
  ]);
});

test('a session row links to cancelling it, or says why it was cancelled', () => {
  const s = {
    id: 'c1',
    start_time: '09:00',
    end_time: '11:00',
    practitioner_name: 'Dr Amara Okafor',
    type_name: 'GP appointment',
    booked: 3,
    cancelled_at: null,
    cancel_reason: null,
  };
  assert.deepEqual(sessionRow(s, true)[3], {
    link: {
      href: '/staff/appointments/sessions/c1/cancel',
      text: 'Cancel session',
      hidden: '09:00 Dr Amara Okafor',
    },
  });
  assert.deepEqual(sessionRow({ ...s, cancelled_at: new Date(), cancel_reason: 'Unwell' }, true)[3], {
    text: 'Cancelled: Unwell',
  });
  // Staff who may not cancel sessions get no "Cancel session" link (and no Action column).
  assert.equal(sessionRow(s, false).length, 3);
  assert.ok(!sessionRow(s, false).some((c) => 'link' in c));
});

test('the book page: a day or a week, with filters chosen and the way back and on', () => {
  const base = {
    date: '2026-12-02',
    rows: [row()],
    sessions: [],
    practitioners: [{ id: 'p1', name: 'Dr Amara Okafor' }],
    locations: [{ id: 'l1', name: 'Main surgery' }],
    practitionerId: 'p1',
    locationId: undefined,
    done: {},
    may: { setUp: false, manageSessions: true, bookForPatient: true, recordAttendance: true },
  };
  const day = bookPage({ ...base, week: false, from: '2026-12-02' });
  assert.equal(day.title, 'Appointments: Wednesday 2 December');
  assert.deepEqual([day.prev, day.next], ['2026-12-01', '2026-12-03']);
  assert.deepEqual(day.practitioners[1], { value: 'p1', text: 'Dr Amara Okafor', selected: true });
  assert.deepEqual(day.locations[0], { value: '', text: 'Every location' });
  assert.equal(day.locationId, '');
  const week = bookPage({ ...base, week: true, from: '2026-11-30' });
  assert.equal(week.title, 'Appointments: week of Monday 30 November');
  assert.deepEqual([week.prev, week.next], ['2026-11-25', '2026-12-09']);
});

test('messages after an action are sentences, from codes; a code not ours says nothing', () => {
  assert.equal(appointmentDone('booked'), 'Appointment booked.');
  assert.equal(appointmentDone('did-not-attend'), 'Marked as did not attend.');
  assert.equal(appointmentDone('<b>hacked</b>'), null);
  assert.equal(appointmentDone('toString'), null);
  assert.equal(
    bookDone({ done: 'session-cancelled', cancelled: '1' }),
    'Session cancelled. 1 appointment in it was cancelled, with your reason.',
  );
  assert.equal(
    bookDone({ done: 'session-cancelled', cancelled: '3' }),
    'Session cancelled. 3 appointments in it were cancelled, with your reason.',
  );
  assert.equal(
    bookDone({ done: 'session-cancelled', cancelled: '0' }),
    'Session cancelled. No appointments were booked in it.',
  );
  assert.equal(bookDone({ done: 'Anything at all' }), null);
});

test('only arrived, seen and did not attend are recorded from the page', () => {
  assert.ok(isRecordableStatus('seen'));
  assert.ok(!isRecordableStatus('cancelled'));
  assert.ok(!isRecordableStatus('toString'));
});

test('one appointment: recording, moving and cancelling are offered only to staff who may do each', () => {
  const appointment = {
    id: 'a1',
    patient_id: 'pt1',
    status: 'booked' as const,
    reason: null,
    booked_online: false,
    booked_by_type: 'staff' as const,
    booked_at: at('2026-11-20T09:00:00Z'),
    cancel_reason: null,
    cancelled_by_type: null,
    status_changed_at: at('2026-11-20T09:00:00Z'),
    slot_id: 's1',
    starts_at: at('2026-12-01T09:00:00Z'),
    ends_at: at('2026-12-01T09:10:00Z'),
    type_name: 'GP appointment',
    channel: 'face-to-face' as const,
    practitioner_name: 'Dr Amara Okafor',
    practitioner_role: 'gp' as const,
    location_name: 'Main surgery',
    location_address: null,
  };
  const all = { setUp: true, manageSessions: true, bookForPatient: true, recordAttendance: true };
  const page = (may: typeof all) =>
    appointmentPage({ appointment, patient: {}, next: ['arrived'], moveTo: [], may, done: 'arrived' });
  assert.deepEqual(page(all).next, [{ value: 'arrived', text: 'Arrived' }]);
  assert.equal(page(all).canChange, true);
  assert.equal(page(all).flash, 'Marked as arrived.');
  assert.deepEqual(page({ ...all, recordAttendance: false }).next, []);
  assert.equal(page({ ...all, bookForPatient: false }).canChange, false);
});
