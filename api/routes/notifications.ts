// §8 in-app notices: each person reads their own copy (NotificationReceipt) of the notices the ladder,
// the trip quotas and the county calendar write; another person's notice is 404.
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppDeps } from '../deps';
import { ApiError } from '../errors';
import { ErrorSchema, listOf, Paging } from '../schemas';

export const NoticeSchema = z.object({
  id: z.string(),
  kind: z.string().describe('REMINDER, OVERDUE, ESCALATION, QUOTA_REMINDER, …; UNROUTED when it reached you because nobody it was meant for was there'),
  aboutKind: z.string().describe('the kind of the notice itself (differs from kind only for UNROUTED)'),
  level: z.number().int(), title: z.string(), body: z.string(),
  reason: z.string().describe('why it reached you: 候选组, 分管负责人, 组长, 本人, …'),
  projectId: z.string().nullable(), taskId: z.string().nullable(),
  links: z.object({ project: z.string().nullable(), tasks: z.string().nullable() }).describe('where to act: the project, and its open tasks in your inbox'),
  createdAt: z.string(), readAt: z.string().nullable(),
});

type ReceiptRow = {
  id: number; reason: string; unrouted: boolean; createdAt: Date; readAt: Date | null;
  notification: { kind: string; level: number; title: string; body: string; projectId: string | null; taskId: string | null };
};
const toNotice = (r: ReceiptRow): z.infer<typeof NoticeSchema> => ({
  id: String(r.id), kind: r.unrouted ? 'UNROUTED' : r.notification.kind, aboutKind: r.notification.kind, level: r.notification.level,
  title: r.notification.title, body: r.notification.body, reason: r.reason, projectId: r.notification.projectId, taskId: r.notification.taskId,
  links: {
    project: r.notification.projectId ? `/api/v1/projects/${r.notification.projectId}` : null,
    tasks: r.notification.projectId ? `/api/v1/tasks?projectId=${r.notification.projectId}` : null,
  },
  createdAt: r.createdAt.toISOString(), readAt: r.readAt?.toISOString() ?? null,
});

export async function notificationRoutes(root: FastifyInstance, deps: AppDeps) {
  const app = root.withTypeProvider<ZodTypeProvider>();
  const auth = { onRequest: [app.authenticate] };
  const include = { notification: true } as const;
  /** the caller's own receipt, or 404 (also for another person's: it does not tell that it exists) */
  const own = async (personId: string, id: string) => {
    const receipt = /^\d{1,15}$/.test(id) ? await deps.db.notificationReceipt.findFirst({ where: { id: Number(id), personId }, include }) : null;
    if (!receipt) throw new ApiError('NOT_FOUND', `通知 ${id} 不存在`);
    return receipt;
  };

  app.get('/notifications', {
    ...auth,
    schema: {
      tags: ['notifications'], summary: '我的消息 — one\'s own notices, newest first (§8)', security: [{ bearerAuth: [] }],
      querystring: Paging.extend({ unread: z.enum(['true', 'false']).optional().transform((v) => (v === undefined ? undefined : v === 'true')) }),
      response: { 200: listOf(NoticeSchema).extend({ unread: z.number().int() }), 401: ErrorSchema },
    },
  }, async (req) => {
    const { page, pageSize, unread } = req.query;
    const mine = { personId: req.caller.personId };
    const where = { ...mine, ...(unread === undefined ? {} : { readAt: unread ? null : { not: null } }) };
    const [rows, total, unreadCount] = await Promise.all([
      deps.db.notificationReceipt.findMany({ where, include, orderBy: [{ createdAt: 'desc' }, { id: 'desc' }], skip: (page - 1) * pageSize, take: pageSize }),
      deps.db.notificationReceipt.count({ where }),
      deps.db.notificationReceipt.count({ where: { ...mine, readAt: null } }),
    ]);
    return { items: rows.map(toNotice), total, page, pageSize, unread: unreadCount };
  });

  app.post('/notifications/:id/read', {
    ...auth,
    schema: {
      tags: ['notifications'], summary: '标记已读 — idempotent; another person\'s notice is 404', security: [{ bearerAuth: [] }],
      params: z.object({ id: z.string().max(64) }),
      response: { 200: NoticeSchema, 401: ErrorSchema, 404: ErrorSchema },
    },
  }, async (req) => {
    const receipt = await own(req.caller.personId, req.params.id);
    if (receipt.readAt) return toNotice(receipt);
    // read once: the first reading's time stays (a reading at the same moment wins, and is answered)
    const at = new Date();
    const marked = await deps.db.notificationReceipt.updateMany({ where: { id: receipt.id, readAt: null }, data: { readAt: at } });
    return toNotice(marked.count ? { ...receipt, readAt: at } : await own(req.caller.personId, req.params.id));
  });

  app.post('/notifications/read-all', {
    ...auth,
    schema: {
      tags: ['notifications'], summary: '全部已读', security: [{ bearerAuth: [] }],
      response: { 200: z.object({ marked: z.number().int() }), 401: ErrorSchema },
    },
  }, async (req) => {
    const r = await deps.db.notificationReceipt.updateMany({ where: { personId: req.caller.personId, readAt: null }, data: { readAt: new Date() } });
    return { marked: r.count };
  });
}
