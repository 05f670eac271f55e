// TypeBox schemas of the accounts API: they validate input, strip unknown output fields and feed
// OpenAPI, and the TypeScript types of bodies come from them.
import { Nullable, Type, type Static } from '../platform/http/schema.ts';

const problem = Type.Unsafe<unknown>({ $ref: 'problem#' });
const errors = { 400: problem, 401: problem, 403: problem, 404: problem, 409: problem };
const IdParams = Type.Object({ id: Type.String({ format: 'uuid' }) });
const security = [{ bearer: [] }];
const date = () => Type.String({ format: 'date' });
/** A date or null (one JSON type list: "" is refused, not read as null). */
const dateOrNull = () => Nullable(date());
const dateTime = () => Type.String({ format: 'date-time' });

const Patient = Type.Object({
  id: Type.String(),
  nhs_number: Type.String(),
  given_name: Type.String(),
  family_name: Type.String(),
  birth_date: date(),
  sex: Type.String(),
  practice_ods: Type.String(),
});

const settingsProps = {
  appointments: Type.Boolean(),
  repeat_prescriptions: Type.Boolean(),
  record_level: Type.Enum(['none', 'summary', 'detailed', 'full']),
  prospective_from: dateOrNull(),
  historic_access: Type.Boolean(),
  pharmacy_view: Type.Boolean(),
  pharmacy_update: Type.Boolean(),
};

/** Kept by the rules, never set directly: each level's own start, and whether staff set the level. */
const derivedSettingsProps = {
  detailed_from: dateOrNull(),
  full_from: dateOrNull(),
  record_level_by_hand: Type.Boolean(),
};

export const SearchQuery = Type.Object({ q: Type.String({ minLength: 1, maxLength: 100 }) });

export const VerifyBody = Type.Object(
  {
    method: Type.Enum(['photo-documents', 'vouching', 'vouching-with-confirmation', 'nhs-login-p9']),
    evidence: Type.String({ minLength: 1, maxLength: 1000 }),
  },
  { additionalProperties: false },
);

export const ServicesBody = Type.Object(
  {
    ...Type.Partial(Type.Object(settingsProps)).properties,
    version: Type.Integer({ minimum: 0 }),
    reason: Type.Optional(Type.String({ maxLength: 500 })),
  },
  { additionalProperties: false },
);
export type ServicesBody = Static<typeof ServicesBody>;

export const LinkBody = Type.Object(
  {
    ods_code: Type.String({ maxLength: 8 }),
    account_id: Type.String({ maxLength: 20 }),
    linkage_key: Type.String({ maxLength: 30 }),
    surname: Type.String({ maxLength: 100 }),
    birth_date: date(),
  },
  { additionalProperties: false },
);

export const patientSchemas = {
  search: {
    tags: ['practice'],
    summary: 'Find patients at your practice by NHS number or surname',
    security,
    querystring: SearchQuery,
    response: { 200: Type.Object({ patients: Type.Array(Patient) }), ...errors },
  },
  get: {
    tags: ['practice'],
    summary: 'A patient with their online account, identity checks and online services',
    security,
    params: IdParams,
    response: {
      200: Type.Object({
        ...Patient.properties,
        online_account: Nullable(
          Type.Object({
            id: Type.String(),
            email: Type.String(),
            proofing_level: Type.String(),
            linked_at: Nullable(dateTime()),
          }),
        ),
        online_services: Type.Object({
          ...settingsProps,
          ...derivedSettingsProps,
          version: Type.Integer(),
        }),
        identity_verifications: Type.Array(
          Type.Object({
            method: Type.String(),
            evidence: Type.String(),
            proofing_level: Type.String(),
            verified_at: dateTime(),
            verified_by: Type.String(),
          }),
        ),
        registration_letter_issued_at: Nullable(dateTime()),
      }),
      ...errors,
    },
  },
  verify: {
    tags: ['practice'],
    summary: 'Record an identity check; it raises the linked account to P9',
    security,
    params: IdParams,
    body: VerifyBody,
    response: {
      201: Type.Object({ proofing_level: Type.String(), account_updated: Type.Boolean() }),
      ...errors,
    },
  },
  services: {
    tags: ['practice'],
    summary:
      'Change a patient’s online services (send the version you read; 409 if someone changed them since)',
    security,
    params: IdParams,
    body: ServicesBody,
    response: {
      200: Type.Object({
        ...settingsProps,
        ...derivedSettingsProps,
        version: Type.Integer(),
        changed: Type.Array(Type.String()),
      }),
      ...errors,
    },
  },
  letter: {
    tags: ['practice'],
    summary: 'Issue a registration letter: a new Linkage Key (earlier keys stop working)',
    security,
    params: IdParams,
    response: {
      201: Type.Object({
        ods_code: Type.String(),
        account_id: Type.String(),
        linkage_key: Type.String(),
        issued_at: dateTime(),
        replaced_previous: Type.Boolean(),
      }),
      ...errors,
    },
  },
};

export const accountSchemas = {
  me: {
    tags: ['account'],
    summary: 'Who am I',
    description:
      'The signed-in patient (with linked record, proofing level and which online services are available) or staff user.',
    security,
    response: {
      200: Type.Object({
        type: Type.Enum(['patient', 'staff']),
        id: Type.String(),
        email: Type.String(),
        name: Type.Optional(Type.String()),
        role: Type.Optional(Type.String()),
        practice_ods: Type.Optional(Nullable(Type.String())),
        proofing_level: Type.Optional(Type.Enum(['P0', 'P5', 'P9'])),
        linked: Type.Optional(Type.Boolean()),
        record_level: Type.Optional(Type.String()),
        patient: Type.Optional(
          Nullable(
            Type.Object({
              given_name: Type.String(),
              family_name: Type.String(),
              nhs_number: Type.String(),
              birth_date: date(),
              practice_ods: Type.String(),
              practice_name: Type.String(),
            }),
          ),
        ),
        services: Type.Optional(
          Type.Array(
            Type.Object({
              service: Type.String(),
              status: Type.String(),
              required_level: Type.String(),
            }),
          ),
        ),
      }),
      401: problem,
    },
  },
  link: {
    tags: ['account'],
    summary: 'Link the signed-in account to a GP record with a registration letter',
    security,
    body: LinkBody,
    response: {
      200: Type.Object({ linked: Type.Boolean(), practice_ods: Type.String() }),
      400: problem,
      401: problem,
      409: problem,
    },
  },
};
