// JSON schemas of the practice patient API: they validate input, strip unknown output fields and feed OpenAPI.
const problem = { $ref: 'problem#' } as const;
const errors = { 400: problem, 401: problem, 403: problem, 404: problem, 409: problem } as const;
const idParams = {
  type: 'object',
  required: ['id'],
  properties: { id: { type: 'string', format: 'uuid' } },
} as const;
const security = [{ bearer: [] }];

const patient = {
  type: 'object',
  properties: {
    id: { type: 'string' },
    nhs_number: { type: 'string' },
    given_name: { type: 'string' },
    family_name: { type: 'string' },
    birth_date: { type: 'string', format: 'date' },
    sex: { type: 'string' },
    practice_ods: { type: 'string' },
  },
} as const;

const settingsProps = {
  appointments: { type: 'boolean' },
  repeat_prescriptions: { type: 'boolean' },
  record_level: { type: 'string', enum: ['none', 'summary', 'detailed', 'full'] },
  prospective_from: { type: ['string', 'null'], format: 'date' },
  historic_access: { type: 'boolean' },
  pharmacy_view: { type: 'boolean' },
  pharmacy_update: { type: 'boolean' },
} as const;

/** Kept by the rules, never set directly: each level's own start, and whether staff set the level. */
const derivedSettingsProps = {
  detailed_from: { type: ['string', 'null'], format: 'date' },
  full_from: { type: ['string', 'null'], format: 'date' },
  record_level_by_hand: { type: 'boolean' },
} as const;

export const patientSchemas = {
  search: {
    tags: ['practice'],
    summary: 'Find patients at your practice by NHS number or surname',
    security,
    querystring: {
      type: 'object',
      required: ['q'],
      properties: { q: { type: 'string', minLength: 1, maxLength: 100 } },
    },
    response: {
      200: { type: 'object', properties: { patients: { type: 'array', items: patient } } },
      ...errors,
    },
  },
  get: {
    tags: ['practice'],
    summary: 'A patient with their online account, identity checks and online services',
    security,
    params: idParams,
    response: {
      200: {
        type: 'object',
        properties: {
          ...patient.properties,
          online_account: {
            type: ['object', 'null'],
            properties: {
              id: { type: 'string' },
              email: { type: 'string' },
              proofing_level: { type: 'string' },
              linked_at: { type: ['string', 'null'], format: 'date-time' },
            },
          },
          online_services: {
            type: 'object',
            properties: { ...settingsProps, ...derivedSettingsProps, version: { type: 'integer' } },
          },
          identity_verifications: {
            type: 'array',
            items: {
              type: 'object',
              properties: {
                method: { type: 'string' },
                evidence: { type: 'string' },
                proofing_level: { type: 'string' },
                verified_at: { type: 'string', format: 'date-time' },
                verified_by: { type: 'string' },
              },
            },
          },
          registration_letter_issued_at: { type: ['string', 'null'], format: 'date-time' },
        },
      },
      ...errors,
    },
  },
  verify: {
    tags: ['practice'],
    summary: 'Record an identity check; it raises the linked account to P9',
    security,
    params: idParams,
    body: {
      type: 'object',
      required: ['method', 'evidence'],
      additionalProperties: false,
      properties: {
        method: {
          type: 'string',
          enum: ['photo-documents', 'vouching', 'vouching-with-confirmation', 'nhs-login-p9'],
        },
        evidence: { type: 'string', minLength: 1, maxLength: 1000 },
      },
    },
    response: {
      201: {
        type: 'object',
        properties: { proofing_level: { type: 'string' }, account_updated: { type: 'boolean' } },
      },
      ...errors,
    },
  },
  services: {
    tags: ['practice'],
    summary:
      'Change a patient’s online services (send the version you read; 409 if someone changed them since)',
    security,
    params: idParams,
    body: {
      type: 'object',
      required: ['version'],
      additionalProperties: false,
      properties: {
        ...settingsProps,
        version: { type: 'integer', minimum: 0 },
        reason: { type: 'string', maxLength: 500 },
      },
    },
    response: {
      200: {
        type: 'object',
        properties: {
          ...settingsProps,
          ...derivedSettingsProps,
          version: { type: 'integer' },
          changed: { type: 'array', items: { type: 'string' } },
        },
      },
      ...errors,
    },
  },
  letter: {
    tags: ['practice'],
    summary: 'Issue a registration letter: a new Linkage Key (earlier keys stop working)',
    security,
    params: idParams,
    response: {
      201: {
        type: 'object',
        properties: {
          ods_code: { type: 'string' },
          account_id: { type: 'string' },
          linkage_key: { type: 'string' },
          issued_at: { type: 'string', format: 'date-time' },
          replaced_previous: { type: 'boolean' },
        },
      },
      ...errors,
    },
  },
} as const;
