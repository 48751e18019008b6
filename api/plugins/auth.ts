// Authentication: POST /auth/login issues a JWT; `app.authenticate` checks it and loads the caller's
// unit, position, task forces, roles and candidate groups (§1) from the database on every request,
// so a change of membership takes effect at once, and a token issued before a change of password or
// a deactivation stops working at once (its version is older than the person's).
import fastifyJwt from '@fastify/jwt';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { COUNTY_ROLE_NAMES, groupsOf, type Actor, type CountyRole, type Position, type TaskForceCode } from '../../domain/organisation';
import type { Db } from '../../db/client';
import { all, bool, get, readSql } from '../../db/sql';
import { ApiError } from '../errors';

export interface Caller extends Actor {
  personId: string;
  /** the person's token version (§9): a token carrying another is refused */
  tokenVersion: number;
  /** §9: logged in with a one-time password — nothing but changing it is allowed */
  mustChangePassword: boolean;
  unitId: string | null;
  position: Position | null;
  roles: CountyRole[];
  taskForces: TaskForceCode[];
}

declare module '@fastify/jwt' {
  interface FastifyJWT {
    payload: { sub: string; username: string; ver: number };
    user: { sub: string; username: string; ver: number };
  }
}
declare module 'fastify' {
  interface FastifyRequest {
    caller: Caller;
  }
  interface FastifyInstance {
    authenticate: (req: FastifyRequest) => Promise<void>;
  }
}

export async function loadCaller(db: Db, personId: string): Promise<Caller | null> {
  // on every request: hand-written SQL (db/sql.ts), three prepared statements on SQLite (issue 15)
  const found = await readSql(db, function* () {
    const person = yield* get<{
      id: string; username: string; displayName: string; unitId: string | null; position: string | null; tokenVersion: number; active: unknown; mustChangePassword: unknown;
    }>('SELECT "id", "username", "displayName", "unitId", "position", "tokenVersion", "active", "mustChangePassword" FROM "Person" WHERE "id" = ?', personId);
    if (!person || !bool(person.active)) return null;
    const roles = yield* all<{ role: string }>('SELECT "role" FROM "PersonRole" WHERE "personId" = ?', personId);
    const memberships = yield* all<{ code: string }>('SELECT "taskForceCode" AS "code" FROM "TaskForceMembership" WHERE "personId" = ?', personId);
    return { person, roles, memberships };
  });
  if (!found) return null;
  const p = { ...found.person, tokenVersion: Number(found.person.tokenVersion), mustChangePassword: bool(found.person.mustChangePassword) };
  const roles = found.roles.map((r) => r.role as CountyRole);
  const taskForces = found.memberships.map((m) => m.code as TaskForceCode);
  const position = (p.position as Position | null) ?? null;
  return {
    personId: p.id, tokenVersion: p.tokenVersion, mustChangePassword: p.mustChangePassword, username: p.username, displayName: p.displayName, unitId: p.unitId, position, roles, taskForces,
    groups: groupsOf({ unitId: p.unitId, position, roles, taskForces }),
  };
}

export async function registerAuth(app: FastifyInstance, opts: { db: Db; secret: string; ttlSeconds: number }) {
  // one algorithm, HS256, both ways: a token signed otherwise (or unsigned) is refused; its expiry is enforced
  await app.register(fastifyJwt, {
    secret: opts.secret,
    sign: { algorithm: 'HS256', expiresIn: opts.ttlSeconds },
    verify: { algorithms: ['HS256'] },
  });
  app.decorateRequest('caller', null as unknown as Caller);
  app.decorate('authenticate', async (req: FastifyRequest) => {
    try {
      await req.jwtVerify();
    } catch {
      throw new ApiError('UNAUTHORIZED', '请先登录：需要有效的登录令牌（Bearer token，由 POST /api/v1/auth/login 取得）');
    }
    const caller = await loadCaller(opts.db, req.user.sub);
    if (!caller) throw new ApiError('UNAUTHORIZED', '该账号已不存在或已停用');
    if (req.user.ver !== caller.tokenVersion) throw new ApiError('UNAUTHORIZED', '此登录令牌已失效（此后密码已修改或重置，或账号曾被停用）：请重新登录');
    // §9: with a one-time password, only who one is and changing it are allowed
    const path = req.routeOptions.url ?? '';
    if (caller.mustChangePassword && !path.endsWith('/me/password') && !(req.method === 'GET' && path.endsWith('/me'))) {
      throw new ApiError('PASSWORD_CHANGE_REQUIRED', '当前使用的是一次性密码：请先修改密码（POST /api/v1/me/password）');
    }
    req.caller = caller;
  });
}

/** The caller as the workflow sees them: username, candidate groups, and whether they are ADMIN. */
export const actorOf = (c: Caller): Actor => ({ username: c.username, displayName: c.displayName, groups: c.groups, admin: c.roles.includes('ADMIN') });

export function requireRole(req: FastifyRequest, role: CountyRole) {
  if (!req.caller.roles.includes(role)) throw new ApiError('FORBIDDEN', `只有${COUNTY_ROLE_NAMES[role]}（${role}）可以执行此操作`);
}
