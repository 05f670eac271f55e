// Sign-in throttling and lockout: pure rules, time is a parameter.
//
// Wrong passwords never lock an account: anyone who knows a patient's email address could
// otherwise keep them out. They slow that email address down instead, on the network address
// they come from (a back-off growing to at most a minute), so a stranger elsewhere cannot keep
// the patient waiting; only a flood from many addresses slows the email address everywhere.
// One network address that gets many passwords wrong, whichever accounts it tries, is turned
// away for a while (password spraying).
// Only a wrong security code after the right password counts towards a lock, because then the
// password is known: after MAX_CODE_FAILURES in a row the account is locked until practice
// staff or an administrator unlock it.

/** Wrong passwords for one email address from one network address before each further try has to wait. */
export const FREE_PASSWORD_FAILURES = 5;
/** Wrong passwords for one email address from every address before tries from anywhere wait. */
export const FREE_PASSWORD_FAILURES_ANYWHERE = 100;
/** The longest wait between tries for one email address. */
export const MAX_PASSWORD_DELAY_MS = 60_000;
/** Failures for one address are counted while they come within this of each other. */
export const PASSWORD_FAILURE_WINDOW_MS = 15 * 60_000;

/** Wrong passwords from one network address, over any accounts, before it is turned away. */
export const MAX_FAILURES_PER_IP = 30;
export const IP_WINDOW_MS = 15 * 60_000;

/** Wrong security codes in a row, after the right password, that lock the account. */
export const MAX_CODE_FAILURES = 5;

/** How long to wait after the `failures`-th wrong password in a row for one email address. */
export function passwordDelayMs(failures: number, free = FREE_PASSWORD_FAILURES): number {
  if (failures < free) return 0;
  return Math.min(MAX_PASSWORD_DELAY_MS, 1000 * 2 ** Math.min(failures - free, 16));
}

/**
 * When the next try is allowed, from the failure count and when the count's window ends (each
 * failure moves the end to PASSWORD_FAILURE_WINDOW_MS after it, so the last failure was at
 * windowEnd − PASSWORD_FAILURE_WINDOW_MS).
 */
export function passwordRetryAt(failures: number, windowEnd: Date, free = FREE_PASSWORD_FAILURES): Date {
  return new Date(windowEnd.getTime() - PASSWORD_FAILURE_WINDOW_MS + passwordDelayMs(failures, free));
}

export function passwordThrottled(
  failures: number,
  windowEnd: Date,
  now: Date,
  free = FREE_PASSWORD_FAILURES,
): boolean {
  return windowEnd > now && passwordRetryAt(failures, windowEnd, free) > now;
}

export function ipThrottled(failures: number, windowEnd: Date, now: Date): boolean {
  return windowEnd > now && failures >= MAX_FAILURES_PER_IP;
}

export function lockedByCodes(codeFailures: number): boolean {
  return codeFailures >= MAX_CODE_FAILURES;
}
