// The names of the areas (and practices) the programme's figures are added up by, as the
// published files give them: POMI's long format and its practice lookup name each region,
// sub-region, CCG and practice. A later file's name wins; a file without names changes none.
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table areas (
      code text not null check (code ~ '^[A-Z0-9]{2,10}$'),
      kind text not null check (kind in ('region', 'subregion', 'ccg', 'practice')),
      name text not null,
      parent_code text,
      updated_at timestamptz not null,
      primary key (kind, code)
    );
    -- The practice lookup published beside the monthly files names areas and has no months.
    alter table pomi_imports drop constraint pomi_imports_format_check;
    alter table pomi_imports add constraint pomi_imports_format_check check (format in ('long', 'wide', 'lookup'));
    alter table pomi_imports alter column first_month drop not null;
    alter table pomi_imports alter column last_month drop not null;
    -- Dashboards find and add up an area's returns by its code.
    create index pomi_returns_region on pomi_returns (region_code, period_end);
    create index pomi_returns_subregion on pomi_returns (subregion_code, period_end);
    create index pomi_returns_ccg on pomi_returns (ccg_code, period_end);
  `.execute(db);
}
