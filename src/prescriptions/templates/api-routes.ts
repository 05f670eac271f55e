// The practice's JSON API for repeat templates and prescription settings: thin adapters from
// schema-typed input to the services.
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Ctx } from '../../platform/context.ts';
import { typed } from '../../platform/http/schema.ts';
import { schemas as S } from './api-schemas.ts';
import type { Repeat, RepeatChange, RepeatIssue } from './model.ts';
import * as service from './service.ts';
import { practiceSettings, updateSettings } from './settings-service.ts';

const repeatJson = (r: Repeat) => ({ ...r, lastIssuedAt: r.lastIssuedAt?.toISOString() ?? null });
const changeJson = (c: RepeatChange) => ({ ...c, changedAt: c.changedAt.toISOString() });
const issueJson = (i: RepeatIssue) => ({ ...i, issuedAt: i.issuedAt.toISOString() });

export async function templateApiRoutes(app: FastifyInstance): Promise<void> {
  const { db, clock } = app.deps;
  const ctx = (req: FastifyRequest): Ctx => ({ db, clock, meta: req.meta });
  const r = typed(app);
  const config = { audience: 'staff' } as const;

  r.get('/api/v1/practice/patients/:id/repeats', { config, schema: S.list }, async (req) => {
    const p = await service.patientRepeats(ctx(req), req.actor, req.params.id);
    return {
      repeats: p.repeats.map(repeatJson),
      changes: p.changes.map(changeJson),
      issues: p.issues.map(issueJson),
      medicines: p.medicines,
    };
  });

  r.post('/api/v1/practice/patients/:id/repeats', { config, schema: S.create }, async (req, reply) =>
    reply
      .status(201)
      .send(
        repeatJson(
          await service.createRepeat(ctx(req), req.actor, { ...req.body, patientId: req.params.id }),
        ),
      ),
  );

  r.patch('/api/v1/practice/repeats/:id', { config, schema: S.change }, async (req) => {
    const { version, reason, ...changes } = req.body;
    return repeatJson(
      await service.changeRepeat(ctx(req), req.actor, {
        templateId: req.params.id,
        version,
        reason,
        changes,
      }),
    );
  });

  r.post('/api/v1/practice/repeats/:id/reauthorisation', { config, schema: S.reauthorise }, async (req) =>
    repeatJson(
      await service.reauthoriseRepeat(ctx(req), req.actor, {
        ...req.body,
        reviewDate: req.body.reviewDate ?? null,
        templateId: req.params.id,
      }),
    ),
  );

  r.post('/api/v1/practice/repeats/:id/status', { config, schema: S.status }, async (req) =>
    repeatJson(
      await service.setRepeatStatus(ctx(req), req.actor, { ...req.body, templateId: req.params.id }),
    ),
  );

  r.get('/api/v1/practice/prescriptions/settings', { config, schema: S.settings }, async (req) =>
    practiceSettings(ctx(req), req.actor),
  );

  r.put('/api/v1/practice/prescriptions/settings', { config, schema: S.saveSettings }, async (req) => {
    const { version, ...settings } = req.body;
    await updateSettings(ctx(req), req.actor, { settings, expectedVersion: version });
    return practiceSettings(ctx(req), req.actor);
  });
}
