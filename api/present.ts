// Presenting database rows and workflow views as the JSON of §7, in the shapes ./schemas.ts declares
// (toTask → TaskSchema, toProject → ProjectSchema, presentTasks → TaskItemSchema, presentTimeline →
// TimelineEntrySchema): codes with their Chinese names beside them, people by name, and each open
// task's form read from the task-type definition (domain/forms.ts).
import type { Db } from '../db/client';
import type { ProjectionEvent, TaskView } from '../domain/events';
import { taskForm, type TaskForm } from '../domain/forms';
import { LADDER_STEP_NAMES, LEVEL_NAMES } from '../domain/ladder';
import { FACTOR_CATEGORIES, STAGE_NAMES, taskType } from '../domain/pipeline';
import { CHANNELS, INDUSTRY_CHAINS, INVESTOR_ORIGINS, type ProjectFields } from '../domain/project';
import { shanghaiDate } from '../domain/shanghai-time';
import { unitNameOf } from '../domain/units';
import type { TaskItemJson, TaskJson } from './schemas';
import { groupNameOf } from './staffing';

type TaskRow = {
  id: string; projectId: string | null; type: string; title: string; stage: string | null; candidateGroup: string; status: string;
  claimedBy: string | null; dueAt: Date | string; escalationLevel: number; context: unknown;
};

const iso = (d: Date | string) => (typeof d === 'string' ? d : d.toISOString());
const nameOf = <T extends Record<string, string>>(names: T, code: string | null): string | null => (code === null ? null : (names as Record<string, string>)[code] ?? code);
const stageNameOf = (stage: string | null) => nameOf(STAGE_NAMES, stage);

export function toTask(t: TaskRow | TaskView): TaskJson {
  return {
    id: t.id, projectId: t.projectId, projectNo: t.projectId, type: t.type, title: t.title, stage: t.stage,
    context: (t.context ?? null) as Record<string, unknown> | null,
    candidateGroup: t.candidateGroup, status: t.status as TaskJson['status'], claimedBy: t.claimedBy,
    dueAt: iso(t.dueAt), escalationLevel: t.escalationLevel,
    outcomes: Object.keys(taskType(t.type)?.outcomes ?? {}),
  };
}

type ProjectRow = {
  id: string; workflowId: string; name: string; stage: string; stageSince: Date; escalationLevel: number; investor: string;
  investorOrigin: string; industryChain: string; channel: string; plannedInvestmentWan: number; foreignInvestmentUsd: number | null;
  landMu: number | null; expectedJobs: number | null; expectedAnnualTaxWan: number | null; sourceUnitId: string;
  landingSiteId: string | null; responsibleUnitId: string | null; isMajor: boolean; isCaseByCase: boolean; createdAt: Date;
  policyVersion: number;
  /** §11 (五, 七): null for a project registered before them, or without */
  pitchId?: string | null; partnerId?: string | null;
};

/** §11: the titles of the pitches and the names of the partners that these projects name (one query each, none when none is named). */
export interface RegistryNames { pitchTitle(id: string | null | undefined): string | null; partnerName(id: string | null | undefined): string | null }
export async function registryNames(db: Db, rows: readonly { pitchId?: string | null; partnerId?: string | null }[]): Promise<RegistryNames> {
  const pitchIds = [...new Set(rows.map((r) => r.pitchId).filter((id): id is string => !!id))];
  const partnerIds = [...new Set(rows.map((r) => r.partnerId).filter((id): id is string => !!id))];
  const [pitches, partners] = await Promise.all([
    pitchIds.length ? db.pitch.findMany({ where: { id: { in: pitchIds } }, select: { id: true, title: true } }) : [],
    partnerIds.length ? db.partner.findMany({ where: { id: { in: partnerIds } }, select: { id: true, name: true } }) : [],
  ]);
  const titles = new Map(pitches.map((p) => [p.id, p.title]));
  const names = new Map(partners.map((p) => [p.id, p.name]));
  return { pitchTitle: (id) => (id ? titles.get(id) ?? null : null), partnerName: (id) => (id ? names.get(id) ?? null : null) };
}

