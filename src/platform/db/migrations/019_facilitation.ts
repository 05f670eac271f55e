// The facilitator workspace: per practice, an implementation checklist on the 2013 report's key
// elements and a transition plan. Both append only: the current state is the latest entry, so
// every change stays, dated and with who made it. Practice-owned: each row carries the ODS code.
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table checklist_entries (
      id bigserial primary key,
      practice_ods text not null check (practice_ods ~ '^[A-Z0-9]{3,10}$'),
      element text not null check (element in ('patient-involvement', 'clinical-champion',
        'executive-support', 'funding', 'toolkit', 'staff-trained', 'awareness', 'early-adopters',
        'diary-time')),
      status text not null check (status in ('not-started', 'in-progress', 'done', 'not-needed')),
      on_date date,
      owner text check (length(owner) <= 200),
      notes text check (length(notes) <= 2000),
      recorded_at timestamptz not null,
      recorded_by uuid references staff_users (id)
    );
    create index checklist_entries_practice on checklist_entries (practice_ods, element, recorded_at desc, id desc);

    create table transition_plans (
      id bigserial primary key,
      practice_ods text not null check (practice_ods ~ '^[A-Z0-9]{3,10}$'),
      next_steps text check (length(next_steps) <= 2000),
      receiving_org text check (length(receiving_org) <= 200),
      owner text check (length(owner) <= 200),
      handover_on date,
      handover text check (length(handover) <= 2000),
      recorded_at timestamptz not null,
      recorded_by uuid references staff_users (id)
    );
    create index transition_plans_practice on transition_plans (practice_ods, recorded_at desc, id desc);
    -- A facilitator's own entries of which practices offer what, found per practice.
    create index service_offerings_practice on service_offerings (practice_ods, service, effective_on);
  `.execute(db);
}
