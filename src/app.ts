// The one composition root: platform plugins first, then each feature's routes.
import Fastify, { type FastifyInstance } from 'fastify';
import fastifySwagger from '@fastify/swagger';
import { registerErrorHandler } from './platform/http/errors.ts';
import { registerPlatform, type AppDeps } from './platform/http/setup.ts';
import { authApiRoutes } from './platform/auth/api-routes.ts';
import * as accounts from './accounts/index.ts';
import * as appointments from './appointments/index.ts';
import { apiDocsRoutes, homeRoutes } from './home/index.ts';
import {
  programmeApiRoutes,
  programmeDashboardRoutes,
  programmeRoutes,
  programmeWorkspaceRoutes,
  programmeImportRoutes,
  programmePomiExportRoutes,
} from './programme/index.ts';
import * as pharmacies from './pharmacies/index.ts';
import * as prescriptions from './prescriptions/index.ts';
import * as record from './record/index.ts';
import { adminRoutes, registerStaffHeader } from './staff/index.ts';

export type { AppDeps } from './platform/http/setup.ts';

export type BuildOptions = {
  logger?: boolean | object;
  /** Collects every route as it is added (tests use it). */ routes?: { method: string; url: string }[];
};

export async function buildApp(deps: AppDeps, options: BuildOptions = {}): Promise<FastifyInstance> {
  const logger =
    options.logger && typeof options.logger === 'object'
      ? {
          ...options.logger,
          // Patient data never goes into logs: requests are logged by method and path, no query string.
          serializers: {
            req: (req: { method: string; url: string }) => ({
              method: req.method,
              path: req.url.split('?')[0],
            }),
            res: (res: { statusCode: number }) => ({ statusCode: res.statusCode }),
          },
        }
      : (options.logger ?? false);
  const app = Fastify({
    logger,
    trustProxy: deps.config.trustProxy,
    bodyLimit: 5 * 1024 * 1024,
    ajv: {
      // strictNumbers: NaN and Infinity ("1e309" in a query) are not numbers, so a bound holds.
      customOptions: { removeAdditional: false, coerceTypes: 'array', allErrors: true, strictNumbers: true },
    },
  });
  const collected = options.routes;
  if (collected) {
    app.addHook('onRoute', (r) => {
      for (const m of [r.method].flat()) collected.push({ method: m, url: r.url });
    });
  }
  await app.register(fastifySwagger, {
    openapi: {
      info: {
        title: 'GP Online API',
        version: '1.0.0',
        description:
          'Patient and practice actions of GP Online. Sign in with POST /api/v1/auth/token, then send `Authorization: Bearer <token>`.',
      },
      components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } } },
    },
  });
  app.addSchema(appointments.slotSchema);
  app.addSchema({
    $id: 'problem',
    type: 'object',
    description: 'RFC 9457 problem details',
    properties: {
      type: { type: 'string' },
      title: { type: 'string' },
      status: { type: 'integer' },
      detail: { type: 'string' },
      reason: { type: 'string' },
      alternatives: {
        type: 'array',
        description: 'When a slot was just taken: the next free slots of the same type',
        items: { $ref: 'slot#' },
      },
      errors: {
        type: 'array',
        items: { type: 'object', properties: { pointer: { type: 'string' }, detail: { type: 'string' } } },
      },
    },
  });
  // FHIR clients send application/fhir+json: it is JSON.
  app.addContentTypeParser(
    'application/fhir+json',
    { parseAs: 'string' },
    app.getDefaultJsonParser('error', 'error'),
  );
  await registerPlatform(app, deps);
  registerErrorHandler(app);
  // One staff header (name, role, the links the role may use) on every page, error pages too.
  registerStaffHeader(app);

  await app.register(homeRoutes);
  // /api/docs: the OpenAPI document as an accessible NHS.UK page (swagger-ui failed axe 71 times).
  await app.register(apiDocsRoutes);
  await app.register(authApiRoutes);
  // Linking an account may switch on the record's automatic access, in the same transaction.
  await app.register(accounts.patientAccountRoutes, {
    afterLink: record.automaticAccessOnLink,
    practiceServicesOff: prescriptions.practiceServicesOff,
  });
  await app.register(accounts.practiceRoutes);
  await app.register(accounts.accountSelfServiceRoutes);
  await app.register(adminRoutes);
  await app.register(programmeRoutes);
  await app.register(programmeApiRoutes);
  await app.register(programmeDashboardRoutes);
  await app.register(programmeWorkspaceRoutes);
  await app.register(programmeImportRoutes);
  await app.register(programmePomiExportRoutes);
  await app.register(record.patientRecordRoutes);
  await app.register(record.practiceRecordRoutes);
  await app.register(record.recordApiRoutes);
  await app.register(appointments.appointmentApiRoutes);
  await app.register(appointments.appointmentPatientRoutes);
  await app.register(appointments.appointmentStaffRoutes);
  // Repeat prescriptions: the patient's side.
  await app.register(prescriptions.orderingPatientRoutes);
  await app.register(prescriptions.orderingApiRoutes);

  // Repeat prescriptions: the practice's queue.
  await app.register(prescriptions.prescriptionQueueRoutes);

  // Repeat prescriptions: templates and settings.
  await app.register(prescriptions.templateApiRoutes);
  await app.register(prescriptions.templatePracticeRoutes);

  // Pharmacies and nominations.
  await app.register(pharmacies.pharmacyPatientRoutes);
  await app.register(pharmacies.pharmacyApiRoutes);

  return app;
}
