// Walking projects through the pipeline (tests, the simulation, record-histories, benchmarks): which
// demo account acts for a candidate group, and what a completion that moves a task forward carries.
import type { Db } from '../db/client';
import type { Actor } from '../domain/organisation';
import { taskType } from '../domain/pipeline';
import { shanghaiDate } from '../domain/shanghai-time';
import { NAMED_UNITS } from '../domain/units';
import { actorOf, loadCaller } from '../api/plugins/auth';

/** The demo account (§7) that belongs to each candidate group the walks meet. */
export const DEMO_USER_FOR_GROUP: Record<string, string> = {
  'TF:INFO': 'info1', 'TF:ASSESS': 'assess1', 'TF:NEGOTIATE': 'negotiate1', 'TF:FACTOR': 'factor1',
  'ROLE:VICE_HEAD': 'vicehead', 'ROLE:COUNTY_HEAD': 'countyhead', 'ROLE:OPEN_ECONOMY_OFFICE': 'openeco', 'ROLE:GOV_OFFICE': 'govoffice',
  'ROLE:DEPUTY_SECRETARY': 'deputysec', 'ROLE:ORG_DEPT': 'orgdept',
  [`UNIT:${NAMED_UNITS.commerce}`]: 'commerce1', [`UNIT:${NAMED_UNITS.justice}`]: 'justice1',
  [`UNIT:${NAMED_UNITS.economicZone}`]: 'kfq1', [`UNIT:${NAMED_UNITS.nanzhou}`]: 'nanzhou1',
};

/** Someone who is NOT in the group (for 403 checks): a person of an unrelated unit. */
export const OUTSIDER = 'justice1';
export const outsiderFor = (group: string) => (DEMO_USER_FOR_GROUP[group] === OUTSIDER ? 'kfq1' : OUTSIDER);

export async function actorNamed(db: Db, username: string): Promise<Actor> {
  const caller = await loadCaller(db, `p-${username}`);
  if (!caller) throw new Error(`no demo account ${username}`);
  return actorOf(caller);
}

/**
 * A completion of a pipeline task that moves the project forward (the happy path of §3): the task
 * type's `forward` outcome with its example data, as domain/pipeline.ts defines them, dated `today`
 * (default: today in Asia/Shanghai), with the landing site and responsible unit that the caller names.
 */
export function forward(type: string, opts: { isCaseByCase?: boolean; landingSiteId?: string; responsibleUnitId?: string; today?: string } = {}): { outcome: string; data?: Record<string, unknown> } {
  const def = taskType(type);
  if (!def?.forward) throw new Error(`no forward completion for ${type}: not a pipeline task`);
  const example = def.outcomes[def.forward].example?.({ isCaseByCase: opts.isCaseByCase ?? false, today: opts.today ?? shanghaiDate(Date.now()) });
  if (!example) return { outcome: def.forward };
  const units = Object.entries({ landingSiteId: opts.landingSiteId, responsibleUnitId: opts.responsibleUnitId })
    .filter(([field, unitId]) => unitId !== undefined && field in example);
  return { outcome: def.forward, data: { ...example, ...Object.fromEntries(units) } };
}

/**
 * The next step of §3's happy path for a project whose open tasks are given: its pipeline task, the
 * demo account that completes it, and the completion body — the forward outcome with its example data,
 * `data` of that task type over it. Null when no pipeline task is open.
 */
export function nextForwardStep(openTasks: { id: string; type: string; candidateGroup: string }[], data: Record<string, Record<string, unknown>> = {}) {
  const task = openTasks.find((t) => taskType(t.type)?.stage);
  if (!task) return null;
  const c = forward(task.type);
  const merged = c.data || data[task.type] ? { ...c.data, ...data[task.type] } : undefined;
  return { task, by: DEMO_USER_FOR_GROUP[task.candidateGroup] as string | undefined, body: { outcome: c.outcome, ...(merged ? { data: merged } : {}) } };
}
