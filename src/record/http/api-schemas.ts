// JSON shapes of the record API, declared once: Fastify validates and serialises with them,
// OpenAPI documents them, and the TypeScript types of the answers come from them (Static).
// Response schemas list every field, so anything not listed (an internal flag, a source id) is
// stripped even if a mistake put it in the object.
import { Nullable, Type, type Static, type TSchema } from '../../platform/http/schema.ts';

const Str = Nullable(Type.String());
const Num = Nullable(Type.Number());
const Bool = Nullable(Type.Boolean());
const Counts = Type.Unsafe<Record<string, number>>({
  type: 'object',
  additionalProperties: { type: 'integer' },
});
const problem = Type.Unsafe<unknown>({ $ref: 'problem#' });
const errors = { 400: problem, 401: problem, 403: problem, 404: problem, 409: problem };
const security = [{ bearer: [] }];
const opt = <T extends TSchema>(t: T) => Type.Optional(t);

export const ApiMeasurement = Type.Object({
  value: Num,
  value_text: Str,
  unit: Str,
  low: Num,
  high: Num,
  interpretation: Str,
  out_of_range: Type.Unsafe<'high' | 'low' | null>({ type: ['string', 'null'], enum: ['high', 'low', null] }),
  name: Str,
});
export type ApiMeasurement = Static<typeof ApiMeasurement>;

/** Each kind fills its own fields (model.ts's details, in snake case). */
export const ApiDetails = Type.Object({
  clinical_status: opt(Str),
  significance: opt(Str),
  onset: opt(Str),
  abatement: opt(Str),
  prescription_type: opt(Str),
  status: opt(Str),
  dosage: opt(Str),
  quantity: opt(Num),
  quantity_unit: opt(Str),
  issues_authorised: opt(Num),
  issues_done: opt(Num),
  review_date: opt(Str),
  last_issued: opt(Str),
  category: opt(Str),
  type: opt(Str),
  criticality: opt(Str),
  reactions: opt(Type.Array(Type.String())),
  active: opt(Bool),
  dose_number: opt(Str),
  site: opt(Str),
  measurement: opt(
    Type.Unsafe<ApiMeasurement | null>({ type: ['object', 'null'], properties: ApiMeasurement.properties }),
  ),
  components: opt(Type.Array(ApiMeasurement)),
  report_id: opt(Str),
  performer: opt(Str),
  priority: opt(Str),
  recipient: opt(Str),
  clinician: opt(Str),
  location: opt(Str),
  consultation_type: opt(Str),
  author: opt(Str),
  content_type: opt(Str),
  content: opt(Str),
  document_type: opt(Str),
});
export type ApiDetails = Static<typeof ApiDetails>;

const entryFields = {
  id: Type.String(),
  heading: Type.String(),
  date: Str,
  recorded_at: Type.String(),
  title: Type.String(),
  codes: Type.Array(Type.Object({ system: Type.String(), code: Type.String(), display: Str })),
  text: Str,
  consultation_id: Str,
  details: ApiDetails,
};
export const ApiEntry = Type.Object(entryFields);
export type ApiEntry = Static<typeof ApiEntry>;

/** An entry as the practice sees it: its online visibility and where it came from too. */
export const ApiStaffEntry = Type.Object({
  ...entryFields,
  visible_online: Type.Boolean(),
  draft: Type.Boolean(),
  unfiled: Type.Boolean(),
  unreviewed: Type.Boolean(),
  source: Str,
});
export type ApiStaffEntry = Static<typeof ApiStaffEntry>;

export const ApiAccess = Type.Object({
  level: Type.String(),
  prospective_from: Str,
  detailed_from: Str,
  full_from: Str,
  historic_access: Type.Boolean(),
  withheld: Type.Boolean(),
});
export type ApiAccess = Static<typeof ApiAccess>;

export const ApiRecordSummary = Type.Object({
  access: ApiAccess,
  summary: Type.Object({ medicines: Type.Array(ApiEntry), allergies: Type.Array(ApiEntry) }),
  sections: Type.Array(Type.Object({ heading: Type.String(), title: Type.String(), href: Type.String() })),
});
export type ApiRecordSummary = Static<typeof ApiRecordSummary>;

export const ApiSection = Type.Object({
  heading: Type.String(),
  title: Type.String(),
  page: Type.Integer(),
  next: Str,
  entries: Type.Array(ApiEntry),
});
export type ApiSection = Static<typeof ApiSection>;

export const ApiStaffRecord = Type.Object({
  patient_id: Type.String(),
  nhs_number: Type.String(),
  access: ApiAccess,
  entries: Type.Array(ApiStaffEntry),
});
export type ApiStaffRecord = Static<typeof ApiStaffRecord>;