export function toProject(p: ProjectRow, names?: RegistryNames) {
  return {
    id: p.id, projectNo: p.id, workflowId: p.workflowId, name: p.name, stage: p.stage as never, stageSince: p.stageSince.toISOString(),
    escalationLevel: p.escalationLevel, investor: p.investor, investorOrigin: p.investorOrigin, industryChain: p.industryChain,
    channel: p.channel, plannedInvestmentWan: p.plannedInvestmentWan, foreignInvestmentUsd: p.foreignInvestmentUsd, landMu: p.landMu,
    expectedJobs: p.expectedJobs, expectedAnnualTaxWan: p.expectedAnnualTaxWan, sourceUnitId: p.sourceUnitId,
    landingSiteId: p.landingSiteId, responsibleUnitId: p.responsibleUnitId, isMajor: p.isMajor, isCaseByCase: p.isCaseByCase,
    createdAt: p.createdAt.toISOString(),
    stageName: stageNameOf(p.stage)!, investorOriginName: nameOf(INVESTOR_ORIGINS, p.investorOrigin)!,
    industryChainName: nameOf(INDUSTRY_CHAINS, p.industryChain)!, channelName: nameOf(CHANNELS, p.channel)!,
    sourceUnitName: unitNameOf(p.sourceUnitId), landingSiteName: unitNameOf(p.landingSiteId), responsibleUnitName: unitNameOf(p.responsibleUnitId),
    policyVersion: p.policyVersion,
    pitchId: p.pitchId ?? null, pitchTitle: names?.pitchTitle(p.pitchId) ?? null,
    partnerId: p.partnerId ?? null, partnerName: names?.partnerName(p.partnerId) ?? null,
  };
}

/** A project row as the workflow carries its fields: what an outcome's validator (and so the form) knows of it. */
type FieldsRow = ProjectRow & { createdBy: string };
export function projectFieldsOf(p: FieldsRow): ProjectFields {
  const opt = <T>(v: T | null) => (v === null ? undefined : v);
  return {
    projectNo: p.id, createdBy: p.createdBy, name: p.name, investor: p.investor,
    investorOrigin: p.investorOrigin as ProjectFields['investorOrigin'], industryChain: p.industryChain as ProjectFields['industryChain'],
    channel: p.channel as ProjectFields['channel'], plannedInvestmentWan: p.plannedInvestmentWan,
    foreignInvestmentUsd: opt(p.foreignInvestmentUsd), landMu: opt(p.landMu), expectedJobs: opt(p.expectedJobs),
    expectedAnnualTaxWan: opt(p.expectedAnnualTaxWan), sourceUnitId: p.sourceUnitId, landingSiteId: opt(p.landingSiteId),
    responsibleUnitId: opt(p.responsibleUnitId), isMajor: p.isMajor, isCaseByCase: p.isCaseByCase,
    ...(p.pitchId ? { pitchId: p.pitchId } : {}), ...(p.partnerId ? { partnerId: p.partnerId } : {}),
  };
}

/** The display names of these usernames (a name nobody has is shown as it is). */
async function peopleNames(db: Db, usernames: Iterable<string | null | undefined>): Promise<(u: string | null) => string | null> {
  const wanted = [...new Set([...usernames].filter((u): u is string => !!u))];
  const rows = wanted.length ? await db.person.findMany({ where: { username: { in: wanted } }, select: { username: true, displayName: true } }) : [];
  const names = new Map(rows.map((r) => [r.username, r.displayName]));
  return (u) => (u === null ? null : names.get(u) ?? u);
}

/** A task row with what a person reads of it. */
export type FullTaskRow = TaskRow & {
  workflowId: string; createdAt: Date; overdue: boolean; outcome: string | null; comment: string | null; data: unknown;
  completedBy: string | null; completedAt: Date | null;
};

const OPEN = new Set(['OPEN', 'CLAIMED']);

/** The form of an open task (null once it is no longer open, or for a task type the table no longer has). */
function formOf(t: FullTaskRow, project: ProjectFields | null): TaskForm | null {
  const def = taskType(t.type);
  if (!OPEN.has(t.status) || !def) return null;
  return taskForm(def, { project, now: new Date(), context: (t.context ?? null) as Record<string, unknown> | null });
}

/**
 * Tasks as a person reads them (TaskItemSchema): the project's name and investor, the Chinese names of
 * the stage, the candidate group, the escalation and the outcome, people by name, whether the viewer
 * claimed it, and the form while it is open. Two queries for any number of tasks.
 */
