// JSON shapes of the practice's repeat templates and prescription settings. Response schemas
// list every field; anything else is stripped.
import { Nullable, Type } from '../../platform/http/schema.ts';

const problem = Type.Ref('problem#');
const errors = { 400: problem, 401: problem, 403: problem, 404: problem, 409: problem };
const security = [{ bearer: [] }];
const tags = ['prescriptions (practice)'];
const uuid = Type.String({ format: 'uuid' });
const day = Type.String({ format: 'date' });
const type = Type.Enum(['repeat', 'repeat-dispensing', 'acute'], { type: 'string' });
const reason = Type.String({ minLength: 1, maxLength: 500 });
const version = Type.Integer({ minimum: 1, description: 'The version you read: a stale one answers 409' });
const IdParams = Type.Object({ id: uuid });

const repeat = Type.Object({
  id: Type.String(),
  patientId: Type.String(),
  recordEntryId: Nullable(Type.String()),
  prescriptionType: Type.String(),
  dmdCode: Nullable(Type.String()),
  drugName: Type.String(),
  dosage: Type.String(),
  quantity: Type.Number(),
  quantityUnit: Type.String(),
  daysPerIssue: Type.Integer(),
  issuesAuthorised: Type.Integer(),
  issuesMade: Type.Integer(),
  reviewDate: Nullable(Type.String({ format: 'date' })),
  repeatUntil: Nullable(Type.String({ format: 'date' })),
  onlineOrderable: Type.Boolean(),
  authoriserName: Type.String(),
  authorisedOn: Type.String({ format: 'date' }),
  lastIssuedAt: Nullable(Type.String({ format: 'date-time' })),
  status: Type.String(),
  statusReason: Nullable(Type.String()),
  version: Type.Integer(),
});

const change = Type.Object({
  templateId: Type.String(),
  version: Type.Integer(),
  action: Type.String(),
  before: Nullable(Type.Object({}, { additionalProperties: true })),
  after: Type.Object({}, { additionalProperties: true }),
  reason: Nullable(Type.String()),
  changedBy: Nullable(Type.String()),
  changedAt: Type.String({ format: 'date-time' }),
});

const issue = Type.Object({
  id: Type.String(),
  templateId: Type.String(),
  issuedAt: Type.String({ format: 'date-time' }),
  prescriberName: Type.String(),
  drugName: Type.String(),
  dosage: Type.String(),
  quantity: Type.Number(),
  quantityUnit: Type.String(),
  daysSupply: Type.Integer(),
  pharmacyOds: Nullable(Type.String()),
});

const medicine = Type.Object({
  entryId: Type.String(),
  name: Type.String(),
  dmdCode: Nullable(Type.String()),
  prescriptionType: Type.String(),
  dosage: Nullable(Type.String()),
  quantity: Nullable(Type.Number()),
  quantityUnit: Nullable(Type.String()),
  repeatId: Nullable(Type.String({ description: 'The repeat made from it that has not ended, if any' })),
});

const settings = {
  onlineOrdering: Type.Boolean({ description: 'Whether patients may order repeats online at all' }),
  turnaroundDays: Type.Integer({ minimum: 1, maximum: 10, description: 'Working days to ready' }),
  orderWindowDays: Type.Integer({
    minimum: 0,
    maximum: 28,
    description: 'Days before due a repeat may be ordered',
  }),
  earlyReasonRequired: Type.Boolean(),
};

export const schemas = {
  list: {
    tags,
    security,
    summary: 'A patient’s repeats with their change history and issues, and the record’s current medicines',
    params: IdParams,
    response: {
      200: Type.Object({
        repeats: Type.Array(repeat),
        changes: Type.Array(change),
        issues: Type.Array(issue),
        medicines: Type.Array(medicine),
      }),
      ...errors,
    },
  },
  create: {
    tags,
    security,
    summary: 'Make a repeat from a current medicine in the record (clinicians)',
    description:
      'The drug and its dm+d code come from the record entry; type, dose, quantity and unit do too unless given. The clinician is the authoriser. A medicine that already has a repeat answers 409 already-a-repeat.',
    params: IdParams,
    body: Type.Object(
      {
        recordEntryId: uuid,
        prescriptionType: Type.Optional(type),
        dosage: Type.Optional(Type.String({ minLength: 1, maxLength: 500 })),
        quantity: Type.Optional(Type.Number({ exclusiveMinimum: 0 })),
        quantityUnit: Type.Optional(Type.String({ minLength: 1, maxLength: 100 })),
        daysPerIssue: Type.Integer({ minimum: 1, maximum: 366 }),
        issuesAuthorised: Type.Integer({ minimum: 0, maximum: 99 }),
        reviewDate: Nullable(day),
        repeatUntil: Nullable(day),
        onlineOrderable: Type.Boolean(),
      },
      { additionalProperties: false },
    ),
    response: { 201: repeat, ...errors },
  },
  change: {
    tags,
    security,
    summary: 'Change dose, quantity, days, review date, repeat until or online ordering, with a reason',
    description: 'Issues already made are never rewritten. Send null to clear a date.',
    params: IdParams,
    body: Type.Object(
      {
        version,
        reason,
        dosage: Type.Optional(Type.String({ minLength: 1, maxLength: 500 })),
        quantity: Type.Optional(Type.Number({ exclusiveMinimum: 0 })),
        quantityUnit: Type.Optional(Type.String({ minLength: 1, maxLength: 100 })),
        daysPerIssue: Type.Optional(Type.Integer({ minimum: 1, maximum: 366 })),
        reviewDate: Type.Optional(Nullable(day)),
        repeatUntil: Type.Optional(Nullable(day)),
        onlineOrderable: Type.Optional(Type.Boolean()),
      },
      { additionalProperties: false },
    ),
    response: { 200: repeat, ...errors },
  },
  reauthorise: {
    tags,
    security,
    summary: 'Re-authorise: a new number of issues, none made yet, with a reason',
    params: IdParams,
    body: Type.Object(
      {
        version,
        reason,
        issuesAuthorised: Type.Integer({ minimum: 1, maximum: 99 }),
        reviewDate: Type.Optional(Nullable(day)),
      },
      { additionalProperties: false },
    ),
    response: { 200: repeat, ...errors },
  },
  status: {
    tags,
    security,
    summary: 'Suspend, resume or end a repeat, with a reason',
    description:
      'Suspending or ending rejects the repeat’s request still waiting for a prescriber and sends the patient “Your GP practice has paused (or stopped) this medicine: <reason>”, so that reason is at most 456 characters.',
    params: IdParams,
    body: Type.Object(
      { version, reason, action: Type.Enum(['suspend', 'resume', 'end'], { type: 'string' }) },
      { additionalProperties: false },
    ),
    response: { 200: repeat, ...errors },
  },
  settings: {
    tags,
    security,
    summary: 'The practice’s repeat prescription settings (version 0: never saved, the defaults)',
    response: {
      200: Type.Object({ ...settings, version: Type.Integer(), canChange: Type.Boolean() }),
      ...errors,
    },
  },
  saveSettings: {
    tags,
    security,
    summary: 'Replace the settings (practice managers; send the version you read)',
    body: Type.Object(
      { ...settings, version: Type.Integer({ minimum: 0 }) },
      { additionalProperties: false },
    ),
    response: {
      200: Type.Object({ ...settings, version: Type.Integer(), canChange: Type.Boolean() }),
      ...errors,
    },
  },
};
