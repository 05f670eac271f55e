// Rules of account self-service: how long its links work, what a new password or email address
// must be, and what the account page says. Pure: time is a parameter.
import type { FieldError } from '../platform/http/errors.ts';
import { isEmail, passwordProblem } from './rules.ts';

/** A forgotten-password link works for this long (the message says so). */
export const RESET_MINUTES = 30;
/** Reset links one account may be sent in an hour, however many network addresses ask. */
export const RESET_LINKS_PER_HOUR = 5;
/** A link to confirm a new email address works for this long. */
export const EMAIL_CHANGE_MINUTES = 30;

export function linkExpiry(now: Date, minutes: number): Date {
  return new Date(now.getTime() + minutes * 60_000);
}

/**
 * What is wrong with a new password and its confirmation, before the guessability check
 * (weakPasswordProblem) that only a strong-enough length is worth running.
 */
export function newPasswordProblems(p: { password: string; confirm: string; email: string }): FieldError[] {
  if (!p.password) return [{ field: 'password', message: 'Enter a new password' }];
  const problem = passwordProblem(p.password, p.email);
  if (problem) return [{ field: 'password', message: problem }];
  if (p.password !== p.confirm) return [{ field: 'confirm', message: 'The passwords do not match' }];
  return [];
}

/** What is wrong with a new email address for an account that has `current`. */
export function newEmailProblem(current: string, next: string): string | null {
  if (!next) return 'Enter your new email address';
  if (!isEmail(next)) return 'Enter an email address in the correct format, like name@example.com';
  if (next.toLowerCase() === current.trim().toLowerCase())
    return 'Enter a different email address from the one you use now';
  return null;
}

export type AccountOverview = {
  who: 'patient' | 'staff';
  email: string;
  passwordChangedAt: Date | null;
  authenticatorSetUp: boolean;
  /** Patients only; null for staff. */
  recoveryCodesLeft: number | null;
  /** Signed-in sessions working now, this one included. */
  sessions: number;
};

/** "1 device" or "3 devices", including this one. */
export function sessionsText(n: number): string {
  if (n <= 1) return 'Only this device';
  return `This device and ${String(n - 1)} other${n - 1 === 1 ? '' : 's'}`;
}

export function recoveryCodesText(n: number): string {
  if (n === 0) return 'None left';
  return `${String(n)} left`;
}