export async function presentTasks(db: Db, viewer: { username: string }, rows: readonly FullTaskRow[]): Promise<TaskItemJson[]> {
  const projectIds = [...new Set(rows.map((t) => t.projectId).filter((id): id is string => id !== null))];
  const [projects, person] = await Promise.all([
    projectIds.length ? db.project.findMany({ where: { id: { in: projectIds } }, omit: { policy: true } }) : [],
    peopleNames(db, rows.flatMap((t) => [t.claimedBy, t.completedBy])),
  ]);
  const byId = new Map(projects.map((p) => [p.id, p]));
  return rows.map((t) => {
    const p = t.projectId ? byId.get(t.projectId) ?? null : null;
    const def = taskType(t.type);
    return {
      ...toTask(t),
      projectName: p?.name ?? null,
      investor: p?.investor ?? null,
      stageName: stageNameOf(t.stage),
      candidateGroupName: groupNameOf(t.candidateGroup),
      claimedByName: person(t.claimedBy),
      claimedByMe: t.claimedBy !== null && t.claimedBy === viewer.username,
      createdAt: t.createdAt.toISOString(),
      overdue: t.overdue,
      escalationName: LEVEL_NAMES[t.escalationLevel] || null,
      outcome: t.outcome,
      outcomeLabel: t.outcome ? def?.outcomes[t.outcome]?.label ?? t.outcome : null,
      comment: t.status === 'COMPLETED' ? t.comment : null,
      data: (t.status === 'COMPLETED' ? t.data ?? null : null) as Record<string, unknown> | null,
      completedBy: t.completedBy,
      completedByName: person(t.completedBy),
      completedAt: t.completedAt?.toISOString() ?? null,
      form: formOf(t, p ? projectFieldsOf(p) : null),
    };
  });
}

// ── the timeline, readable ─────────────────────────────────────────────────────────────────────

type EventKind = ProjectionEvent['kind'];
/** What each event of a project's timeline is, in Chinese. */
export const EVENT_KIND_NAMES: Record<EventKind, string> = {
  PROJECT_REGISTERED: '登记线索', STAGE_CHANGED: '阶段变更', TASK_CREATED: '下达任务', TASK_CLAIMED: '认领任务', TASK_ASSIGNED: '指派任务',
  TASK_COMPLETED: '完成任务', TASK_CANCELLED: '取消任务', TASK_LADDER: '督办', PROJECT_AMENDED: '变更项目信息',
  FACTOR_ISSUE_RAISED: '提出要素保障问题', POLICY_APPLIED: '适用新的政策版本', PROJECT_REROUTED: '调整责任单位/落户地',
  SPECIAL_DISPATCH_OPENED: '提请专题调度',
};

/** The project's fields by their Chinese names (amendments and reroutes name what changed). */
const PROJECT_FIELD_NAMES: Record<string, string> = {
  name: '项目名称', investor: '投资方', investorOrigin: '投资方来源', industryChain: '产业链', channel: '招商手段',
  plannedInvestmentWan: '计划投资（万元）', foreignInvestmentUsd: '利用外资（美元）', landMu: '用地面积（亩）', expectedJobs: '预计就业人数',
  expectedAnnualTaxWan: '预计年税收（万元）', sourceUnitId: '线索来源单位', landingSiteId: '项目落户地', responsibleUnitId: '责任招商单位',
  isMajor: '特别重大产业项目', isCaseByCase: '一事一议',
};
const VALUE_NAMES: Record<string, Record<string, string>> = { investorOrigin: INVESTOR_ORIGINS, industryChain: INDUSTRY_CHAINS, channel: CHANNELS };
function valueText(field: string, v: unknown): string {
  if (v === null || v === undefined || v === '') return '（空）';
  if (typeof v === 'boolean') return v ? '是' : '否';
  if (field.endsWith('UnitId') || field === 'landingSiteId') return unitNameOf(String(v));
  return VALUE_NAMES[field]?.[String(v)] ?? String(v);
}
const changesText = (changes: unknown) => Object.entries((changes ?? {}) as Record<string, { old: unknown; new: unknown }>)
  .map(([k, c]) => `${PROJECT_FIELD_NAMES[k] ?? k} ${valueText(k, c?.old)} → ${valueText(k, c?.new)}`).join('；');

type TimelineRow = {
  at: Date; kind: string; actor: string | null; taskId?: string | null; taskType: string | null; outcome: string | null; comment: string | null; data: unknown;
};

