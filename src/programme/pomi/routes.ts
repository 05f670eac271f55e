// The POMI upload page: a commissioner or administrator sends a published file from the browser
// (the CLI takes the national long-format files, too large to upload). All of a file or none.
import multipart from '@fastify/multipart';
import type { FastifyInstance } from 'fastify';
import { AppError } from '../../platform/http/errors.ts';
import { Type, typed } from '../../platform/http/schema.ts';
import { errorContext } from '../../platform/views/forms.ts';
import { assertMayImport, importPomi, recentImports } from './service.ts';

const V = 'programme/pomi/views/imports.njk';
/** The published wide files are about 3.5 MB for six months; a CCG's long file far less. */
const MAX_BYTES = 20 * 1024 * 1024;

export async function pomiImportRoutes(app: FastifyInstance): Promise<void> {
  const { db, clock } = app.deps;
  // Only these routes take multipart bodies: the file arrives whole, as its name and text.
  await app.register(multipart, {
    attachFieldsToBody: 'keyValues',
    limits: { fileSize: MAX_BYTES, files: 1, fields: 2 },
    onFile: async (part) => {
      const text = (await part.toBuffer()).toString('utf8');
      (part as unknown as { value: unknown }).value = { name: part.filename, text };
    },
  });
  // Every route here is for importers: refuse others before any body is read.
  app.addHook('onRequest', async (req) => {
    assertMayImport(req.actor);
  });
  const r = typed(app);
  const config = { audience: 'programme' as const };

  const page = async (
    meta: Parameters<typeof recentImports>[0]['meta'],
    actor: Parameters<typeof recentImports>[1],
  ) => ({
    title: 'Import POMI files',
    imports: await recentImports({ db, clock, meta }, actor),
  });

  r.get(
    '/programme/imports',
    {
      config,
      schema: {
        hide: true,
        querystring: Type.Object({ done: Type.Optional(Type.String({ maxLength: 10 })) }),
      },
    },
    async (req, reply) =>
      reply.page(V, { ...(await page(req.meta, req.actor)), flash: req.query.done ? 'File imported' : null }),
  );

  const body = Type.Object({
    _csrf: Type.Optional(Type.String()),
    file: Type.Optional(Type.Object({ name: Type.String(), text: Type.String() })),
  });
  r.post(
    '/programme/imports',
    { config, bodyLimit: MAX_BYTES + 64 * 1024, schema: { hide: true, body } },
    async (req, reply) => {
      const file = req.body.file;
      try {
        if (!file?.name) throw AppError.invalid([{ field: 'file', message: 'Choose a POMI file to import' }]);
        // PostgreSQL refuses NUL in text; the platform's check runs before a multipart body exists.
        if (file.name.includes('\u0000') || file.text.includes('\u0000'))
          throw AppError.invalid([
            { field: 'file', message: 'The file has a NUL byte in it: it is not a POMI CSV' },
          ]);
        await importPomi({ db, clock, meta: req.meta }, req.actor, file.text, { fileName: file.name });
      } catch (err) {
        if (!(err instanceof AppError) || err.code !== 'invalid') throw err;
        // Every problem belongs to the one file field, each with its line.
        const fields = (err.fields.length ? err.fields : [{ field: 'file', message: err.message }]).map(
          (f) => ({
            field: 'file',
            message: f.field === 'file' ? f.message : `${f.field}: ${f.message}`,
          }),
        );
        const ctx = errorContext(fields);
        return reply.status(400).page(V, {
          ...(await page(req.meta, req.actor)),
          summary: err.message,
          errors: fields,
          errorList: ctx.errorList,
          errorMap: { file: { text: fields.map((f) => f.message).join('. ') } },
        });
      }
      return reply.redirect('/programme/imports?done=1');
    },
  );
}
