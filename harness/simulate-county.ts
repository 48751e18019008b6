// The county's leaders in the policy simulation (./simulation.ts): the 分管副县长 holds the 月研判,
// the 县长 the 季调度 and the 约谈, 县纪委监委 and the units' leaders act on the accountability tasks —
// each as diligently as the simulation says, through the same Updates the REST API uses.
import { WorkflowUpdateFailedError } from '@temporalio/client';
import { FLAG_NAMES } from '../domain/agenda';
import { shanghaiDate } from '../domain/shanghai-time';
import type { Decision, MeetingContext } from '../domain/meetings';
import { isTerminal, taskType, type Stage, type TaskTypeName } from '../domain/pipeline';
import { COUNTY_CALENDAR_ID } from '../workflows/messages/county-calendar';
import type { WorkflowEnv } from './workflow-env';

/** Who acts on a county task's candidate group, and how often a month they get to it. */
const ACTORS: Record<string, { user: string; diligence: number }> = {
  'ROLE:VICE_HEAD': { user: 'vicehead', diligence: 0.9 },
  'ROLE:COUNTY_HEAD': { user: 'countyhead', diligence: 0.8 },
  'ROLE:DISCIPLINE': { user: 'discipline', diligence: 0.9 },
  'ROLE:ORG_DEPT': { user: 'orgdept', diligence: 0.9 }, // 十 奖励: 评先评优 review
  'UNIT:L01:LEADERS': { user: 'kfq_principal', diligence: 0.8 },
  'UNIT:L03:LEADERS': { user: 'nanzhou_principal', diligence: 0.4 },
};

export interface CountyActs { monthly: Record<string, number>; dispatch: Record<string, number>; accountability: number; recognition: number }

/**
 * Acts on the open tasks of the county calendar: the meetings decide on their agenda (stalled and
 * escalated projects coordinated, the long-escalated put to the 县长, the hopeless terminated), the
 * accountability steps are carried out.
 */
export async function actOnCountyTasks(w: WorkflowEnv, random: () => number): Promise<CountyActs> {
  const acts: CountyActs = { monthly: {}, dispatch: {}, accountability: 0, recognition: 0 };
  const tasks = await w.store.db.task.findMany({ where: { workflowId: COUNTY_CALENDAR_ID, status: { in: ['OPEN', 'CLAIMED'] } }, orderBy: { id: 'asc' } });
  const today = shanghaiDate(await w.env.currentTimeMs());
  for (const t of tasks) {
    const actor = ACTORS[t.candidateGroup];
    if (!actor || random() > actor.diligence) continue;
    const type = taskType(t.type)?.type; // the row's type as the task table names it, so every comparison below is checked
    if (!type) throw new Error(`task ${t.id} has an unknown type ${t.type}`);
    let data: Record<string, unknown>;
    if (type === 'meeting.monthlyReview' || type === 'meeting.quarterlyDispatch') {
      const decisions = await decide(w, type, t.context as unknown as MeetingContext);
      const tally = type === 'meeting.monthlyReview' ? acts.monthly : acts.dispatch;
      for (const d of decisions) tally[d.decision] = (tally[d.decision] ?? 0) + 1;
      data = { decisions };
    } else if (type === 'accountability.interview') {
      data = { date: today, note: '主要负责人作表态发言' };
    } else if (type === 'recognition.review') {
      data = { opinion: '同意表彰名单；个人推荐优先提拔重用' };
    } else if (type === 'accountability.reassign') {
      data = { arrangement: '调整分管招商引资工作的负责人' };
    } else {
      data = { measure: '对分管负责人诫勉谈话' };
    }
    try {
      const outcome = type.startsWith('meeting.') || type === 'accountability.interview' ? 'held' : type === 'recognition.review' ? 'reviewed' : 'done';
      await w.complete(COUNTY_CALENDAR_ID, t.id, actor.user, { outcome, data });
      if (type.startsWith('accountability.')) acts.accountability++;
      if (type === 'recognition.review') acts.recognition++;
    } catch (e) {
      // a project on the agenda ended meanwhile, or the task was done already: the next pass sees it
      if (!(e instanceof WorkflowUpdateFailedError)) throw e;
    }
  }
  return acts;
}

/** 八: the meeting's decisions — what a county office would do with each agenda item. */
async function decide(w: WorkflowEnv, type: TaskTypeName, agenda: MeetingContext): Promise<Decision[]> {
  const projects = new Map((await w.store.db.project.findMany({
    where: { id: { in: agenda.items.map((i) => i.projectId) } }, select: { id: true, stage: true, responsibleUnitId: true, landingSiteId: true, sourceUnitId: true },
  })).map((p) => [p.id, p]));
  return agenda.items.flatMap((item): Decision[] => {
    const p = projects.get(item.projectId);
    if (!p || isTerminal(p.stage as Stage)) return [];
    const unitId = p.landingSiteId ?? p.responsibleUnitId ?? p.sourceUnitId;
    const stalledDays = Math.max(0, ...item.reasons.map((r) => Number(/停滞(\d+)天/.exec(r)?.[1] ?? 0)));
    if (type === 'meeting.quarterlyDispatch') {
      // the 县长 ends what has stood still half a year and more; the rest is coordinated
      if (stalledDays > 180) return [{ projectId: p.id, decision: 'terminate', instruction: `停滞${stalledDays}天，投资方无实质进展` }];
      return [{ projectId: p.id, decision: 'coordinate', unitId, instruction: '县长调度：限期解决制约项目推进的问题' }];
    }
    // the 分管副县长: escalated ones go to the 县长, stalled ones are coordinated, the others continue
    if (item.reasons.includes(FLAG_NAMES.ESCALATED) && item.reasons.includes(FLAG_NAMES.STALLED)) return [{ projectId: p.id, decision: 'escalate', instruction: '久拖未决，提请县长调度' }];
    if (item.reasons.length > 0) return [{ projectId: p.id, decision: 'coordinate', unitId, instruction: '月研判：本月内推进到下一环节' }];
    return [];
  });
}
