// Kysely table types of the GP record (migrations 002, 004, 008).
import type { ColumnType } from 'kysely';
import type { Json, Timestamp } from './schema-columns.ts';

export type RecordEntriesTable = {
  id: string;
  practice_ods: string;
  patient_id: string;
  kind: string;
  source_system: string | null;
  source_id: string | null;
  clinical_date: string | null;
  recorded_at: Timestamp;
  sort_key: string;
  coding: Json<unknown[]>;
  title: string;
  text: string | null;
  consultation_id: string | null;
  draft: boolean;
  unfiled: boolean;
  unreviewed: boolean;
  visible_online: boolean;
  details: Json<Record<string, unknown>>;
  imported_at: Timestamp;
  updated_at: Timestamp;
};

export type RecordVisibilityDecisionsTable = {
  id: string;
  practice_ods: string;
  patient_id: string;
  entry_id: string;
  visible: boolean;
  reason: 'third-party' | 'serious-harm' | 'other' | null;
  note: string | null;
  decided_by: string;
  decided_at: Timestamp;
};

export type RecordControlsTable = {
  patient_id: string;
  practice_ods: string;
  withheld: boolean;
  withheld_reason: string | null;
  withheld_by: string | null;
  withheld_at: Timestamp | null;
  /** New imports looked at (the review queue). */
  last_reviewed_at: Timestamp | null;
  last_reviewed_by: string | null;
  /** The whole record checked for online access: historic access needs it. */
  whole_record_reviewed_at: Timestamp | null;
  whole_record_reviewed_by: string | null;
};

/** Raised by triggers on record_entries (migration 004); never written by the application. */
export type RecordVersionsTable = {
  practice_ods: string;
  patient_id: string;
  version: ColumnType<string, never, never>;
};

export type HistoricAccessRequestsTable = {
  id: string;
  practice_ods: string;
  patient_id: string;
  account_id: string;
  requested_at: Timestamp;
  note: string | null;
  status: ColumnType<
    'pending' | 'granted' | 'refused',
    'pending' | 'granted' | 'refused' | undefined,
    'pending' | 'granted' | 'refused'
  >;
  decided_by: string | null;
  decided_at: Timestamp | null;
  decision_note: string | null;
};
