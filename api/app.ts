// The fastify app: one plugin per concern, routes by resource under /api/v1, OpenAPI at /docs from
// the same zod schemas that validate requests.
import fastifyCors from '@fastify/cors';
import fastifyHelmet from '@fastify/helmet';
import fastifySwagger from '@fastify/swagger';
import fastifySwaggerUi from '@fastify/swagger-ui';
import Fastify, { type FastifyInstance } from 'fastify';
import { jsonSchemaTransform, serializerCompiler, validatorCompiler } from 'fastify-type-provider-zod';
import type { AppDeps } from './deps';
import { DEFAULT_REQUEST_DEADLINE_MS } from '../runtime/config';
import { badUrl, registerErrorHandler } from './errors';
import { registerWeb, spaFallback } from './plugins/web';
import '../domain/zod-locale'; // validation messages in Chinese (domain/text.ts loads it too; here it is plain that the API has it)

/** The largest request body the service takes: the longest completion or registration is a few kB. */
const BODY_LIMIT = 256 * 1024;
import { registerAuth } from './plugins/auth';
import { authRoutes } from './routes/auth';
import { healthRoutes } from './routes/health';
import { projectRoutes } from './routes/projects';
import { taskRoutes } from './routes/tasks';
import { tripRoutes } from './routes/trips';
import { reportRoutes } from './routes/reports';
import { indicatorRoutes } from './routes/indicators';
import { unitRoutes } from './routes/units';
import { catalogRoutes } from './routes/catalog';
import { dashboardRoutes } from './routes/dashboard';
import { adminRoutes } from './routes/admin';
import { peopleRoutes } from './routes/people';
import { policyRoutes } from './routes/policy';
import { notificationRoutes } from './routes/notifications';
import { siteRoutes } from './routes/sites';
import { pitchRoutes } from './routes/pitches';
import { partnerRoutes } from './routes/partners';
import { personRecordRoutes } from './routes/person-record';

export async function buildApp(deps: AppDeps): Promise<FastifyInstance> {
  const app = Fastify({ logger: deps.logger ?? false, bodyLimit: BODY_LIMIT, frameworkErrors: badUrl });
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  registerErrorHandler(app, spaFallback(deps.webRoot ?? null));
  // HTTP hygiene: security headers on every answer; cross-origin calls only from the origins the
  // deployment names (CORS_ORIGINS), none by default; API answers carry tokens and personal data, so
  // nothing may keep a copy of them
  // (the CSP is helmet's, less upgrade-insecure-requests: a county intranet may serve the workbench over
  // plain http, where that directive would send every script and style to an https port nobody listens on)
  await app.register(fastifyHelmet, { contentSecurityPolicy: { directives: { upgradeInsecureRequests: null } } });
  if (deps.corsOrigins?.length) await app.register(fastifyCors, { origin: deps.corsOrigins, credentials: false });
  // every request has a deadline on Temporal: a completion, registration or amendment that cannot
  // finish within it answers 503 "safe to repeat" (api/errors.ts) instead of holding the connection
  const deadlineMs = deps.requestDeadlineMs ?? DEFAULT_REQUEST_DEADLINE_MS;
  app.addHook('onRoute', (route) => {
    const handler = route.handler;
    route.handler = function withDeadline(this: FastifyInstance, req, reply) {
      return deps.temporal.withDeadline(Date.now() + deadlineMs, async () => handler.call(this, req, reply));
    };
  });

  await app.register(fastifySwagger, {
    openapi: {
      info: { title: '南县招商引资 API', version: '1.0.0', description: '南政发〔2022〕6号 — the county investment pipeline (DOMAIN.md §7)' },
      components: { securitySchemes: { bearerAuth: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' } } },
    },
    transform: jsonSchemaTransform,
  });
  await app.register(fastifySwaggerUi, { routePrefix: '/docs', staticCSP: true });
  await registerAuth(app, { db: deps.db, secret: deps.jwtSecret, ttlSeconds: deps.jwtTtlSeconds });

  await app.register(async (r) => healthRoutes(r, deps));
  await app.register(async (api) => {
    api.addHook('onSend', async (_req, reply) => {
      reply.header('cache-control', 'no-store');
    });
    await authRoutes(api, deps);
    await unitRoutes(api, deps);
    await catalogRoutes(api, deps);
    await projectRoutes(api, deps);
    await taskRoutes(api, deps);
    await tripRoutes(api, deps);
    await reportRoutes(api, deps);
    await indicatorRoutes(api, deps);
    await dashboardRoutes(api, deps);
    await notificationRoutes(api, deps);
    await adminRoutes(api, deps);
    await peopleRoutes(api, deps);
    await policyRoutes(api, deps);
    // §11 registries: 招商地图, 策划包装库 (五), 招商顾问和商协会 (七), 人员信息库 (五, 十二)
    await siteRoutes(api, deps);
    await pitchRoutes(api, deps);
    await partnerRoutes(api, deps);
    await personRecordRoutes(api, deps);
  }, { prefix: '/api/v1' });
  // §10: the workbench at /, when it has been built (npm run build:web; npm start builds it)
  if (deps.webRoot) await registerWeb(app, deps.webRoot);
  return app;
}
