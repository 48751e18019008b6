// Issue 16's registries (§11: 三库一图 of clause 五, 招商顾问和商协会 of clause 七) in a real browser (Debian's
// Chromium) against the started service: info1 (县商务局) registers a 商协会招商 lead naming its chamber in
// 登记线索 (the partner asked for before anything is sent) and lands on its page showing the chamber; 招商地图
// lists the seeded sites and filters by kind (and on a phone); a pitch is registered through 策划包装库's
// dialog and a status move the policy does not allow shows the service's Chinese 409 at the status; 招商
// 顾问与商协会 lists the partners; 人员信息库 shows info1's leads (我的招商档案) and is reached by ADMIN from
// 人员. Screenshots of each page go to test-results/screenshots and /tmp. Any console error or failed
// request not declared fails the test.
import fs from 'node:fs';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { logIn, type WatchedPage } from '../harness/browser';
import { PHONE, startWebEnv, type WebEnv } from './helpers/web-env';

let env: WebEnv;
beforeAll(async () => {
  env = await startWebEnv('web-registries');
});
afterAll(async () => {
  await env?.teardown();
});

/** waits for a value on the page (the first visit loads the page's code and the names) */
const poll = <T>(fn: () => Promise<T> | T) => expect.poll(fn, { timeout: 20_000, interval: 100 });
const item = (page: Page, field: string) => page.locator(`[data-test="field-${field}"]`);
/** picks an option of the (one) open select dropdown by its text */
async function choose(page: Page, text: string) {
  await page.locator('.el-select-dropdown__item:visible', { hasText: text }).first().click();
}
async function pick(page: Page, field: string, label: string) {
  await item(page, field).locator('.el-select__wrapper').click();
  await page.getByRole('option', { name: label, exact: true }).click();
}
async function shot(w: WatchedPage, name: string) {
  await w.page.waitForTimeout(400); // Element Plus's transitions (a dialog closing, a radio button) end
  const file = await w.screenshot(`registries-${name}`);
  fs.copyFileSync(file, `/tmp/registries-${name}.png`);
}
const rows = (page: Page, table: string) => page.locator(`[data-test=${table}] .el-table__body-wrapper tr.el-table__row`);

