// Offerings of practices that run on GP Online, pure: what their own settings say they offer,
// and the dated changes to write where that differs from the last the platform recorded.
import type { OfferedService, RecordLevel } from '../../platform/db/schema.ts';
import type { NewOffering } from '../history/store.ts';

/** What a practice's settings on GP Online are, as far as the programme follows them. */
export type PracticeSettings = {
  practiceOds: string;
  /** Slot types in use that patients can book online. */
  bookableSlotTypes: number;
  /** The practice's repeat ordering switch (no settings saved: on, as the product's default). */
  onlineOrdering: boolean;
  /** Whether any patient of the practice has each record level. */
  levels: Record<Exclude<RecordLevel, 'none'>, boolean>;
};

const RECORD_SERVICES = [
  ['summary-record', ['summary', 'detailed', 'full']],
  ['detailed-coded-record', ['detailed', 'full']],
  ['full-record', ['full']],
] as const;

export type PlatformState = { service: OfferedService; offered: boolean; detail: Record<string, unknown> };

/**
 * The practice offers booking when a slot type in use is bookable online, repeats when its
 * ordering switch is on, and a record level when at least one patient has it or a wider one
 * (full access includes the detailed coded record, which includes the summary). There is no
 * practice-wide record switch: access is granted patient by patient.
 */
export function platformStates(s: PracticeSettings): PlatformState[] {
  return [
    {
      service: 'appointments',
      offered: s.bookableSlotTypes > 0,
      detail: { bookableSlotTypes: s.bookableSlotTypes },
    },
    { service: 'prescriptions', offered: s.onlineOrdering, detail: { onlineOrdering: s.onlineOrdering } },
    ...RECORD_SERVICES.map(([service, levels]) => {
      const granted = levels.filter((level) => s.levels[level]);
      return { service, offered: granted.length > 0, detail: { levelsGranted: granted } };
    }),
  ];
}

/**
 * The entries to write on `day`: each service whose state differs from the latest the platform
 * recorded for it (or that it never recorded). A change back on the same day replaces that day's.
 */
export function platformChanges(
  s: PracticeSettings,
  latest: ReadonlyMap<OfferedService, boolean>,
  day: string,
  because: string,
): NewOffering[] {
  return platformStates(s)
    .filter((st) => latest.get(st.service) !== st.offered)
    .map((st) => ({
      practiceOds: s.practiceOds,
      service: st.service,
      offered: st.offered,
      effectiveOn: day,
      note: because,
      detail: st.detail,
    }));
}
