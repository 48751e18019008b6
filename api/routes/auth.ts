// §7: POST /auth/login → {token, expiresAt}; GET /me → the caller's unit, position, task forces, roles.
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { COUNTY_ROLE_NAMES, POSITION_NAMES, TASK_FORCE_DEFS } from '../../domain/organisation';
import { unitById } from '../../domain/units';
import type { AppDeps } from '../deps';
import { verifyPassword } from '../auth/password';
import { ApiError } from '../errors';
import { ErrorSchema, UnitSchema } from '../schemas';

export async function authRoutes(root: FastifyInstance, deps: AppDeps) {
  const app = root.withTypeProvider<ZodTypeProvider>();

  app.post('/auth/login', {
    schema: {
      tags: ['auth'], summary: '登录 — obtain a bearer token',
      body: z.object({ username: z.string().min(1).max(64), password: z.string().min(1).max(256) }),
      response: { 200: z.object({ token: z.string(), expiresAt: z.string() }), 400: ErrorSchema, 401: ErrorSchema },
    },
  }, async (req) => {
    const person = await deps.db.person.findUnique({ where: { username: req.body.username } });
    if (!person || !person.active || !(await verifyPassword(req.body.password, person.passwordHash))) {
      throw new ApiError('UNAUTHORIZED', 'wrong username or password');
    }
    const token = app.jwt.sign({ sub: person.id, username: person.username });
    const { exp } = app.jwt.decode<{ exp: number }>(token)!;
    return { token, expiresAt: new Date(exp * 1000).toISOString() };
  });

  app.get('/me', {
    onRequest: [app.authenticate],
    schema: {
      tags: ['auth'], summary: '当前用户', security: [{ bearerAuth: [] }],
      response: {
        200: z.object({
          id: z.string(), username: z.string(), displayName: z.string(),
          unit: UnitSchema.nullable(), position: z.string().nullable(), positionName: z.string().nullable(),
          taskForces: z.array(z.object({ code: z.string(), name: z.string() })),
          roles: z.array(z.object({ code: z.string(), name: z.string() })),
          groups: z.array(z.string()),
        }),
        401: ErrorSchema,
      },
    },
  }, async (req) => {
    const c = req.caller;
    const unit = c.unitId ? unitById(c.unitId) : undefined;
    return {
      id: c.personId, username: c.username, displayName: c.displayName,
      unit: unit ? { id: unit.id, name: unit.name, category: unit.category, subcategory: unit.subcategory } : null,
      position: c.position, positionName: c.position ? POSITION_NAMES[c.position] : null,
      taskForces: c.taskForces.map((code) => ({ code, name: TASK_FORCE_DEFS[code].name })),
      roles: c.roles.map((code) => ({ code, name: COUNTY_ROLE_NAMES[code] })),
      groups: c.groups,
    };
  });
}
