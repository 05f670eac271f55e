// The programme pages' view models, pure: counts read as words with the right plural.
import type { PracticeUptake } from './service.ts';
import { countOf } from '../platform/words.ts';
import { disclosed, SUPPRESSED } from './disclosure.ts';
import type { ServiceTotals } from './summary-rules.ts';
import type { Summary } from './summary-service.ts';

/** Live counts of patients, suppressed and rounded as NHS statistics are (the list size is public). */
export function uptakePage(rows: PracticeUptake[]) {
  return {
    title: 'Online services in your practices',
    rows: rows.map((r) => ({
      ...r,
      patients: r.patients.toLocaleString('en-GB'),
      linked: disclosed(r.linked),
      appointments: disclosed(r.appointments),
      repeats: disclosed(r.repeats),
      record: disclosed(r.record),
    })),
    caption: countOf(rows.length, 'practice'),
    suppressed: SUPPRESSED,
  };
}

const serviceJson = (s: ServiceTotals) => ({
  practices_offering: s.practicesOffering,
  practices_reporting: s.practicesReporting,
  patients_enabled: s.patientsEnabled,
  transactions: s.transactions,
});

/** The summary as the API writes it (snake_case, as every other API body). */
export function summaryJson(s: Summary) {
  return {
    area: s.area,
    month: s.month,
    source: s.basis === 'pomi' ? ('pomi' as const) : ('offering-history' as const),
    practices: s.practices,
    list_size: s.listSize,
    patients_enabled_any: s.patientsEnabledAny,
    transactions: s.transactions,
    services: {
      appointments: serviceJson(s.services.appointments),
      repeat_prescriptions: serviceJson(s.services.prescriptions),
      detailed_coded_record: serviceJson(s.services.detailedCodedRecord),
    },
  };
}
