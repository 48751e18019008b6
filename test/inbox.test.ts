// Issue 12 (points 1–3), over real HTTP against the dev server and a fresh SQLite file: an inbox item
// holds what a person needs to act on it — the project, the Chinese names, who claimed it, and a form
// read from the task-type definition — so that info1 completes 线索核实 from one GET /tasks answer; a
// task's detail with its project and history (404 to an outsider); the inbox's filters and 已办; the
// project list's filters; unknown query parameters refused naming them; a project's detail with its
// timeline readable in Chinese, its open tasks as the inbox shows them, and its policy version. The
// county calendar's tasks (no project) in the inbox and the detail.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { taskForm, type FormField, type FormOutcome } from '../domain/forms';
import { DEFAULT_POLICY } from '../domain/policy';
import { TASK_TYPES, taskTypeDef } from '../domain/pipeline';
import type { ProjectFields } from '../domain/project';
import { shanghaiDate } from '../domain/shanghai-time';
import { UNITS } from '../domain/units';
import { DEMO_USER_FOR_GROUP, forward } from '../harness/pipeline';
import { startApiEnv, type ApiEnv } from './helpers/api-env';
import { eventually } from './helpers/eventually';

let a: ApiEnv;
beforeAll(async () => {
  a = await startApiEnv('inbox');
});
afterAll(async () => a?.teardown());

const lead = (name: string, more: Record<string, unknown> = {}) => ({
  name, investor: '湖南某食品有限公司', investorOrigin: 'OUT_OF_PROVINCE', industryChain: 'RICE_SHRIMP', channel: 'BUSINESS_REFERRAL',
  plannedInvestmentWan: 30000, ...more,
});
const register = async (as: string, body: object): Promise<string> => {
  const r = await a.call('POST', '/api/v1/projects', { as, body });
  expect(r.status, JSON.stringify(r.body)).toBe(201);
  return r.body.id;
};
type Item = {
  id: string; projectId: string | null; projectNo: string | null; projectName: string | null; investor: string | null; type: string; title: string;
  stage: string | null; stageName: string | null; candidateGroup: string; candidateGroupName: string; status: string; claimedBy: string | null;
  claimedByName: string | null; claimedByMe: boolean; dueAt: string; escalationLevel: number; escalationName: string | null; overdue: boolean;
  outcome: string | null; outcomeLabel: string | null; completedAt: string | null; data: Record<string, unknown> | null;
  form: { outcomes: FormOutcome[] } | null; unstaffed: boolean;
};
const inbox = async (as: string, query = ''): Promise<{ items: Item[]; total: number }> => {
  const r = await a.call('GET', `/api/v1/tasks${query}`, { as });
  expect(r.status, JSON.stringify(r.body)).toBe(200);
  return r.body;
};
const ids = (items: { id: string }[]) => items.map((t) => t.id);
const fields = (r: { body: { error: { details?: { field: string }[] } } }) => (r.body.error.details ?? []).map((d) => d.field);

/** A form's outcome, summarised for comparison: a field's choices as their number and the first two. */
const summarise = (o: FormOutcome) => ({
  ...o,
  fields: o.fields.map((f: FormField) => (f.choices ? { ...f, choices: { count: f.choices.length, first: f.choices.slice(0, 2) } } : f)),
});

