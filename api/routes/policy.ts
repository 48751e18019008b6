// §9 the policy, versioned: ADMIN reads the current policy and puts a new version — validated by the
// same schema as `npm run simulate -- --policy FILE` (domain/policy.ts), 400 naming the field — with a
// note; each version is kept with who and when, and two versions can be compared field by field. New
// projects start under the current version and record it (api/register-project.ts); the county calendar
// takes it at its next monthly run; a running project keeps its version until ADMIN applies another
// (POST /projects/:id/apply-policy), which goes on its timeline. Every version and every application is
// an audit entry.
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { audit } from '../../db/audit';
import { latestPolicyVersion, present, type PolicyVersionOut } from '../../db/policy';
import { isTerminal, stageNamed, type Stage } from '../../domain/pipeline';
import { Policy, policyDiff } from '../../domain/policy';
import { text, TEXT_LENGTH } from '../../domain/text';
import { applyPolicyUpdate } from '../../workflows/messages/project';
import type { AppDeps } from '../deps';
import { ApiError } from '../errors';
import { actorOf, requireRole } from '../plugins/auth';
import { ErrorSchema, listOf, Paging } from '../schemas';

const VersionSchema = z.object({
  version: z.number().int().describe('0: the built-in policy (南政发〔2022〕6号), before any version was put'),
  policy: Policy, note: z.string(), createdBy: z.string(), createdAt: z.string().nullable(),
});
const VersionNo = z.coerce.number().int().min(0).max(1_000_000);

