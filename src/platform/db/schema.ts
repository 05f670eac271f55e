// Kysely table types. Columns with database defaults are Generated (optional on insert).
import type { ColumnType, Generated } from 'kysely';

type Timestamp = ColumnType<Date, Date | string, Date | string>;
/** Dates travel as 'YYYY-MM-DD' strings (the pg type parser is set so in db/index.ts). */
type DateOnly = ColumnType<string, string, string>;
type Json<T> = ColumnType<T, string, string>;

export type ProofingLevel = 'P0' | 'P5' | 'P9';
export type StaffRole =
  'receptionist' | 'clinician' | 'practice-manager' | 'facilitator' | 'commissioner' | 'admin';
export type RecordLevel = 'none' | 'summary' | 'detailed' | 'full';
export type PracticeStatus = 'active' | 'closed' | 'dormant' | 'proposed';
export type VerificationMethod =
  'photo-documents' | 'vouching' | 'vouching-with-confirmation' | 'nhs-login-p9';
export type PrincipalType = 'patient' | 'staff';
export type SessionStage = 'password' | 'totp-setup' | 'recovery-codes' | 'full';

export type PracticesTable = {
  ods_code: string;
  name: string;
  address_lines: ColumnType<string[], string[] | undefined, string[]>;
  postcode: string | null;
  commissioner_code: string | null;
  status: ColumnType<PracticeStatus, PracticeStatus | undefined, PracticeStatus>;
  prescribing_setting: number | null;
  open_date: DateOnly | null;
  close_date: DateOnly | null;
  phone: string | null;
  created_at: Generated<Date>;
  updated_at: Generated<Date>;
};

export type StaffUsersTable = {
  id: string;
  email: string;
  name: string;
  role: StaffRole;
  practice_ods: string | null;
  commissioner_code: string | null;
  password_hash: string;
  totp_secret: string;
  /** The last TOTP time step accepted: a code for this step or an earlier one is refused. */
  totp_last_step: ColumnType<string | null, string | number | null | undefined, string | number | null>;
  /** Wrong security codes in a row after a right password: enough of them lock the account. */
  code_failed_attempts: Generated<number>;
  locked_at: Timestamp | null;
  active: Generated<boolean>;
  created_at: Generated<Date>;
};

export type StaffPracticeScopesTable = { staff_id: string; practice_ods: string };

export type PatientsTable = {
  id: string;
  practice_ods: string;
  nhs_number: string;
  given_name: string;
  family_name: string;
  birth_date: DateOnly;
  sex: 'female' | 'male' | 'other' | 'unknown';
  address_lines: ColumnType<string[], string[] | undefined, string[]>;
  postcode: string | null;
  email: string | null;
  phone: string | null;
  online_account_ref: string;
  /** Where the patient came from (for example a FHIR Patient id), so a re-import finds them. */
  source_system: ColumnType<string | null, string | null | undefined, string | null>;
  source_id: ColumnType<string | null, string | null | undefined, string | null>;
  created_at: Generated<Date>;
};

export type OnlineAccountsTable = {
  id: string;
  email: string;
  password_hash: string;
  totp_secret: string | null;
  totp_confirmed_at: Timestamp | null;
  proofing_level: ColumnType<ProofingLevel, ProofingLevel | undefined, ProofingLevel>;
  patient_id: string | null;
  practice_ods: string | null;
  totp_last_step: ColumnType<string | null, string | number | null | undefined, string | number | null>;
  code_failed_attempts: Generated<number>;
  locked_at: Timestamp | null;
  /** Null until the link sent at sign-up is followed. */
  email_confirmed_at: Timestamp | null;
  disabled_at: Timestamp | null;
  linked_at: Timestamp | null;
  created_at: Generated<Date>;
};

export type EmailConfirmationsTable = {
  token_hash: string;
  account_id: string;
  expires_at: Timestamp;
  used_at: Timestamp | null;
  /** The password of a sign-up made again before confirming: set when this link is spent. */
  password_hash: string | null;
};

export type RecoveryCodesTable = { account_id: string; code_hash: string; used_at: Timestamp | null };

export type IdentityVerificationsTable = {
  id: string;
  practice_ods: string;
  patient_id: string;
  account_id: string | null;
  method: VerificationMethod;
  evidence: string;
  proofing_level: 'P5' | 'P9';
  verified_by: string;
  verified_at: Timestamp;
};

