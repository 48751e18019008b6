// 三: outbound investment-promotion trips (外出招商) and the quarterly quota of each LANDING_SITE unit:
// its PRINCIPAL at least 1 trip a quarter, its DEPUTY at least 3 (policy.tripQuota).
import { z } from 'zod';
import { quarterKeyOfDate } from './shanghai-time';
import { atLeastOne, isoDate, text, TEXT_LENGTH } from './text';
import type { Position } from './organisation';
import type { Policy } from './policy';

export const TripInput = z.strictObject({
  personId: z.string().optional().describe('who travelled; defaults to the caller (their unit\'s PRINCIPAL or DEPUTY may record for them)'),
  startDate: isoDate(),
  endDate: isoDate(),
  destination: text(TEXT_LENGTH.name, 2).describe('目的地'),
  purpose: text(TEXT_LENGTH.note, 2).describe('事由'),
  leadsFound: z.number().int().min(0).max(1000).describe('获取项目线索数'),
}).refine((t) => t.startDate <= t.endDate, { message: '不得早于开始日期（startDate）', path: ['endDate'] });
export type TripInput = z.infer<typeof TripInput>;

const TripFields = z.strictObject({
  startDate: TripInput.shape.startDate.optional(),
  endDate: TripInput.shape.endDate.optional(),
  destination: TripInput.shape.destination.optional(),
  purpose: TripInput.shape.purpose.optional(),
  leadsFound: TripInput.shape.leadsFound.optional(),
});
/** 三: a correction of a trip on record — the fields that change, and why (on the trip's record). */
export const TripCorrection = z.strictObject({
  fields: atLeastOne(TripFields, '至少给出一个要更正的字段'),
  reason: text(TEXT_LENGTH.note, 2).describe('更正原因'),
});
export const TripWithdrawal = z.strictObject({ reason: text(TEXT_LENGTH.note, 2).describe('撤回原因') });

/** A trip counts in the quarter it starts in. */
export const tripQuarter = (startDate: string) => quarterKeyOfDate(startDate);

export interface QuotaPerson { personId: string; username: string; displayName: string; unitId: string; unitName: string; position: Position }
export interface QuotaRow extends QuotaPerson { quarter: string; required: number; made: number; shortfall: number }

/** 三: the quota table of a quarter for the LANDING_SITE units' PRINCIPALs and DEPUTYs. */
export function quotaTable(quarter: string, people: QuotaPerson[], tripsByPerson: Map<string, number>, policy: Policy): QuotaRow[] {
  return people
    .filter((p) => p.position === 'PRINCIPAL' || p.position === 'DEPUTY')
    .map((p) => {
      const required = policy.tripQuota[p.position as 'PRINCIPAL' | 'DEPUTY'];
      const made = tripsByPerson.get(p.personId) ?? 0;
      return { ...p, quarter, required, made, shortfall: Math.max(0, required - made) };
    });
}
