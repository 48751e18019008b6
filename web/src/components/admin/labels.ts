// The Chinese words of the 管理 pages for what the catalog (GET /catalog) does not name: the fields of
// the policy object (domain/policy.ts), the audit actions (db/audit.ts), the delivery channels and
// states (§8) and the fields of a person as the audit records them (api/routes/people.ts recordOf).
// Stage, task-type, unit, position, role and task-force names still come from the catalog.
import { names, taskTypeName, unitName } from '../../catalog';

/** a name from one of the catalog's lists, or the code itself */
const named = (list: { code: string; name: string }[] | undefined, code: unknown) =>
  (typeof code === 'string' ? list?.find((x) => x.code === code)?.name ?? code : String(code));
export const positionName = (code: unknown) => named(names.catalog?.positions, code);
export const roleName = (code: unknown) => named(names.catalog?.countyRoles, code);
export const taskForceName = (code: unknown) => named(names.catalog?.taskForces, code);

// ── the policy (domain/policy.ts) ───────────────────────────────────────────────────────────────────
const SECTIONS: Record<string, string> = {
  version: '政策依据（文号）',
  dueDays: '办理时限',
  dayCounting: '计日方式',
  ladder: '超期催办与升级',
  stalledDays: '项目滞留',
  tripQuota: '外出招商季度任务（次）',
  assessmentWeights: '年度考核权重（分）',
  rankingTieBreaks: '排名并列时依次比较',
  delivery: '消息投递',
  growthTargets: '年度增长目标（%）',
  specialDispatch: '专题调度（县委专职副书记）',
  recognition: '评先评优（年度考核）',
};
const FIELDS: Record<string, string> = {
  'dayCounting.dueDays': '办理时限按',
  'dayCounting.ladder': '催办升级按',
  'dayCounting.endOfWorkingDay': '工作日截止时刻',
  'ladder.reminderBeforeDays': '到期前提醒（天）',
  'ladder.level2AfterDays': '超期后升级至单位主要负责人（天）',
  'ladder.level3AfterDays': '超期后升级至分管副县长（天）',
  'ladder.level4AfterDays': '超期后升级至县长（天）',
  'stalledDays.monthly': '同一阶段超过此天数列入月研判（天）',
  'stalledDays.quarterly': '同一阶段超过此天数列入季调度（天）',
  'tripQuota.PRINCIPAL': '主要负责人',
  'tripQuota.DEPUTY': '分管负责人',
  'assessmentWeights.leads': '线索登记（每个）',
  'assessmentWeights.signed': '签约项目（每个）',
  'assessmentWeights.signedInvestmentYi': '签约金额（每亿元）',
  'assessmentWeights.inProduction': '投产项目（每个）',
  'assessmentWeights.quotaShortfalls': '外出招商未完成（每次）',
  'assessmentWeights.overdueTasks': '超期任务（每个）',
  'assessmentWeights.escalations': '升级督办（每次）',
  'delivery.maxAttempts': '最多尝试次数',
  'delivery.firstRetrySeconds': '首次重试间隔（秒）',
  'delivery.maxRetrySeconds': '最长重试间隔（秒）',
  'delivery.quietHours': '免打扰时段',
  'delivery.quietHours.from': '免打扰开始',
  'delivery.quietHours.to': '免打扰结束',
  'delivery.batchSeconds': '合并发送窗口（秒）',
  'growthTargets.outOfProvinceCapital': '引进境内省外资金',
  'growthTargets.foreignTrade': '外贸进出口总额',
  'growthTargets.actualForeignInvestment': '实际利用外资',
  'specialDispatch.factorEscalationOverdue': '提请分管副县长协调的要素保障问题逾期时提请',
  'specialDispatch.escalationLevelWithFactorIssue': '督办升至此级且有要素保障问题时提请（级）',
  'recognition.unitsPerCategory': '每类表彰单位数',
  'recognition.people': '表彰个人数',
};
const TIE_BREAKS: Record<string, string> = {
  overdueTasks: '超期任务少者在前', signedInvestmentWan: '签约金额多者在前', leads: '线索多者在前', signed: '签约项目多者在前',
  inProduction: '投产项目多者在前', quotaShortfalls: '外出招商未完成少者在前', escalations: '升级督办少者在前',
};
const DAY_COUNTS: Record<string, string> = { WORKING: '工作日', CALENDAR: '自然日' };

/** "办理时限 · 线索核实" for `dueDays.lead.verify` (task types hold a dot themselves) */
export function policyLabel(path: string): string {
  if (path === '') return '整个政策';
  const [head, ...rest] = path.split('.');
  const section = SECTIONS[head] ?? head;
  if (!rest.length) return section;
  if (head === 'dueDays') return `${section} · ${taskTypeName(rest.join('.'))}（天）`;
  if (head === 'rankingTieBreaks') return `${section} · 第 ${Number(rest[0]) + 1} 项`;
  return `${section} · ${FIELDS[path] ?? rest.join('.')}`;
}

/** a value of the policy as the county reads it */
export function policyValue(path: string, v: unknown): string {
  if (v === null || v === undefined) return path === 'delivery.quietHours' || path === 'specialDispatch.escalationLevelWithFactorIssue' ? '不设' : path === 'delivery.batchSeconds' ? '不合并' : '（无）';
  if (path.startsWith('dayCounting.') && typeof v === 'string' && DAY_COUNTS[v]) return DAY_COUNTS[v];
  if (path === 'delivery.quietHours' && typeof v === 'object') {
    const q = v as { from?: string; to?: string };
    return `${q.from ?? '?'}–${q.to ?? '?'}`;
  }
  if (path.startsWith('rankingTieBreaks')) {
    return Array.isArray(v) ? (v.length ? v.map((k) => TIE_BREAKS[k as string] ?? k).join('，') : '（无）') : TIE_BREAKS[v as string] ?? String(v);
  }
  if (typeof v === 'boolean') return v ? '是' : '否';
  if (typeof v === 'object') return JSON.stringify(v);
  return String(v);
}

