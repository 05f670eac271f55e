// Kysely table types. Columns with database defaults are Generated (optional on insert).
import type { ColumnType, Generated } from 'kysely';

import type { DateOnly, Json, Timestamp } from './schema-columns.ts';
import type * as A from './schema-appointments.ts';
import type * as P from './schema-prescriptions.ts';
import type * as G from './schema-programme.ts';
import type * as R from './schema-record.ts';

export type * from './schema-appointments.ts';
export type * from './schema-prescriptions.ts';
export type * from './schema-programme.ts';
export type * from './schema-record.ts';

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
  // --- Helper B, issue #10 (migration 011): null after a reset, until a new one is set up ---
  totp_secret: string | null;
  /** When the authenticator in use was confirmed with a code; null while a new one awaits set-up. */
  // No default (migration 013): every insert says whether the authenticator is confirmed.
  totp_confirmed_at: ColumnType<Date | null, Date | null, Date | null>;
  // --- end helper B ---
  /** The last TOTP time step accepted: a code for this step or an earlier one is refused. */
  totp_last_step: ColumnType<string | null, string | number | null | undefined, string | number | null>;
  /** Wrong security codes in a row after a right password: enough of them lock the account. */
  code_failed_attempts: Generated<number>;
  locked_at: Timestamp | null;
  // --- Account self-service (migration 010, helper A) ---
  password_changed_at: ColumnType<Date | null, Date | null | undefined, Date | null>;
  /** A new authenticator (sealed) waiting for a code from it before it replaces the old one. */
  totp_pending_secret: ColumnType<string | null, string | null | undefined, string | null>;
  // --- end migration 010 ---
  // --- Account security (migration 012, helper R1): the session that started the pending one, and when ---
  totp_pending_session_id: ColumnType<string | null, string | null | undefined, string | null>;
  totp_pending_at: ColumnType<Date | null, Date | null | undefined, Date | null>;
  // --- end migration 012 ---
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
  // --- Account self-service (migration 010, helper A) ---
  password_changed_at: ColumnType<Date | null, Date | null | undefined, Date | null>;
  totp_pending_secret: ColumnType<string | null, string | null | undefined, string | null>;
  // --- end migration 010 ---
  // --- Account security (migration 012, helper R1) ---
  totp_pending_session_id: ColumnType<string | null, string | null | undefined, string | null>;
  totp_pending_at: ColumnType<Date | null, Date | null | undefined, Date | null>;
  // --- end migration 012 ---
};

export type EmailConfirmationsTable = {
  token_hash: string;
  account_id: string;
  expires_at: Timestamp;
  used_at: Timestamp | null;
  /** The password of a sign-up made again before confirming: set when this link is spent. */
  password_hash: string | null;
};

// --- Account self-service links (migration 010, helper A) ---
/** A forgotten-password link: only its token's SHA-256 is kept. */
export type PasswordResetsTable = {
  token_hash: string;
  principal_type: PrincipalType;
  principal_id: string;
  created_at: Timestamp;
  expires_at: Timestamp;
  used_at: Timestamp | null;
};

/** A change of email address, waiting for the link sent to the new address. */
export type EmailChangesTable = PasswordResetsTable & { new_email: string };
// --- end migration 010 ---

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

export type DailyJobsTable = { name: string; last_run_on: DateOnly };

export type Database = {
  daily_jobs: DailyJobsTable;
  record_entries: R.RecordEntriesTable;
  record_visibility_decisions: R.RecordVisibilityDecisionsTable;
  record_controls: R.RecordControlsTable;
  record_versions: R.RecordVersionsTable;
  practitioners: A.PractitionersTable;
  locations: A.LocationsTable;
  slot_types: A.SlotTypesTable;
  appointment_rules: A.AppointmentRulesTable;
  session_templates: A.SessionTemplatesTable;
  clinic_sessions: A.ClinicSessionsTable;
  slots: A.SlotsTable;
  appointments: A.AppointmentsTable;
  idempotency_keys: A.IdempotencyKeysTable;
  notifications_outbox: A.NotificationsOutboxTable;
  historic_access_requests: R.HistoricAccessRequestsTable;
  practices: PracticesTable;
  staff_users: StaffUsersTable;
  staff_practice_scopes: StaffPracticeScopesTable;
  patients: PatientsTable;
  online_accounts: OnlineAccountsTable;
  recovery_codes: RecoveryCodesTable;
  email_confirmations: EmailConfirmationsTable;
  password_resets: PasswordResetsTable; // migration 010 (helper A)
  email_changes: EmailChangesTable; // migration 010 (helper A)
  identity_verifications: IdentityVerificationsTable;
  linkage_keys: LinkageKeysTable;
  online_services: OnlineServicesTable;
  online_services_history: OnlineServicesHistoryTable;
  sessions: SessionsTable;
  api_tokens: ApiTokensTable;
  rate_limits: RateLimitsTable;
  audit_chain_heads: AuditChainHeadsTable;
  audit_events: AuditEventsTable;
  // Repeat prescriptions and pharmacies (migrations 014, 015).
  prescription_settings: P.PrescriptionSettingsTable;
  repeat_templates: P.RepeatTemplatesTable;
  repeat_template_changes: P.RepeatTemplateChangesTable;
  prescription_requests: P.PrescriptionRequestsTable;
  prescription_request_items: P.PrescriptionRequestItemsTable;
  prescription_issues: P.PrescriptionIssuesTable;
  pharmacies: P.PharmaciesTable;
  pharmacy_nominations: P.PharmacyNominationsTable;
  pharmacy_nomination_history: P.PharmacyNominationHistoryTable;
  // The programme (migration 017).
  pomi_imports: G.PomiImportsTable;
  pomi_returns: G.PomiReturnsTable;
  service_offerings: G.ServiceOfferingsTable;
  areas: G.AreasTable; // migration 018
  checklist_entries: G.ChecklistEntriesTable; // migration 019
  practice_profiles: G.PracticeProfilesTable; // migration 020
  transition_plans: G.TransitionPlansTable;
  platform_presence: G.PlatformPresenceTable; // migration 022
};
