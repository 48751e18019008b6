// §7: POST /auth/login → {token, expiresAt}; GET /me → the caller's unit, position, task forces, roles;
// POST /me/password (§9) changes one's own password and revokes the tokens issued before.
import { randomBytes } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { COUNTY_ROLE_NAMES, POSITION_NAMES, TASK_FORCE_DEFS } from '../../domain/organisation';
import { unitById } from '../../domain/units';
import type { AppDeps } from '../deps';
import { hashPassword, PASSWORD_MIN_LENGTH, passwordProblem, verifyPassword } from '../auth/password';
import { LoginThrottle } from '../auth/throttle';
import { ApiError } from '../errors';
import { ErrorSchema, UnitSchema } from '../schemas';
import { audit } from '../../db/audit';
import { mayReadDashboard } from './dashboard';

export async function authRoutes(root: FastifyInstance, deps: AppDeps) {
  const app = root.withTypeProvider<ZodTypeProvider>();
  const throttle = new LoginThrottle(deps.loginThrottle);
  // an unknown or inactive account costs the same work as a wrong password, so the time of the answer
  // does not tell which usernames exist
  const decoy = await hashPassword(randomBytes(16).toString('hex'));
  const issue = (person: { id: string; username: string; tokenVersion: number; mustChangePassword: boolean }) => {
    const token = app.jwt.sign({ sub: person.id, username: person.username, ver: person.tokenVersion });
    const { exp } = app.jwt.decode<{ exp: number }>(token)!;
    return { token, expiresAt: new Date(exp * 1000).toISOString(), mustChangePassword: person.mustChangePassword };
  };
  const Token = z.object({
    token: z.string(), expiresAt: z.string(),
    mustChangePassword: z.boolean().describe('§9: true after a login with a one-time password — every call but GET /me and POST /me/password answers 403 PASSWORD_CHANGE_REQUIRED until it is changed'),
  });

  app.post('/auth/login', {
    schema: {
      tags: ['auth'], summary: '登录 — obtain a bearer token',
      body: z.object({ username: z.string().min(1).max(64), password: z.string().min(1).max(256) }),
      response: { 200: Token, 400: ErrorSchema, 401: ErrorSchema, 429: ErrorSchema },
    },
  }, async (req) => {
    const { username, password } = req.body;
    const wait = throttle.retryAfterSeconds(username, req.ip);
    if (wait > 0) {
      throw new ApiError('TOO_MANY_REQUESTS', `密码错误次数过多：请 ${wait} 秒后再试`, undefined, wait);
    }
    const person = await deps.db.person.findUnique({ where: { username } });
    const right = await verifyPassword(password, person?.passwordHash ?? decoy);
    if (!person || !person.active || !right) {
      throttle.failed(username, req.ip);
      throw new ApiError('UNAUTHORIZED', '用户名或密码错误');
    }
    throttle.succeeded(username);
    return issue(person);
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
          mustChangePassword: z.boolean().describe('§9: logged in with a one-time password, which must be changed before anything else'),
          unreadNotifications: z.number().int().describe('§8: notices not yet read (GET /api/v1/notifications?unread=true)'),
          may: z.object({
            readDashboard: z.boolean().describe('§10: may read the 驾驶舱 (GET /api/v1/dashboard)'),
          }).describe('what the workbench offers this person beyond their tasks: the same rules the routes enforce'),
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
      mustChangePassword: c.mustChangePassword,
      unreadNotifications: await deps.db.notificationReceipt.count({ where: { personId: c.personId, readAt: null } }),
      may: { readDashboard: mayReadDashboard(c) },
    };
  });

  app.post('/me/password', {
    onRequest: [app.authenticate],
    schema: {
      tags: ['auth'], summary: '修改密码 — one\'s own; every token issued before stops working, and a new one is answered', security: [{ bearerAuth: [] }],
      description: `The new password has at least ${PASSWORD_MIN_LENGTH} characters, does not contain the username and differs from the old one. `
        + 'A wrong old password counts as a wrong password at login (the same lockout).',
      body: z.object({ oldPassword: z.string().min(1).max(256), newPassword: z.string().min(1).max(256) }),
      response: { 200: Token, 400: ErrorSchema, 401: ErrorSchema, 429: ErrorSchema },
    },
  }, async (req) => {
    const c = req.caller;
    // (a one-time password is changed here too: the authentication lets this call through)
    const wait = throttle.retryAfterSeconds(c.username, req.ip);
    if (wait > 0) throw new ApiError('TOO_MANY_REQUESTS', `密码错误次数过多：请 ${wait} 秒后再试`, undefined, wait);
    const person = await deps.db.person.findUniqueOrThrow({ where: { id: c.personId } });
    if (!(await verifyPassword(req.body.oldPassword, person.passwordHash))) {
      throttle.failed(c.username, req.ip);
      throw new ApiError('VALIDATION', 'body.oldPassword：原密码错误', [{ field: 'body.oldPassword', message: '原密码错误' }]);
    }
    const problem = passwordProblem(c.username, req.body.newPassword, req.body.oldPassword);
    if (problem) throw new ApiError('VALIDATION', `body.newPassword：${problem}`, [{ field: 'body.newPassword', message: problem }]);
    // the version rises with the hash, in one write: a token issued before is refused from now on
    const passwordHash = await hashPassword(req.body.newPassword);
    const changed = await deps.db.$transaction(async (tx) => {
      const p = await tx.person.update({ where: { id: c.personId }, data: { passwordHash, tokenVersion: { increment: 1 }, mustChangePassword: false } });
      await audit(tx, { actor: c.username, action: 'PASSWORD_CHANGED', target: `person:${c.personId}`, note: person.mustChangePassword ? '已更换一次性密码' : null });
      return p;
    });
    return issue(changed);
  });
}
