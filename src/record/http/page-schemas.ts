// What the record's pages take in: each page's query string, path and form, as TypeBox schemas
// (strings as typed in a browser; the page or the service reads them, so errors show on the page).
import { formFields, Type } from '../../platform/http/schema.ts';

const hide = true;
const Id = Type.Object({ id: Type.String() });

export const pageSchemas = {
  summary: { hide },
  section: { hide, params: Type.Object({ section: Type.String() }), querystring: formFields('page') },
  history: { hide, querystring: formFields('code') },
  whoViewed: { hide, querystring: formFields('page') },
  requestOlder: { hide, querystring: formFields('sent') },
  requestOlderForm: { hide, body: formFields('note') },
  download: { hide },
  staffRecord: { hide, params: Id, querystring: formFields('section', 'done') },
  visibilityForm: {
    hide,
    params: Type.Object({ id: Type.String(), entryId: Type.String() }),
    body: formFields('visible', 'reason', 'note', 'section'),
  },
  withholdForm: { hide, params: Id, body: formFields('withheld', 'withholdReason') },
  asPatient: { hide, params: Id },
  review: { hide, querystring: formFields('done') },
  reviewItemForm: {
    hide,
    params: Type.Object({ entryId: Type.String() }),
    body: formFields('hide', 'reason'),
  },
  reviewedForm: { hide, params: Id, body: formFields('back') },
  historicForm: { hide, params: Id, body: formFields('decision', 'note') },
  bulk: { hide },
  bulkForm: { hide },
};

/** One value of a query-string field (a repeated field is not a value this page knows). */
export function one(v: string | string[] | undefined): string | undefined {
  return typeof v === 'string' ? v : undefined;
}
