// Foundation: practices, staff, patients, online accounts, sessions, tokens, rate limits, audit.
// Every practice-owned table carries practice_ods so it can later be distributed by practice.
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table practices (
      ods_code text primary key check (ods_code ~ '^[A-Z0-9]{3,8}$'),
      name text not null,
      address_lines text[] not null default '{}',
      postcode text,
      commissioner_code text,
      status text not null default 'active' check (status in ('active', 'closed', 'dormant', 'proposed')),
      prescribing_setting integer,
      open_date date,
      close_date date,
      phone text,
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now()
    );
    create index practices_commissioner on practices (commissioner_code);

    create table staff_users (
      id uuid primary key,
      email text not null,
      name text not null,
      role text not null check (role in ('receptionist', 'clinician', 'practice-manager', 'facilitator', 'commissioner', 'admin')),
      practice_ods text references practices (ods_code),
      commissioner_code text,
      password_hash text not null,
      totp_secret text not null,
      failed_attempts integer not null default 0,
      locked_until timestamptz,
      active boolean not null default true,
      created_at timestamptz not null default now(),
      check ((role in ('receptionist', 'clinician', 'practice-manager')) = (practice_ods is not null))
    );
    create unique index staff_users_email on staff_users (lower(email));

    create table staff_practice_scopes (
      staff_id uuid not null references staff_users (id) on delete cascade,
      practice_ods text not null references practices (ods_code),
      primary key (staff_id, practice_ods)
    );

    create table patients (
      id uuid primary key,
      practice_ods text not null references practices (ods_code),
      nhs_number text not null check (nhs_number ~ '^[0-9]{10}$'),
      given_name text not null,
      family_name text not null,
      birth_date date not null,
      sex text not null check (sex in ('female', 'male', 'other', 'unknown')),
      address_lines text[] not null default '{}',
      postcode text,
      email text,
      phone text,
      online_account_ref text not null,
      created_at timestamptz not null default now()
    );
    create unique index patients_nhs_number on patients (nhs_number);
    create unique index patients_account_ref on patients (practice_ods, online_account_ref);
    create index patients_family_name on patients (practice_ods, lower(family_name));

    create table online_accounts (
      id uuid primary key,
      email text not null,
      password_hash text not null,
      totp_secret text,
      totp_confirmed_at timestamptz,
      proofing_level text not null default 'P0' check (proofing_level in ('P0', 'P5', 'P9')),
      patient_id uuid references patients (id),
      practice_ods text references practices (ods_code),
      failed_attempts integer not null default 0,
      locked_until timestamptz,
      disabled_at timestamptz,
      linked_at timestamptz,
      created_at timestamptz not null default now(),
      check ((patient_id is null) = (practice_ods is null))
    );
    create unique index online_accounts_email on online_accounts (lower(email));
    create unique index online_accounts_patient on online_accounts (patient_id) where patient_id is not null;

    create table recovery_codes (
      account_id uuid not null references online_accounts (id) on delete cascade,
      code_hash text not null,
      used_at timestamptz,
      primary key (account_id, code_hash)
    );

    create table identity_verifications (
      id uuid primary key,
      practice_ods text not null references practices (ods_code),
      patient_id uuid not null references patients (id),
      account_id uuid references online_accounts (id),
      method text not null check (method in ('photo-documents', 'vouching', 'vouching-with-confirmation', 'nhs-login-p9')),
      evidence text not null,
      proofing_level text not null check (proofing_level in ('P5', 'P9')),
      verified_by uuid not null references staff_users (id),
      verified_at timestamptz not null
    );
    create index identity_verifications_patient on identity_verifications (practice_ods, patient_id, verified_at);

    create table linkage_keys (
      id uuid primary key,
      practice_ods text not null references practices (ods_code),
      patient_id uuid not null references patients (id),
      key_hash text not null,
      issued_by uuid not null references staff_users (id),
      issued_at timestamptz not null,
      revoked_at timestamptz,
      used_at timestamptz,
      used_by_account uuid references online_accounts (id)
    );
    create unique index linkage_keys_live on linkage_keys (patient_id) where revoked_at is null and used_at is null;

    create table online_services (
      patient_id uuid primary key references patients (id),
      practice_ods text not null references practices (ods_code),
      appointments boolean not null default false,
      repeat_prescriptions boolean not null default false,
      record_level text not null default 'none' check (record_level in ('none', 'summary', 'detailed', 'full')),
      prospective_from date,
      historic_access boolean not null default false,
      pharmacy_view boolean not null default false,
      pharmacy_update boolean not null default false,
      version integer not null default 1,
      updated_by uuid references staff_users (id),
      updated_at timestamptz not null default now()
    );

    create table online_services_history (
      id bigserial primary key,
      practice_ods text not null references practices (ods_code),
      patient_id uuid not null references patients (id),
      version integer not null,
      settings jsonb not null,
      changed jsonb not null,
      reason text,
      changed_by uuid references staff_users (id),
      changed_at timestamptz not null
    );
    create index online_services_history_patient on online_services_history (practice_ods, patient_id, version);

    create table sessions (
      id text primary key,
      principal_type text not null check (principal_type in ('patient', 'staff')),
      principal_id uuid not null,
      stage text not null check (stage in ('password', 'totp-setup', 'recovery-codes', 'full')),
      data jsonb not null default '{}',
      created_at timestamptz not null,
      expires_at timestamptz not null,
      last_seen_at timestamptz not null
    );
    create index sessions_principal on sessions (principal_type, principal_id);
    create index sessions_expiry on sessions (expires_at);

    create table api_tokens (
      id text primary key,
      principal_type text not null check (principal_type in ('patient', 'staff')),
      principal_id uuid not null,
      created_at timestamptz not null,
      expires_at timestamptz not null
    );
    create index api_tokens_principal on api_tokens (principal_type, principal_id);

    create table rate_limits (
      key text primary key,
      hits integer not null,
      reset_at timestamptz not null
    );

    -- One hash chain per practice (and one, '-', for events outside a practice), so audit writes
    -- of different practices never wait for each other. The head row is locked while appending.
    create table audit_chain_heads (
      chain text primary key,
      seq bigint not null,
      hash text not null
    );

    create table audit_events (
      chain text not null,
      seq bigint not null,
      at timestamptz not null,
      actor_type text not null check (actor_type in ('patient', 'staff', 'system', 'anonymous')),
      actor_id text,
      actor_role text,
      on_behalf_of uuid,
      patient_id uuid,
      practice_ods text,
      action text not null,
      subject text,
      outcome text not null check (outcome in ('success', 'failure', 'denied')),
      ip text,
      user_agent text,
      details jsonb not null default '{}',
      prev_hash text not null,
      hash text not null,
      primary key (chain, seq)
    );
    create index audit_events_patient on audit_events (patient_id, at) where patient_id is not null;
    create index audit_events_at on audit_events (at);

    create function audit_events_append_only() returns trigger language plpgsql as $$
    begin
      raise exception 'audit_events is append-only';
    end $$;
    create trigger audit_events_no_change before update or delete on audit_events
      for each row execute function audit_events_append_only();
  `.execute(db);
}
