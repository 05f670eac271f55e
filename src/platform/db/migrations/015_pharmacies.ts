// Pharmacies and patients' nominated pharmacy (issue #11). Pharmacies are national ODS reference
// data, like practices; a nomination belongs to the patient's practice and keeps its history.
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table pharmacies (
      ods_code text primary key check (ods_code ~ '^[A-Z0-9]{3,10}$'),
      name text not null,
      address_lines text[] not null default '{}',
      postcode text,
      postcode_key text,
      phone text,
      status text not null default 'active' check (status in ('active', 'closed', 'dormant', 'proposed')),
      open_date date,
      close_date date,
      updated_at timestamptz not null
    );
    create index pharmacies_postcode on pharmacies (postcode_key text_pattern_ops);
    create index pharmacies_name on pharmacies (lower(name) text_pattern_ops);

    create table pharmacy_nominations (
      patient_id uuid primary key references patients (id),
      practice_ods text not null references practices (ods_code),
      pharmacy_ods text not null references pharmacies (ods_code),
      nominated_at timestamptz not null,
      nominated_by_account uuid references online_accounts (id),
      nominated_by_staff uuid references staff_users (id),
      version integer not null default 1
    );
    create index pharmacy_nominations_practice on pharmacy_nominations (practice_ods);

    create table pharmacy_nomination_history (
      id bigserial primary key,
      practice_ods text not null references practices (ods_code),
      patient_id uuid not null references patients (id),
      pharmacy_ods text references pharmacies (ods_code),
      previous_ods text,
      changed_at timestamptz not null,
      changed_by_account uuid references online_accounts (id),
      changed_by_staff uuid references staff_users (id)
    );
    create index pharmacy_nomination_history_patient on pharmacy_nomination_history (patient_id, changed_at desc);
  `.execute(db);
}
