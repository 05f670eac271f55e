// The practice's redaction reasons, declared once: the forms offer them, the services accept only them.
export const REDACTION_REASONS = {
  'third-party': 'Information about someone else (third-party information)',
  'serious-harm': 'Likely to cause serious harm to the patient or someone else',
  other: 'Other reason',
} as const;
export type RedactionReason = keyof typeof REDACTION_REASONS;

export function isRedactionReason(reason: string | null | undefined): reason is RedactionReason {
  return typeof reason === 'string' && Object.hasOwn(REDACTION_REASONS, reason);
}

/** Ids the database could hold (a UUID's characters), so a mistyped URL is a plain not-found. */
export function looksLikeId(id: string): boolean {
  return /^[0-9a-f-]{36}$/.test(id);
}
