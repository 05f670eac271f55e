// Automatic prospective access (domain.md §1.4, §2.1), pure: which online-access code decides,
// whether access switches on when an account is linked, at 16 or by a bulk action, and which
// 16th birthdays a daily run covers. The access rule itself is in rules.ts.
import type { RecordLevel } from '../../platform/db/schema.ts';
import { ageOn, birthdayAt, englandDay } from '../../platform/dates.ts';

export const CODE_ENHANCED_REVIEW = '1364731000000104';
export const CODE_NO_ENHANCED_REVIEW = '1364751000000106';
export const CODE_DECLINED = '1290331000000103';
export const ONLINE_ACCESS_CODES = [CODE_ENHANCED_REVIEW, CODE_NO_ENHANCED_REVIEW, CODE_DECLINED] as const;

export type AutomaticAccessOutcome =
  'enable' | 'already-full' | 'under-16' | 'enhanced-review' | 'declined' | 'set-by-hand';

export type AutomaticTrigger = 'linked' | 'birthday' | 'bulk';

/** Of codes recorded at the same moment, the more restrictive decides: declined, then review. */
const RESTRICTIVENESS: Record<string, number> = {
  [CODE_DECLINED]: 3,
  [CODE_ENHANCED_REVIEW]: 2,
  [CODE_NO_ENHANCED_REVIEW]: 1,
};

export type AccessCode = { code: string; recordedAt: string; draft?: boolean };

/**
 * The access code that decides: the latest recorded; at the same moment, the more restrictive.
 * A code recorded with a date only (midnight) is at the same moment as any code that day. A 106
 * in a draft does not count (it would lift a restriction nobody has confirmed); a 103 or 104 does.
 */
export function decidingAccessCode(codes: readonly AccessCode[]): string | null {
  type Seen = { code: string; at: number; day: string; dateOnly: boolean; rank: number };
  let best: Seen | null = null;
  for (const c of codes) {
    const rank = RESTRICTIVENESS[c.code];
    const at = Date.parse(c.recordedAt);
    if (rank === undefined || Number.isNaN(at) || (c.draft === true && rank === 1)) continue;
    const seen = {
      code: c.code,
      at,
      day: englandDay(new Date(at)),
      dateOnly: isDateOnly(c.recordedAt),
      rank,
    };
    if (!best) {
      best = seen;
      continue;
    }
    const sameMoment = at === best.at || ((seen.dateOnly || best.dateOnly) && seen.day === best.day);
    if (sameMoment ? rank > best.rank : at > best.at) best = seen;
  }
  return best?.code ?? null;
}

/** A date with no time (or exactly midnight UTC, as a date-only field is stored). */
function isDateOnly(recordedAt: string): boolean {
  return (
    /^\d{4}-\d{2}-\d{2}$/.test(recordedAt) || /T00:00(?::00(?:\.0+)?)?(?:Z|[+-]00:?00)$/.test(recordedAt)
  );
}

/**
 * Whether prospective full access switches on automatically (when an account is first linked,
 * at the 16th birthday, or by a practice's bulk action): not for under-16s, not when the
 * deciding code is a 103 (declined) or a 104 (enhanced review). A level a member of staff set by
 * hand is their decision about this patient: linking and bulk actions leave it; the 16th
 * birthday reads the codes afresh, as the national systems do (a 104 keeps access off).
 */
export function automaticAccess(p: {
  birthDate: string;
  today: string;
  level: RecordLevel;
  levelSetByHand: boolean;
  /** England day the settings were last changed (when the level was set by hand). */
  levelSetOn?: string | null;
  trigger: AutomaticTrigger;
  /** For the birthday trigger: the 16th birthday the run is applying. */
  birthday?: string;
  codes: readonly AccessCode[];
}): AutomaticAccessOutcome {
  if (p.level === 'full') return 'already-full';
  if (ageOn(p.birthDate, p.today) < 16) return 'under-16';
  const deciding = decidingAccessCode(p.codes);
  if (deciding === CODE_DECLINED) return 'declined';
  if (deciding === CODE_ENHANCED_REVIEW) return 'enhanced-review';
  if (p.levelSetByHand) {
    if (p.trigger !== 'birthday') return 'set-by-hand';
    // A run catching up on missed days leaves a decision staff made on or after the birthday.
    if (p.birthday && p.levelSetOn && p.levelSetOn >= p.birthday) return 'set-by-hand';
  }
  return 'enable';
}

/** True on the day a person turns 16 (29 February birthdays count on 1 March in other years). */
export function turns16On(birthDate: string, today: string): boolean {
  return birthdayAt(birthDate, 16) === today;
}

/** The 16th birthday, when it fell after `since` and on or before `today` (days a run may have missed). */
export function sixteenthBirthdayBetween(birthDate: string, since: string, today: string): string | null {
  const day = birthdayAt(birthDate, 16);
  return day > since && day <= today ? day : null;
}
