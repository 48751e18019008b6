// §7 trips (clause 三): record an outbound investment-promotion trip; list trips with the quarter's
// quota status of each LANDING_SITE unit's PRINCIPAL and DEPUTY.
import { randomUUID } from 'node:crypto';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { periodsOf, shanghaiDate } from '../../domain/shanghai-time';
import { quarterQuota, quarterTrips } from '../../db/trips';
import { tripQuarter, TripCorrection, TripInput, TripWithdrawal } from '../../domain/trips';
import { unitById } from '../../domain/units';
import { unitIdOf } from '../../domain/project';
import type { AppDeps } from '../deps';
import { ApiError } from '../errors';
import { ErrorSchema, Id } from '../schemas';

const TripShape = z.object({
  id: z.string(), personId: z.string(), username: z.string(), displayName: z.string(), unitId: z.string().nullable(), unitName: z.string().nullable(),
  startDate: z.string(), endDate: z.string(), destination: z.string(), purpose: z.string(), leadsFound: z.number().int(),
  quarter: z.string(), recordedBy: z.string(),
});
const QuotaShape = z.object({
  personId: z.string(), username: z.string(), displayName: z.string(), unitId: z.string(), unitName: z.string(), position: z.string(),
  quarter: z.string(), required: z.number().int(), made: z.number().int(), shortfall: z.number().int(),
});

