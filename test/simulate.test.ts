// The policy simulation (issue 4, 7): the county calendar and generated projects on the time-skipping
// server with the production workflow code, printing the county's record in Chinese; --policy FILE
// merges over the default policy and is validated.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { DEFAULT_POLICY } from '../domain/policy';
import { loadPolicy, simulate } from '../scripts/simulate';

describe('npm run simulate', () => {
  it('prints a year of 月研判, 季度通报 and the 年度考核排名 with its 约谈', async () => {
    const lines = await simulate({ years: 1, projects: 3, seed: 3, policy: DEFAULT_POLICY, out: () => undefined });
    const text = lines.join('\n');
    expect(text).toMatch(/^模拟：\d{4}年起 1 年，3 个项目/);
    expect(lines.filter((l) => l.includes(' 月研判：在途项目 '))).toHaveLength(13); // January to the next January
    expect(lines.filter((l) => l.includes('季度 通报：签约 '))).toHaveLength(4);
    expect(lines.filter((l) => l.includes('年度 年度考核排名（'))).toHaveLength(2); // 项目落户地, 责任招商单位
    expect(text).toContain('县长约谈主要负责人并在年度总结会上表态发言');
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
