// 三: one month before a quarter ends, each LANDING_SITE PRINCIPAL and DEPUTY short of the quarter's
// outbound-trip quota is reminded, once per person and quarter.
import type { Db } from '../db/client';
import { POSITION_NAMES } from '../domain/organisation';
import type { Policy } from '../domain/policy';
import { quarterQuota } from '../db/trips';
import { writeNotice } from './recipients';

/** 三: reminds each LANDING_SITE PRINCIPAL / DEPUTY short of the quarter's trip quota, once per quarter. */
export async function remindTripQuota(db: Db, run: { quarter: string; at: string }, policy: Policy): Promise<{ reminded: number }> {
  let reminded = 0;
  for (const row of await quarterQuota(db, run.quarter, policy)) {
    if (row.shortfall === 0) continue;
    const dedupeKey = `QUOTA:${run.quarter}:${row.personId}`;
    if (await db.notification.findUnique({ where: { dedupeKey } })) continue;
    await db.$transaction((tx) => writeNotice(tx, {
      dedupeKey, kind: 'QUOTA_REMINDER', level: 0, createdAt: new Date(run.at),
      title: `【外出招商提醒】${run.quarter} ${row.unitName} ${row.displayName}`,
      body: `${row.unitName}${POSITION_NAMES[row.position]}${row.displayName}：本季度已外出招商 ${row.made} 次，按要求不少于 ${row.required} 次，尚差 ${row.shortfall} 次；季度末未完成的将列入通报。`,
    }, [{ personId: row.personId, username: row.username, displayName: row.displayName, reason: '本人', unrouted: false }]));
    reminded++;
  }
  return { reminded };
}
