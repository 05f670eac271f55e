// Kysely table types of repeat prescriptions and pharmacies (migrations 014 and 015).
import type { ColumnType, Generated } from 'kysely';
import type { DateOnly, Json, Timestamp } from './schema-columns.ts';

export type PrescriptionType = 'repeat' | 'repeat-dispensing' | 'acute';
export type TemplateStatus = 'active' | 'suspended' | 'ended';
export type TemplateAction = 'created' | 'changed' | 'reauthorised' | 'suspended' | 'resumed' | 'ended';
export type ItemStatus =
  'requested' | 'approved' | 'rejected' | 'cancelled' | 'issued' | 'sent' | 'ready' | 'collected';
export type RequestChannel = 'web' | 'api' | 'practice';

/** numeric columns come back from pg as strings. */
type Numeric = ColumnType<string, number | string, number | string>;

export type PrescriptionSettingsTable = {
  practice_ods: string;
  online_ordering: boolean;
  turnaround_days: number;
  order_window_days: number;
  early_reason_required: boolean;
  version: ColumnType<number, number | undefined, number>;
  updated_at: Timestamp;
  updated_by: string | null;
};

export type RepeatTemplatesTable = {
  id: string;
  practice_ods: string;
  patient_id: string;
  record_entry_id: string | null;
  prescription_type: PrescriptionType;
  dmd_code: string | null;
  drug_name: string;
  dosage: string;
  quantity: Numeric;
  quantity_unit: string;
  days_per_issue: number;
  issues_authorised: number;
  issues_made: ColumnType<number, number | undefined, number>;
  review_date: DateOnly | null;
  repeat_until: DateOnly | null;
  online_orderable: boolean;
  authorised_by: string | null;
  authoriser_name: string;
  authorised_on: DateOnly;
  last_issued_at: Timestamp | null;
  status: ColumnType<TemplateStatus, TemplateStatus | undefined, TemplateStatus>;
  status_reason: string | null;
  version: ColumnType<number, number | undefined, number>;
  created_at: Timestamp;
  updated_at: Timestamp;
};

export type RepeatTemplateChangesTable = {
  id: Generated<string>;
  practice_ods: string;
  template_id: string;
  version: number;
  action: TemplateAction;
  before: Json<Record<string, unknown> | null>;
  after: Json<Record<string, unknown>>;
  reason: string | null;
  changed_by: string | null;
  changed_at: Timestamp;
};

export type PrescriptionRequestsTable = {
  id: string;
  practice_ods: string;
  patient_id: string;
  account_id: string | null;
  requested_at: Timestamp;
  note: string | null;
  early_reason: string | null;
  pharmacy_ods: string | null;
  channel: RequestChannel;
};

export type PrescriptionRequestItemsTable = {
  id: string;
  request_id: string;
  practice_ods: string;
  patient_id: string;
  template_id: string;
  prescriber_id: string | null;
  drug_name: string;
  dosage: string;
  quantity: Numeric;
  quantity_unit: string;
  early: ColumnType<boolean, boolean | undefined, boolean>;
  status: ColumnType<ItemStatus, ItemStatus | undefined, ItemStatus>;
  requested_at: Timestamp;
  status_at: Timestamp;
  decided_by: string | null;
  decided_at: Timestamp | null;
  reject_reason: string | null;
};

export type PrescriptionIssuesTable = {
  id: string;
  practice_ods: string;
  patient_id: string;
  template_id: string;
  request_item_id: string | null;
  issued_at: Timestamp;
  issued_by: string | null;
  prescriber_name: string;
  dmd_code: string | null;
  drug_name: string;
  dosage: string;
  quantity: Numeric;
  quantity_unit: string;
  days_supply: number;
  pharmacy_ods: string | null;
};

export type PharmacyStatus = 'active' | 'closed' | 'dormant' | 'proposed';

export type PharmaciesTable = {
  ods_code: string;
  name: string;
  address_lines: ColumnType<string[], string[] | undefined, string[]>;
  postcode: string | null;
  /** The postcode upper-cased without spaces, for searching. */
  postcode_key: string | null;
  phone: string | null;
  status: ColumnType<PharmacyStatus, PharmacyStatus | undefined, PharmacyStatus>;
  open_date: DateOnly | null;
  close_date: DateOnly | null;
  updated_at: Timestamp;
};

export type PharmacyNominationsTable = {
  patient_id: string;
  practice_ods: string;
  pharmacy_ods: string;
  nominated_at: Timestamp;
  nominated_by_account: string | null;
  nominated_by_staff: string | null;
  version: ColumnType<number, number | undefined, number>;
};

export type PharmacyNominationHistoryTable = {
  id: Generated<string>;
  practice_ods: string;
  patient_id: string;
  /** Null when the nomination was removed. */
  pharmacy_ods: string | null;
  previous_ods: string | null;
  changed_at: Timestamp;
  changed_by_account: string | null;
  changed_by_staff: string | null;
};
