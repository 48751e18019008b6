// §7 "Who may read a project" (domain/read-access.ts, README "Who may read what"), run as a matrix of
// the demo accounts × the endpoints that show projects: the list, the detail with its timeline, a side
// action, and the project rows of the monthly agenda and the quarterly 通报's dispatch list — over
// real HTTP against the dev server. Also: a lead is recorded for the registrant's own unit.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { storeAnnualAssessment, storeMonthlyAgenda, storeQuarterlyBulletin } from '../activities/reports';
import { DEFAULT_POLICY } from '../domain/policy';
import { periodsOf } from '../domain/shanghai-time';
import { NAMED_UNITS, unitByName } from '../domain/units';
import { forward } from '../harness/pipeline';
import { startApiEnv, type ApiEnv } from './helpers/api-env';
import { eventually } from './helpers/eventually';

let a: ApiEnv;
beforeAll(async () => {
  a = await startApiEnv('read-access');
});
afterAll(async () => a?.teardown());

const AGRI = unitByName('县农业农村局').id;
const lead = { investor: '长沙某食品有限公司', investorOrigin: 'IN_PROVINCE', industryChain: 'FOOD', channel: 'KINSHIP', plannedInvestmentWan: 12000 };
const ACCOUNTS = [
  'admin', 'countyhead', 'vicehead', 'deputysec', 'openeco', 'govoffice', 'discipline', 'orgdept',
  'info1', 'assess1', 'negotiate1', 'factor1', 'commerce1', 'justice1',
  'kfq1', 'kfq_principal', 'kfq_deputy', 'nanzhou1', 'nanzhou_principal', 'nanzhou_deputy', 'agri1',
] as const;

let A: string; // 南洲镇's lead, landed at 南洲镇 with 县农业农村局 responsible, now before the 研判专班
let B: string; // 县经济开发区's lead, still being verified

beforeAll(async () => {
  // a person of 县农业农村局 (no demo account has that unit), with the demo password
  const template = await a.store.db.person.findUniqueOrThrow({ where: { username: 'justice1' } });
  await a.store.db.person.create({ data: { id: 'p-agri1', username: 'agri1', displayName: '县农业农村局专职招商人员', unitId: AGRI, position: 'STAFF', passwordHash: template.passwordHash } });

  A = (await a.call('POST', '/api/v1/projects', { as: 'nanzhou1', body: { ...lead, name: '南洲镇稻虾深加工项目' } })).body.projectNo;
  B = (await a.call('POST', '/api/v1/projects', { as: 'kfq1', body: { ...lead, name: '开发区预制菜项目' } })).body.projectNo;
  const step = async (as: string, type: string, body: object) => {
    const task = await eventually(async () => {
      const t = (await a.call('GET', `/api/v1/tasks?projectId=${A}&type=${type}`, { as })).body.items[0];
      expect(t).toBeDefined();
      return t;
    });
    expect((await a.call('POST', `/api/v1/tasks/${task.id}/complete`, { as, body })).status).toBe(200);
  };
  await step('info1', 'lead.verify', forward('lead.verify', { landingSiteId: NAMED_UNITS.nanzhou, responsibleUnitId: AGRI }));
  await step('agri1', 'contact.inspect', forward('contact.inspect'));
  await step('agri1', 'plan.submit', forward('plan.submit'));
  await eventually(async () => expect((await a.store.db.task.count({ where: { projectId: A, candidateGroup: 'TF:ASSESS' } }))).toBe(1));
}, 60_000);

/** What each account may read, as the README states it. */
const EXPECTED: Record<(typeof ACCOUNTS)[number], string> = {
  // 八 the 联席会议's convenors and ADMIN: everything
  admin: 'A B', countyhead: 'A B', vicehead: 'A B', deputysec: 'A B',
  // 县商务局 coordinates every project (六, 九); info1, negotiate1 and openeco are of that unit too
  commerce1: 'A B', info1: 'A B', negotiate1: 'A B', openeco: 'A B',
  // the landing site and the unit that brought the lead (A), and the responsible unit (A)
  nanzhou1: 'A', nanzhou_principal: 'A', nanzhou_deputy: 'A', agri1: 'A',
  kfq1: 'B', kfq_principal: 'B', kfq_deputy: 'B',
  // a task force that acts on it: A's 研判专班初审 is offered to ASSESS
  assess1: 'A',
  // nothing ties them to either project (yet)
  factor1: '', justice1: '', govoffice: '', discipline: '', orgdept: '',
};

const label = (ids: string[]) => [A, B].filter((id) => ids.includes(id)).map((id) => (id === A ? 'A' : 'B')).join(' ');