export type LinkageKeysTable = {
  id: string;
  practice_ods: string;
  patient_id: string;
  key_hash: string;
  issued_by: string;
  issued_at: Timestamp;
  revoked_at: Timestamp | null;
  used_at: Timestamp | null;
  used_by_account: string | null;
};

export type OnlineServicesTable = {
  patient_id: string;
  practice_ods: string;
  appointments: boolean;
  repeat_prescriptions: boolean;
  record_level: RecordLevel;
  prospective_from: DateOnly | null;
  detailed_from: DateOnly | null;
  full_from: DateOnly | null;
  historic_access: boolean;
  historic_level: Exclude<RecordLevel, 'none'> | null;
  record_level_by_hand: Generated<boolean>;
  pharmacy_view: boolean;
  pharmacy_update: boolean;
  version: number;
  updated_by: string | null;
  updated_at: Timestamp;
};

export type OnlineServicesHistoryTable = {
  id: Generated<string>;
  practice_ods: string;
  patient_id: string;
  version: number;
  settings: Json<Record<string, unknown>>;
  changed: Json<Record<string, { from: unknown; to: unknown }>>;
  reason: string | null;
  changed_by: string | null;
  changed_at: Timestamp;
};

export type SessionsTable = {
  id: string;
  principal_type: PrincipalType;
  principal_id: string;
  stage: SessionStage;
  data: Json<Record<string, unknown>>;
  created_at: Timestamp;
  expires_at: Timestamp;
  last_seen_at: Timestamp;
};

export type ApiTokensTable = {
  id: string;
  principal_type: PrincipalType;
  principal_id: string;
  created_at: Timestamp;
  expires_at: Timestamp;
};

export type RateLimitsTable = { key: string; hits: number; reset_at: Timestamp };

export type AuditChainHeadsTable = {
  chain: string;
  seq: ColumnType<string, string | number, string | number>;
  hash: string;
};

export type AuditEventsTable = {
  chain: string;
  seq: ColumnType<string, string | number, string | number>;
  at: Timestamp;
  actor_type: 'patient' | 'staff' | 'system' | 'anonymous';
  actor_id: string | null;
  actor_role: string | null;
  on_behalf_of: string | null;
  patient_id: string | null;
  practice_ods: string | null;
  action: string;
  subject: string | null;
  outcome: 'success' | 'failure' | 'denied';
  ip: string | null;
  user_agent: string | null;
  details: Json<Record<string, unknown>>;
  prev_hash: string;
  hash: string;
};

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

export type DailyJobsTable = { name: string; last_run_on: DateOnly };

// --- Appointments (migration 005) ---
export type PractitionerRole =
  'gp' | 'nurse' | 'healthcare-assistant' | 'pharmacist' | 'physiotherapist' | 'paramedic' | 'other';
export type Channel = 'face-to-face' | 'telephone' | 'video' | 'home-visit';
export type AppointmentStatus = 'booked' | 'arrived' | 'seen' | 'did-not-attend' | 'cancelled';

export type PractitionersTable = {
  id: string;
  practice_ods: string;
  name: string;
  role: PractitionerRole;
  gender: 'female' | 'male' | 'not-stated';
  active: ColumnType<boolean, boolean | undefined, boolean>;
  created_at: Timestamp;
};

export type LocationsTable = {
  id: string;
  practice_ods: string;
  name: string;
  address: string | null;
  active: ColumnType<boolean, boolean | undefined, boolean>;
  created_at: Timestamp;
};

export type SlotTypesTable = {
  id: string;
  practice_ods: string;
  name: string;
  duration_minutes: number;
  channel: Channel;
  national_category: string;
  bookable_online: boolean;
  practice_only: boolean;
  release_days_before: number | null;
  release_time: string | null;
  horizon_days: number | null;
  guidance: string | null;
  active: ColumnType<boolean, boolean | undefined, boolean>;
  created_at: Timestamp;
};

export type AppointmentRulesTable = {
  practice_ods: string;
  release_days_before: number | null;
  release_time: string | null;
  horizon_days: number;
  max_future_bookings: number;
  cancel_cutoff_minutes: number;
  dna_limit: number;
  dna_window_days: number;
  guidance: string;
  release_waves: number;
  wave_interval_minutes: number;
  held_back_percent: number;
  held_back_release_minutes: number;
  version: ColumnType<number, number | undefined, number>;
  updated_at: Timestamp;
  updated_by: string | null;
};