export async function tripRoutes(root: FastifyInstance, deps: AppDeps) {
  const app = root.withTypeProvider<ZodTypeProvider>();
  const { policy } = deps;

  /** 三: a trip is recorded once it has begun, and one person makes one trip at a time. */
  async function checkDays(person: { id: string; displayName: string }, days: { startDate: string; endDate: string }, fieldPrefix: string, exceptTripId?: string) {
    if (days.startDate > shanghaiDate(Date.now())) {
      throw new ApiError('VALIDATION', `${fieldPrefix}.startDate：外出招商须在出发后登记，开始日期不得晚于今天`, [{ field: `${fieldPrefix}.startDate`, message: '不得晚于今天' }]);
    }
    if (days.endDate < days.startDate) {
      throw new ApiError('VALIDATION', `${fieldPrefix}.endDate：结束日期不得早于开始日期（startDate）`, [{ field: `${fieldPrefix}.endDate`, message: '不得早于开始日期（startDate）' }]);
    }
    // a trip that overlaps another of theirs is the same trip recorded twice, or a mistake
    const overlapping = await deps.db.trip.findFirst({
      where: { personId: person.id, withdrawnAt: null, startDate: { lte: days.endDate }, endDate: { gte: days.startDate }, ...(exceptTripId ? { id: { not: exceptTripId } } : {}) },
      orderBy: { startDate: 'asc' },
    });
    if (overlapping) {
      throw new ApiError('CONFLICT', `${person.displayName} 在这几天已有一次外出招商（${overlapping.startDate} 至 ${overlapping.endDate}，${overlapping.destination}，记录 ${overlapping.id}）`, [
        { field: `${fieldPrefix}.startDate`, message: `与外出招商记录 ${overlapping.id} 的日期重叠` },
      ]);
    }
  }

  const present = (trip: { id: string; personId: string; startDate: string; endDate: string; destination: string; purpose: string; leadsFound: number; recordedBy: string },
    person: { username: string; displayName: string; unitId: string | null }) => ({
    id: trip.id, personId: trip.personId, startDate: trip.startDate, endDate: trip.endDate, destination: trip.destination, purpose: trip.purpose,
    leadsFound: trip.leadsFound, recordedBy: trip.recordedBy,
    username: person.username, displayName: person.displayName, unitId: person.unitId, unitName: person.unitId ? unitById(person.unitId)?.name ?? null : null,
    quarter: tripQuarter(trip.startDate),
  });

  /**
   * 三: whoever recorded a trip, or ADMIN, may correct or withdraw it, while its quarter's 通报 is not
   * yet published; after that only ADMIN (the 通报 stands as published; the annual assessment counts the trip as corrected).
   */
  async function tripToChange(req: FastifyRequest, id: string, movedTo?: { startDate: string }) {
    const trip = await deps.db.trip.findUnique({ where: { id }, include: { person: true } });
    if (!trip) throw new ApiError('NOT_FOUND', `外出招商记录 ${id} 不存在`);
    const admin = req.caller.roles.includes('ADMIN');
    if (trip.recordedBy !== req.caller.username && !admin) throw new ApiError('FORBIDDEN', `外出招商记录 ${id} 只能由登记人 ${trip.recordedBy} 或系统管理员（ADMIN）修改`);
    if (trip.withdrawnAt) throw new ApiError('CONFLICT', `外出招商记录 ${id} 已于 ${trip.withdrawnAt.toISOString()} 撤回`);
    if (!admin) {
      const quarters = [trip.startDate, ...(movedTo ? [movedTo.startDate] : [])].map((d) => `QUARTERLY:${tripQuarter(d)}`);
      const published = await deps.db.report.findFirst({ where: { id: { in: quarters } }, select: { period: true } });
      if (published) throw new ApiError('CONFLICT', `${published.period} 的季度通报已发布：该季度的外出招商记录此后只能由系统管理员（ADMIN）修改`);
    }
    return trip;
  }
  const snapshot = (t: { startDate: string; endDate: string; destination: string; purpose: string; leadsFound: number }) =>
    ({ startDate: t.startDate, endDate: t.endDate, destination: t.destination, purpose: t.purpose, leadsFound: t.leadsFound });

  app.post('/trips', {
    onRequest: [app.authenticate],
    schema: {
      tags: ['trips'], summary: '登记外出招商 (三)', security: [{ bearerAuth: [] }],
      body: TripInput,
      response: { 201: TripShape, 400: ErrorSchema, 401: ErrorSchema, 403: ErrorSchema, 404: ErrorSchema, 409: ErrorSchema },
    },
  }, async (req, reply) => {
    const c = req.caller;
    const personId = req.body.personId ?? c.personId;
    const person = await deps.db.person.findUnique({ where: { id: personId } });
    if (!person) throw new ApiError('NOT_FOUND', `人员 ${personId} 不存在`, [{ field: 'body.personId', message: '没有这个人员' }]);
    // a person records their own trips; their unit's PRINCIPAL or DEPUTY may record for them
    const leaderOfUnit = !!c.unitId && c.unitId === person.unitId && (c.position === 'PRINCIPAL' || c.position === 'DEPUTY');
    if (personId !== c.personId && !leaderOfUnit) {
      throw new ApiError('FORBIDDEN', '外出招商只能由本人，或其所在单位的主要负责人、分管负责人登记');
    }
    await checkDays(person, req.body, 'body');
    const trip = await deps.db.trip.create({
      data: {
        id: randomUUID(), personId, startDate: req.body.startDate, endDate: req.body.endDate, destination: req.body.destination,
        purpose: req.body.purpose, leadsFound: req.body.leadsFound, recordedBy: c.username,
      },
    });
    return reply.code(201).send(present(trip, person));
  });

  app.get('/trips', {
    onRequest: [app.authenticate],
    schema: {
      tags: ['trips'], summary: '外出招商记录与季度任务完成情况 (三)', security: [{ bearerAuth: [] }],
      querystring: z.object({
        quarter: z.string().regex(/^\d{4}-Q[1-4]$/, '应为季度 YYYY-Qn（如 2026-Q1）').optional().describe('defaults to the current quarter (Asia/Shanghai)'),
        unitId: unitIdOf().optional(),
        personId: Id.optional(),
      }),
      response: { 200: z.object({ quarter: z.string(), items: z.array(TripShape), total: z.number().int(), quota: z.array(QuotaShape) }), 400: ErrorSchema, 401: ErrorSchema },
    },
  }, async (req) => {
    const quarter = req.query.quarter ?? periodsOf(Date.now()).quarter.key;
    const [trips, quota] = await Promise.all([
      quarterTrips(deps.db, quarter, { unitId: req.query.unitId, personId: req.query.personId }),
      quarterQuota(deps.db, quarter, policy, req.query.unitId),
    ]);
    return {
      quarter,
      items: trips.map((t) => present(t, t.person)),
      total: trips.length,
      quota,
    };
  });

  const TripChangeShape = z.object({ kind: z.enum(['CORRECTED', 'WITHDRAWN']), by: z.string(), at: z.string(), reason: z.string(), before: z.record(z.string(), z.unknown()), after: z.record(z.string(), z.unknown()).nullable() });
  const TripRecord = TripShape.extend({ withdrawnAt: z.string().nullable(), changes: z.array(TripChangeShape) });
  const recordOf = async (id: string) => {
    const t = await deps.db.trip.findUnique({ where: { id }, include: { person: true, changes: { orderBy: { id: 'asc' } } } });
    if (!t) throw new ApiError('NOT_FOUND', `外出招商记录 ${id} 不存在`);
    return {
      ...present(t, t.person), withdrawnAt: t.withdrawnAt?.toISOString() ?? null,
      changes: t.changes.map((c) => ({
        kind: c.kind as 'CORRECTED' | 'WITHDRAWN', by: c.by, at: c.at.toISOString(), reason: c.reason,
        before: c.before as Record<string, unknown>, after: (c.after ?? null) as Record<string, unknown> | null,
      })),
    };
  };

  app.get('/trips/:id', {
    onRequest: [app.authenticate],
    schema: {
      tags: ['trips'], summary: '外出招商记录 — with its corrections and withdrawal (三)', security: [{ bearerAuth: [] }],
      params: z.object({ id: Id }),
      response: { 200: TripRecord, 401: ErrorSchema, 404: ErrorSchema },
    },
  }, async (req) => recordOf(req.params.id));

  app.post('/trips/:id/correct', {
    onRequest: [app.authenticate],
    schema: {
      tags: ['trips'], summary: '更正外出招商记录 (三) — by whoever recorded it, or ADMIN; the old and new values stay on record',
      description: 'Refused (409) once the 通报 of the trip\'s quarter is published, except for ADMIN; dates as when recording (not in the future, no overlap with another trip of the person).',
      security: [{ bearerAuth: [] }],
      params: z.object({ id: Id }), body: TripCorrection,
      response: { 200: TripRecord, 400: ErrorSchema, 401: ErrorSchema, 403: ErrorSchema, 404: ErrorSchema, 409: ErrorSchema },
    },
  }, async (req) => {
    const { fields, reason } = req.body;
    const trip = await tripToChange(req, req.params.id, fields.startDate ? { startDate: fields.startDate } : undefined);
    const after = { ...snapshot(trip), ...Object.fromEntries(Object.entries(fields).filter(([, v]) => v !== undefined)) };
    await checkDays(trip.person, after, 'body.fields', trip.id);
    await deps.db.$transaction([
      deps.db.trip.update({ where: { id: trip.id }, data: after }),
      deps.db.tripChange.create({ data: { tripId: trip.id, kind: 'CORRECTED', by: req.caller.username, at: new Date(), reason, before: snapshot(trip), after } }),
    ]);
    return recordOf(trip.id);
  });

  app.post('/trips/:id/withdraw', {
    onRequest: [app.authenticate],
    schema: {
      tags: ['trips'], summary: '撤回外出招商记录 (三) — by whoever recorded it, or ADMIN; it then counts for nothing, and stays on record',
      security: [{ bearerAuth: [] }],
      params: z.object({ id: Id }), body: TripWithdrawal,
      response: { 200: TripRecord, 401: ErrorSchema, 403: ErrorSchema, 404: ErrorSchema, 409: ErrorSchema },
    },
  }, async (req) => {
    const trip = await tripToChange(req, req.params.id);
    const at = new Date();
    // only a trip not yet withdrawn is withdrawn (two at once: one wins, the other finds it withdrawn and writes nothing)
    await deps.db.$transaction(async (tx) => {
      const withdrawn = await tx.trip.updateMany({ where: { id: trip.id, withdrawnAt: null }, data: { withdrawnAt: at } });
      if (withdrawn.count === 0) throw new ApiError('CONFLICT', `外出招商记录 ${trip.id} 已撤回`);
      await tx.tripChange.create({ data: { tripId: trip.id, kind: 'WITHDRAWN', by: req.caller.username, at, reason: req.body.reason, before: snapshot(trip) } });
    });
    return recordOf(trip.id);
  });
}
