// Rules of the queue: when a request can be approved at all, and when it needs its own page
// rather than "approve selected". Pure: today is a parameter.
import { issuesLeft } from '../rules.ts';

type Asked = { drug_name: string; dosage: string; quantity: string | number; quantity_unit: string };

/** The repeat now differs from what the patient asked for (quantities compared as numbers). */
export function changedSince(asked: Asked, now: Asked): boolean {
  return (
    asked.drug_name !== now.drug_name ||
    asked.dosage !== now.dosage ||
    Number(asked.quantity) !== Number(now.quantity) ||
    asked.quantity_unit !== now.quantity_unit
  );
}

/** The review is due on its day, as for ordering (rules.orderability). */
export function reviewDue(reviewDate: string | null, today: string): boolean {
  return reviewDate !== null && reviewDate <= today;
}

/** A repeat may be ordered and approved up to and including its repeat-until day. */
export function repeatEnded(repeatUntil: string | null, today: string): boolean {
  return repeatUntil !== null && repeatUntil < today;
}

type Approvable = {
  status: string;
  templateStatus: string;
  issuesAuthorised: number;
  issuesMade: number;
  repeatUntil: string | null;
};

/** Approving can succeed: a waiting item of an active repeat, in date, with an issue left. */
export function canApprove(a: Approvable, today: string): boolean {
  return (
    a.status === 'requested' &&
    a.templateStatus === 'active' &&
    issuesLeft(a) > 0 &&
    !repeatEnded(a.repeatUntil, today)
  );
}
