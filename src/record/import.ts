// Temporary, until the lead points routes.ts at fhir/import/service.ts at merge (issue #9): the
// route's positional call, forwarded to the options-object use case.
import type { Actor } from '../platform/auth/actor.ts';
import type { Ctx } from '../platform/context.ts';
import type { ParseResult } from './fhir/import/parse.ts';
import * as service from './fhir/import/service.ts';

export async function importParsed(
  ctx: Ctx,
  caller: Actor,
  practiceOds: string,
  parsed: ParseResult,
  options: service.ImportOptions,
): Promise<service.ImportSummary> {
  return service.importParsed(ctx, caller, { practiceOds, parsed, options });
}
