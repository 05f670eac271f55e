// JSON shapes of the nominated-pharmacy API (TypeBox): validated, documented, and response fields
// not listed here are stripped.
import { Nullable, Type } from '../platform/http/schema.ts';

const problem = Type.Ref('problem#');
const errors = { 400: problem, 401: problem, 403: problem, 404: problem };
const security = [{ bearer: [] }];
const tags = ['pharmacy'];

const pharmacy = Type.Object({
  ods_code: Type.String(),
  name: Type.String(),
  address_lines: Type.Array(Type.String()),
  postcode: Nullable(Type.String()),
  phone: Nullable(Type.String()),
});

const nomination = Type.Object({
  nominated: Nullable(
    Type.Object({
      ...pharmacy.properties,
      nominated_at: Type.String({ format: 'date-time' }),
    }),
  ),
  can_change: Type.Boolean({ description: 'Whether the practice lets this patient change it online' }),
});

export const pharmacySchemas = {
  show: {
    tags,
    security,
    summary: 'The patient’s nominated pharmacy (null when none)',
    description:
      '403 with reason pharmacy-view-off when the practice has not switched this on for the patient.',
    response: { 200: nomination, ...errors },
  },
  change: {
    tags,
    security,
    summary: 'Nominate a pharmacy by its ODS code',
    description:
      '400 names the field when the code is not one or the pharmacy is closed; 404 (no-such-pharmacy) when no pharmacy has the code; 403 (pharmacy-update-off) when the practice has not switched changing it on. Nominating the pharmacy already nominated changes nothing (`changed` false).',
    body: Type.Object(
      { ods_code: Type.String({ minLength: 1, maxLength: 20 }) },
      { additionalProperties: false },
    ),
    response: { 200: Type.Object({ ...nomination.properties, changed: Type.Boolean() }), ...errors },
  },
  search: {
    tags,
    security,
    summary: 'Open pharmacies by name, postcode or ODS code (at most 20, best first)',
    querystring: Type.Object({ q: Type.String({ maxLength: 200 }) }, { additionalProperties: false }),
    response: { 200: Type.Object({ pharmacies: Type.Array(pharmacy) }), ...errors },
  },
};
