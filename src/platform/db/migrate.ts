// Numbered migrations, applied at start and by `gp-online migrate`.
import { Migrator, type Migration, type MigrationProvider, type MigrationResultSet } from 'kysely';
import type { Db } from './index.ts';
import * as m001 from './migrations/001_foundation.ts';
import * as m002 from './migrations/002_record.ts';
import * as m003 from './migrations/003_audit_append.ts';
import * as m004 from './migrations/004_record_version.ts';
import * as m005 from './migrations/005_appointments.ts';
import * as m006 from './migrations/006_session_cancel.ts';
import * as m007 from './migrations/007_slot_booked.ts';
import * as m008 from './migrations/008_record_access_dates.ts';
import * as m009 from './migrations/009_sign_in_security.ts';
import * as m010 from './migrations/010_account_self_service.ts';
import * as m011 from './migrations/011_staff_authenticator_reset.ts';
import * as m012 from './migrations/012_account_security.ts';
import * as m013 from './migrations/013_staff_totp_confirmed_no_default.ts';
import * as m014 from './migrations/014_prescriptions.ts';
import * as m015 from './migrations/015_pharmacies.ts';
import * as m016 from './migrations/016_prescription_open_item.ts';
import * as m017 from './migrations/017_pomi.ts';
import * as m018 from './migrations/018_areas.ts';
import * as m019 from './migrations/019_facilitation.ts';
import * as m020 from './migrations/020_geography.ts';
import * as m021 from './migrations/021_platform_offerings.ts';
import * as m022 from './migrations/022_platform_presence.ts';

const migrations: Record<string, Migration> = {
  '001_foundation': m001,
  '002_record': m002,
  '003_audit_append': m003,
  '004_record_version': m004,
  '005_appointments': m005,
  '006_session_cancel': m006,
  '007_slot_booked': m007,
  '008_record_access_dates': m008,
  '009_sign_in_security': m009,
  '010_account_self_service': m010,
  '011_staff_authenticator_reset': m011,
  '012_account_security': m012,
  '013_staff_totp_confirmed_no_default': m013,
  '014_prescriptions': m014,
  '015_pharmacies': m015,
  '016_prescription_open_item': m016,
  '017_pomi': m017,
  '018_areas': m018,
  '019_facilitation': m019,
  '020_geography': m020,
  '021_platform_offerings': m021,
  '022_platform_presence': m022,
};

const provider: MigrationProvider = { getMigrations: () => Promise.resolve(migrations) };

export async function migrateToLatest(db: Db): Promise<string[]> {
  const migrator = new Migrator({ db, provider });
  const result: MigrationResultSet = await migrator.migrateToLatest();
  if (result.error) {
    const failed = result.results?.find((r) => r.status === 'Error');
    const message = result.error instanceof Error ? result.error.message : JSON.stringify(result.error);
    throw new Error(`Migration ${failed?.migrationName ?? '(unknown)'} failed: ${message}`, {
      cause: result.error,
    });
  }
  return (result.results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName);
}
