// Repeat prescriptions online (issue #11): the practice's ordering settings, repeat templates and
// every change to them, patients' requests (one row per item), and the issues made.
//
// The guarantees live in the database:
// - an item is open (requested or approved) at most once per template: a partial unique index,
//   so two devices, a double press or a retry cannot request it twice;
// - issues made never exceed issues authorised: a check on the template, so an approval that
//   would go past it fails (SQLSTATE 23514) and nothing is written;
// - one issue per request item: a unique index, and approvals move an item from 'requested'
//   with a conditional update, so two prescribers approving at once make one issue;
// - an issue copies the drug, dose and quantity it was made with: a later change to the template
//   never rewrites it.
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table prescription_settings (
      practice_ods text primary key references practices (ods_code),
      online_ordering boolean not null default true,
      turnaround_days integer not null default 2 check (turnaround_days between 1 and 10),
      order_window_days integer not null default 7 check (order_window_days between 0 and 28),
      early_reason_required boolean not null default true,
      version integer not null default 1,
      updated_at timestamptz not null,
      updated_by uuid references staff_users (id)
    );

    create table repeat_templates (
      id uuid primary key,
      practice_ods text not null references practices (ods_code),
      patient_id uuid not null references patients (id),
      record_entry_id uuid references record_entries (id) on delete set null,
      prescription_type text not null check (prescription_type in ('repeat', 'repeat-dispensing', 'acute')),
      dmd_code text,
      drug_name text not null check (length(drug_name) between 1 and 300),
      dosage text not null check (length(dosage) between 1 and 500),
      quantity numeric not null check (quantity > 0),
      quantity_unit text not null check (length(quantity_unit) between 1 and 100),
      days_per_issue integer not null check (days_per_issue between 1 and 366),
      issues_authorised integer not null check (issues_authorised between 0 and 99),
      issues_made integer not null default 0,
      review_date date,
      repeat_until date,
      online_orderable boolean not null default true,
      authorised_by uuid references staff_users (id),
      authoriser_name text not null,
      authorised_on date not null,
      last_issued_at timestamptz,
      status text not null default 'active' check (status in ('active', 'suspended', 'ended')),
      status_reason text,
      version integer not null default 1,
      created_at timestamptz not null,
      updated_at timestamptz not null,
      constraint repeat_templates_issues_left check (issues_made between 0 and issues_authorised)
    );
    create index repeat_templates_patient on repeat_templates (practice_ods, patient_id, status);
    create index repeat_templates_authoriser on repeat_templates (practice_ods, authorised_by);
    create unique index repeat_templates_record_entry on repeat_templates (record_entry_id)
      where record_entry_id is not null and status <> 'ended';

    create table repeat_template_changes (
      id bigserial primary key,
      practice_ods text not null references practices (ods_code),
      template_id uuid not null references repeat_templates (id),
      version integer not null,
      action text not null check (action in ('created', 'changed', 'reauthorised', 'suspended', 'resumed', 'ended')),
      before jsonb,
      after jsonb not null,
      reason text,
      changed_by uuid references staff_users (id),
      changed_at timestamptz not null,
      unique (template_id, version)
    );

    create table prescription_requests (
      id uuid primary key,
      practice_ods text not null references practices (ods_code),
      patient_id uuid not null references patients (id),
      account_id uuid references online_accounts (id),
      requested_at timestamptz not null,
      note text check (length(note) <= 500),
      early_reason text check (length(early_reason) <= 500),
      pharmacy_ods text,
      channel text not null check (channel in ('web', 'api', 'practice'))
    );
    create index prescription_requests_patient on prescription_requests (practice_ods, patient_id, requested_at desc);

    create table prescription_request_items (
      id uuid primary key,
      request_id uuid not null references prescription_requests (id),
      practice_ods text not null references practices (ods_code),
      patient_id uuid not null references patients (id),
      template_id uuid not null references repeat_templates (id),
      prescriber_id uuid references staff_users (id),
      drug_name text not null,
      dosage text not null,
      quantity numeric not null,
      quantity_unit text not null,
      early boolean not null default false,
      status text not null default 'requested' check (status in ('requested', 'approved', 'rejected', 'cancelled', 'issued', 'sent', 'ready', 'collected')),
      requested_at timestamptz not null,
      status_at timestamptz not null,
      decided_by uuid references staff_users (id),
      decided_at timestamptz,
      reject_reason text check (length(reject_reason) <= 500),
      constraint prescription_items_rejected_reason check (status <> 'rejected' or reject_reason is not null)
    );
    create unique index prescription_items_one_open on prescription_request_items (template_id)
      where status in ('requested', 'approved');
    create index prescription_items_request on prescription_request_items (request_id);
    create index prescription_items_queue on prescription_request_items (practice_ods, status, requested_at, id);
    create index prescription_items_prescriber on prescription_request_items (practice_ods, prescriber_id, status, requested_at, id);
    create index prescription_items_template on prescription_request_items (template_id, requested_at desc);

    create table prescription_issues (
      id uuid primary key,
      practice_ods text not null references practices (ods_code),
      patient_id uuid not null references patients (id),
      template_id uuid not null references repeat_templates (id),
      request_item_id uuid unique references prescription_request_items (id),
      issued_at timestamptz not null,
      issued_by uuid references staff_users (id),
      prescriber_name text not null,
      dmd_code text,
      drug_name text not null,
      dosage text not null,
      quantity numeric not null,
      quantity_unit text not null,
      days_supply integer not null,
      pharmacy_ods text
    );
    create index prescription_issues_template on prescription_issues (template_id, issued_at desc);
    create index prescription_issues_patient on prescription_issues (practice_ods, patient_id, issued_at desc);

    alter table notifications_outbox drop constraint notifications_outbox_kind_check;
    alter table notifications_outbox add constraint notifications_outbox_kind_check check (kind in (
      'appointment-booked', 'appointment-cancelled', 'appointment-reminder',
      'account-confirm-email', 'account-exists',
      'account-password-reset', 'account-password-changed',
      'account-email-change', 'account-email-changed', 'account-email-in-use',
      'account-authenticator-changed', 'account-recovery-codes-new',
      'prescription-approved', 'prescription-rejected', 'prescription-issued'));
  `.execute(db);
}
