// JSON shapes of the programme API (TypeBox): aggregates only, validated and documented.
import { Nullable, Type } from '../platform/http/schema.ts';

const problem = Type.Ref('problem#');
const errors = { 400: problem, 401: problem, 403: problem, 404: problem };
const security = [{ bearer: [] }];
const tags = ['programme'];

const count = (description: string) => Nullable(Type.Integer({ description }));
const service = Type.Object({
  practices_offering: Type.Integer({
    description:
      'Practices offering it: POMI Sys_* = 2, or (for a month from offering histories) the latest recorded change on or before the month end says offered',
  }),
  practices_reporting: Type.Integer({
    description: 'Practices that reported a system status for it (or have a recorded state for it)',
  }),
  patients_enabled: count('Patients enabled for it at month end; null when no practice reported it'),
  transactions: count('Online transactions in the month; null when no practice reported them'),
});

const summary = Type.Object({
  area: Type.Object({
    code: Type.String({
      description: 'E92000001 for England, else the region, sub-region, CCG, PCN or practice code',
    }),
    kind: Type.Union(
      ['england', 'region', 'subregion', 'ccg', 'pcn', 'practice'].map((k) => Type.Literal(k)),
    ),
    name: Nullable(Type.String({ description: 'As the imported files name it; null when none did' })),
  }),
  month: Type.String({ pattern: '^\\d{4}-\\d{2}$' }),
  source: Type.Union([Type.Literal('pomi'), Type.Literal('offering-history')], {
    description:
      'pomi: from imported POMI returns. offering-history: a month POMI does not give, counted from dated offering changes (list size, patients enabled and transactions are then null)',
  }),
  practices: Type.Integer({
    description: 'Practices with a return for the month (or with an offering history by its end)',
  }),
  list_size: count('Registered patients, summed over the practices that reported it'),
  patients_enabled_any: count('Patients enabled for at least one online service'),
  transactions: count('All online transactions in the month'),
  services: Type.Object({
    appointments: service,
    repeat_prescriptions: service,
    detailed_coded_record: service,
  }),
});

export const programmeSchemas = {
  summary: {
    tags,
    security,
    summary: 'Practices, list size and online services in an area and month',
    description:
      'For facilitators, commissioners and administrators; aggregates only. `area` is a region, sub-region, CCG or practice code as the imported POMI returns or recorded area names carry it (England when absent); `month` is YYYY-MM (the latest imported when absent). 404 (unknown-area, no-figures) when nothing was imported for it.',
    querystring: Type.Object(
      {
        area: Type.Optional(Type.String({ minLength: 1, maxLength: 12, pattern: '^[A-Za-z0-9]+$' })),
        month: Type.Optional(Type.String({ pattern: '^\\d{4}-\\d{2}$' })),
      },
      { additionalProperties: false },
    ),
    response: { 200: summary, ...errors },
  },
};