const ImportSummary = Type.Object({
  patients: Type.Object({ created: Type.Integer(), updated: Type.Integer(), rejected: Type.Integer() }),
  entries: Type.Object({ created: Counts, updated: Counts }),
  resources: Type.Integer(),
  skipped: Counts,
  errors: Type.Array(Type.Object({ resource: Type.String(), field: Type.String(), message: Type.String() })),
});

const AccessLog = Type.Object({
  page: Type.Integer(),
  more: Type.Boolean(),
  entries: Type.Array(
    Type.Object({
      at: Type.Unsafe<Date | string>({ type: 'string', format: 'date-time' }),
      who: Type.String(),
      where: Str,
      what: Type.String(),
    }),
  ),
});

const PageQuery = Type.Object({ page: opt(Type.Integer({ minimum: 1, maximum: 10000 })) });
const RefParams = Type.Object({
  ref: Type.String({ description: 'The patient’s id or NHS number' }),
});
const PlainRefParams = Type.Object({ ref: Type.String() });

export const recordSchemas = {
  import: {
    tags: ['practice'],
    summary: 'Import GP records from a FHIR R4 Bundle (transaction, collection, batch or searchset)',
    description:
      'Each patient is imported all or nothing; a re-import updates entries by their source id. Unsupported resource types are counted and skipped. 422 when no patient could be imported.',
    security,
    querystring: Type.Object({
      assign_test_nhs_numbers: opt(
        Type.Boolean({
          description:
            'Synthetic data only: give patients without an NHS number a stable 999-range test number',
        }),
      ),
    }),
    body: Type.Object({
      resourceType: Type.Literal('Bundle'),
      entry: opt(Type.Array(Type.Unknown(), { description: 'The entries; anything but an array is a 400' })),
    }),
    response: { 200: ImportSummary, 422: ImportSummary, ...errors },
  },
  own: {
    tags: ['record'],
    summary: 'Your GP record: your access, current medicines and allergies, and the headings you may see',
    description:
      'Each heading’s entries are paged at /api/v1/record/sections/{heading}; the whole record as FHIR is at /api/v1/record/export.',
    security,
    response: { 200: ApiRecordSummary, ...errors },
  },
  section: {
    tags: ['record'],
    summary:
      'One heading of your GP record, newest first, 25 entries a page (10 consultations with their coded entries)',
    security,
    params: Type.Object({ heading: Type.String({ maxLength: 40 }) }),
    querystring: PageQuery,
    response: { 200: ApiSection, ...errors },
  },
  accessLog: {
    tags: ['record'],
    summary: 'Who has viewed your record: staff role, practice, date and what was viewed',
    security,
    querystring: PageQuery,
    response: { 200: AccessLog },
  },
  export: {
    tags: ['record'],
    summary: 'Your visible GP record as a FHIR R4 Bundle (collection)',
    security,
  },
  staff: {
    tags: ['practice'],
    summary:
      'A patient’s whole record with each entry’s online visibility (clinicians and practice managers)',
    security,
    params: RefParams,
    response: { 200: ApiStaffRecord, ...errors },
  },
  visibility: {
    tags: ['practice'],
    summary: 'Show or hide one record entry online (clinicians); hiding needs a reason',
    security,
    params: Type.Object({ ref: Type.String(), entryId: Type.String({ format: 'uuid' }) }),
    body: Type.Object(
      {
        visible: Type.Boolean(),
        reason: opt(Type.Enum(['third-party', 'serious-harm', 'other'], { type: 'string' })),
        note: opt(Type.String({ maxLength: 1000 })),
      },
      { additionalProperties: false },
    ),
    response: {
      200: Type.Object({ id: Type.String(), visible_online: Type.Boolean() }),
      ...errors,
    },
  },
  withhold: {
    tags: ['practice'],
    summary: 'Withhold or release the whole record online (clinicians)',
    security,
    params: RefParams,
    body: Type.Object(
      { withheld: Type.Boolean(), reason: opt(Type.String({ maxLength: 1000 })) },
      { additionalProperties: false },
    ),
    response: { 200: Type.Object({ withheld: Type.Boolean() }), ...errors },
  },
  review: {
    tags: ['practice'],
    summary: 'Record that a clinician has reviewed the whole record for online access',
    description:
      'Historic (older records) access can only be granted after a whole-record review recorded after the last import.',
    security,
    params: PlainRefParams,
    response: { 200: Type.Object({ reviewed_at: Type.String() }) },
  },
  historic: {
    tags: ['practice'],
    summary: 'Decide a patient’s request for access to older records (clinicians)',
    security,
    params: PlainRefParams,
    body: Type.Object(
      {
        decision: Type.Enum(['granted', 'refused'], { type: 'string' }),
        note: opt(Type.String({ maxLength: 1000 })),
      },
      { additionalProperties: false },
    ),
    response: { 200: Type.Object({ decision: Type.String() }) },
  },
};