describe('登记线索 with its partner and pitch (七, 五)', () => {
  it('info1 registers a 商协会招商 lead choosing its chamber and lands on the project page showing it', async () => {
    const w = await env.open();
    const { page } = w;
    await logIn(w, 'info1');
    await page.goto('/projects/new');

    // a pitch picked fills the empty fields
    await item(page, 'pitchId').locator('.el-select__wrapper').click();
    await choose(page, '南县特色预制菜中央厨房项目');
    await poll(() => page.locator('input[name=name]').inputValue()).toBe('南县特色预制菜中央厨房项目');
    expect(await page.locator('input[name=plannedInvestmentWan]').inputValue()).toBe('20000');
    await page.locator('input[name=name]').fill('网页登记商协会预制菜项目');
    await page.locator('input[name=investor]').fill('深圳某预制菜食品有限公司');
    await pick(page, 'investorOrigin', '境内省外');

    // 商协会招商: the partner is asked for, of the kinds that fit (a chamber or the 经促会), before anything is sent
    expect(await item(page, 'partnerId').count()).toBe(0);
    await pick(page, 'channel', '商协会招商');
    await item(page, 'partnerId').waitFor();
    await page.getByRole('button', { name: '登记线索' }).click();
    await poll(() => item(page, 'partnerId').locator('.el-form-item__error').innerText()).toBe('请选择带来线索的商协会或经济促进会');
    await item(page, 'partnerId').locator('.el-select__wrapper').click();
    // the dropdown opens with an animation (and the list may still be loading): wait for its items
    await poll(async () => (await page.locator('.el-select-dropdown__item:visible').allInnerTexts()).join('|')).toContain('深圳市湖南南县商会');
    const offered = await page.locator('.el-select-dropdown__item:visible').allInnerTexts();
    expect(offered.join('|')).toContain('南县经济促进会长沙分会');
    expect(offered.join('|')).not.toContain('刘建华'); // an advisor does not carry 商协会招商
    await choose(page, '深圳市湖南南县商会');
    await shot(w, 'register-lead');

    // the chamber's appointment ends while the form is open: the service's 400 shows at the field
    const chamber = '/api/v1/partners/partner-demo-shenzhen-chamber';
    expect((await env.call('PATCH', chamber, { as: 'admin', body: { active: false } })).status).toBe(200);
    w.allow(/\/api\/v1\/projects$/, 400);
    await page.getByRole('button', { name: '登记线索' }).click();
    await poll(() => item(page, 'partnerId').locator('.el-form-item__error').innerText()).toBe('深圳市湖南南县商会 已不在聘（已停用）');
    expect(await page.locator('[data-test=form-error]').innerText()).toContain('已不在聘');
    expect((await env.call('PATCH', chamber, { as: 'admin', body: { active: true } })).status).toBe(200);

    await page.getByRole('button', { name: '登记线索' }).click();
    await page.waitForURL(/\/projects\/NX-\d{4}-\d{4}$/);
    await poll(() => page.locator('[data-test=project-partner]').innerText()).toBe('深圳市湖南南县商会');
    expect(await page.locator('[data-test=project-pitch]').innerText()).toBe('南县特色预制菜中央厨房项目');
    await shot(w, 'project-partner');
    const id = page.url().split('/').pop()!;
    const detail = await env.call('GET', `/api/v1/projects/${id}`, { as: 'info1' });
    expect(detail.body).toMatchObject({ channel: 'CHAMBER', partnerId: 'partner-demo-shenzhen-chamber', pitchId: 'pitch-demo-prepared-food' });
    w.expectClean();
    await w.close();
  });
});

