// Table types of the programme (migration 017): POMI returns and service offering histories.
import type { ColumnType, Generated } from 'kysely';
import type { DateOnly, Timestamp } from './schema-columns.ts';

export type PomiFormat = 'long' | 'wide' | 'lookup';
export type OfferedService =
  'appointments' | 'prescriptions' | 'summary-record' | 'detailed-coded-record' | 'full-record';
export type OfferingSource = 'platform' | 'pomi' | 'manual';

export type PomiImportsTable = {
  id: string;
  file_name: string;
  format: PomiFormat;
  practice_months: number;
  first_month: DateOnly | null;
  last_month: DateOnly | null;
  imported_at: Timestamp;
  imported_by: string | null;
};

export type PomiReturnsTable = {
  practice_ods: string;
  period_end: DateOnly;
  region_code: string | null;
  subregion_code: string | null;
  ccg_code: string | null;
  system_supplier: string | null;
  patient_list_size: number | null;
  total_pat_enbld: number | null;
  new_pat_enbld: number | null;
  sys_appts_enbld: number | null;
  pat_appts_enbld: number | null;
  pat_appts_use: number | null;
  sys_presc_enbld: number | null;
  pat_presc_enbld: number | null;
  pat_presc_use: number | null;
  sys_detcoderec_enbld: number | null;
  pat_detcoderec_enbld: number | null;
  pat_detcoderec_use: number | null;
  total_use: number | null;
  other_fields: ColumnType<Record<string, number | null>, string | undefined, string>;
  import_id: string;
};

export type ServiceOfferingsTable = {
  id: Generated<string>;
  practice_ods: string;
  service: OfferedService;
  offered: boolean;
  effective_on: DateOnly;
  source: OfferingSource;
  detail: ColumnType<Record<string, unknown>, string | undefined, string>;
  note: string | null;
  recorded_at: Timestamp;
  recorded_by: string | null;
  import_id: string | null;
};

export type AreaKind = 'region' | 'subregion' | 'ccg' | 'pcn' | 'practice';
export type AreasTable = {
  code: string;
  kind: AreaKind;
  name: string;
  parent_code: string | null;
  updated_at: Timestamp;
};

// The facilitator workspace (migration 019): append-only, the latest entry is the current state.
export const CHECKLIST_ELEMENTS = [
  'patient-involvement',
  'clinical-champion',
  'executive-support',
  'funding',
  'toolkit',
  'staff-trained',
  'awareness',
  'early-adopters',
  'diary-time',
] as const;
export type ChecklistElement = (typeof CHECKLIST_ELEMENTS)[number];
export const CHECKLIST_STATUSES = ['not-started', 'in-progress', 'done', 'not-needed'] as const;
export type ChecklistStatus = (typeof CHECKLIST_STATUSES)[number];

export type ChecklistEntriesTable = {
  id: Generated<string>;
  practice_ods: string;
  element: ChecklistElement;
  status: ChecklistStatus;
  on_date: DateOnly | null;
  owner: string | null;
  notes: string | null;
  recorded_at: Timestamp;
  recorded_by: string | null;
};

export type TransitionPlansTable = {
  id: Generated<string>;
  practice_ods: string;
  next_steps: string | null;
  receiving_org: string | null;
  owner: string | null;
  handover_on: DateOnly | null;
  handover: string | null;
  recorded_at: Timestamp;
  recorded_by: string | null;
};

// Geography beside POMI's (migration 020): each file kind fills its own columns, dated.
export type PracticeProfilesTable = {
  practice_ods: string;
  pcn_code: string | null;
  pcn_on: DateOnly | null;
  list_size: number | null;
  list_size_on: DateOnly | null;
  /** numeric: arrives as text. */
  imd_score: ColumnType<string | null, number | null | undefined, number | null>;
  imd_year: number | null;
  updated_at: Timestamp;
};

// Practices found on GP Online (migration 022): their offering histories count up to last_seen.
export type PlatformPresenceTable = { practice_ods: string; first_seen: DateOnly; last_seen: DateOnly };
