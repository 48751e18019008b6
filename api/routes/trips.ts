// §7 trips (clause 三): record an outbound investment-promotion trip; list trips with the quarter's
// quota status of each LANDING_SITE unit's PRINCIPAL and DEPUTY.
import { randomUUID } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { periodsOf, shanghaiDate } from '../../domain/shanghai-time';
import { quarterQuota, quarterTrips } from '../../db/trips';
import { tripQuarter, TripInput } from '../../domain/trips';
import { unitById } from '../../domain/units';
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
    if (!person) throw new ApiError('NOT_FOUND', `no person ${personId}`, [{ field: 'body.personId', message: 'no such person' }]);
    // a person records their own trips; their unit's PRINCIPAL or DEPUTY may record for them
    const leaderOfUnit = !!c.unitId && c.unitId === person.unitId && (c.position === 'PRINCIPAL' || c.position === 'DEPUTY');
    if (personId !== c.personId && !leaderOfUnit) {
      throw new ApiError('FORBIDDEN', 'only the person, or the PRINCIPAL or DEPUTY of their unit, may record their trips');
    }
    const today = shanghaiDate(Date.now());
    if (req.body.startDate > today) {
      throw new ApiError('VALIDATION', 'body.startDate: a trip is recorded once it has begun', [{ field: 'body.startDate', message: 'must not be in the future' }]);
    }
    // 三: one person makes one trip at a time — a trip that overlaps another of theirs is the same trip recorded twice, or a mistake
    const overlapping = await deps.db.trip.findFirst({
      where: { personId, startDate: { lte: req.body.endDate }, endDate: { gte: req.body.startDate } }, orderBy: { startDate: 'asc' },
    });
    if (overlapping) {
      throw new ApiError('CONFLICT', `${person.displayName} already has a trip from ${overlapping.startDate} to ${overlapping.endDate} (${overlapping.destination}, ${overlapping.id}) in these days`, [
        { field: 'body.startDate', message: `overlaps trip ${overlapping.id}` },
      ]);
    }
    const trip = await deps.db.trip.create({
      data: {
        id: randomUUID(), personId, startDate: req.body.startDate, endDate: req.body.endDate, destination: req.body.destination,
        purpose: req.body.purpose, leadsFound: req.body.leadsFound, recordedBy: c.username,
      },
    });
    const unit = person.unitId ? unitById(person.unitId) : undefined;
    return reply.code(201).send({
      ...trip, username: person.username, displayName: person.displayName, unitId: person.unitId, unitName: unit?.name ?? null,
      quarter: tripQuarter(trip.startDate),
    });
  });

  app.get('/trips', {
    onRequest: [app.authenticate],
    schema: {
      tags: ['trips'], summary: '外出招商记录与季度任务完成情况 (三)', security: [{ bearerAuth: [] }],
      querystring: z.object({
        quarter: z.string().regex(/^\d{4}-Q[1-4]$/, 'must be YYYY-Qn').optional().describe('defaults to the current quarter (Asia/Shanghai)'),
        unitId: Id.optional(),
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
      items: trips.map(({ person, createdAt: _c, ...t }) => ({
        ...t, username: person.username, displayName: person.displayName, unitId: person.unitId, unitName: person.unitId ? unitById(person.unitId)?.name ?? null : null,
        quarter: tripQuarter(t.startDate),
      })),
      total: trips.length,
      quota,
    };
  });
}
