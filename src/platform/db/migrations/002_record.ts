// The GP record: entries of every heading, per-entry visibility decisions, whole-record
// withholding, historic-access requests and review marks.
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    alter table patients add column source_system text, add column source_id text;
    create unique index patients_source on patients (practice_ods, source_system, source_id) where source_id is not null;

    create table record_entries (
      id uuid primary key,
      practice_ods text not null references practices (ods_code),
      patient_id uuid not null references patients (id),
      kind text not null check (kind in ('problem', 'medication', 'allergy', 'immunisation', 'result', 'value', 'procedure', 'referral', 'consultation', 'document', 'administrative')),
      source_system text,
      source_id text,
      clinical_date text,
      recorded_at timestamptz not null,
      -- Newest-first order of the patient's pages: the clinical date, else when it was recorded.
      sort_key text not null,
      coding jsonb not null default '[]',
      title text not null,
      text text,
      consultation_id uuid references record_entries (id) on delete set null,
      draft boolean not null default false,
      unfiled boolean not null default false,
      unreviewed boolean not null default false,
      visible_online boolean not null default true,
      details jsonb not null,
      imported_at timestamptz not null,
      updated_at timestamptz not null,
      check ((source_system is null) = (source_id is null))
    );
    create unique index record_entries_source on record_entries (practice_ods, patient_id, source_system, source_id) where source_id is not null;
    create index record_entries_patient_kind on record_entries (practice_ods, patient_id, kind, sort_key desc, recorded_at desc, id);
    create index record_entries_consultation on record_entries (practice_ods, patient_id, consultation_id) where consultation_id is not null;
    create index record_entries_pending on record_entries (practice_ods, imported_at) where unfiled or unreviewed;
    create index record_entries_codes on record_entries (practice_ods, patient_id) where kind = 'administrative';
    create index record_entries_coding on record_entries using gin (coding jsonb_path_ops);

    create table record_visibility_decisions (
      id uuid primary key,
      practice_ods text not null references practices (ods_code),
      patient_id uuid not null references patients (id),
      entry_id uuid not null references record_entries (id) on delete cascade,
      visible boolean not null,
      reason text check (reason in ('third-party', 'serious-harm', 'other')),
      note text,
      decided_by uuid not null references staff_users (id),
      decided_at timestamptz not null,
      check (visible or reason is not null)
    );
    create index record_visibility_decisions_entry on record_visibility_decisions (practice_ods, entry_id, decided_at);

    create table record_controls (
      patient_id uuid primary key references patients (id),
      practice_ods text not null references practices (ods_code),
      withheld boolean not null default false,
      withheld_reason text,
      withheld_by uuid references staff_users (id),
      withheld_at timestamptz,
      last_reviewed_at timestamptz,
      last_reviewed_by uuid references staff_users (id)
    );

    create table historic_access_requests (
      id uuid primary key,
      practice_ods text not null references practices (ods_code),
      patient_id uuid not null references patients (id),
      account_id uuid not null references online_accounts (id),
      requested_at timestamptz not null,
      note text,
      status text not null default 'pending' check (status in ('pending', 'granted', 'refused')),
      decided_by uuid references staff_users (id),
      decided_at timestamptz,
      decision_note text
    );
    -- Daily jobs: a row per job; a process runs it only if it can move last_run_on to today,
    -- so with many processes each job still runs once a day.
    create table daily_jobs (
      name text primary key,
      last_run_on date not null
    );

    create unique index historic_access_requests_pending on historic_access_requests (patient_id) where status = 'pending';
  `.execute(db);
}