export async function policyRoutes(root: FastifyInstance, deps: AppDeps) {
  const app = root.withTypeProvider<ZodTypeProvider>();
  const auth = { onRequest: [app.authenticate] };
  const builtIn: Omit<PolicyVersionOut, 'createdAt'> & { createdAt: string | null } = { version: 0, policy: deps.policy, note: '内置政策（南政发〔2022〕6号）', createdBy: 'system', createdAt: null };
  const current = async () => (await latestPolicyVersion(deps.db)) ?? builtIn;
  const versionOr404 = async (version: number) => {
    if (version === 0) return builtIn;
    const row = await deps.db.policyVersion.findUnique({ where: { number: version } });
    if (!row) throw new ApiError('NOT_FOUND', `政策版本 ${version} 不存在`);
    return present(row);
  };

  app.get('/admin/policy', {
    ...auth,
    schema: {
      tags: ['admin'], summary: '当前政策 — the policy new projects start under, with its version (ADMIN)', security: [{ bearerAuth: [] }],
      response: { 200: VersionSchema, 401: ErrorSchema, 403: ErrorSchema },
    },
  }, async (req) => {
    requireRole(req, 'ADMIN');
    return current();
  });

  app.put('/admin/policy', {
    ...auth,
    schema: {
      tags: ['admin'], summary: '发布政策新版本 — validated like `npm run simulate -- --policy FILE`; new projects start under it, the county calendar takes it at its next run (ADMIN)',
      security: [{ bearerAuth: [] }],
      body: z.strictObject({ policy: Policy, note: text(TEXT_LENGTH.note).describe('why: e.g. 县政府常务会议决定缩短线索核实时限') }),
      response: { 200: VersionSchema, 400: ErrorSchema, 401: ErrorSchema, 403: ErrorSchema, 409: ErrorSchema },
    },
  }, async (req) => {
    requireRole(req, 'ADMIN');
    const created = await deps.db.$transaction(async (tx) => {
      const before = (await latestPolicyVersion(tx)) ?? builtIn;
      const version = before.version + 1;
      const row = await tx.policyVersion.create({ data: { number: version, policy: req.body.policy, note: req.body.note, createdBy: req.caller.username, createdAt: new Date() } });
      await audit(tx, {
        actor: req.caller.username, action: 'POLICY_VERSION_CREATED', target: `policy:${version}`, note: req.body.note,
        before: { version: before.version }, after: { version, changes: policyDiff(before.policy, req.body.policy) },
      });
      return present(row);
    }).catch((e: unknown) => {
      if ((e as { code?: string }).code === 'P2002') throw new ApiError('CONFLICT', '同一时刻已有另一个政策版本发布：请重新读取当前政策后再试');
      throw e;
    });
    return created;
  });

  app.get('/admin/policy/versions', {
    ...auth,
    schema: {
      tags: ['admin'], summary: '政策版本 — every version put, newest first, with who, when and why (ADMIN)', security: [{ bearerAuth: [] }],
      querystring: Paging,
      response: { 200: listOf(VersionSchema), 400: ErrorSchema, 401: ErrorSchema, 403: ErrorSchema },
    },
  }, async (req) => {
    requireRole(req, 'ADMIN');
    const { page, pageSize } = req.query;
    const [rows, total] = await Promise.all([
      deps.db.policyVersion.findMany({ orderBy: { number: 'desc' }, skip: (page - 1) * pageSize, take: pageSize }),
      deps.db.policyVersion.count(),
    ]);
    return { items: rows.map(present), total, page, pageSize };
  });

  app.get('/admin/policy/versions/:version', {
    ...auth,
    schema: {
      tags: ['admin'], summary: '政策版本详情 (ADMIN; 0 is the built-in policy)', security: [{ bearerAuth: [] }],
      params: z.object({ version: VersionNo }),
      response: { 200: VersionSchema, 400: ErrorSchema, 401: ErrorSchema, 403: ErrorSchema, 404: ErrorSchema },
    },
  }, async (req) => {
    requireRole(req, 'ADMIN');
    return versionOr404(req.params.version);
  });

  app.get('/admin/policy/diff', {
    ...auth,
    schema: {
      tags: ['admin'], summary: '政策版本比较 — what changed from one version to another, field by field (ADMIN)', security: [{ bearerAuth: [] }],
      querystring: z.object({ from: VersionNo, to: VersionNo }),
      response: {
        200: z.object({ from: z.number().int(), to: z.number().int(), changes: z.array(z.object({ path: z.string(), before: z.unknown(), after: z.unknown() })) }),
        400: ErrorSchema, 401: ErrorSchema, 403: ErrorSchema, 404: ErrorSchema,
      },
    },
  }, async (req) => {
    requireRole(req, 'ADMIN');
    const [a, b] = await Promise.all([versionOr404(req.query.from), versionOr404(req.query.to)]);
    return { from: a.version, to: b.version, changes: policyDiff(a.policy, b.policy) };
  });

  app.post('/projects/:id/apply-policy', {
    ...auth,
    schema: {
      tags: ['projects'], summary: '适用新版政策 — a running project goes on under the current policy version (or the one named); tasks opened from now on follow it; on its timeline (ADMIN)',
      security: [{ bearerAuth: [] }],
      params: z.object({ id: z.string().max(64) }),
      body: z.strictObject({ version: z.number().int().min(0).optional().describe('the version to apply; the current one when absent') }).optional(),
      response: {
        200: z.object({ id: z.string(), stage: z.string(), policyVersion: z.number().int(), previousVersion: z.number().int() }),
        400: ErrorSchema, 401: ErrorSchema, 403: ErrorSchema, 404: ErrorSchema, 409: ErrorSchema,
      },
    },
  }, async (req) => {
    requireRole(req, 'ADMIN');
    const project = await deps.db.project.findUnique({ where: { id: req.params.id }, select: { workflowId: true, stage: true, policyVersion: true } });
    if (!project) throw new ApiError('NOT_FOUND', `项目 ${req.params.id} 不存在`);
    if (isTerminal(project.stage as Stage)) throw new ApiError('CONFLICT', `项目 ${req.params.id} 已结束（${stageNamed(project.stage)}）`);
    const target = req.body?.version !== undefined ? await versionOr404(req.body.version) : await current();
    const snap = await deps.temporal.workflow.getHandle(project.workflowId).executeUpdate(applyPolicyUpdate, {
      args: [{ actor: actorOf(req.caller), version: target.version, policy: target.policy }],
    });
    if (project.policyVersion !== snap.policyVersion) {
      await audit(deps.db, {
        actor: req.caller.username, action: 'POLICY_APPLIED', target: `project:${req.params.id}`,
        before: { version: project.policyVersion }, after: { version: snap.policyVersion },
      });
    }
    return { id: snap.projectId, stage: snap.stage, policyVersion: snap.policyVersion, previousVersion: project.policyVersion };
  });
}