describe('issue 12: an inbox item holds everything needed to act', () => {
  let projectId: string;

  it('as info1, one GET /api/v1/tasks answer completes 线索核实 correctly (nothing else is read)', async () => {
    projectId = await register('nanzhou1', lead('南洲镇稻虾深加工项目'));
    const answer = await eventually(async () => {
      const box = await inbox('info1');
      expect(box.items.find((t) => t.projectName === '南洲镇稻虾深加工项目')).toBeDefined();
      return box;
    });
    // ——— from here on, only `answer` ———
    const item = answer.items.find((t) => t.projectName === '南洲镇稻虾深加工项目')!;
    expect(item).toMatchObject({
      projectNo: projectId, projectName: '南洲镇稻虾深加工项目', investor: '湖南某食品有限公司',
      type: 'lead.verify', title: '线索核实', stage: 'LEAD', stageName: '线索核实',
      candidateGroup: 'TF:INFO', candidateGroupName: '项目信息收集专班',
      status: 'OPEN', claimedBy: null, claimedByName: null, claimedByMe: false, escalationLevel: 0, escalationName: null, overdue: false,
      unstaffed: false,
    });
    expect(Date.parse(item.dueAt)).toBeGreaterThan(Date.now());

    // the outcome, picked by its label; each required field filled from the form's own choices
    const accept = item.form!.outcomes.find((o) => o.label === '核实通过')!;
    expect(accept).toMatchObject({ code: 'accept', commentRequired: false });
    const pick: Record<string, string> = { 项目落户地: '南洲镇', 责任招商单位: '县农业农村局' };
    const data: Record<string, unknown> = {};
    for (const f of accept.fields.filter((x) => x.required)) {
      expect(f.type).toBe('choice');
      data[f.name] = f.choices!.find((c) => c.label === pick[f.label])!.value;
    }
    expect(data).toEqual({ landingSiteId: 'L03', responsibleUnitId: 'R09' });
    const done = await a.call('POST', `/api/v1/tasks/${item.id}/complete`, { as: 'info1', body: { outcome: accept.code, data } });
    expect(done.status, JSON.stringify(done.body)).toBe(200);
    expect(done.body).toMatchObject({ stage: 'CONTACT', projectId });

    // the landing-site choices are exactly the 14 LANDING_SITE units; the responsible unit any of the 69
    const landing = accept.fields.find((f) => f.name === 'landingSiteId')!;
    expect(landing.choices).toEqual(UNITS.filter((u) => u.category === 'LANDING_SITE').map((u) => ({ value: u.id, label: u.name })));
    expect(accept.fields.find((f) => f.name === 'responsibleUnitId')!.choices).toHaveLength(69);
    // over HTTP too, each unit field names the category its picker offers (issue 13: unit pickers limited to the right category)
    expect(landing.unitCategory).toBe('LANDING_SITE');
    expect(accept.fields.find((f) => f.name === 'responsibleUnitId')!.unitCategory).toBe('ANY');
    // discard needs a comment and no data
    expect(item.form!.outcomes.find((o) => o.code === 'discard')).toEqual({ code: 'discard', label: '放弃', commentRequired: true, fields: [] });
  });

  it('the form is the task-type definition\'s: lead.verify and executive.deliberate (meeting kinds; specialTerms for 一事一议)', () => {
    const project = (isCaseByCase: boolean): ProjectFields => ({
      projectNo: 'NX-2026-0001', createdBy: 'info1', name: '样例', investor: '样例', investorOrigin: 'LOCAL', industryChain: 'OTHER', channel: 'OTHER',
      plannedInvestmentWan: 1, sourceUnitId: 'R00', isMajor: false, isCaseByCase,
    });
    const form = (type: 'lead.verify' | 'executive.deliberate', isCaseByCase = false) =>
      taskForm(taskTypeDef(type), { project: project(isCaseByCase), now: new Date(), context: null }).outcomes.map(summarise);
    expect(form('lead.verify')).toEqual([
      {
        code: 'accept', label: '核实通过', commentRequired: false, fields: [
          {
            name: 'landingSiteId', label: '项目落户地', type: 'choice', required: true, hint: '县经济开发区、县省级农业科技园区或乡镇',
            choices: { count: 14, first: [{ value: 'L01', label: '县经济开发区' }, { value: 'L02', label: '县省级农业科技园区' }] },
            unitCategory: 'LANDING_SITE', // a unit picker limited to the 14 landing sites
          },
          {
            name: 'responsibleUnitId', label: '责任招商单位', type: 'choice', required: true,
            choices: { count: 69, first: [{ value: 'R00', label: '县商务局(县投资促进服务中心)' }, { value: 'R01', label: '县发展和改革局' }] },
            unitCategory: 'ANY',
          },
        ],
      },
      { code: 'discard', label: '放弃', commentRequired: true, fields: [] },
    ]);
    const executive = [
      {
        code: 'approve', label: '审议通过', commentRequired: false, fields: [
          {
            name: 'meetingKind', label: '会议类型', type: 'choice', required: true,
            choices: { count: 2, first: [{ value: 'MAYOR_OFFICE', label: '县长办公会' }, { value: 'STANDING_COMMITTEE', label: '县人民政府常务会' }] },
          },
          { name: 'meetingDate', label: '会议日期', type: 'date', required: true, hint: '格式 YYYY-MM-DD，不得晚于今天', notAfterToday: true },
          { name: 'decisionNo', label: '会议纪要/决定文号', type: 'text', required: true, minLength: 1, maxLength: 100 },
          { name: 'specialTerms', label: '一事一议特殊条款', type: 'text', required: true, minLength: 1, maxLength: 2000 },
        ],
      },
      { code: 'defer', label: '暂缓审议', commentRequired: true, fields: [] },
      { code: 'reject', label: '审议未通过', commentRequired: true, fields: [] },
    ];
    expect(form('executive.deliberate', true)).toEqual(executive);
    // not 一事一议: specialTerms is optional (and says when it is needed)
    expect(form('executive.deliberate', false)[0].fields[3]).toEqual({
      name: 'specialTerms', label: '一事一议特殊条款', type: 'text', required: false, hint: '一事一议项目必填', minLength: 1, maxLength: 2000,
    });
  });

  it('the form marks every unit field with the category its picker offers and every date of fact as not after today (issue 13)', () => {
    const project: ProjectFields = {
      projectNo: 'NX-2026-0001', createdBy: 'info1', name: '样例', investor: '样例', investorOrigin: 'LOCAL', industryChain: 'OTHER', channel: 'OTHER',
      plannedInvestmentWan: 1, sourceUnitId: 'R00', isMajor: true, isCaseByCase: true, landingSiteId: 'L01', responsibleUnitId: 'R00',
    };
    const unitIds = new Set(UNITS.map((u) => u.id));
    const context = { period: '2026-11', items: [{ projectId: 'NX-2026-0001', name: '样例', stageName: '洽谈', reasons: [] }], notBefore: '2026-03-01' };
    const seen = { units: 0, dates: 0 };
    const check = (f: FormField, where: string) => {
      // a field whose choices are all units of the 附件 is a unit field: it says which units its picker offers
      if (f.choices?.length && f.choices.every((c) => unitIds.has(c.value))) {
        seen.units++;
        const offered = f.unitCategory === 'ANY' ? UNITS : UNITS.filter((u) => u.category === f.unitCategory);
        expect(f.choices.map((c) => c.value), where).toEqual(offered.map((u) => u.id));
      } else {
        expect(f.unitCategory, where).toBeUndefined();
      }
      // every date of an outcome is a date of fact (the validator refuses a future one): the picker refuses it too
      if (f.type === 'date') {
        seen.dates++;
        expect(f.notAfterToday, where).toBe(true);
      } else {
        expect(f.notAfterToday, where).toBeUndefined();
      }
      f.fields?.forEach((g) => check(g, `${where}.${g.name}`));
    };
    for (const def of TASK_TYPES) {
      for (const o of taskForm(def, { project: def.type.startsWith('meeting.') || def.type.startsWith('accountability.') ? null : project, now: new Date(), context }).outcomes) {
        o.fields.forEach((f) => check(f, `${def.type}/${o.code}.${f.name}`));
      }
    }
    expect(seen).toEqual({ units: 5, dates: 7 }); // lead.verify ×2, the two meetings' and the 专题调度's 协调单位; the 4 milestones, 会议日期, 签约日期, 约谈日期
    // a milestone's date: not before the previous one's (its context), as its validator refuses
    const supply = taskForm(taskTypeDef('milestone.landSupply'), { project, now: new Date(), context: { notBefore: '2026-03-01' } }).outcomes[0].fields[0];
    expect(supply).toEqual({
      name: 'date', label: '供地日期', type: 'date', required: true, hint: '格式 YYYY-MM-DD，不得晚于今天，不得早于 2026-03-01（上一节点的日期）',
      notAfterToday: true, notBefore: '2026-03-01',
    });
    expect(taskForm(taskTypeDef('milestone.landSupply'), { project, now: new Date(), context: null }).outcomes[0].fields[0].notBefore).toBeUndefined();
  });

  it('a task\'s detail: 200 for its group with the project\'s summary and the task\'s history; 404 for an outsider and for no task', async () => {
    const p = await register('kfq1', lead('开发区预制菜项目', { investor: '长沙某餐饮管理有限公司' }));
    const item = await eventually(async () => {
      const t = (await inbox('info1', `?projectId=${p}`)).items[0];
      expect(t).toBeDefined();
      return t;
    });
    expect((await a.call('POST', `/api/v1/tasks/${item.id}/claim`, { as: 'info1' })).status).toBe(200);
    const detail = await eventually(async () => {
      const r = await a.call('GET', `/api/v1/tasks/${item.id}`, { as: 'info1' });
      expect(r.status).toBe(200);
      expect(r.body.history.map((e: { kind: string }) => e.kind)).toEqual(['TASK_CREATED', 'TASK_CLAIMED']);
      return r.body;
    });
    expect(detail).toMatchObject({
      id: item.id, projectName: '开发区预制菜项目', investor: '长沙某餐饮管理有限公司', stageName: '线索核实', candidateGroupName: '项目信息收集专班',
      status: 'CLAIMED', claimedBy: 'info1', claimedByName: '信息收集专班成员', claimedByMe: true,
      project: {
        id: p, name: '开发区预制菜项目', stage: 'LEAD', stageName: '线索核实', sourceUnitId: 'L01', sourceUnitName: '县经济开发区',
        investorOriginName: '境内省外', industryChainName: '稻虾', policyVersion: 0, landingSiteId: null, landingSiteName: null,
      },
    });
    expect(detail.form.outcomes.map((o: FormOutcome) => o.code)).toEqual(['accept', 'discard']);
    expect(detail.history[0]).toMatchObject({ kind: 'TASK_CREATED', kindName: '下达任务', taskTitle: '线索核实', summary: expect.stringContaining('由项目信息收集专班办理') });
    expect(detail.history[1]).toMatchObject({ kind: 'TASK_CLAIMED', actor: 'info1', actorName: '信息收集专班成员', summary: '信息收集专班成员认领任务「线索核实」' });

    // whoever may read the project (kfq1 registered it) reads the task too; an outsider is told it does not exist
    expect((await a.call('GET', `/api/v1/tasks/${item.id}`, { as: 'kfq1' })).status).toBe(200);
    for (const outsider of ['justice1', 'nanzhou1', 'factor1']) {
      const r = await a.call('GET', `/api/v1/tasks/${item.id}`, { as: outsider });
      expect(r.status, outsider).toBe(404);
      expect(r.body.error.code).toBe('NOT_FOUND');
    }
    expect((await a.call('GET', '/api/v1/tasks/NX-1999-0001-T001', { as: 'info1' })).status).toBe(404);

    // completed: the outcome with its label, no form, and the completion in the history
    const discard = await a.call('POST', `/api/v1/tasks/${item.id}/complete`, { as: 'info1', body: { outcome: 'discard', comment: '投资方资质不符' } });
    expect(discard.status).toBe(200);
    const after = await eventually(async () => {
      const r = await a.call('GET', `/api/v1/tasks/${item.id}`, { as: 'info1' });
      expect(r.body.status).toBe('COMPLETED');
      return r.body;
    });
    expect(after).toMatchObject({ outcome: 'discard', outcomeLabel: '放弃', comment: '投资方资质不符', completedBy: 'info1', form: null, project: { stage: 'DISCARDED', stageName: '已放弃' } });
    expect(after.history.at(-1)).toMatchObject({
      kind: 'TASK_COMPLETED', outcome: 'discard', outcomeLabel: '放弃', summary: '信息收集专班成员完成任务「线索核实」：放弃（投资方资质不符）',
    });
  });

  it('inbox filters: mine, overdue, minLevel, stage, type, projectId; 已办 lists what the caller completed with outcome and time', async () => {
    const [p1, p2] = [await register('info1', lead('筛选测试甲')), await register('info1', lead('筛选测试乙'))];
    const [t1, t2] = await eventually(async () => {
      const items = (await inbox('info1', '?type=lead.verify&pageSize=200')).items;
      const found = [p1, p2].map((p) => items.find((t) => t.projectId === p)!);
      expect(found.every(Boolean)).toBe(true);
      return found;
    });
    // mine: the tasks I claimed
    expect((await a.call('POST', `/api/v1/tasks/${t1.id}/claim`, { as: 'info1' })).status).toBe(200);
    await eventually(async () => expect(ids((await inbox('info1', '?mine=true')).items)).toEqual([t1.id]));
    const mine = (await inbox('info1', '?mine=true')).items[0];
    expect(mine).toMatchObject({ claimedBy: 'info1', claimedByMe: true, claimedByName: '信息收集专班成员', status: 'CLAIMED' });
    const notMine = ids((await inbox('info1', '?mine=false&pageSize=200')).items);
    expect(notMine).toContain(t2.id);
    expect(notMine).not.toContain(t1.id);

    // overdue and the escalation level (the ladder's projection, set here as the ladder would)
    await a.store.db.task.update({ where: { id: t2.id }, data: { overdue: true, escalationLevel: 2 } });
    expect(ids((await inbox('info1', '?overdue=true')).items)).toEqual([t2.id]);
    expect(ids((await inbox('info1', '?minLevel=2')).items)).toEqual([t2.id]);
    expect((await inbox('info1', '?minLevel=3')).total).toBe(0);
    const escalated = (await inbox('info1', `?projectId=${p2}`)).items[0];
    expect(escalated).toMatchObject({ id: t2.id, escalationLevel: 2, escalationName: '二级督办', overdue: true });
    expect(ids((await inbox('info1', '?overdue=false&pageSize=200')).items)).not.toContain(t2.id);

    // stage, type and project
    expect(ids((await inbox('info1', `?stage=LEAD&projectId=${p1}`)).items)).toEqual([t1.id]);
    expect((await inbox('info1', `?stage=CONTACT&projectId=${p1}`)).total).toBe(0);
    expect((await inbox('info1', `?type=contact.inspect&projectId=${p1}`)).total).toBe(0);
    expect(ids((await inbox('info1', `?type=lead.verify&projectId=${p2}`)).items)).toEqual([t2.id]);
    expect((await a.call('GET', '/api/v1/tasks?minLevel=5', { as: 'info1' })).status).toBe(400);

    // 已办: what info1 completed, newest first, with outcome, its label and the time; nobody else's
    const accept = { outcome: 'accept', data: { landingSiteId: 'L01', responsibleUnitId: 'R00' } };
    expect((await a.call('POST', `/api/v1/tasks/${t1.id}/complete`, { as: 'info1', body: accept })).status).toBe(200);
    const done = await eventually(async () => {
      const r = await a.call('GET', '/api/v1/tasks/done', { as: 'info1' });
      expect(r.status).toBe(200);
      expect(ids(r.body.items)[0]).toBe(t1.id);
      return r.body;
    });
    expect(done.items[0]).toMatchObject({
      id: t1.id, projectName: '筛选测试甲', status: 'COMPLETED', outcome: 'accept', outcomeLabel: '核实通过', completedBy: 'info1',
      data: accept.data, form: null,
    });
    expect(Date.parse(done.items[0].completedAt)).toBeGreaterThan(Date.now() - 120_000);
    expect(ids(done.items)).not.toContain(t2.id);
    expect(done.items.every((t: Item) => t.status === 'COMPLETED')).toBe(true);
    expect(ids((await a.call('GET', `/api/v1/tasks/done?projectId=${p1}&type=lead.verify`, { as: 'info1' })).body.items)).toEqual([t1.id]);
    expect((await a.call('GET', '/api/v1/tasks/done', { as: 'assess1' })).body.total).toBe(0);
    expect((await a.call('GET', '/api/v1/tasks/done', { as: 'countyhead' })).body).toMatchObject({ items: [], total: 0, page: 1, pageSize: 20 });
  });

  it('answers an unknown query parameter 400 naming it, on the inbox, 已办 and the project list; known ones are still coerced', async () => {
    const tasks = await a.call('GET', '/api/v1/tasks?foo=1', { as: 'info1' });
    expect(tasks.status).toBe(400);
    expect(tasks.body.error.code).toBe('VALIDATION');
    expect(fields(tasks)).toEqual(['querystring.foo']);
    expect(tasks.body.error.message).toContain('foo');
    expect(fields(await a.call('GET', '/api/v1/tasks/done?projectid=NX-2026-0001', { as: 'info1' }))).toEqual(['querystring.projectid']);
    const projects = await a.call('GET', '/api/v1/projects?foo=1&stage=LEAD&bar=2', { as: 'info1' });
    expect(projects.status).toBe(400);
    expect(fields(projects).sort()).toEqual(['querystring.bar', 'querystring.foo']);
    const paged = await a.call('GET', '/api/v1/tasks?page=1&pageSize=5&mine=false&minLevel=0', { as: 'info1' });
    expect(paged.status).toBe(200);
    expect(paged.body).toMatchObject({ page: 1, pageSize: 5 });
    expect((await a.call('GET', '/api/v1/projects?pageSize=3&isMajor=false', { as: 'info1' })).body.pageSize).toBe(3);
    // the OpenAPI document says so
    const doc = (await a.call('GET', '/docs/json')).body;
    const names = (path: string) => doc.paths[path].get.parameters.map((p: { name: string }) => p.name);
    expect(names('/api/v1/tasks')).toEqual(expect.arrayContaining(['mine', 'overdue', 'minLevel', 'stage', 'type', 'projectId', 'unstaffed']));
    expect(names('/api/v1/projects')).toEqual(expect.arrayContaining(['isMajor', 'isCaseByCase', 'investorOrigin', 'minLevel', 'escalationLevel', 'registeredFrom', 'registeredTo', 'q']));
    expect(doc.paths['/api/v1/tasks/{id}'].get).toBeDefined();
    expect(doc.paths['/api/v1/tasks/done'].get).toBeDefined();
  });

  it('the project list filters by escalation level, isMajor, isCaseByCase, investorOrigin, registration dates and text', async () => {
    const major = await register('info1', lead('列表筛选·重大', { isMajor: true, investorOrigin: 'FOREIGN', investor: '新加坡某控股集团' }));
    const caseByCase = await register('info1', lead('列表筛选·一事一议', { isCaseByCase: true, investorOrigin: 'LOCAL' }));
    const plain = await register('info1', lead('列表筛选·一般', { investorOrigin: 'IN_PROVINCE' }));
    await a.store.db.project.update({ where: { id: plain }, data: { escalationLevel: 3 } });
    const list = async (query: string) => {
      const r = await a.call('GET', `/api/v1/projects?q=列表筛选&pageSize=100${query}`, { as: 'info1' });
      expect(r.status, JSON.stringify(r.body)).toBe(200);
      return ids(r.body.items).sort();
    };
    expect(await list('')).toEqual([major, caseByCase, plain].sort());
    expect(await list('&isMajor=true')).toEqual([major]);
    expect(await list('&isMajor=false')).toEqual([caseByCase, plain].sort());
    expect(await list('&isCaseByCase=true')).toEqual([caseByCase]);
    expect(await list('&investorOrigin=FOREIGN')).toEqual([major]);
    expect(await list('&investorOrigin=LOCAL&isCaseByCase=true')).toEqual([caseByCase]);
    expect(await list('&minLevel=3')).toEqual([plain]);
    expect(await list('&escalationLevel=3')).toEqual([plain]);
    expect(await list('&escalationLevel=0')).toEqual([major, caseByCase].sort());
    const today = shanghaiDate(Date.now());
    const yesterday = shanghaiDate(Date.now() - 86_400_000);
    expect(await list(`&registeredFrom=${today}&registeredTo=${today}`)).toEqual([major, caseByCase, plain].sort());
    expect(await list(`&registeredTo=${yesterday}`)).toEqual([]);
    expect(await list(`&registeredFrom=${shanghaiDate(Date.now() + 86_400_000)}`)).toEqual([]);
    // text in the investor
    expect(ids((await a.call('GET', '/api/v1/projects?q=新加坡', { as: 'info1' })).body.items)).toEqual([major]);
    // the list's items carry the Chinese names and the policy version
    const item = (await a.call('GET', `/api/v1/projects?q=列表筛选·重大`, { as: 'info1' })).body.items[0];
    expect(item).toMatchObject({ id: major, investorOriginName: '境外', industryChainName: '稻虾', channelName: '以商招商', stageName: '线索核实', policyVersion: 0 });
    for (const bad of ['isMajor=yes', 'investorOrigin=MARS', 'registeredFrom=2026-02-30', 'minLevel=-1', 'escalationLevel=x']) {
      const r = await a.call('GET', `/api/v1/projects?${bad}`, { as: 'info1' });
      expect(r.status, bad).toBe(400);
      expect(fields(r), bad).toEqual([`querystring.${bad.split('=')[0]}`]);
    }
  });
});

