// Online appointment booking: practitioners, locations, slot types, the practice's booking rules,
// sessions (one-off or from weekly templates) that generate slots, appointments, idempotency keys
// for booking requests, and the notifications outbox.
//
// The guarantees live in the database, not in checks before writes:
// - one live appointment per slot: a partial unique index (a second insert gets SQLSTATE 23505 or
//   does nothing with ON CONFLICT), so no race can double-book;
// - a patient's bookings are serialised by locking the patient row, so a limit holds even when
//   one patient books from two devices at once;
// - an Idempotency-Key is a primary key: a retried request waits for the first and then replays it.
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table practitioners (
      id uuid primary key,
      practice_ods text not null references practices (ods_code),
      name text not null,
      role text not null check (role in ('gp', 'nurse', 'healthcare-assistant', 'pharmacist', 'physiotherapist', 'paramedic', 'other')),
      gender text not null check (gender in ('female', 'male', 'not-stated')),
      active boolean not null default true,
      created_at timestamptz not null
    );
    create index practitioners_practice on practitioners (practice_ods, name);

    create table locations (
      id uuid primary key,
      practice_ods text not null references practices (ods_code),
      name text not null,
      address text,
      active boolean not null default true,
      created_at timestamptz not null
    );
    create index locations_practice on locations (practice_ods, name);

    create table slot_types (
      id uuid primary key,
      practice_ods text not null references practices (ods_code),
      name text not null,
      duration_minutes integer not null check (duration_minutes between 5 and 240),
      channel text not null check (channel in ('face-to-face', 'telephone', 'video', 'home-visit')),
      national_category text not null,
      bookable_online boolean not null default false,
      practice_only boolean not null default false,
      -- Release and horizon for this type; null means the practice's rule.
      release_days_before integer check (release_days_before between 0 and 90),
      release_time text check (release_time ~ '^([01][0-9]|2[0-3]):[0-5][0-9]$'),
      horizon_days integer check (horizon_days between 0 and 365),
      guidance text,
      active boolean not null default true,
      created_at timestamptz not null,
      check (not (practice_only and bookable_online))
    );
    create index slot_types_practice on slot_types (practice_ods, name);

    create table appointment_rules (
      practice_ods text primary key references practices (ods_code),
      release_days_before integer check (release_days_before between 0 and 90),
      release_time text check (release_time ~ '^([01][0-9]|2[0-3]):[0-5][0-9]$'),
      horizon_days integer not null default 28 check (horizon_days between 0 and 365),
      max_future_bookings integer not null default 2 check (max_future_bookings between 1 and 20),
      cancel_cutoff_minutes integer not null default 240 check (cancel_cutoff_minutes between 0 and 10080),
      dna_limit integer not null default 2 check (dna_limit between 0 and 20),
      dna_window_days integer not null default 365 check (dna_window_days between 1 and 3650),
      guidance text not null default '',
      release_waves integer not null default 1 check (release_waves between 1 and 12),
      wave_interval_minutes integer not null default 60 check (wave_interval_minutes between 5 and 720),
      held_back_percent integer not null default 0 check (held_back_percent between 0 and 100),
      held_back_release_minutes integer not null default 120 check (held_back_release_minutes between 0 and 2880),
      version integer not null default 1,
      updated_at timestamptz not null,
      updated_by uuid references staff_users (id),
      check ((release_days_before is null) = (release_time is null))
    );

    create table session_templates (
      id uuid primary key,
      practice_ods text not null references practices (ods_code),
      practitioner_id uuid not null references practitioners (id),
      location_id uuid not null references locations (id),
      slot_type_id uuid not null references slot_types (id),
      weekday integer not null check (weekday between 1 and 7),
      start_time text not null check (start_time ~ '^([01][0-9]|2[0-3]):[0-5][0-9]$'),
      end_time text not null check (end_time ~ '^([01][0-9]|2[0-3]):[0-5][0-9]$'),
      valid_from date not null,
      valid_until date,
      created_by uuid references staff_users (id),
      created_at timestamptz not null,
      check (end_time > start_time)
    );
    create index session_templates_practice on session_templates (practice_ods, weekday);

    -- A practitioner's clinic on one day (the sign-in sessions table is another thing).
    create table clinic_sessions (
      id uuid primary key,
      practice_ods text not null references practices (ods_code),
      practitioner_id uuid not null references practitioners (id),
      location_id uuid not null references locations (id),
      slot_type_id uuid not null references slot_types (id),
      day date not null,
      start_time text not null check (start_time ~ '^([01][0-9]|2[0-3]):[0-5][0-9]$'),
      end_time text not null check (end_time ~ '^([01][0-9]|2[0-3]):[0-5][0-9]$'),
      template_id uuid references session_templates (id),
      created_by uuid references staff_users (id),
      created_at timestamptz not null,
      check (end_time > start_time)
    );
    create index clinic_sessions_practice_day on clinic_sessions (practice_ods, day);
    -- A template makes at most one session a day, however often it is run.
    create unique index clinic_sessions_template_day on clinic_sessions (template_id, day) where template_id is not null;

    create table slots (
      id uuid primary key,
      practice_ods text not null references practices (ods_code),
      session_id uuid not null references clinic_sessions (id) on delete cascade,
      practitioner_id uuid not null references practitioners (id),
      location_id uuid not null references locations (id),
      slot_type_id uuid not null references slot_types (id),
      starts_at timestamptz not null,
      ends_at timestamptz not null,
      -- When patients may book it online (release rule, fair-release wave or hold-back).
      release_at timestamptz not null,
      held_back boolean not null default false,
      check (ends_at > starts_at)
    );
    create index slots_practice_start on slots (practice_ods, starts_at);
    create index slots_practice_type_start on slots (practice_ods, slot_type_id, starts_at);
    create index slots_session on slots (session_id);

    create table appointments (
      id uuid primary key,
      practice_ods text not null references practices (ods_code),
      slot_id uuid not null references slots (id),
      patient_id uuid not null references patients (id),
      status text not null default 'booked' check (status in ('booked', 'arrived', 'seen', 'did-not-attend', 'cancelled')),
      reason text,
      booked_online boolean not null,
      booked_by_type text not null check (booked_by_type in ('patient', 'staff')),
      booked_by text not null,
      booked_at timestamptz not null,
      status_changed_at timestamptz not null,
      cancelled_by_type text check (cancelled_by_type in ('patient', 'staff')),
      cancel_reason text,
      moved_from uuid references appointments (id),
      reminded_at timestamptz,
      check ((status = 'cancelled') = (cancelled_by_type is not null))
    );
    create unique index appointments_one_live_per_slot on appointments (slot_id) where status <> 'cancelled';
    create index appointments_patient on appointments (practice_ods, patient_id, status);

    create table idempotency_keys (
      account_id text not null,
      key text not null,
      practice_ods text not null references practices (ods_code),
      request_hash text not null,
      status_code integer not null,
      response jsonb not null,
      created_at timestamptz not null,
      primary key (account_id, key)
    );
    create index idempotency_keys_created on idempotency_keys (created_at);

    create table notifications_outbox (
      id uuid primary key,
      practice_ods text not null references practices (ods_code),
      patient_id uuid references patients (id),
      kind text not null check (kind in ('appointment-booked', 'appointment-cancelled', 'appointment-reminder')),
      email text not null,
      personalisation jsonb not null,
      reference text not null,
      status text not null default 'pending' check (status in ('pending', 'sent', 'failed')),
      attempts integer not null default 0,
      next_attempt_at timestamptz not null,
      last_error text,
      created_at timestamptz not null,
      sent_at timestamptz
    );
    create index notifications_outbox_due on notifications_outbox (next_attempt_at) where status = 'pending';
  `.execute(db);
}