export type SessionTemplatesTable = {
  id: string;
  practice_ods: string;
  practitioner_id: string;
  location_id: string;
  slot_type_id: string;
  weekday: number;
  start_time: string;
  end_time: string;
  valid_from: DateOnly;
  valid_until: DateOnly | null;
  created_by: string | null;
  created_at: Timestamp;
};

export type ClinicSessionsTable = {
  id: string;
  practice_ods: string;
  practitioner_id: string;
  location_id: string;
  slot_type_id: string;
  day: DateOnly;
  start_time: string;
  end_time: string;
  template_id: string | null;
  created_by: string | null;
  created_at: Timestamp;
  cancelled_at: ColumnType<Date | null, Date | null | undefined, Date | null>;
  cancel_reason: ColumnType<string | null, string | null | undefined, string | null>;
};

export type SlotsTable = {
  id: string;
  practice_ods: string;
  session_id: string;
  practitioner_id: string;
  location_id: string;
  slot_type_id: string;
  starts_at: Timestamp;
  ends_at: Timestamp;
  release_at: Timestamp;
  held_back: boolean;
  withdrawn: ColumnType<boolean, boolean | undefined, boolean>;
  /** Kept by a trigger on appointments (migration 007); never written by the application. */
  booked: ColumnType<boolean, never, never>;
};

export type AppointmentsTable = {
  id: string;
  practice_ods: string;
  slot_id: string;
  patient_id: string;
  status: ColumnType<AppointmentStatus, AppointmentStatus | undefined, AppointmentStatus>;
  reason: string | null;
  booked_online: boolean;
  booked_by_type: 'patient' | 'staff';
  booked_by: string;
  booked_at: Timestamp;
  status_changed_at: Timestamp;
  cancelled_by_type: 'patient' | 'staff' | null;
  cancel_reason: string | null;
  moved_from: string | null;
  reminded_at: Timestamp | null;
};

export type IdempotencyKeysTable = {
  account_id: string;
  key: string;
  practice_ods: string;
  request_hash: string;
  status_code: number;
  response: ColumnType<unknown, string, string>;
  created_at: Timestamp;
};

export type NotificationKind =
  | 'appointment-booked'
  | 'appointment-cancelled'
  | 'appointment-reminder'
  | 'account-confirm-email'
  | 'account-exists';

export type NotificationsOutboxTable = {
  id: string;
  /** Null for account messages sent before the account is linked to a practice. */
  practice_ods: string | null;
  patient_id: string | null;
  kind: NotificationKind;
  email: string;
  personalisation: ColumnType<Record<string, string>, string, string>;
  reference: string;
  status: ColumnType<'pending' | 'sent' | 'failed', 'pending' | undefined, 'pending' | 'sent' | 'failed'>;
  attempts: ColumnType<number, number | undefined, number>;
  next_attempt_at: Timestamp;
  last_error: string | null;
  created_at: Timestamp;
  sent_at: Timestamp | null;
};

export type Database = {
  daily_jobs: DailyJobsTable;
  record_entries: RecordEntriesTable;
  record_visibility_decisions: RecordVisibilityDecisionsTable;
  record_controls: RecordControlsTable;
  record_versions: RecordVersionsTable;
  practitioners: PractitionersTable;
  locations: LocationsTable;
  slot_types: SlotTypesTable;
  appointment_rules: AppointmentRulesTable;
  session_templates: SessionTemplatesTable;
  clinic_sessions: ClinicSessionsTable;
  slots: SlotsTable;
  appointments: AppointmentsTable;
  idempotency_keys: IdempotencyKeysTable;
  notifications_outbox: NotificationsOutboxTable;
  historic_access_requests: HistoricAccessRequestsTable;
  practices: PracticesTable;
  staff_users: StaffUsersTable;
  staff_practice_scopes: StaffPracticeScopesTable;
  patients: PatientsTable;
  online_accounts: OnlineAccountsTable;
  recovery_codes: RecoveryCodesTable;
  email_confirmations: EmailConfirmationsTable;
  identity_verifications: IdentityVerificationsTable;
  linkage_keys: LinkageKeysTable;
  online_services: OnlineServicesTable;
  online_services_history: OnlineServicesHistoryTable;
  sessions: SessionsTable;
  api_tokens: ApiTokensTable;
  rate_limits: RateLimitsTable;
  audit_chain_heads: AuditChainHeadsTable;
  audit_events: AuditEventsTable;
};
