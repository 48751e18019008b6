// Liveness and readiness (§7): readiness really asks the database and Temporal.
import type { FastifyInstance } from 'fastify';
import type { AppDeps } from '../deps';

export async function healthRoutes(app: FastifyInstance, deps: AppDeps) {
  app.get('/healthz', { schema: { hide: true } }, async () => ({ status: 'ok' }));
  app.get('/readyz', { schema: { hide: true } }, async (_req, reply) => {
    const checks: Record<string, string> = {};
    await Promise.all([
      deps.db.$queryRawUnsafe('SELECT 1').then(() => (checks.database = 'ok'), (e: Error) => (checks.database = `error: ${e.message}`)),
      deps.temporal.workflowService.getSystemInfo({}).then(() => (checks.temporal = 'ok'), (e: Error) => (checks.temporal = `error: ${e.message}`)),
    ]);
    const ready = Object.values(checks).every((v) => v === 'ok');
    // §8 for operators: the deliveries of notices by status (FAILED ones wait for ADMIN)
    const byStatus = ready ? await deps.db.delivery.groupBy({ by: ['status'], _count: true }) : [];
    const deliveries = Object.fromEntries(['PENDING', 'SENT', 'FAILED'].map((s) => [s, byStatus.find((b) => b.status === s)?._count ?? 0]));
    return reply.code(ready ? 200 : 503).send({ status: ready ? 'ready' : 'not ready', checks, deliveries });
  });
}
