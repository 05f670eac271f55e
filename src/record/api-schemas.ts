// JSON shapes of the record API. Response schemas list every field, so anything not listed (an
// internal flag, a source id) is stripped even if a mistake put it in the object.
import type { VisibleEntry } from './rules.ts';

const problem = { $ref: 'problem#' } as const;
const errors = { 400: problem, 401: problem, 403: problem, 404: problem, 409: problem } as const;
const security = [{ bearer: [] }];
const num = { type: ['number', 'null'] } as const;
const str = { type: ['string', 'null'] } as const;

const measurement = {
  type: ['object', 'null'],
  properties: {
    value: num,
    value_text: str,
    unit: str,
    low: num,
    high: num,
    interpretation: str,
    out_of_range: { type: ['string', 'null'], enum: ['high', 'low', null] },
    name: str,
  },
} as const;

const entry = {
  type: 'object',
  properties: {
    id: { type: 'string' },
    heading: { type: 'string' },
    date: str,
    recorded_at: { type: 'string' },
    title: { type: 'string' },
    codes: {
      type: 'array',
      items: {
        type: 'object',
        properties: { system: { type: 'string' }, code: { type: 'string' }, display: str },
      },
    },
    text: str,
    consultation_id: str,
    details: {
      type: 'object',
      properties: {
        clinical_status: str,
        significance: str,
        onset: str,
        abatement: str,
        prescription_type: str,
        status: str,
        dosage: str,
        quantity: num,
        quantity_unit: str,
        issues_authorised: num,
        issues_done: num,
        review_date: str,
        last_issued: str,
        category: str,
        type: str,
        criticality: str,
        reactions: { type: 'array', items: { type: 'string' } },
        active: { type: ['boolean', 'null'] },
        dose_number: str,
        site: str,
        measurement,
        components: { type: 'array', items: measurement },
        report_id: str,
        performer: str,
        priority: str,
        recipient: str,
        clinician: str,
        location: str,
        consultation_type: str,
        author: str,
        content_type: str,
        content: str,
        document_type: str,
      },
    },
  },
} as const;

type M = {
  value: number | null;
  valueText: string | null;
  unit: string | null;
  low: number | null;
  high: number | null;
  interpretation: string | null;
  flag?: 'high' | 'low' | null;
  name?: string;
};
const apiMeasurement = (m: M | null) =>
  m
    ? {
        value: m.value,
        value_text: m.valueText,
        unit: m.unit,
        low: m.low,
        high: m.high,
        interpretation: m.interpretation,
        out_of_range: m.flag ?? null,
        name: m.name ?? null,
      }
    : null;

export function apiEntry(e: VisibleEntry) {
  const d = e.details;
  const details: Record<string, unknown> = {};
  switch (d.kind) {
    case 'problem':
      Object.assign(details, {
        clinical_status: d.clinicalStatus,
        significance: d.significance,
        onset: d.onset,
        abatement: d.abatement,
      });
      break;
    case 'medication':
      Object.assign(details, {
        prescription_type: d.prescriptionType,
        status: d.status,
        dosage: d.dosage,
        quantity: d.quantity,
        quantity_unit: d.quantityUnit,
        issues_authorised: d.issuesAuthorised,
        issues_done: d.issuesDone,
        review_date: d.reviewDate,
        last_issued: d.lastIssued,
      });
      break;
    case 'allergy':
      Object.assign(details, {
        category: d.category,
        type: d.type,
        criticality: d.criticality,
        reactions: d.reactions,
        active: d.active,
      });
      break;
    case 'immunisation':
      Object.assign(details, { dose_number: d.doseNumber, site: d.site, status: d.status });
      break;
    case 'result':
    case 'value':
      Object.assign(details, {
        measurement: apiMeasurement(d.measurement),
        components: d.components.map(apiMeasurement),
        ...(d.kind === 'result' ? { report_id: d.reportId, category: d.category } : {}),
      });
      break;
    case 'procedure':
      Object.assign(details, { status: d.status, performer: d.performer });
      break;
    case 'referral':
      Object.assign(details, { status: d.status, priority: d.priority, recipient: d.recipient });
      break;
    case 'consultation':
      Object.assign(details, {
        clinician: d.clinician,
        location: d.location,
        consultation_type: d.consultationType,
      });
      break;
    case 'document':
      Object.assign(details, {
        author: d.author,
        content_type: d.contentType,
        content: d.content,
        document_type: d.documentType,
      });
      break;
    case 'administrative':
      break;
  }
  return {
    id: e.id,
    heading: e.kind,
    date: e.clinicalDate,
    recorded_at: e.recordedAt,
    title: e.title,
    codes: e.coding,
    text: e.text,
    consultation_id: e.consultationId,
    details,
  };
}

const refParams = {
  type: 'object',
  required: ['ref'],
  properties: { ref: { type: 'string', description: 'The patient’s id or NHS number' } },
} as const;

