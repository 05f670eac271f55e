// The programme (issue #12), first layer: NHS Digital's POMI returns as imported, one row per
// practice and month, and each practice's history of offering each online service with the
// source of every change (the platform's own settings, imported POMI, or a facilitator's entry).
// POMI covers practices that may never be loaded from ODS, so neither table references practices.
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table pomi_imports (
      id uuid primary key,
      file_name text not null,
      format text not null check (format in ('long', 'wide')),
      practice_months integer not null,
      first_month date not null,
      last_month date not null,
      imported_at timestamptz not null,
      imported_by uuid references staff_users (id)
    );

    -- Counts are as published: null is "not reported" (blank), never zero.
    create table pomi_returns (
      practice_ods text not null check (practice_ods ~ '^[A-Z0-9]{3,10}$'),
      period_end date not null,
      region_code text,
      subregion_code text,
      ccg_code text,
      system_supplier text,
      patient_list_size integer,
      total_pat_enbld integer,
      new_pat_enbld integer,
      sys_appts_enbld smallint check (sys_appts_enbld in (0, 1, 2, 9)),
      pat_appts_enbld integer,
      pat_appts_use integer,
      sys_presc_enbld smallint check (sys_presc_enbld in (0, 1, 2, 9)),
      pat_presc_enbld integer,
      pat_presc_use integer,
      sys_detcoderec_enbld smallint check (sys_detcoderec_enbld in (0, 1, 2, 9)),
      pat_detcoderec_enbld integer,
      pat_detcoderec_use integer,
      total_use integer,
      other_fields jsonb not null default '{}',
      import_id uuid not null references pomi_imports (id),
      primary key (practice_ods, period_end)
    );
    create index pomi_returns_month on pomi_returns (period_end);

    create table service_offerings (
      id bigserial primary key,
      practice_ods text not null check (practice_ods ~ '^[A-Z0-9]{3,10}$'),
      service text not null check (service in
        ('appointments', 'prescriptions', 'summary-record', 'detailed-coded-record', 'full-record')),
      offered boolean not null,
      effective_on date not null,
      source text not null check (source in ('platform', 'pomi', 'manual')),
      detail jsonb not null default '{}',
      note text,
      recorded_at timestamptz not null,
      recorded_by uuid references staff_users (id),
      import_id uuid references pomi_imports (id)
    );
    create unique index service_offerings_one_a_day
      on service_offerings (practice_ods, service, source, effective_on);
  `.execute(db);
}