describe('who may read a project (§7), accounts × endpoints', () => {
  it('the list, the detail with its timeline, and a side action agree with the rule for every demo account', async () => {
    const list: Record<string, string> = {};
    const detail: Record<string, string> = {};
    for (const who of ACCOUNTS) {
      const r = await a.call('GET', '/api/v1/projects?pageSize=100', { as: who });
      expect(r.status).toBe(200);
      list[who] = label(r.body.items.map((p: { id: string }) => p.id));
      expect(r.body.total).toBe(r.body.items.length);
      const seen: string[] = [];
      for (const id of [A, B]) {
        const d = await a.call('GET', `/api/v1/projects/${id}`, { as: who });
        expect([200, 404]).toContain(d.status);
        if (d.status === 200) {
          seen.push(id);
          expect(d.body.timeline.length).toBeGreaterThan(0);
        } else {
          expect(d.body.error).toEqual({ code: 'NOT_FOUND', message: `项目 ${id} 不存在` }); // as if it did not exist
        }
      }
      detail[who] = label(seen);
    }
    console.log(['account | list | detail', ...ACCOUNTS.map((w) => `${w} | ${list[w] || '—'} | ${detail[w] || '—'}`)].join('\n'));
    expect(list).toEqual(EXPECTED);
    expect(detail).toEqual(EXPECTED);
    // a side action on a project one may not read is 404, not 403: its number does not tell it exists
    expect((await a.call('POST', `/api/v1/projects/${A}/amend`, { as: 'kfq1', body: { fields: { landMu: 50 }, reason: '核减用地' } })).status).toBe(404);
    expect((await a.call('POST', `/api/v1/projects/${A}/amend`, { as: 'justice1', body: { fields: { landMu: 50 }, reason: '核减用地' } })).status).toBe(404);
    expect((await a.call('POST', `/api/v1/projects/${B}/terminate`, { as: 'nanzhou1', body: { reason: '不应终止' } })).status).toBe(404);
  });

  it('the reports show the project rows the reader may read; the units\' tables of the 通报 and the assessment are for all', async () => {
    const month = periodsOf(Date.now()).month.key;
    const quarter = periodsOf(Date.now()).quarter.key;
    const year = Number(month.slice(0, 4)) - 1;
    const at = new Date().toISOString();
    await storeMonthlyAgenda(a.store.db, { month, at }, DEFAULT_POLICY);
    // both projects go before the 县长 (the 月研判 escalated them) in the quarter's dispatch list
    const escalated = [A, B].map((projectId) => ({ projectId, month, instruction: '请县长调度' }));
    await storeQuarterlyBulletin(a.store.db, { quarter, at, escalated }, DEFAULT_POLICY);
    await storeAnnualAssessment(a.store.db, { year, at }, DEFAULT_POLICY);
    const agenda: Record<string, string> = {};
    const dispatch: Record<string, string> = {};
    for (const who of ACCOUNTS) {
      const m = await a.call('GET', `/api/v1/reports/monthly/${month}`, { as: who });
      expect(m.status).toBe(200);
      agenda[who] = label(m.body.items.map((i: { projectId: string }) => i.projectId));
      const q = await a.call('GET', `/api/v1/reports/quarterly/${quarter}`, { as: who });
      expect(q.status).toBe(200);
      dispatch[who] = label(q.body.dispatch.map((d: { projectId: string }) => d.projectId));
      expect(q.body.quota).toHaveLength(4); // the trip-quota table of every LANDING_SITE PRINCIPAL and DEPUTY, for all
      const y = await a.call('GET', `/api/v1/reports/annual/${year}`, { as: who });
      expect(y.status).toBe(200);
    }
    expect(agenda).toEqual(EXPECTED);
    expect(dispatch).toEqual(EXPECTED);
    // the CSV is the same rows
    const csv = await fetch(`${a.base}/api/v1/reports/monthly/${month}?format=csv`, { headers: { authorization: `Bearer ${await a.login('kfq1')}` } });
    const lines = (await csv.text()).trim().split('\r\n');
    expect(lines.slice(1).map((l) => l.split(',')[0])).toEqual([B]);
  });
});

describe('recording a lead for a unit (三, 四)', () => {
  it('records it for the registrant\'s own unit; only ADMIN and 县商务局 record one for another unit', async () => {
    const other = { ...lead, name: '代报线索测试项目', sourceUnitId: NAMED_UNITS.nanzhou, confirmDuplicate: true };
    const refused = await a.call('POST', '/api/v1/projects', { as: 'kfq1', body: other });
    expect(refused.status).toBe(403);
    expect(refused.body.error.details).toEqual([{ field: 'body.sourceUnitId', message: '必须是您本人所在的单位' }]);
    expect((await a.call('POST', '/api/v1/projects', { as: 'kfq1', body: { ...other, sourceUnitId: NAMED_UNITS.economicZone } })).status).toBe(201);
    expect((await a.call('POST', '/api/v1/projects', { as: 'commerce1', body: other })).status).toBe(201);
    expect((await a.call('POST', '/api/v1/projects', { as: 'admin', body: other })).status).toBe(201);
    const noUnit = await a.call('POST', '/api/v1/projects', { as: 'admin', body: { ...other, sourceUnitId: undefined } });
    expect(noUnit.status).toBe(400);
    expect(noUnit.body.error.details).toEqual([{ field: 'body.sourceUnitId', message: '必填' }]);
  });
});
