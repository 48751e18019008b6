// Pure domain rules: the 附件, the task-type definitions, the ladder and completion validation.
import { describe, expect, it } from 'vitest';
import { checkMember, validateCompletion } from '../domain/completion';
import { DomainError } from '../domain/errors';
import { checkAmendmentChanges } from '../domain/side-actions';
import { ladderSchedule } from '../domain/ladder';
import { groupsOf, parseGroup } from '../domain/organisation';
import { ACTIVE_STAGES, contractSigners, taskForStage, taskType, TASK_TYPES } from '../domain/pipeline';
import { DAY_MS, DEFAULT_POLICY } from '../domain/policy';
import type { ProjectFields } from '../domain/project';
import { TOWNSHIPS, UNITS, unitByName } from '../domain/units';

const project: ProjectFields = {
  projectNo: 'NX-2026-0001', createdBy: 'info1', name: '测试项目', investor: '某公司', investorOrigin: 'OUT_OF_PROVINCE',
  industryChain: 'FOOD', channel: 'CAPITAL', plannedInvestmentWan: 1000, sourceUnitId: 'R00', isMajor: false, isCaseByCase: false,
};
const ctx = { project, now: new Date('2026-06-01T00:00:00Z') };

describe('附件: the 69 units', () => {
  it('has 22 RESPONSIBLE (1 coordinator + 21 industry), 14 LANDING_SITE and 33 ENCOURAGED units with unique names', () => {
    const count = (c: string) => UNITS.filter((u) => u.category === c).length;
    expect(UNITS).toHaveLength(69);
    expect([count('RESPONSIBLE'), count('LANDING_SITE'), count('ENCOURAGED')]).toEqual([22, 14, 33]);
    expect(UNITS.filter((u) => u.subcategory === 'COORDINATOR').map((u) => u.name)).toEqual(['县商务局(县投资促进服务中心)']);
    expect(UNITS.filter((u) => u.subcategory === 'INDUSTRY')).toHaveLength(21);
    expect(new Set(UNITS.map((u) => u.name)).size).toBe(69);
    expect(new Set(UNITS.map((u) => u.id)).size).toBe(69);
  });
  it('lists 县经济开发区, 县省级农业科技园区 and the 12 乡镇 as landing sites', () => {
    expect(TOWNSHIPS).toHaveLength(12);
    for (const name of ['县经济开发区', '县省级农业科技园区', ...TOWNSHIPS]) expect(unitByName(name).category).toBe('LANDING_SITE');
    expect(unitByName('县司法局').category).toBe('ENCOURAGED');
  });
});

