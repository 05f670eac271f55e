// Kysely table types of appointments and the notifications outbox (migrations 005 to 007, 009).
import type { ColumnType } from 'kysely';
import type { DateOnly, Timestamp } from './schema-columns.ts';

export type PractitionerRole =
  'gp' | 'nurse' | 'healthcare-assistant' | 'pharmacist' | 'physiotherapist' | 'paramedic' | 'other';
export type Channel = 'face-to-face' | 'telephone' | 'video' | 'home-visit';
export type AppointmentStatus = 'booked' | 'arrived' | 'seen' | 'did-not-attend' | 'cancelled';

export type PractitionersTable = {
  id: string;
  practice_ods: string;
  name: string;
  role: PractitionerRole;
  gender: 'female' | 'male' | 'not-stated';
  active: ColumnType<boolean, boolean | undefined, boolean>;
  created_at: Timestamp;
};

export type LocationsTable = {
  id: string;
  practice_ods: string;
  name: string;
  address: string | null;
  active: ColumnType<boolean, boolean | undefined, boolean>;
  created_at: Timestamp;
};

export type SlotTypesTable = {
  id: string;
  practice_ods: string;
  name: string;
  duration_minutes: number;
  channel: Channel;
  national_category: string;
  bookable_online: boolean;
  practice_only: boolean;
  release_days_before: number | null;
  release_time: string | null;
  horizon_days: number | null;
  guidance: string | null;
  active: ColumnType<boolean, boolean | undefined, boolean>;
  created_at: Timestamp;
};

export type AppointmentRulesTable = {
  practice_ods: string;
  release_days_before: number | null;
  release_time: string | null;
  horizon_days: number;
  max_future_bookings: number;
  cancel_cutoff_minutes: number;
  dna_limit: number;
  dna_window_days: number;
  guidance: string;
  release_waves: number;
  wave_interval_minutes: number;
  held_back_percent: number;
  held_back_release_minutes: number;
  version: ColumnType<number, number | undefined, number>;
  updated_at: Timestamp;
  updated_by: string | null;
};

export type SessionTemplatesTable = {
  id: string;
  practice_ods: string;
  practitioner_id: string;
  location_id: string;
  slot_type_id: string;
  weekday: number;
  start_time: string;
  end_time: string;
  valid_from: DateOnly;
  valid_until: DateOnly | null;
  created_by: string | null;
  created_at: Timestamp;
};

export type ClinicSessionsTable = {
  id: string;
  practice_ods: string;
  practitioner_id: string;
  location_id: string;
  slot_type_id: string;
  day: DateOnly;
  start_time: string;
  end_time: string;
  template_id: string | null;
  created_by: string | null;
  created_at: Timestamp;
  cancelled_at: ColumnType<Date | null, Date | null | undefined, Date | null>;
  cancel_reason: ColumnType<string | null, string | null | undefined, string | null>;
};

export type SlotsTable = {
  id: string;
  practice_ods: string;
  session_id: string;
  practitioner_id: string;
  location_id: string;
  slot_type_id: string;
  starts_at: Timestamp;
  ends_at: Timestamp;
  release_at: Timestamp;
  held_back: boolean;
  withdrawn: ColumnType<boolean, boolean | undefined, boolean>;
  /** Kept by a trigger on appointments (migration 007); never written by the application. */
  booked: ColumnType<boolean, never, never>;
};

export type AppointmentsTable = {
  id: string;
  practice_ods: string;
  slot_id: string;
  patient_id: string;
  status: ColumnType<AppointmentStatus, AppointmentStatus | undefined, AppointmentStatus>;
  reason: string | null;
  booked_online: boolean;
  booked_by_type: 'patient' | 'staff';
  booked_by: string;
  booked_at: Timestamp;
  status_changed_at: Timestamp;
  cancelled_by_type: 'patient' | 'staff' | null;
  cancel_reason: string | null;
  moved_from: string | null;
  reminded_at: Timestamp | null;
};

export type IdempotencyKeysTable = {
  account_id: string;
  key: string;
  practice_ods: string;
  request_hash: string;
  status_code: number;
  response: ColumnType<unknown, string, string>;
  created_at: Timestamp;
};

export type NotificationKind =
  | 'appointment-booked'
  | 'appointment-cancelled'
  | 'appointment-reminder'
  | 'account-confirm-email'
  | 'account-exists'
  // Account self-service (migration 010).
  | 'account-password-reset'
  | 'account-password-changed'
  | 'account-email-change'
  | 'account-email-changed'
  | 'account-email-in-use'
  | 'account-authenticator-changed'
  // Security review follow-up (migration 012).
  | 'account-recovery-codes-new'
  // Repeat prescriptions (migration 014).
  | 'prescription-approved'
  | 'prescription-rejected'
  | 'prescription-issued';

export type NotificationsOutboxTable = {
  id: string;
  /** Null for account messages sent before the account is linked to a practice. */
  practice_ods: string | null;
  patient_id: string | null;
  kind: NotificationKind;
  email: string;
  personalisation: ColumnType<Record<string, string>, string, string>;
  reference: string;
  status: ColumnType<'pending' | 'sent' | 'failed', 'pending' | undefined, 'pending' | 'sent' | 'failed'>;
  attempts: ColumnType<number, number | undefined, number>;
  next_attempt_at: Timestamp;
  last_error: string | null;
  created_at: Timestamp;
  sent_at: Timestamp | null;
};