const counts = { type: 'object', additionalProperties: { type: 'integer' } } as const;
const importSummary = {
  type: 'object',
  properties: {
    patients: {
      type: 'object',
      properties: {
        created: { type: 'integer' },
        updated: { type: 'integer' },
        rejected: { type: 'integer' },
      },
    },
    entries: { type: 'object', properties: { created: counts, updated: counts } },
    resources: { type: 'integer' },
    skipped: counts,
    errors: {
      type: 'array',
      items: {
        type: 'object',
        properties: { resource: { type: 'string' }, field: { type: 'string' }, message: { type: 'string' } },
      },
    },
  },
} as const;

export const recordSchemas = {
  import: {
    tags: ['practice'],
    summary: 'Import GP records from a FHIR R4 Bundle (transaction, collection, batch or searchset)',
    description:
      'Each patient is imported all or nothing; a re-import updates entries by their source id. Unsupported resource types are counted and skipped. 422 when no patient could be imported.',
    security,
    querystring: {
      type: 'object',
      properties: {
        assign_test_nhs_numbers: {
          type: 'boolean',
          description:
            'Synthetic data only: give patients without an NHS number a stable 999-range test number',
        },
      },
    },
    body: {
      type: 'object',
      required: ['resourceType'],
      properties: {
        resourceType: { type: 'string', const: 'Bundle' },
        entry: { type: 'array', description: 'The entries; anything but an array is a 400' },
      },
    },
    response: { 200: importSummary, 422: importSummary, ...errors },
  },
  own: {
    tags: ['record'],
    summary: 'Your GP record: your access, current medicines and allergies, and the headings you may see',
    description:
      'Each heading’s entries are paged at /api/v1/record/sections/{heading}; the whole record as FHIR is at /api/v1/record/export.',
    security,
    response: {
      200: {
        type: 'object',
        properties: {
          access: {
            type: 'object',
            properties: {
              level: { type: 'string' },
              prospective_from: str,
              detailed_from: str,
              full_from: str,
              historic_access: { type: 'boolean' },
              withheld: { type: 'boolean' },
            },
          },
          summary: {
            type: 'object',
            properties: {
              medicines: { type: 'array', items: entry },
              allergies: { type: 'array', items: entry },
            },
          },
          sections: {
            type: 'array',
            items: {
              type: 'object',
              properties: {
                heading: { type: 'string' },
                title: { type: 'string' },
                href: { type: 'string' },
              },
            },
          },
        },
      },
      ...errors,
    },
  },
  section: {
    tags: ['record'],
    summary:
      'One heading of your GP record, newest first, 25 entries a page (10 consultations with their coded entries)',
    security,
    params: {
      type: 'object',
      required: ['heading'],
      properties: { heading: { type: 'string', maxLength: 40 } },
    },
    querystring: { type: 'object', properties: { page: { type: 'integer', minimum: 1, maximum: 10000 } } },
    response: {
      200: {
        type: 'object',
        properties: {
          heading: { type: 'string' },
          title: { type: 'string' },
          page: { type: 'integer' },
          next: str,
          entries: { type: 'array', items: entry },
        },
      },
      ...errors,
    },
  },
  staff: {
    tags: ['practice'],
    summary:
      'A patient’s whole record with each entry’s online visibility (clinicians and practice managers)',
    security,
    params: refParams,
    response: {
      200: {
        type: 'object',
        properties: {
          patient_id: { type: 'string' },
          nhs_number: { type: 'string' },
          access: {
            type: 'object',
            properties: {
              level: { type: 'string' },
              prospective_from: str,
              detailed_from: str,
              full_from: str,
              historic_access: { type: 'boolean' },
              withheld: { type: 'boolean' },
            },
          },
          entries: {
            type: 'array',
            items: {
              ...entry,
              properties: {
                ...entry.properties,
                visible_online: { type: 'boolean' },
                draft: { type: 'boolean' },
                unfiled: { type: 'boolean' },
                unreviewed: { type: 'boolean' },
                source: str,
              },
            },
          },
        },
      },
      ...errors,
    },
  },
  visibility: {
    tags: ['practice'],
    summary: 'Show or hide one record entry online (clinicians); hiding needs a reason',
    security,
    params: {
      type: 'object',
      required: ['ref', 'entryId'],
      properties: { ref: { type: 'string' }, entryId: { type: 'string', format: 'uuid' } },
    },
    body: {
      type: 'object',
      required: ['visible'],
      additionalProperties: false,
      properties: {
        visible: { type: 'boolean' },
        reason: { type: 'string', enum: ['third-party', 'serious-harm', 'other'] },
        note: { type: 'string', maxLength: 1000 },
      },
    },
    response: {
      200: { type: 'object', properties: { id: { type: 'string' }, visible_online: { type: 'boolean' } } },
      ...errors,
    },
  },
  withhold: {
    tags: ['practice'],
    summary: 'Withhold or release the whole record online (clinicians)',
    security,
    params: refParams,
    body: {
      type: 'object',
      required: ['withheld'],
      additionalProperties: false,
      properties: { withheld: { type: 'boolean' }, reason: { type: 'string', maxLength: 1000 } },
    },
    response: { 200: { type: 'object', properties: { withheld: { type: 'boolean' } } }, ...errors },
  },
} as const;
