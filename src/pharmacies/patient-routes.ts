// Patient pages for the nominated pharmacy: see it and its history, search (name, postcode or
// ODS code), choose, check and confirm. Plain links and forms: no JavaScript needed.
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Ctx } from '../platform/context.ts';
import { accountFormRateLimit } from '../platform/auth/signin-routes.ts';
import { AppError, type FieldError } from '../platform/http/errors.ts';
import { formFields, Type, typed } from '../platform/http/schema.ts';
import { countOf } from '../platform/words.ts';
import { errorContext, formBody, handleForm } from '../platform/views/forms.ts';
import { DONE, historyRows, pharmacyRows, pharmacyView } from './present.ts';
import * as service from './service.ts';

const V = 'pharmacies/views/';
const text = Type.Optional(Type.String());
const ShowQuery = Type.Object({ done: text });
const SearchQuery = Type.Object({ q: text });
const ConfirmQuery = Type.Object({ ods: text });
const ChooseForm = formFields('odsCode');

function withErrors(problems: FieldError[]) {
  if (!problems.length) return {};
  const c = errorContext(problems);
  return { errors: problems, errorMap: c.errors, errorList: c.errorList };
}

export async function pharmacyPatientRoutes(app: FastifyInstance): Promise<void> {
  const { db, clock } = app.deps;
  const ctx = (req: FastifyRequest): Ctx => ({ db, clock, meta: req.meta });
  const r = typed(app);
  const page = { config: { audience: 'patient' }, schema: { hide: true } } as const;

  r.get(
    '/patient/pharmacy',
    { ...page, schema: { hide: true, querystring: ShowQuery } },
    async (req, reply) => {
      const mine = await service.myNomination(ctx(req), req.actor);
      return reply.page(V + 'show.njk', {
        title: 'Your nominated pharmacy',
        current: mine.current ? pharmacyRows(pharmacyView(mine.current)) : null,
        nominatedAt: mine.current?.nominated_at ?? null,
        canChange: mine.canChange,
        closed: mine.closed,
        historyRows: historyRows(mine.history),
        flash: req.query.done ? (DONE[req.query.done] ?? null) : null,
        backHref: '/patient',
      });
    },
  );

  r.get(
    '/patient/pharmacy/search',
    { ...page, schema: { hide: true, querystring: SearchQuery } },
    async (req, reply) => {
      const q = req.query.q;
      // The first visit (no q) only asks the question; after that a problem is named at the field.
      const found = await service.findPharmacies(ctx(req), req.actor, q);
      const problems = found.problem ? [{ field: 'q', message: found.problem }] : [];
      return reply.status(problems.length ? 400 : 200).page(V + 'search.njk', {
        title: 'Find a pharmacy',
        q: q ?? '',
        searched: q !== undefined && !found.problem,
        results: found.results.map(pharmacyView),
        foundText: `${countOf(found.results.length, 'pharmacy')} found`,
        backHref: '/patient/pharmacy',
        ...withErrors(problems),
      });
    },
  );

  const confirmPage = async (req: FastifyRequest, odsCode: string) => {
    const p = pharmacyView(await service.choosablePharmacy(ctx(req), req.actor, odsCode));
    return {
      title: 'Check your new nominated pharmacy',
      pharmacy: p,
      rows: pharmacyRows(p),
      backHref: '/patient/pharmacy/search',
    };
  };

  r.get(
    '/patient/pharmacy/confirm',
    { ...page, schema: { hide: true, querystring: ConfirmQuery } },
    async (req, reply) => reply.page(V + 'confirm.njk', await confirmPage(req, req.query.ods ?? '')),
  );

  r.post(
    '/patient/pharmacy',
    {
      config: { audience: 'patient', rateLimit: accountFormRateLimit },
      schema: { hide: true, body: ChooseForm },
    },
    async (req, reply) => {
      const values = formBody(req.body);
      const odsCode = values.odsCode ?? '';
      return handleForm(
        reply,
        V + 'search.njk',
        async () => ({
          title: 'Find a pharmacy',
          q: odsCode,
          searched: false,
          results: [],
          backHref: '/patient/pharmacy',
        }),
        { q: odsCode },
        async () => {
          const done = await service.nominate(ctx(req), req.actor, odsCode).catch((err: unknown) => {
            // A code that is not one, or a closed pharmacy: named at the search box, to choose again.
            if (err instanceof AppError && err.code === 'invalid')
              throw AppError.invalid([{ field: 'q', message: err.fields[0]?.message ?? err.message }]);
            throw err;
          });
          return reply.redirect(`/patient/pharmacy?done=${done.changed ? 'changed' : 'unchanged'}`);
        },
      );
    },
  );
}