/** the sections of the policy in reading order, each with its fields (path, label, value) */
export function policySections(policy: Record<string, unknown>): { title: string; rows: { path: string; label: string; value: string }[] }[] {
  const out: { title: string; rows: { path: string; label: string; value: string }[] }[] = [];
  const order = [...Object.keys(SECTIONS), ...Object.keys(policy).filter((k) => !(k in SECTIONS))];
  for (const key of order) {
    if (!(key in policy)) continue;
    const v = policy[key];
    const title = SECTIONS[key] ?? key;
    if (key === 'dueDays' && v && typeof v === 'object') {
      // in the order of the catalog's task types (the pipeline's order), then any other
      const known = (names.catalog?.taskTypes ?? []).map((t) => t.code).filter((c) => c in (v as object));
      const codes = [...known, ...Object.keys(v as object).filter((c) => !known.includes(c))];
      out.push({ title: `${title}（天）`, rows: codes.map((c) => ({ path: `dueDays.${c}`, label: taskTypeName(c), value: policyValue(`dueDays.${c}`, (v as Record<string, unknown>)[c]) })) });
    } else if (v && typeof v === 'object' && !Array.isArray(v)) {
      out.push({ title, rows: Object.entries(v as Record<string, unknown>).map(([k, x]) => ({ path: `${key}.${k}`, label: FIELDS[`${key}.${k}`] ?? k, value: policyValue(`${key}.${k}`, x) })) });
    } else {
      out.push({ title, rows: [{ path: key, label: title, value: policyValue(key, v) }] });
    }
  }
  return out;
}

/** a candidate group key (TF:INFO, ROLE:VICE_HEAD, UNIT:R09, UNIT:R09:LEADERS) in Chinese */
export function groupName(key: string): string {
  const [kind, a, b] = key.split(':');
  if (kind === 'TF') return taskForceName(a);
  if (kind === 'ROLE') return roleName(a);
  if (kind === 'UNIT' && a) return b === 'LEADERS' ? `${unitName(a)}（${positionName('PRINCIPAL')}、${positionName('DEPUTY')}）` : unitName(a);
  return key;
}

// ── the audit (db/audit.ts) ─────────────────────────────────────────────────────────────────────────
export const AUDIT_ACTIONS: Record<string, string> = {
  PERSON_CREATED: '新增人员',
  PERSON_UPDATED: '修改人员',
  PERSON_DEACTIVATED: '停用人员',
  PERSON_REACTIVATED: '恢复启用人员',
  PERSON_FILED: '专职招商人员备案',
  PASSWORD_RESET: '重置密码',
  PASSWORD_CHANGED: '本人修改密码',
  FIRST_ADMIN_CREATED: '创建首位系统管理员',
  POLICY_VERSION_CREATED: '发布政策新版本',
  POLICY_APPLIED: '项目适用新版政策',
  PROJECT_REROUTED: '调整项目责任单位/落户地',
  TASK_REASSIGNED: '改派任务',
  TASK_RELEASED: '退回任务',
  SITE_CREATED: '登记招商地图地块',
  SITE_UPDATED: '修改招商地图地块',
  PITCH_CREATED: '登记策划包装项目',
  PITCH_UPDATED: '修改策划包装项目',
  PARTNER_CREATED: '登记招商顾问/商协会',
  PARTNER_UPDATED: '修改招商顾问/商协会',
};
export const auditActionName = (code: string) => AUDIT_ACTIONS[code] ?? code;

/** the fields of a person as the audit records them */
export const PERSON_FIELDS: Record<string, string> = {
  id: '编号', username: '用户名', displayName: '姓名', unitId: '单位', position: '职务', taskForces: '专班', roles: '县级角色',
  mobile: '手机', email: '电子邮件', wecomUserId: '企业微信账号', dingtalkUserId: '钉钉账号', active: '账号状态',
  mustChangePassword: '须修改密码', filedAt: '备案时间', filedBy: '备案人',
};
/** other fields an audit entry may carry (reroutes, reassignments, policy versions) */
export const OTHER_FIELDS: Record<string, string> = {
  claimedBy: '认领人', assignee: '办理人', version: '政策版本', responsibleUnitId: '责任招商单位', landingSiteId: '项目落户地',
  reason: '原因', candidateGroup: '候选组', changes: '改动', moved: '转到新单位的待办',
};

/** the notes the service wrote in English before it wrote them in Chinese: entries are never edited, so older ones are read here */
export function auditNote(note: string | null | undefined): string {
  if (!note) return '';
  if (note === 'one-time password given; to be changed at the next login') return '已给出一次性密码，下次登录须修改';
  if (note === 'the one-time password replaced') return '已将一次性密码改为本人设置的密码';
  const deactivated = /^(.+) was deactivated$/.exec(note);
  if (deactivated) return `${deactivated[1]} 已被停用，其认领的待办退回`;
  return note;
}

// ── deliveries (§8) ─────────────────────────────────────────────────────────────────────────────────
export const CHANNELS: Record<string, string> = { EMAIL: '电子邮件', WEBHOOK: '业务系统推送（Webhook）', WECOM: '企业微信', DINGTALK: '钉钉' };
export const channelLabel = (c: string) => CHANNELS[c] ?? c;
export const DELIVERY_STATES: Record<string, string> = { FAILED: '投递失败', PENDING: '待投递', SENT: '已送达' };

export { unitName };
