// The policy simulation (harness/simulation.ts): the county calendar and generated projects on the time-skipping
// server with the production workflow code, printing the county's record in Chinese; --policy FILE
// merges over the default policy and is validated.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { DEFAULT_POLICY } from '../domain/policy';
import { buildApp } from '../api/app';
import { loadPolicy, simulate } from '../harness/simulation';
import { DEMO_PASSWORD } from '../harness/db';

describe('npm run simulate', () => {
  it('prints a year of 月研判, 季度通报, the meetings\' decisions and the 年度考核排名 with its 约谈; the reports API answers for the simulated periods', async () => {
    const answers: Record<string, { status: number; body: string }> = {};
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'nanxian-sim-'));
    const lines = await simulate({
      years: 1, projects: 6, seed: 3, policy: DEFAULT_POLICY, out: () => undefined, keepDb: path.join(dir, 'simulation.db'),
      // the reports of the simulated months, quarters and year, over the REST API (fastify's inject)
      inspect: async (w) => {
        const app = await buildApp({ db: w.store.db, temporal: w.env.client, taskQueue: w.taskQueue, jwtSecret: 'x'.repeat(32), jwtTtlSeconds: 3600, policy: w.policy });
        const login = await app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { username: 'countyhead', password: DEMO_PASSWORD } });
        const year = Number((await w.store.db.report.findFirstOrThrow({ where: { kind: 'ANNUAL' }, orderBy: { period: 'desc' } })).period);
        for (const url of [`/api/v1/reports/monthly/${year}-06`, `/api/v1/reports/quarterly/${year}-Q2`, `/api/v1/reports/annual/${year}`, `/api/v1/reports/annual/${year}?format=csv`]) {
          const r = await app.inject({ method: 'GET', url, headers: { authorization: `Bearer ${login.json().token}` } });
          answers[url.replace(String(year), 'YYYY')] = { status: r.statusCode, body: r.body };
        }
        await app.close();
      },
    });
    const text = lines.join('\n');
    expect(text).toMatch(/^模拟：\d{4}年起 1 年，6 个项目/);
    expect(lines.filter((l) => l.includes(' 月研判：在途项目 '))).toHaveLength(12); // February to the next January
    expect(lines.filter((l) => l.includes('季度 通报：签约 '))).toHaveLength(4);
    expect(lines.filter((l) => l.includes('年度 年度考核排名（'))).toHaveLength(2); // 项目落户地, 责任招商单位
    expect(text).toContain('县长约谈主要负责人并在年度总结会上表态发言');
    expect(text).toMatch(/本月会议：月研判决定/); // the 分管副县长's decisions on the agenda
    // 八 专题调度: factor issues left with the 分管副县长 go overdue, the 县委专职副书记 takes them up and decides
    expect(text).toMatch(/专题调度决定协调督办 \d+ 个/);
    expect(text).toMatch(/· 专题调度 \d+ 次（.*）：.*要素保障问题逾期未解决/);
    // 十 奖励: the commendations, and 县委组织部's review of them
    expect(text).toMatch(/\d{4}年度 评先评优（县委组织部审核）：单位 .+；个人 .+/);
    expect(Object.values(answers).map((a) => a.status)).toEqual([200, 200, 200, 200]);
    expect(JSON.parse(answers['/api/v1/reports/monthly/YYYY-06'].body).items.length).toBeGreaterThan(0);
    const annual = JSON.parse(answers['/api/v1/reports/annual/YYYY'].body);
    expect(annual.rankings.length).toBeGreaterThan(0);
    expect(annual.rankings.length + annual.unranked.length).toBe(36); // a unit with nothing to assess is not ranked (十一)
    expect(answers['/api/v1/reports/annual/YYYY?format=csv'].body).toContain('县经济开发区');
    expect(fs.statSync(path.join(dir, 'simulation.db')).size).toBeGreaterThan(100_000); // kept for `npm start` to serve
    fs.rmSync(dir, { recursive: true, force: true });
  }, 240_000);

  it('merges a policy file over the default policy and refuses an invalid one', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'nanxian-policy-'));
    const good = path.join(dir, 'good.json');
    fs.writeFileSync(good, JSON.stringify({ version: '试行：季度外出招商加倍', tripQuota: { DEPUTY: 6 }, dueDays: { 'lead.verify': 3 } }));
    const p = loadPolicy(good);
    expect(p).toMatchObject({ version: '试行：季度外出招商加倍', tripQuota: { PRINCIPAL: 1, DEPUTY: 6 } });
    expect(p.dueDays['lead.verify']).toBe(3);
    expect(p.dueDays['plan.submit']).toBe(30);
    const bad = path.join(dir, 'bad.json');
    fs.writeFileSync(bad, JSON.stringify({ tripQuota: { DEPUTY: -1 } }));
    expect(() => loadPolicy(bad)).toThrow(/tripQuota/);
    fs.rmSync(dir, { recursive: true, force: true });
  });
});