describe('issue 12: a project\'s detail — timeline in Chinese, open tasks as the inbox shows them, policy version', () => {
  it('walks a 一事一议 project to the 县长办公会/常务会: each task from its owner\'s inbox, the timeline readable, the executive form', async () => {
    const id = await register('info1', lead('县域医疗器械一事一议项目', { isCaseByCase: true, industryChain: 'HEALTH' }));
    let stage = 'LEAD';
    for (let guard = 0; stage !== 'EXECUTIVE' && guard < 12; guard++) {
      const detail = (await a.call('GET', `/api/v1/projects/${id}`, { as: 'admin' })).body;
      const open = detail.openTasks[0] as Item;
      const owner = DEMO_USER_FOR_GROUP[open.candidateGroup];
      // the owner's inbox holds it with the same fields as the project's page (unstaffed aside)
      const fromInbox = (await inbox(owner, `?projectId=${id}`)).items.find((t) => t.id === open.id)!;
      const { unstaffed: _u, claimedByMe: _m, ...same } = open;
      expect(fromInbox).toMatchObject(same);
      const done = await a.call('POST', `/api/v1/tasks/${open.id}/complete`, { as: owner, body: forward(open.type, { isCaseByCase: true }) });
      expect(done.status, `${open.type}: ${JSON.stringify(done.body)}`).toBe(200);
      stage = done.body.stage;
    }
    expect(stage).toBe('EXECUTIVE');

    const detail = await eventually(async () => {
      const r = await a.call('GET', `/api/v1/projects/${id}`, { as: 'countyhead' });
      expect(r.status).toBe(200);
      expect(r.body.openTasks.map((t: Item) => t.type)).toEqual(['executive.deliberate']);
      return r.body;
    });
    expect(detail).toMatchObject({ stage: 'EXECUTIVE', stageName: '县长办公会/常务会', policyVersion: 0, isCaseByCase: true, landingSiteName: '县经济开发区' });
    const [executive] = detail.openTasks as Item[];
    expect(executive).toMatchObject({
      projectName: '县域医疗器械一事一议项目', stageName: '县长办公会/常务会', candidateGroup: 'ROLE:GOV_OFFICE', candidateGroupName: '县政府办',
      claimedByMe: false, unstaffed: false,
    });
    const approve = executive.form!.outcomes.find((o) => o.code === 'approve')!;
    expect(approve.fields.find((f) => f.name === 'meetingKind')!.choices).toEqual([
      { value: 'MAYOR_OFFICE', label: '县长办公会' }, { value: 'STANDING_COMMITTEE', label: '县人民政府常务会' },
    ]);
    expect(approve.fields.find((f) => f.name === 'specialTerms')).toMatchObject({ required: true });
    // govoffice's inbox item is the same, and it completes from it
    const item = (await inbox('govoffice')).items.find((t) => t.id === executive.id)!;
    expect(item.form).toEqual(executive.form);

    // the timeline: who (by name), what (kind and outcome in Chinese), when
    type Entry = { at: string; kind: string; kindName: string; actor: string | null; actorName: string | null; taskType: string | null; outcome: string | null; outcomeLabel: string | null; summary: string };
    const timeline = detail.timeline as Entry[];
    expect(timeline[0]).toMatchObject({ kind: 'PROJECT_REGISTERED', kindName: '登记线索', actor: 'info1', actorName: '信息收集专班成员' });
    const completed = timeline.filter((e) => e.kind === 'TASK_COMPLETED');
    expect(completed.map((e) => [e.taskType, e.outcome, e.outcomeLabel, e.actorName])).toEqual([
      ['lead.verify', 'accept', '核实通过', '信息收集专班成员'],
      ['contact.inspect', 'done', '完成', '县商务局专职招商人员'],
      ['plan.submit', 'submit', '提交', '县商务局专职招商人员'],
      ['prelim.review', 'pass', '无准入障碍，移交县商务局', '研判专班成员'],
      ['negotiation.conduct', 'agreed', '达成一致', '洽谈专班成员'],
      ['materials.prepare', 'submit', '报送预审', '县经济开发区专职招商人员'],
      ['prereview.check', 'pass', '预审通过', '县发展开放型经济领导小组办公室'],
      ['review.meeting', 'approve', '评审通过', '分管副县长'],
    ]);
    expect(completed[7].summary).toBe('分管副县长完成任务「项目评审会」：评审通过');
    const moved = timeline.find((e) => e.kind === 'STAGE_CHANGED')!;
    expect(moved).toMatchObject({ kindName: '阶段变更', summary: '阶段由「线索核实」转入「前期对接」' });
    expect(timeline.filter((e) => e.kind === 'TASK_CREATED').at(-1)!.summary)
      .toMatch(/^下达任务「县长办公会 \/ 县人民政府常务会」，由县政府办办理，\d{4}-\d{2}-\d{2} 前完成$/);
    expect(timeline.every((e) => e.summary && e.kindName && !Number.isNaN(Date.parse(e.at)))).toBe(true);

    // an amendment names the fields in Chinese
    expect((await a.call('POST', `/api/v1/projects/${id}/amend`, { as: 'admin', body: { fields: { landMu: 160 }, reason: '用地面积调整' } })).status).toBe(200);
    const amended = await eventually(async () => {
      const t = (await a.call('GET', `/api/v1/projects/${id}`, { as: 'countyhead' })).body.timeline as Entry[];
      const e = t.find((x) => x.kind === 'PROJECT_AMENDED');
      expect(e).toBeDefined();
      return e!;
    });
    expect(amended).toMatchObject({ kindName: '变更项目信息', actorName: '系统管理员', summary: '系统管理员变更项目信息：用地面积（亩） 150 → 160（用地面积调整）' });
  });

  it('records the policy version a project runs under', async () => {
    const current = await a.call('GET', '/api/v1/admin/policy', { as: 'admin' });
    const put = await a.call('PUT', '/api/v1/admin/policy', {
      as: 'admin', body: { policy: { ...DEFAULT_POLICY, ...current.body.policy }, note: '版本测试：内容不变' },
    });
    expect(put.status, JSON.stringify(put.body)).toBe(200);
    const id = await register('info1', lead('政策版本测试项目'));
    const detail = (await a.call('GET', `/api/v1/projects/${id}`, { as: 'info1' })).body;
    expect(detail.policyVersion).toBe(put.body.version);
    expect(put.body.version).toBeGreaterThan(0);
  });
});

