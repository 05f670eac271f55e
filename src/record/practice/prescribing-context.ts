// What a prescriber needs beside a repeat request, from the record: recent abnormal results and
// active allergies. Staff-only context shown in the practice's queue: it is read for whole pages
// of patients at once, and the caller audits the read with its own list.
import type { Db, Tx } from '../../platform/db/index.ts';
import { addDays } from '../../platform/dates.ts';
import type { Measurement } from '../model.ts';
import { prescribingRows, type ContextRow } from './prescribing-store.ts';

/** Results this recent count as "recent". */
export const RECENT_RESULT_DAYS = 365;
/** The newest few abnormal results are shown; the count says how many there were. */
export const MAX_RESULTS_SHOWN = 3;

export type AbnormalResult = { title: string; on: string | null; value: string };
export type ActiveAllergy = { title: string; reactions: string[]; criticality: string | null };
export type PrescribingContext = {
  abnormalResults: AbnormalResult[];
  /** How many abnormal results there were in the period (more than are listed). */
  abnormalCount: number;
  allergies: ActiveAllergy[];
};

const FLAG_WORDS: Record<string, string> = {
  H: 'high',
  HH: 'very high',
  HU: 'very high',
  L: 'low',
  LL: 'very low',
  LU: 'very low',
  A: 'abnormal',
  AA: 'very abnormal',
  '>': 'above range',
  '<': 'below range',
};

/** "7.9 mmol/L (high, range 3.5 to 5.3)": the value, its unit, what is wrong and the range. */
export function resultText(m: Measurement | null): string {
  if (!m) return 'abnormal';
  const value = m.value === null ? (m.valueText ?? '') : String(m.value);
  const flag = m.interpretation ? FLAG_WORDS[m.interpretation.toUpperCase()] : undefined;
  const word =
    flag ??
    (m.value !== null && m.high !== null && m.value > m.high
      ? 'high'
      : m.value !== null && m.low !== null && m.value < m.low
        ? 'low'
        : 'abnormal');
  const range =
    m.low !== null && m.high !== null
      ? `, range ${String(m.low)} to ${String(m.high)}`
      : m.high !== null
        ? `, up to ${String(m.high)}`
        : m.low !== null
          ? `, from ${String(m.low)}`
          : '';
  return `${value}${m.unit ? ` ${m.unit}` : ''} (${word}${range})`.trim();
}

export function emptyContext(): PrescribingContext {
  return { abnormalResults: [], abnormalCount: 0, allergies: [] };
}

/** Groups the rows by patient: newest results first, at most MAX_RESULTS_SHOWN listed. Pure. */
export function contextsOf(rows: readonly ContextRow[]): Map<string, PrescribingContext> {
  const out = new Map<string, PrescribingContext>();
  for (const r of rows) {
    const c = out.get(r.patientId) ?? emptyContext();
    if (r.kind === 'allergy' && r.details.kind === 'allergy')
      c.allergies.push({
        title: r.title,
        reactions: r.details.reactions,
        criticality: r.details.criticality,
      });
    else if (r.details.kind === 'result') {
      c.abnormalCount++;
      if (c.abnormalResults.length < MAX_RESULTS_SHOWN)
        c.abnormalResults.push({
          title: r.title,
          on: r.clinicalDate,
          value: resultText(r.details.measurement),
        });
    }
    out.set(r.patientId, c);
  }
  return out;
}

/** The context of each patient given (every one present, if only empty), in one query. */
export async function prescribingContexts(
  db: Db | Tx,
  q: { practiceOds: string; patientIds: readonly string[]; today: string },
): Promise<Map<string, PrescribingContext>> {
  const ids = [...new Set(q.patientIds)];
  const rows = await prescribingRows(db, {
    practiceOds: q.practiceOds,
    patientIds: ids,
    sinceDay: addDays(q.today, -RECENT_RESULT_DAYS),
  });
  const found = contextsOf(rows);
  return new Map(ids.map((id) => [id, found.get(id) ?? emptyContext()]));
}

/** One patient's context. */
export async function prescribingContext(
  db: Db | Tx,
  q: { practiceOds: string; patientId: string; today: string },
): Promise<PrescribingContext> {
  const all = await prescribingContexts(db, { ...q, patientIds: [q.patientId] });
  return all.get(q.patientId) ?? emptyContext();
}
