// What ADMIN watches: the deliveries of notices (§8), and (issue "Hardening" 1) batches of a workflow's events
// that the projection refused for good (PROJECTION_REJECTED) — the workflow went on without them, so
// the project's page may lack what they carried; each row names the workflow and the events.
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppDeps } from '../deps';
import { requireRole } from '../plugins/auth';
import { ErrorSchema, listOf, Paging } from '../schemas';
import { ApiError } from '../errors';
import { isoDate } from '../../domain/text';
import { pokeRelay } from '../../workflows/messages/notice-relay';

const ProjectionFailureSchema = z.object({
  id: z.number().int(), workflowId: z.string(), projectId: z.string().nullable(), firstSeq: z.number().int(), lastSeq: z.number().int(),
  kinds: z.array(z.string()), error: z.string(), at: z.string(),
});

export async function adminRoutes(root: FastifyInstance, deps: AppDeps) {
  const app = root.withTypeProvider<ZodTypeProvider>();

  app.get('/admin/projection-failures', {
    onRequest: [app.authenticate],
    schema: {
      tags: ['admin'], summary: '投影失败 — event batches the database refused for good, newest first (ADMIN)', security: [{ bearerAuth: [] }],
      querystring: Paging.extend({ projectId: z.string().max(64).optional() }),
      response: { 200: listOf(ProjectionFailureSchema), 400: ErrorSchema, 401: ErrorSchema, 403: ErrorSchema },
    },
  }, async (req) => {
    requireRole(req, 'ADMIN');
    const { page, pageSize, projectId } = req.query;
    const where = projectId ? { projectId } : {};
    const [rows, total] = await Promise.all([
      deps.db.projectionFailure.findMany({ where, orderBy: { id: 'desc' }, skip: (page - 1) * pageSize, take: pageSize }),
      deps.db.projectionFailure.count({ where }),
    ]);
    return { items: rows.map((r) => ({ ...r, kinds: r.kinds.split(','), at: r.at.toISOString() })), total, page, pageSize };
  });

  const DeliverySchema = z.object({
    id: z.string(), channel: z.string(), status: z.enum(['PENDING', 'SENT', 'FAILED']), attempts: z.number().int(),
    nextAttemptAt: z.string(), sentAt: z.string().nullable(), lastError: z.string().nullable(),
    recipient: z.string(), title: z.string(), projectId: z.string().nullable(), taskId: z.string().nullable(), createdAt: z.string(),
    notices: z.number().int().describe('how many notices it carries: more than one for a batch of ladder notices (§8 policy.delivery.batchSeconds), whose title, project and task are its first\'s'),
  });
  const include = { receipt: { include: { person: true, notification: true } }, _count: { select: { items: true } } } as const;
  type Row = Awaited<ReturnType<typeof deliveryRow>>;
  const deliveryRow = (id: string) => deps.db.delivery.findUniqueOrThrow({ where: { id }, include });
  const toDelivery = (d: Row): z.infer<typeof DeliverySchema> => ({
    id: d.id, channel: d.channel, status: d.status as 'PENDING' | 'SENT' | 'FAILED', attempts: d.attempts, nextAttemptAt: d.nextAttemptAt.toISOString(),
    sentAt: d.sentAt?.toISOString() ?? null, lastError: d.lastError, recipient: d.receipt.person.username, title: d.receipt.notification.title,
    projectId: d.receipt.notification.projectId, taskId: d.receipt.notification.taskId, createdAt: d.createdAt.toISOString(), notices: d._count.items,
  });

  app.get('/admin/deliveries', {
    onRequest: [app.authenticate],
    schema: {
      tags: ['admin'], summary: '消息投递 — deliveries of notices by status, newest first (ADMIN, §8)', security: [{ bearerAuth: [] }],
      querystring: Paging.extend({ status: z.enum(['PENDING', 'SENT', 'FAILED']).optional() }),
      response: { 200: listOf(DeliverySchema), 400: ErrorSchema, 401: ErrorSchema, 403: ErrorSchema },
    },
  }, async (req) => {
    requireRole(req, 'ADMIN');
    const { page, pageSize, status } = req.query;
    const where = status ? { status } : {};
    const [rows, total] = await Promise.all([
      deps.db.delivery.findMany({ where, include, orderBy: [{ createdAt: 'desc' }, { id: 'asc' }], skip: (page - 1) * pageSize, take: pageSize }),
      deps.db.delivery.count({ where }),
    ]);
    return { items: rows.map(toDelivery), total, page, pageSize };
  });

  app.post('/admin/deliveries/:id/retry', {
    onRequest: [app.authenticate],
    schema: {
      tags: ['admin'], summary: '重新投递 — a FAILED delivery goes back to PENDING with fresh attempts, and the relay is told (ADMIN, §8)', security: [{ bearerAuth: [] }],
      params: z.object({ id: z.string().max(64) }),
      response: { 200: DeliverySchema, 401: ErrorSchema, 403: ErrorSchema, 404: ErrorSchema, 409: ErrorSchema },
    },
  }, async (req) => {
    requireRole(req, 'ADMIN');
    const found = await deps.db.delivery.findUnique({ where: { id: req.params.id }, select: { status: true } });
    if (!found) throw new ApiError('NOT_FOUND', `投递记录 ${req.params.id} 不存在`);
    if (found.status !== 'FAILED') throw new ApiError('CONFLICT', `投递记录 ${req.params.id} 的状态为 ${found.status}：只有投递失败（FAILED）的可以重新投递`);
    await deps.db.delivery.updateMany({ where: { id: req.params.id, status: 'FAILED' }, data: { status: 'PENDING', attempts: 0, nextAttemptAt: new Date(), claimedUntil: null } });
    await pokeRelay(deps.temporal);
    return toDelivery(await deliveryRow(req.params.id));
  });

  // §9 audit: every administrative change, newest first; the service has no way to edit or delete an entry
  const AuditSchema = z.object({
    id: z.number().int(), at: z.string(), actor: z.string(), action: z.string(), target: z.string(),
    before: z.unknown().nullable(), after: z.unknown().nullable(), note: z.string().nullable(),
  });
  app.get('/admin/audit', {
    onRequest: [app.authenticate],
    schema: {
      tags: ['admin'], summary: '审计 — administrative changes, newest first: who, when, what, before and after (ADMIN)', security: [{ bearerAuth: [] }],
      querystring: Paging.extend({
        actor: z.string().max(64).optional().describe('username of who did it'),
        action: z.string().regex(/^[A-Z_]{2,40}$/, '应为操作代码，如 PERSON_CREATED').optional(),
        target: z.string().max(120).optional().describe('what it was done to: person:<id>, policy:<n>, project:<id>, task:<id>'),
        from: isoDate().optional().describe('from this day (Asia/Shanghai), inclusive'), to: isoDate().optional().describe('to this day (Asia/Shanghai), inclusive'),
      }),
      response: { 200: listOf(AuditSchema), 400: ErrorSchema, 401: ErrorSchema, 403: ErrorSchema },
    },
  }, async (req) => {
    requireRole(req, 'ADMIN');
    const { page, pageSize, actor, action, target, from, to } = req.query;
    const where = {
      ...(actor ? { actor } : {}), ...(action ? { action } : {}), ...(target ? { target } : {}),
      ...(from || to ? { at: { ...(from ? { gte: new Date(`${from}T00:00:00+08:00`) } : {}), ...(to ? { lt: new Date(Date.parse(`${to}T00:00:00+08:00`) + 86_400_000) } : {}) } } : {}),
    };
    const [rows, total] = await Promise.all([
      deps.db.auditEntry.findMany({ where, orderBy: { id: 'desc' }, skip: (page - 1) * pageSize, take: pageSize }),
      deps.db.auditEntry.count({ where }),
    ]);
    return { items: rows.map((r) => ({ ...r, at: r.at.toISOString() })), total, page, pageSize };
  });
}