describe('§3 task types', () => {
  it('defines one task type per active stage, each with due days in the default policy and a parsable candidate group', () => {
    const main = TASK_TYPES.filter((d) => d.stage);
    expect(main.map((d) => d.stage)).toEqual([...ACTIVE_STAGES]);
    for (const d of TASK_TYPES) {
      if (d.stage) expect(taskForStage(d.stage)).toBe(d);
      expect(DEFAULT_POLICY.dueDays[d.type]).toBeGreaterThan(0);
      expect(() => parseGroup(d.candidateGroup({ project: { ...project, landingSiteId: 'L01', responsibleUnitId: 'R01' }, step: 0, context: { unitId: 'L01' } }))).not.toThrow();
    }
    expect(taskType('lead.verify')!.candidateGroup({ project, step: 0, context: null })).toBe('TF:INFO');
  });
  it('names for every pipeline task the outcome that moves the project on, with example data its own schema accepts', () => {
    for (const d of TASK_TYPES) {
      expect(d.forward === undefined, d.type).toBe(d.stage === undefined);
      if (d.forward) expect(Object.keys(d.outcomes), d.type).toContain(d.forward);
      for (const [o, def] of Object.entries(d.outcomes)) {
        for (const isCaseByCase of [false, true]) {
          const example = def.example?.({ isCaseByCase, today: '2026-05-31' });
          if (!example) continue;
          const withUnits = { ...project, isCaseByCase, landingSiteId: 'L01', responsibleUnitId: 'R01' };
          expect(validateCompletion(d, { taskId: 't', outcome: o, data: example }, { project: withUnits, now: ctx.now }), `${d.type}/${o}`).toEqual(example);
        }
      }
    }
  });
  it('九: the meetings\' flags rise by the unit, fall only by the 县长, and stand still from the contract on', () => {
    const unit = { username: 'kfq1', displayName: 'x', groups: ['UNIT:L01'] };
    const head = { username: 'countyhead', displayName: 'x', groups: ['ROLE:COUNTY_HEAD'] };
    const p = { ...project, responsibleUnitId: 'L01', isCaseByCase: true };
    const lowering = { isCaseByCase: { old: true, new: false } };
    expect(() => checkAmendmentChanges(unit, p, 'REVIEW_MEETING', lowering)).toThrow(/只有县长可以取消/);
    expect(() => checkAmendmentChanges(head, p, 'EXECUTIVE', lowering)).not.toThrow();
    expect(() => checkAmendmentChanges(head, p, 'CONTRACT', lowering)).toThrow(/已由会议审定/);
    expect(() => checkAmendmentChanges(unit, p, 'SIGNING', { isMajor: { old: false, new: true } })).toThrow(/已由会议审定/);
    expect(() => checkAmendmentChanges(unit, p, 'PLAN', { isMajor: { old: false, new: true } })).not.toThrow();
  });
  it('offers no task to nobody: a missing unit or signer is an error that names it, never another unit', () => {
    const scope = (over: Partial<{ project: ProjectFields | null; step: number; context: Record<string, unknown> | null }>) => ({ project, step: 0, context: null, ...over });
    expect(() => taskType('contact.inspect')!.candidateGroup(scope({}))).toThrow(/responsibleUnitId of NX-2026-0001 is missing/);
    expect(() => taskType('materials.prepare')!.candidateGroup(scope({}))).toThrow(/landingSiteId of NX-2026-0001 is missing/);
    expect(() => taskType('contract.signoff')!.candidateGroup(scope({ step: 3 }))).toThrow(/no signer at step 3 \(the chain has 3\)/);
    expect(() => taskType('project.coordination')!.candidateGroup(scope({ context: { instruction: '落实用地' } }))).toThrow(/context\.unitId\) is missing/);
    expect(() => taskType('accountability.reassign')!.candidateGroup(scope({ project: null }))).toThrow(/context\.unitId\) is missing/);
    // before 线索核实 names a responsible unit, the unit that brought the lead reports its progress (八)
    expect(taskType('monthly.progress')!.candidateGroup(scope({}))).toBe('UNIT:R00');
  });
  it('lead.verify accept requires a LANDING_SITE landingSiteId and a unit responsibleUnitId', () => {
    const def = taskType('lead.verify')!;
    expect(validateCompletion(def, { taskId: 't', outcome: 'accept', data: { landingSiteId: 'L03', responsibleUnitId: 'R09' } }, ctx))
      .toEqual({ landingSiteId: 'L03', responsibleUnitId: 'R09' });
    const bad = () => validateCompletion(def, { taskId: 't', outcome: 'accept', data: { landingSiteId: 'R01', responsibleUnitId: 'X' } }, ctx);
    expect(bad).toThrow(DomainError);
    try {
      bad();
    } catch (e) {
      expect((e as DomainError).details.map((d) => d.field)).toEqual(['data.landingSiteId', 'data.responsibleUnitId']);
    }
  });
  it('refuses unknown outcomes, unknown data fields, and a discard without a comment', () => {
    const def = taskType('lead.verify')!;
    expect(() => validateCompletion(def, { taskId: 't', outcome: 'maybe' }, ctx)).toThrow(/办理结果只能是 accept（核实通过）、discard（放弃）/);
    expect(() => validateCompletion(def, { taskId: 't', outcome: 'discard' }, ctx)).toThrow(/须填写办理意见/);
    expect(() => validateCompletion(def, { taskId: 't', outcome: 'discard', comment: '  ' }, ctx)).toThrow(/须填写办理意见/);
    expect(() => validateCompletion(def, { taskId: 't', outcome: 'discard', comment: '重复线索', data: { x: 1 } }, ctx)).toThrow(/data/);
    expect(validateCompletion(def, { taskId: 't', outcome: 'discard', comment: '重复线索' }, ctx)).toEqual({});
  });
  it('refuses dates in the future (Asia/Shanghai) in milestone data', () => {
    const def = taskType('milestone.landSupply')!;
    expect(() => validateCompletion(def, { taskId: 't', outcome: 'done', data: { date: '2026-06-02' } }, ctx)).toThrow(/不得晚于今天/);
    // 2026-06-01T00:00Z is already 08:00 on 1 June in Shanghai
    expect(validateCompletion(def, { taskId: 't', outcome: 'done', data: { date: '2026-06-01' } }, ctx)).toEqual({ date: '2026-06-01' });
    expect(() => validateCompletion(def, { taskId: 't', outcome: 'done', data: { date: '2026-02-30' } }, ctx)).toThrow(/YYYY-MM-DD/);
  });
  it('asks the COUNTY_HEAD to sign only major or 一事一议 contracts', () => {
    expect(contractSigners(project)).toEqual(['UNIT:R00', `UNIT:${unitByName('县司法局').id}`, 'ROLE:VICE_HEAD']);
    expect(contractSigners({ ...project, isCaseByCase: true })).toHaveLength(4);
  });
});

describe('§1 candidate groups', () => {
  it('gives PRINCIPAL and DEPUTY the unit leaders group, and never lets ADMIN complete', () => {
    expect(groupsOf({ unitId: 'L01', position: 'DEPUTY', taskForces: ['FACTOR'], roles: [] })).toEqual(['TF:FACTOR', 'UNIT:L01', 'UNIT:L01:LEADERS']);
    expect(groupsOf({ unitId: 'L01', position: 'STAFF', taskForces: [], roles: [] })).toEqual(['UNIT:L01']);
    const admin = { username: 'admin', displayName: 'a', groups: groupsOf({ unitId: null, position: null, taskForces: [], roles: ['ADMIN'] }) };
    expect(admin.groups).toEqual([]);
    expect(() => checkMember(admin, 'TF:INFO', 't')).toThrow(/不在任务 t 的候选组/);
  });
});

describe('§4 ladder', () => {
  it('falls at D−2, D, D+7, D+15 and D+30', () => {
    const created = Date.parse('2026-01-01T00:00:00Z');
    const due = created + 7 * DAY_MS;
    const points = ladderSchedule(created, due, DEFAULT_POLICY);
    expect(points.map((p) => [p.step, (p.at - due) / DAY_MS])).toEqual([
      ['REMINDER', -2], ['OVERDUE', 0], ['LEVEL_2', 7], ['LEVEL_3', 15], ['LEVEL_4', 30],
    ]);
    // a task due in one day gets no reminder before it was created
    expect(ladderSchedule(created, created + DAY_MS, DEFAULT_POLICY)[0].step).toBe('OVERDUE');
  });
});
