// §4 "Recipients are never nobody": who a ladder step notifies. A notice follows one or more lines at
// once (a task force's: its lead unit's leaders, and its 组长); along each line the first rung with
// anybody active answers — the named person, else the next one up (DEPUTY → PRINCIPAL of the unit →
// 分管副县长 → 县长). Where no line reaches anybody, ADMIN receives the notice, marked UNROUTED (§8).
// Resolved against the organisation tables by activities/recipients.ts.
import type { LadderStep } from './events';
import { DAY_MS } from './policy';
import { SHANGHAI_OFFSET_MS } from './shanghai-time';
import { parseGroup, TASK_FORCE_DEFS, type CountyRole, type GroupKey, type TaskForceCode } from './organisation';

export type Rung =
  | { kind: 'GROUP'; key: GroupKey; reason: string } // the candidate group's members
  | { kind: 'UNIT_POSITION'; unitId: string; position: 'DEPUTY' | 'PRINCIPAL'; reason: string }
  | { kind: 'TASK_FORCE_LEADER'; code: TaskForceCode; reason: string } // the 组长
  | { kind: 'ROLE'; role: CountyRole; reason: string };

/** A line of recipients: its rungs in order, the first with anybody active answers. */
export type Line = Rung[];

const role = (r: CountyRole, reason: string): Rung => ({ kind: 'ROLE', role: r, reason });
// 八: above a unit's leaders stand the 分管副县长, then the 县长
const ABOVE_UNITS: Rung[] = [role('VICE_HEAD', '分管副县长'), role('COUNTY_HEAD', '县长')];

/** The unit's DEPUTY (from DEPUTY), its PRINCIPAL, then the county above it. */
function unitLine(unitId: string, from: 'DEPUTY' | 'PRINCIPAL'): Line {
  return [
    ...(from === 'DEPUTY' ? [{ kind: 'UNIT_POSITION', unitId, position: 'DEPUTY', reason: '分管负责人' } as const] : []),
    { kind: 'UNIT_POSITION', unitId, position: 'PRINCIPAL', reason: '主要负责人' },
    ...ABOVE_UNITS,
  ];
}

/** A county role has no unit above it: its own holders answer, then the county above them. */
function roleLine(r: CountyRole): Line {
  const above = r === 'COUNTY_HEAD' ? [] : r === 'VICE_HEAD' ? [role('COUNTY_HEAD', '县长')] : ABOVE_UNITS;
  return [role(r, '责任人'), ...above];
}

/** §4: the lines a ladder step of a task offered to `candidateGroup` follows. */
export function recipientLines(step: LadderStep, candidateGroup: GroupKey): Line[] {
  const g = parseGroup(candidateGroup);
  const from = step === 'LEVEL_2' ? 'PRINCIPAL' : 'DEPUTY';
  // D (OVERDUE): the DEPUTY of the group's unit; D + 7 (LEVEL_2): its PRINCIPAL
  const answerable = (): Line[] => {
    if (g.kind === 'UNIT') return [unitLine(g.unitId, from)];
    if (g.kind === 'ROLE') return [roleLine(g.role)];
    // 九, §4: a task force answers through the leaders of its lead unit, and its 组长 with them
    return [unitLine(TASK_FORCE_DEFS[g.code].leadUnitId, from), [{ kind: 'TASK_FORCE_LEADER', code: g.code, reason: `${TASK_FORCE_DEFS[g.code].name}组长` }]];
  };
  switch (step) {
    // D − 2: the candidate group (a task force's 组长 is one of its members); where it has nobody, who answers for it
    case 'REMINDER': return [[{ kind: 'GROUP', key: candidateGroup, reason: '候选组' }, ...answerable()[0]]];
    case 'OVERDUE':
    case 'LEVEL_2': return answerable();
    case 'LEVEL_3': return [ABOVE_UNITS]; // D + 15: 分管副县长
    case 'LEVEL_4': return [[role('COUNTY_HEAD', '县长')]]; // D + 30: 县长
  }
}

/**
 * §8 quiet hours (policy, default 20:00–08:00 Asia/Shanghai): a notice below level 3 due to go out in
 * them waits for the morning; level ≥ 3 escalations go at once. The instant a delivery may go.
 */
export function afterQuietHours(atMs: number, level: number, quiet: { from: string; to: string } | null): number {
  if (!quiet || level >= 3) return atMs;
  const minutes = (hhmm: string) => Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5));
  const local = new Date(atMs + SHANGHAI_OFFSET_MS);
  const now = local.getUTCHours() * 60 + local.getUTCMinutes();
  const [from, to] = [minutes(quiet.from), minutes(quiet.to)];
  const inQuiet = from > to ? now >= from || now < to : now >= from && now < to;
  if (!inQuiet) return atMs;
  // the next `to` in Shanghai time
  const dayStart = Date.UTC(local.getUTCFullYear(), local.getUTCMonth(), local.getUTCDate()) - SHANGHAI_OFFSET_MS;
  const todayTo = dayStart + to * 60_000;
  return todayTo > atMs ? todayTo : todayTo + DAY_MS;
}

/** §8 the notices the ladder makes (§4): a person's of these may be batched into one message. */
const LADDER_KINDS = new Set(['REMINDER', 'OVERDUE', 'ESCALATION']);

/**
 * §8 batching (policy.delivery.batchSeconds): ladder notices below level 3 wait up to that many seconds
 * for the others of their person and channel, and go as one message; level ≥ 3 escalations, and every
 * other notice, go alone and at once. Null when the notice goes alone.
 */
export function batchWindowMs(notice: { kind: string; level: number }, batchSeconds: number | null): number | null {
  if (!batchSeconds || notice.level >= 3 || !LADDER_KINDS.has(notice.kind)) return null;
  return batchSeconds * 1000;
}

/** §8 the message of a batch: how many, then each notice's title and text, in the order they were made. */
export function digestOf(items: { title: string; body: string }[]): { title: string; body: string } {
  if (items.length === 1) return items[0];
  return {
    title: `南县招商引资：${items.length} 条待办提醒与督办`,
    body: items.map((it, i) => `${i + 1}. ${it.title}\n${it.body}`).join('\n\n'),
  };
}
