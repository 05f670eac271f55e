// Lockout after repeated failures: pure rules, time is a parameter.
export const MAX_FAILURES = 5;
export const LOCK_MINUTES = 15;

export type LockState = { failedAttempts: number; lockedUntil: Date | null };

export function isLocked(state: LockState, now: Date): boolean {
  return state.lockedUntil !== null && state.lockedUntil.getTime() > now.getTime();
}

/** The state after one more failure: the fifth failure in a row locks the account. */
export function afterFailure(state: LockState, now: Date): LockState {
  // A lock that has run out starts a fresh count.
  const base = state.lockedUntil !== null && !isLocked(state, now) ? 0 : state.failedAttempts;
  const failedAttempts = base + 1;
  if (failedAttempts >= MAX_FAILURES) {
    return { failedAttempts, lockedUntil: new Date(now.getTime() + LOCK_MINUTES * 60_000) };
  }
  return {
    failedAttempts,
    lockedUntil: state.lockedUntil && isLocked(state, now) ? state.lockedUntil : null,
  };
}

export function afterSuccess(): LockState {
  return { failedAttempts: 0, lockedUntil: null };
}
