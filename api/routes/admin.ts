// What ADMIN watches that no workflow shows (issue "Hardening" 1): batches of a workflow's events
// that the projection refused for good (PROJECTION_REJECTED) — the workflow went on without them, so
// the project's page may lack what they carried; each row names the workflow and the events.
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppDeps } from '../deps';
import { requireRole } from '../plugins/auth';
import { ErrorSchema, listOf, Paging } from '../schemas';

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
}