/**
 * Timeline entries readable in Chinese: who (by name), what (the kind's name and a one-line summary,
 * with the outcome's label), when (`at`). Two queries for any number of entries.
 */
export async function presentTimeline(db: Db, rows: readonly TimelineRow[]) {
  const data = (e: TimelineRow) => (e.data ?? {}) as Record<string, unknown>;
  const taskIds = [...new Set(rows.map((e) => e.taskId).filter((id): id is string => !!id))];
  const [tasks, person] = await Promise.all([
    taskIds.length ? db.task.findMany({ where: { id: { in: taskIds } }, select: { id: true, title: true } }) : [],
    peopleNames(db, rows.flatMap((e) => [e.actor, e.kind === 'TASK_ASSIGNED' ? (data(e).assignee as string | null) : null])),
  ]);
  const titles = new Map(tasks.map((t) => [t.id, t.title]));
  return rows.map((e) => {
    const d = data(e);
    const kind = e.kind as EventKind;
    const def = e.taskType ? taskType(e.taskType) : undefined;
    const taskTitle = (e.taskId ? titles.get(e.taskId) : undefined) ?? (typeof d.title === 'string' ? d.title : undefined) ?? def?.title ?? null;
    const outcomeLabel = e.outcome ? def?.outcomes[e.outcome]?.label ?? e.outcome : null;
    const who = person(e.actor);
    const task = `「${taskTitle ?? e.taskType ?? ''}」`;
    const reason = e.comment ? `（${e.comment}）` : '';
    let summary: string;
    switch (kind) {
      case 'PROJECT_REGISTERED': summary = `${who ?? ''}登记线索，进入「${stageNameOf(String(d.stage ?? 'LEAD'))}」阶段`; break;
      case 'STAGE_CHANGED': summary = `阶段由「${d.fromName ?? stageNameOf(String(d.from))}」转入「${d.toName ?? stageNameOf(String(d.to))}」${reason}`; break;
      case 'TASK_CREATED':
        summary = `下达任务${task}，由${groupNameOf(String(d.candidateGroup ?? ''))}办理${typeof d.dueAt === 'string' ? `，${shanghaiDate(new Date(d.dueAt))} 前完成` : ''}`;
        break;
      case 'TASK_CLAIMED': summary = `${who}认领任务${task}`; break;
      case 'TASK_ASSIGNED': summary = d.assignee ? `${who}将任务${task}指派给${person(String(d.assignee))}` : `${who}释放任务${task}，退回候选组`; break;
      case 'TASK_COMPLETED': summary = `${who}完成任务${task}：${outcomeLabel}${reason}`; break;
      case 'TASK_CANCELLED': summary = `任务${task}已取消${reason}`; break;
      case 'TASK_LADDER': summary = `任务${task}${d.stepName ?? LADDER_STEP_NAMES[d.step as keyof typeof LADDER_STEP_NAMES] ?? '督办'}`; break;
      case 'PROJECT_AMENDED': summary = `${who}变更项目信息：${changesText(d.changes)}${reason}`; break;
      case 'FACTOR_ISSUE_RAISED':
        summary = `${who}提出要素保障问题（${FACTOR_CATEGORIES[d.category as keyof typeof FACTOR_CATEGORIES] ?? d.category ?? ''}）${typeof d.description === 'string' ? `：${d.description}` : ''}`;
        break;
      case 'SPECIAL_DISPATCH_OPENED': // 八 专题调度
        summary = `${who ? `${who}提请` : '按政策条件提请'}县委专职副书记专题调度${reason}`;
        break;
      case 'POLICY_APPLIED': summary = `${who}将项目由政策版本 ${d.from} 调整为版本 ${d.to}`; break;
      case 'PROJECT_REROUTED': summary = `${who}调整责任单位/落户地：${changesText(d.changes)}${reason}`; break;
      default: summary = EVENT_KIND_NAMES[kind] ?? e.kind;
    }
    return {
      at: e.at.toISOString(), kind: e.kind,
      kindName: kind === 'TASK_LADDER' && typeof d.stepName === 'string' ? d.stepName : EVENT_KIND_NAMES[kind] ?? e.kind,
      actor: e.actor, actorName: who, taskId: e.taskId ?? null, taskType: e.taskType, taskTitle, outcome: e.outcome, outcomeLabel,
      comment: e.comment, data: e.data ?? null, summary,
    };
  });
}