describe('招商地图, 策划包装库, 招商顾问与商协会, 人员信息库', () => {
  it('招商地图 lists the seeded sites and filters by kind; on a phone too', async () => {
    const w = await env.open();
    const { page } = w;
    await logIn(w, 'info1');
    await page.locator('.el-menu-item', { hasText: '招商地图' }).click();
    await page.waitForURL(/\/sites$/);
    await poll(() => rows(page, 'sites').count()).toBe(5); // 可供 by default: the seed's 6 but 茅草街镇's let factory
    await page.locator('.el-radio-button', { hasText: '全部' }).click();
    await poll(() => rows(page, 'sites').count()).toBe(6);
    expect(await page.locator('[data-test=sites]').innerText()).toContain('茅草街镇标准厂房');
    await shot(w, 'sites');
    await page.locator('.filters .el-select__wrapper').first().click();
    await choose(page, '标准厂房');
    await poll(() => rows(page, 'sites').count()).toBe(3);
    await page.waitForURL(/kind=STANDARD_FACTORY/);
    expect(await page.locator('[data-test=sites]').innerText()).not.toContain('工业用地');
    w.expectClean();
    await w.close();

    const p = await env.open(PHONE);
    await logIn(p, 'info1');
    await p.page.goto('/sites');
    await poll(() => rows(p.page, 'sites').count()).toBe(5);
    await shot(p, 'sites-phone');
    p.expectClean();
    await p.close();
  });

  it('a pitch is registered through the dialog; a status move the policy does not allow shows the service\'s 409', async () => {
    const w = await env.open();
    const { page } = w;
    await logIn(w, 'info1');
    await page.goto('/pitches');
    await poll(() => rows(page, 'pitches').count()).toBeGreaterThanOrEqual(4);
    await page.locator('[data-test=new-pitch]').click();
    const form = page.locator('[data-test=pitch-form]');
    await form.waitFor();
    await form.locator('input[name=title]').fill('南县稻虾秸秆生物质新材料项目');
    await form.locator('[data-test=pitch-field-industryChain] .el-select__wrapper').click();
    await page.getByRole('option', { name: '新材料', exact: true }).click();
    await form.locator('input[name=investmentWan]').fill('18000');
    await form.locator('input[name=expectedOutputWan]').fill('36000');
    await form.locator('input[name=pitch-landMu]').fill('50');
    await form.locator('textarea[name=highlights]').fill('稻虾秸秆年产量大、收储体系完善，可就地转化为生物质复合材料');
    await shot(w, 'pitch-dialog');
    await page.locator('[data-test=pitch-submit]').click();
    await poll(() => page.locator('[data-test=pitches]').innerText()).toContain('南县稻虾秸秆生物质新材料项目');
    const row = rows(page, 'pitches').filter({ hasText: '南县稻虾秸秆生物质新材料项目' });
    expect(await row.locator('[data-test=pitch-status]').innerText()).toBe('草稿');

    // 草稿 → 已落地 is no move of the policy's: the service's 409 shows, at the status
    w.allow(/\/api\/v1\/pitches\/pitch-/, 409);
    await row.getByRole('button', { name: '修改' }).click();
    await form.locator('[data-test=pitch-field-status] .el-select__wrapper').click();
    await page.getByRole('option', { name: '已落地', exact: true }).click();
    await page.locator('[data-test=pitch-submit]').click();
    await poll(() => page.locator('[data-test=pitch-error]').innerText()).toContain('策划项目的状态不能从「草稿（DRAFT）」改为「已落地（LANDED）」');
    expect(await form.locator('[data-test=pitch-field-status] .el-form-item__error').innerText()).toBe('不能从草稿改为已落地');
    await shot(w, 'pitch-409');
    // 已发布 is
    await form.locator('[data-test=pitch-field-status] .el-select__wrapper').click();
    await page.getByRole('option', { name: '已发布', exact: true }).click();
    await page.locator('[data-test=pitch-submit]').click();
    await poll(() => row.locator('[data-test=pitch-status]').innerText()).toBe('已发布');
    await form.waitFor({ state: 'hidden' });
    await shot(w, 'pitches');

    // 招商顾问与商协会: the seeded partners, by kind
    await page.locator('.el-menu-item', { hasText: '招商顾问与商协会' }).click();
    await page.waitForURL(/\/partners$/);
    await poll(() => rows(page, 'partners').count()).toBe(3);
    expect(await page.locator('[data-test=partners]').innerText()).toContain('南县经济促进会长沙分会');
    await shot(w, 'partners');
    w.expectClean();
    await w.close();
  });

  it('人员信息库: info1 reads their own record (我的招商档案) with their leads; ADMIN opens it from 人员', async () => {
    const w = await env.open();
    const { page } = w;
    await logIn(w, 'info1');
    await page.locator('.el-menu-item', { hasText: '我的招商档案' }).click();
    await page.waitForURL(/\/people\/[^/]+\/record$/);
    await poll(() => page.locator('[data-test=record-title]').innerText()).toBe('我的招商档案');
    await poll(() => page.locator('[data-test=record-leads]').innerText()).toContain('网页登记商协会预制菜项目');
    expect(await page.locator('[data-test=record-person]').innerText()).toContain('信息收集专班成员');
    await shot(w, 'person-record');
    w.expectClean();
    await w.close();

    const a = await env.open();
    await logIn(a, 'admin');
    await a.page.goto('/admin/people?q=info1');
    await poll(() => a.page.locator('[data-test=people]').innerText()).toContain('info1');
    await a.page.locator('[data-test=people] .el-table__fixed-right [data-test=person-record], [data-test=people] [data-test=person-record]').first().click();
    await a.page.waitForURL(/\/people\/[^/]+\/record$/);
    await poll(() => a.page.locator('[data-test=record-title]').innerText()).toBe('信息收集专班成员的招商档案');
    await poll(() => a.page.locator('[data-test=record-leads]').innerText()).toContain('网页登记商协会预制菜项目');
    a.expectClean();
    await a.close();
  });
});
