// §7: GET /units — the 69 units of the 附件 with their category.
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { UNIT_CATEGORIES } from '../../domain/units';
import type { AppDeps } from '../deps';
import { ErrorSchema, listOf, Paging, UnitSchema } from '../schemas';

export async function unitRoutes(root: FastifyInstance, deps: AppDeps) {
  const app = root.withTypeProvider<ZodTypeProvider>();
  app.get('/units', {
    onRequest: [app.authenticate],
    schema: {
      tags: ['organisation'], summary: '单位名单 (附件)', security: [{ bearerAuth: [] }],
      querystring: Paging.extend({ category: z.enum(UNIT_CATEGORIES).optional(), pageSize: z.coerce.number().int().min(1).max(200).default(100) }),
      response: { 200: listOf(UnitSchema), 400: ErrorSchema, 401: ErrorSchema },
    },
  }, async (req) => {
    const { page, pageSize, category } = req.query;
    const where = category ? { category } : {};
    const [items, total] = await Promise.all([
      deps.db.unit.findMany({ where, orderBy: { sortOrder: 'asc' }, skip: (page - 1) * pageSize, take: pageSize }),
      deps.db.unit.count({ where }),
    ]);
    return { items: items.map(({ id, name, category, subcategory }) => ({ id, name, category, subcategory })), total, page, pageSize };
  });
}
