// Schemas once: every route's body, params, query string and response are TypeBox schemas, so
// Fastify validates them, OpenAPI documents them and TypeScript types come from the same source.
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import { Type, type Static, type TSchema, type TUnsafe } from 'typebox';

export { Type };
export type { Static, TSchema } from 'typebox';

/** The app with TypeBox types on `req.body`, `req.query` and `req.params`. */
export function typed(app: FastifyInstance) {
  return app.withTypeProvider<TypeBoxTypeProvider>();
}

/**
 * A page form's fields, each an optional string (a repeated field may arrive as a list). The
 * form's own checks then name each problem on the page, which a schema error could not.
 */
export function formFields<const K extends string>(...names: K[]) {
  const field = Type.Union([Type.String(), Type.Array(Type.String())]);
  const props = Object.fromEntries(names.map((n) => [n, Type.Optional(field)])) as {
    [P in K]: ReturnType<typeof Type.Optional<typeof field>>;
  };
  return Type.Object(props);
}

/**
 * `T | null`. A schema with one JSON type becomes `type: [T, 'null']`: with the app's Ajv
 * (coerceTypes) an anyOf of T and null would quietly turn "" into null in a request, and the
 * serialiser writes a type list without trying each branch. Other schemas use anyOf.
 */
export function Nullable<T extends TSchema>(schema: T): TUnsafe<Static<T> | null> {
  const type: unknown = 'type' in schema ? schema.type : undefined;
  if (typeof type === 'string') return Type.Unsafe<Static<T> | null>({ ...schema, type: [type, 'null'] });
  return Type.Unsafe<Static<T> | null>(Type.Union([schema, Type.Null()]));
}