describe('issue 12: the county calendar\'s tasks (no project) in the inbox and the detail', () => {
  it('a 月研判 task: in the 分管副县长\'s inbox with its form, its detail with history; 404 to one not tied to it', async () => {
    const db = a.store.db;
    const now = new Date();
    const context = { period: '2026-05', items: [] };
    await db.task.create({
      data: {
        id: 'CAL-2026-05-MR', workflowId: 'county-calendar', projectId: null, type: 'meeting.monthlyReview', title: '月研判（分管副县长）', stage: null,
        context, candidateGroup: 'ROLE:VICE_HEAD', status: 'OPEN', dueAt: new Date(now.getTime() + 4 * 86_400_000), createdAt: now,
      },
    });
    await db.timelineEvent.create({
      data: {
        workflowId: 'county-calendar', projectId: null, seq: 1, at: now, kind: 'TASK_CREATED', taskId: 'CAL-2026-05-MR', taskType: 'meeting.monthlyReview',
        data: { title: '月研判（分管副县长）', candidateGroup: 'ROLE:VICE_HEAD', dueAt: new Date(now.getTime() + 4 * 86_400_000).toISOString() },
      },
    });
    const item = (await inbox('vicehead', '?type=meeting.monthlyReview')).items[0];
    expect(item).toMatchObject({
      id: 'CAL-2026-05-MR', projectId: null, projectNo: null, projectName: null, investor: null, stage: null, stageName: null,
      candidateGroupName: '分管副县长', context,
    });
    expect(item.form!.outcomes).toEqual([{ code: 'held', label: '已研判', commentRequired: false, fields: [expect.objectContaining({ name: 'decisions', type: 'list', required: false })] }]);
    const detail = await a.call('GET', '/api/v1/tasks/CAL-2026-05-MR', { as: 'vicehead' });
    expect(detail.status).toBe(200);
    expect(detail.body).toMatchObject({ id: 'CAL-2026-05-MR', project: null, history: [{ kind: 'TASK_CREATED', summary: expect.stringContaining('由分管副县长办理') }] });
    expect((await a.call('GET', '/api/v1/tasks/CAL-2026-05-MR', { as: 'admin' })).status).toBe(200);
    for (const who of ['info1', 'commerce1', 'kfq1']) expect((await a.call('GET', '/api/v1/tasks/CAL-2026-05-MR', { as: who })).status, who).toBe(404);
  });
});
