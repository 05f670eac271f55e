// View models and JSON of pharmacies and nominations. Pure.
import { formatDateTime } from '../platform/views/filters.ts';
import type { HistoryRow, NominationRow, PharmacyRow } from './store.ts';

export type PharmacyView = { odsCode: string; name: string; address: string; phone: string | null };

/** A pharmacy as a page shows it: its name, one line of address with the postcode, its phone. */
export function pharmacyView(p: PharmacyRow): PharmacyView {
  return {
    odsCode: p.ods_code,
    name: p.name,
    address: [...p.address_lines, ...(p.postcode ? [p.postcode] : [])].join(', '),
    phone: p.phone,
  };
}

/** The summary list rows of one pharmacy. */
export function pharmacyRows(p: PharmacyView) {
  return [
    { key: { text: 'Pharmacy' }, value: { text: p.name } },
    { key: { text: 'Address' }, value: { text: p.address || 'Not known' } },
    { key: { text: 'Phone' }, value: { text: p.phone ?? 'Not known' } },
    { key: { text: 'ODS code' }, value: { text: p.odsCode } },
  ];
}

/** The history table's rows, newest first: when, what changed, who changed it. */
export function historyRows(history: readonly HistoryRow[]) {
  return history.map((h) => [
    { text: formatDateTime(h.changed_at) },
    {
      text:
        h.pharmacy_ods === null
          ? 'Nomination removed'
          : `${h.previous_ods ? 'Changed to' : 'Nominated'} ${h.pharmacy_name ?? h.pharmacy_ods} (${h.pharmacy_ods})`,
    },
    { text: h.by_patient ? 'You, online' : 'Your GP practice' },
  ]);
}

/** Flash messages after a change (`?done=<code>`). */
export const DONE: Record<string, string> = {
  changed: 'Your nominated pharmacy has been changed.',
  unchanged: 'This pharmacy is already your nominated pharmacy.',
};

export function pharmacyJson(p: PharmacyRow) {
  return {
    ods_code: p.ods_code,
    name: p.name,
    address_lines: p.address_lines,
    postcode: p.postcode,
    phone: p.phone,
  };
}

export function nominationJson(n: NominationRow | null, canChange: boolean) {
  return {
    nominated: n ? { ...pharmacyJson(n), nominated_at: n.nominated_at.toISOString() } : null,
    can_change: canChange,
  };
}
