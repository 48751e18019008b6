// §11 the registries, over real HTTP against the dev server and a fresh SQLite file: 招商地图 (sites) and
// 策划包装库 (pitches) of clause 五, 招商顾问和商协会 (partners) of clause 七 — who reads and writes them, their
// filters and their 400s; a pitch's status moving only along its transitions (409 naming both states);
// a registration naming its pitch and partner (400s naming body.pitchId / body.partnerId, the pitch put into
// talks, the project row carrying both once the projection ran); and 人员信息库 (五, 十二), one person's
// record and who may read it.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { shanghaiDate } from '../domain/shanghai-time';
import { startApiEnv, type ApiEnv } from './helpers/api-env';
import { eventually } from './helpers/eventually';

let a: ApiEnv;
beforeAll(async () => {
  a = await startApiEnv('registries');
});
afterAll(async () => a?.teardown());

const fields = (r: { body: { error?: { details?: { field: string }[] } } }) => (r.body.error?.details ?? []).map((d) => d.field).sort();
const lead = {
  name: '稻虾产业链招商测试项目', investor: '湖南某食品有限公司', investorOrigin: 'OUT_OF_PROVINCE', industryChain: 'RICE_SHRIMP',
  channel: 'CHAMBER', plannedInvestmentWan: 30000,
};

describe('五 招商地图 (sites)', () => {
  it('is read by anyone logged in, with filters that combine; a bad filter is 400 naming it', async () => {
    expect((await a.call('GET', '/api/v1/sites')).status).toBe(401);
    const all = await a.call('GET', '/api/v1/sites', { as: 'justice1' });
    expect(all.status).toBe(200);
    expect(all.body.total).toBe(6); // the seed's demo sites
    expect(all.body.items[0]).toMatchObject({ kindName: expect.any(String), landingSiteName: expect.any(String), available: expect.any(Boolean) });
    const ids = async (q: string) => (await a.call('GET', `/api/v1/sites?${q}`, { as: 'justice1' })).body.items.map((s: { id: string }) => s.id).sort();
    expect(await ids('kind=STANDARD_FACTORY')).toEqual(['site-demo-agripark-factory', 'site-demo-kfq-factory', 'site-demo-maocaojie-factory']);
    expect(await ids('landingSiteId=L01')).toEqual(['site-demo-kfq-factory', 'site-demo-kfq-food-park']);
    expect(await ids('available=false')).toEqual(['site-demo-maocaojie-factory']);
    expect(await ids('kind=INDUSTRIAL_LAND&available=true&minAreaMu=70')).toEqual(['site-demo-kfq-food-park', 'site-demo-sanxianhu-land']);
    expect(fields(await a.call('GET', '/api/v1/sites?minAreaMu=-1', { as: 'justice1' }))).toEqual(['querystring.minAreaMu']);
    expect(fields(await a.call('GET', '/api/v1/sites?kind=FARM', { as: 'justice1' }))).toEqual(['querystring.kind']);
    expect(fields(await a.call('GET', '/api/v1/sites?landingSiteId=R00', { as: 'justice1' }))).toEqual(['querystring.landingSiteId']);
    expect(fields(await a.call('GET', '/api/v1/sites?size=big', { as: 'justice1' }))).toEqual(['querystring.size']);
    expect((await a.call('GET', '/api/v1/sites/site-demo-kfq-factory', { as: 'justice1' })).body).toMatchObject({ kind: 'STANDARD_FACTORY', kindName: '标准厂房', landingSiteName: '县经济开发区' });
    expect((await a.call('GET', '/api/v1/sites/site-nope', { as: 'justice1' })).status).toBe(404);
  });

  it('is written by ADMIN, 县商务局 and a landing site for its own sites; bad fields are 400 naming each', async () => {
    const site = { name: '南洲镇南部标准厂房', kind: 'STANDARD_FACTORY', areaMu: 25.5, location: '南洲镇南郊工业片区', landingSiteId: 'L03' };
    const own = await a.call('POST', '/api/v1/sites', { as: 'nanzhou1', body: site });
    expect(own.status).toBe(201);
    expect(own.body).toMatchObject({ ...site, available: true, note: null, createdBy: 'nanzhou1', landingSiteName: '南洲镇' });
    expect((await a.call('POST', '/api/v1/sites', { as: 'nanzhou1', body: { ...site, landingSiteId: 'L01' } })).status).toBe(403);
    expect((await a.call('POST', '/api/v1/sites', { as: 'justice1', body: site })).status).toBe(403);
    const forge = await a.call('POST', '/api/v1/sites', { as: 'commerce1', body: { ...site, landingSiteId: 'L05', note: '县商务局代为登记' } });
    expect(forge.status).toBe(201);
    expect((await a.call('POST', '/api/v1/sites', { as: 'admin', body: { ...site, landingSiteId: 'L06' } })).status).toBe(201);
    const bad = await a.call('POST', '/api/v1/sites', { as: 'admin', body: { name: '', kind: 'FARM', areaMu: 0, location: '某处', landingSiteId: 'R00', extra: 1 } });
    expect(bad.status).toBe(400);
    expect(fields(bad)).toEqual(expect.arrayContaining(['body.areaMu', 'body.kind', 'body.landingSiteId', 'body.name']));
    expect(bad.body.error.message).toMatch(/[\u4e00-\u9fa5]/);

    // corrections: the landing site on its own site, never moving it away; not on another's
    const path = `/api/v1/sites/${own.body.id}`;
    const let_ = await a.call('PATCH', path, { as: 'nanzhou1', body: { available: false, note: '已租赁' } });
    expect(let_).toMatchObject({ status: 200, body: { available: false, note: '已租赁', name: site.name } });
    expect((await a.call('PATCH', path, { as: 'nanzhou1', body: { landingSiteId: 'L01' } })).status).toBe(403);
    expect((await a.call('PATCH', path, { as: 'kfq1', body: { available: true } })).status).toBe(403);
    expect((await a.call('PATCH', path, { as: 'commerce1', body: { note: null } })).body.note).toBeNull();
    expect(fields(await a.call('PATCH', path, { as: 'commerce1', body: {} }))).toEqual(['body']);
    expect((await a.call('PATCH', '/api/v1/sites/site-nope', { as: 'admin', body: { available: true } })).status).toBe(404);
    const audit = await a.store.db.auditEntry.findMany({ where: { target: `site:${own.body.id}` }, orderBy: { id: 'asc' } });
    expect(audit.map((e) => e.action)).toEqual(['SITE_CREATED', 'SITE_UPDATED', 'SITE_UPDATED']);
  });
});

describe('五 策划包装库 (pitches)', () => {
  const pitch = {
    title: '南县经开区智能包装材料项目', industryChain: 'NEW_MATERIALS', siteIds: ['site-demo-kfq-factory'], landMu: 30, investmentWan: 12000,
    expectedOutputWan: 25000, highlights: '服务园区食品企业包装需求，标准厂房可拎包入驻', responsibleUnitId: 'L01',
  };

  it('is read by anyone logged in, filtered by status and industry chain', async () => {
    const all = await a.call('GET', '/api/v1/pitches?pageSize=100', { as: 'justice1' });
    expect(all.body.total).toBe(4);
    expect((await a.call('GET', '/api/v1/pitches?status=PUBLISHED', { as: 'justice1' })).body.total).toBe(3);
    const food = await a.call('GET', '/api/v1/pitches?industryChain=FOOD', { as: 'justice1' });
    expect(food.body.items).toEqual([expect.objectContaining({ id: 'pitch-demo-prepared-food', industryChainName: '食品加工', statusName: '已发布', responsibleUnitName: '县商务局(县投资促进服务中心)' })]);
    expect(fields(await a.call('GET', '/api/v1/pitches?status=SOLD', { as: 'justice1' }))).toEqual(['querystring.status']);
    const detail = await a.call('GET', '/api/v1/pitches/pitch-demo-prepared-food', { as: 'justice1' });
    expect(detail.body.sites.map((s: { id: string }) => s.id)).toEqual(['site-demo-kfq-factory', 'site-demo-agripark-factory']);
    expect(detail.body.projects).toEqual([]);
    expect((await a.call('GET', '/api/v1/pitches/pitch-nope', { as: 'justice1' })).status).toBe(404);
  });

  it('is written by ADMIN, 县商务局 and the responsible unit; candidate sites must be on the map', async () => {
    const created = await a.call('POST', '/api/v1/pitches', { as: 'kfq1', body: pitch });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ ...pitch, status: 'DRAFT', statusName: '草稿', createdBy: 'kfq1' });
    expect((await a.call('POST', '/api/v1/pitches', { as: 'kfq1', body: { ...pitch, responsibleUnitId: 'R00' } })).status).toBe(403);
    expect((await a.call('POST', '/api/v1/pitches', { as: 'justice1', body: pitch })).status).toBe(403);
    const unknownSite = await a.call('POST', '/api/v1/pitches', { as: 'commerce1', body: { ...pitch, siteIds: ['site-demo-kfq-factory', 'site-nope'] } });
    expect(unknownSite).toMatchObject({ status: 400, body: { error: { details: [{ field: 'body.siteIds.1', message: expect.stringContaining('site-nope') }] } } });
    expect(fields(await a.call('POST', '/api/v1/pitches', { as: 'commerce1', body: { ...pitch, siteIds: ['site-demo-kfq-factory', 'site-demo-kfq-factory'] } }))).toEqual(['body.siteIds.1']);
    expect(fields(await a.call('POST', '/api/v1/pitches', { as: 'commerce1', body: { ...pitch, status: 'LANDED' } }))).toEqual(['body.status']);
    const bad = await a.call('POST', '/api/v1/pitches', { as: 'commerce1', body: { ...pitch, industryChain: 'STEEL', investmentWan: -5, highlights: '' } });
    expect(fields(bad)).toEqual(['body.highlights', 'body.industryChain', 'body.investmentWan']);
    const published = await a.call('POST', '/api/v1/pitches', { as: 'commerce1', body: { ...pitch, title: '县商务局发布的策划项目', responsibleUnitId: 'R00', status: 'PUBLISHED', siteIds: [] } });
    expect(published.body).toMatchObject({ status: 'PUBLISHED', siteIds: [] });
  });

  it('moves its status only along its transitions: 409 naming both states; LANDED and WITHDRAWN are final but for ADMIN', async () => {
    const id = (await a.call('POST', '/api/v1/pitches', { as: 'kfq1', body: { ...pitch, title: '状态流转测试项目' } })).body.id;
    const path = `/api/v1/pitches/${id}`;
    const jump = await a.call('PATCH', path, { as: 'kfq1', body: { status: 'LANDED' } });
    expect(jump.status).toBe(409);
    expect(jump.body.error.message).toContain('草稿');
    expect(jump.body.error.message).toContain('已落地');
    expect((await a.call('PATCH', path, { as: 'kfq1', body: { status: 'PUBLISHED', highlights: '新增：三年免租' } })).body).toMatchObject({ status: 'PUBLISHED', highlights: '新增：三年免租' });
    expect((await a.call('PATCH', path, { as: 'kfq1', body: { responsibleUnitId: 'L03' } })).status).toBe(403); // not handed to another unit by itself
    expect((await a.call('PATCH', path, { as: 'nanzhou1', body: { highlights: '越权修改' } })).status).toBe(403);
    expect((await a.call('PATCH', path, { as: 'kfq1', body: { status: 'WITHDRAWN' } })).body.status).toBe('WITHDRAWN');
    const back = await a.call('PATCH', path, { as: 'commerce1', body: { status: 'PUBLISHED' } });
    expect(back.status).toBe(409);
    expect(back.body.error.message).toMatch(/已撤回.*已发布/);
    expect(back.body.error.message).toContain('系统管理员');
    expect((await a.call('PATCH', path, { as: 'admin', body: { status: 'PUBLISHED' } })).body.status).toBe('PUBLISHED');
    expect(fields(await a.call('PATCH', path, { as: 'admin', body: { siteIds: ['site-nope'] } }))).toEqual(['body.siteIds.0']);
    const audit = await a.store.db.auditEntry.findMany({ where: { target: `pitch:${id}` }, orderBy: { id: 'asc' } });
    expect(audit.map((e) => e.action)).toEqual(['PITCH_CREATED', 'PITCH_UPDATED', 'PITCH_UPDATED', 'PITCH_UPDATED']);
  });
});

describe('七 招商顾问和商协会 (partners)', () => {
  it('is kept by ADMIN, 县商务局 and OPEN_ECONOMY_OFFICE, read by anyone; an ended appointment is active: false', async () => {
    const seeded = await a.call('GET', '/api/v1/partners', { as: 'nanzhou1' });
    expect(seeded.body.items.map((p: { kind: string }) => p.kind).sort()).toEqual(['ADVISOR', 'CHAMBER', 'PROMOTION_SOCIETY']);
    const advisor = { kind: 'ADVISOR', name: '王志强（南县籍在外企业家）', field: '新材料（长三角）', contact: '经县商务局联络', appointedBy: '南县人民政府', appointedAt: '2026-03-01' };
    const created = await a.call('POST', '/api/v1/partners', { as: 'openeco', body: advisor });
    expect(created).toMatchObject({ status: 201, body: { ...advisor, kindName: '招商顾问', active: true, createdBy: 'openeco' } });
    expect((await a.call('POST', '/api/v1/partners', { as: 'commerce1', body: { ...advisor, kind: 'CHAMBER', name: '上海市湖南南县商会' } })).status).toBe(201);
    expect((await a.call('POST', '/api/v1/partners', { as: 'kfq1', body: advisor })).status).toBe(403);
    expect(fields(await a.call('POST', '/api/v1/partners', { as: 'admin', body: { ...advisor, appointedAt: '2026-02-30', kind: 'FRIEND' } }))).toEqual(['body.appointedAt', 'body.kind']);
    const ended = await a.call('PATCH', `/api/v1/partners/${created.body.id}`, { as: 'commerce1', body: { active: false } });
    expect(ended.body.active).toBe(false);
    expect((await a.call('PATCH', `/api/v1/partners/${created.body.id}`, { as: 'kfq1', body: { active: true } })).status).toBe(403);
    expect((await a.call('GET', '/api/v1/partners?active=false', { as: 'nanzhou1' })).body.items.map((p: { id: string }) => p.id)).toEqual([created.body.id]);
    expect((await a.call('GET', '/api/v1/partners?kind=CHAMBER', { as: 'nanzhou1' })).body.total).toBe(2);
  });
});

describe('a registration names its pitch (五) and partner (七)', () => {
  it('refuses with 400 naming the field: a partner missing for ADVISOR / CHAMBER, unknown, of the wrong kind or no longer active; an unknown or finished pitch', async () => {
    const post = (body: object) => a.call('POST', '/api/v1/projects', { as: 'nanzhou1', body: { ...lead, ...body } });
    for (const channel of ['ADVISOR', 'CHAMBER']) {
      const missing = await post({ channel });
      expect(missing.status).toBe(400);
      expect(missing.body.error.details).toEqual([{ field: 'body.partnerId', message: expect.stringContaining('必填') }]);
    }
    expect(fields(await post({ partnerId: 'partner-nope' }))).toEqual(['body.partnerId']);
    expect(fields(await post({ partnerId: 'partner-demo-advisor-food' }))).toEqual(['body.partnerId']); // an advisor for channel CHAMBER
    expect(fields(await post({ channel: 'ADVISOR', partnerId: 'partner-demo-shenzhen-chamber' }))).toEqual(['body.partnerId']);
    const inactive = (await a.call('GET', '/api/v1/partners?active=false', { as: 'nanzhou1' })).body.items[0].id;
    expect(fields(await post({ channel: 'ADVISOR', partnerId: inactive }))).toEqual(['body.partnerId']);
    expect(fields(await post({ partnerId: 'partner-demo-shenzhen-chamber', pitchId: 'pitch-nope' }))).toEqual(['body.pitchId']);
    expect(fields(await post({ partnerId: 'partner-demo-shenzhen-chamber', pitchId: 'bad id!' }))).toEqual(['body.pitchId']);
    const withdrawn = (await a.call('GET', '/api/v1/pitches?status=WITHDRAWN', { as: 'nanzhou1' })).body.items;
    expect(withdrawn).toEqual([]); // (the transitions test put its pitch back)
    await a.store.db.pitch.update({ where: { id: 'pitch-demo-new-materials' }, data: { status: 'WITHDRAWN' } });
    expect(fields(await post({ partnerId: 'partner-demo-shenzhen-chamber', pitchId: 'pitch-demo-new-materials' }))).toEqual(['body.pitchId']);
    await a.store.db.pitch.update({ where: { id: 'pitch-demo-new-materials' }, data: { status: 'DRAFT' } });
    expect(await a.store.db.project.count({ where: { name: lead.name } })).toBe(0);
  });

  it('registers with both: the pitch goes into talks, the project row carries both, the detail and the list show them', async () => {
    const r = await a.call('POST', '/api/v1/projects', {
      as: 'nanzhou1', body: { ...lead, partnerId: 'partner-demo-changsha-society', pitchId: 'pitch-demo-crayfish' },
    });
    expect(r.status).toBe(201);
    const id = r.body.id as string;
    expect((await a.call('GET', '/api/v1/pitches/pitch-demo-crayfish', { as: 'nanzhou1' })).body).toMatchObject({
      status: 'IN_TALKS', statusName: '在谈', projects: [{ id, name: lead.name, stage: 'LEAD' }],
    });
    const row = await eventually(async () => {
      const p = await a.store.db.project.findUniqueOrThrow({ where: { id } });
      expect(p).toMatchObject({ pitchId: 'pitch-demo-crayfish', partnerId: 'partner-demo-changsha-society' });
      return p;
    });
    expect(row.channel).toBe('CHAMBER');
    const detail = await a.call('GET', `/api/v1/projects/${id}`, { as: 'nanzhou1' });
    expect(detail.body).toMatchObject({
      pitchId: 'pitch-demo-crayfish', pitchTitle: '年加工 5 万吨小龙虾精深加工项目', partnerId: 'partner-demo-changsha-society', partnerName: '南县经济促进会长沙分会',
    });
    const listed = await a.call('GET', '/api/v1/projects?pitchId=pitch-demo-crayfish', { as: 'nanzhou1' });
    expect(listed.body.items).toEqual([expect.objectContaining({ id, pitchTitle: '年加工 5 万吨小龙虾精深加工项目', partnerName: '南县经济促进会长沙分会' })]);
    expect((await a.call('GET', '/api/v1/projects?partnerId=partner-demo-advisor-food', { as: 'nanzhou1' })).body.total).toBe(0);
    // a second lead from the pitch in talks: it stays in talks; one without either still registers as before
    const second = await a.call('POST', '/api/v1/projects', {
      as: 'nanzhou1', body: { ...lead, name: '稻虾产业链第二个线索', channel: 'ADVISOR', partnerId: 'partner-demo-advisor-food', pitchId: 'pitch-demo-crayfish' },
    });
    expect(second.status).toBe(201);
    expect((await a.store.db.pitch.findUniqueOrThrow({ where: { id: 'pitch-demo-crayfish' } })).status).toBe('IN_TALKS');
    const plain = await a.call('POST', '/api/v1/projects', { as: 'nanzhou1', body: { ...lead, name: '普通线索', channel: 'BUSINESS_REFERRAL' } });
    expect(plain.status).toBe(201);
    await eventually(async () => expect(await a.store.db.project.findUniqueOrThrow({ where: { id: plain.body.id } })).toMatchObject({ pitchId: null, partnerId: null }));
    expect((await a.call('GET', `/api/v1/projects/${plain.body.id}`, { as: 'nanzhou1' })).body).toMatchObject({ pitchId: null, pitchTitle: null, partnerId: null, partnerName: null });
    // 五: a draft pitch goes into talks too; the audit says which lead did it
    const fromDraft = await a.call('POST', '/api/v1/projects', {
      as: 'nanzhou1', body: { ...lead, name: '新材料线索', industryChain: 'NEW_MATERIALS', channel: 'TECH', pitchId: 'pitch-demo-new-materials' },
    });
    expect(fromDraft.status).toBe(201);
    expect((await a.store.db.pitch.findUniqueOrThrow({ where: { id: 'pitch-demo-new-materials' } })).status).toBe('IN_TALKS');
    const note = await a.store.db.auditEntry.findFirst({ where: { target: 'pitch:pitch-demo-new-materials', action: 'PITCH_UPDATED' } });
    expect(note?.note).toContain(fromDraft.body.id);
    // the pitch and partner are not amendable
    const amend = await a.call('POST', `/api/v1/projects/${id}/amend`, { as: 'admin', body: { fields: { pitchId: 'pitch-demo-prepared-food' }, reason: '更正策划项目' } });
    expect(amend.status).toBe(400);
  });

  it('states the fields and the registries in the OpenAPI document', async () => {
    const doc = (await fetch(`${a.base}/docs/json`).then((r) => r.json())) as { paths: Record<string, Record<string, any>> };
    expect(Object.keys(doc.paths)).toEqual(expect.arrayContaining(['/api/v1/sites', '/api/v1/sites/{id}', '/api/v1/pitches', '/api/v1/pitches/{id}', '/api/v1/partners', '/api/v1/partners/{id}', '/api/v1/people/{id}/record']));
    const registration = doc.paths['/api/v1/projects'].post.requestBody.content['application/json'].schema;
    expect(Object.keys(registration.properties)).toEqual(expect.arrayContaining(['pitchId', 'partnerId']));
    expect(doc.paths['/api/v1/sites'].post.requestBody.content['application/json'].schema.properties.kind.enum).toEqual(['INDUSTRIAL_LAND', 'STANDARD_FACTORY']);
    expect(doc.paths['/api/v1/pitches/{id}'].patch.responses).toHaveProperty('409');
  });
});

describe('五, 十二 人员信息库 (a person\'s record)', () => {
  it('shows 备案, trips, leads, the unit\'s projects and tasks done and overdue; read by the person, their unit\'s leaders, ORG_DEPT, OPEN_ECONOMY_OFFICE and ADMIN', async () => {
    const today = shanghaiDate(Date.now());
    const year = Number(today.slice(0, 4));
    expect((await a.call('POST', '/api/v1/trips', { as: 'nanzhou1', body: { startDate: today, endDate: today, destination: '深圳', purpose: '拜访深圳市湖南南县商会', leadsFound: 2 } })).status).toBe(201);
    // info1 verifies one of nanzhou1's leads into 南洲镇's charge, and claims another, which then runs past due
    const mine = await a.store.db.project.findMany({ where: { createdBy: 'nanzhou1' }, orderBy: { createdAt: 'asc' } });
    expect(mine.length).toBeGreaterThanOrEqual(4);
    const verify = async (projectId: string) => eventually(async () => {
      const t = await a.store.db.task.findFirst({ where: { projectId, type: 'lead.verify' } });
      expect(t).not.toBeNull();
      return t!;
    });
    const first = await verify(mine[0].id);
    const done = await a.call('POST', `/api/v1/tasks/${first.id}/complete`, { as: 'info1', body: { outcome: 'accept', data: { landingSiteId: 'L03', responsibleUnitId: 'L03' } } });
    expect(done.status).toBe(200);
    const second = await verify(mine[1].id);
    expect((await a.call('POST', `/api/v1/tasks/${second.id}/claim`, { as: 'info1' })).status).toBe(200);
    await eventually(async () => expect((await a.store.db.task.findUniqueOrThrow({ where: { id: second.id } })).claimedBy).toBe('info1'));
    await eventually(async () => expect((await a.store.db.task.findUniqueOrThrow({ where: { id: first.id } })).status).toBe('COMPLETED'));
    // (as if they had run late: the due times put back in the database)
    await a.store.db.task.update({ where: { id: second.id }, data: { dueAt: new Date(Date.now() - 86_400_000) } });
    await a.store.db.task.update({ where: { id: first.id }, data: { dueAt: new Date(Date.now() - 86_400_000 * 2) } });

    const own = await a.call('GET', '/api/v1/people/p-nanzhou1/record', { as: 'nanzhou1' });
    expect(own.status).toBe(200);
    expect(own.body).toMatchObject({
      year,
      person: { username: 'nanzhou1', unitId: 'L03', unitName: '南洲镇', position: 'STAFF', positionName: '专职招商人员', filed: false, filedAt: null, roles: [] },
      trips: { total: 1, inYear: 1, items: [{ destination: '深圳', leadsFound: 2 }] },
      leads: { total: mine.length, inYear: mine.length, notShown: 0 },
      unitProjects: { unitId: 'L03', total: 1, byStage: [{ stage: 'CONTACT', stageName: expect.any(String), count: 1 }] },
      tasks: { done: { total: 0, inYear: 0 }, overdue: { count: 0 } },
    });
    expect(own.body.leads.items).toHaveLength(mine.length);
    expect(own.body.leads.items[0]).toMatchObject({ stage: expect.any(String), stageName: expect.any(String), plannedInvestmentWan: 30000 });
    expect(own.body.leads.plannedInvestmentWan).toBe(mine.reduce((s, p) => s + p.plannedInvestmentWan, 0));

    const info = await a.call('GET', '/api/v1/people/p-info1/record', { as: 'info1' });
    expect(info.body.tasks).toMatchObject({ done: { total: 1, inYear: 1 }, doneLate: { total: 1, inYear: 1 }, overdue: { count: 1, items: [{ id: second.id, type: 'lead.verify' }] } });
    expect((await a.call('GET', `/api/v1/people/p-info1/record?year=${year - 1}`, { as: 'info1' })).body.tasks).toMatchObject({ done: { total: 1, inYear: 0 }, doneLate: { inYear: 0 } });

    // 十二 备案: once ORG_DEPT has put nanzhou1 on record, the record says so
    expect((await a.call('POST', '/api/v1/admin/people/p-nanzhou1/file', { as: 'orgdept' })).status).toBe(200);
    const filed = await a.call('GET', '/api/v1/people/p-nanzhou1/record', { as: 'nanzhou_principal' });
    expect(filed.body.person).toMatchObject({ filed: true, filedBy: 'orgdept', filedAt: expect.any(String) });
    expect((await a.call('GET', '/api/v1/people/p-nanzhou1/record', { as: 'nanzhou_deputy' })).status).toBe(200);
    for (const reader of ['orgdept', 'openeco', 'admin']) {
      const r = await a.call('GET', '/api/v1/people/p-nanzhou1/record', { as: reader });
      expect(r.status, reader).toBe(200);
      expect(r.body.leads.total, reader).toBe(mine.length);
    }
    // ORG_DEPT reads the record but not the projects: the leads are counted, not listed
    const org = await a.call('GET', '/api/v1/people/p-nanzhou1/record', { as: 'orgdept' });
    expect(org.body.leads.items.length + org.body.leads.notShown).toBe(mine.length);
    expect(org.body.leads.notShown).toBeGreaterThan(0);
    for (const outsider of ['kfq_principal', 'kfq1', 'justice1', 'info1']) {
      const r = await a.call('GET', '/api/v1/people/p-nanzhou1/record', { as: outsider });
      expect(r.status, outsider).toBe(403);
      expect(r.body.error.message).toMatch(/[\u4e00-\u9fa5]/);
    }
    expect((await a.call('GET', '/api/v1/people/p-nobody/record', { as: 'admin' })).status).toBe(404);
    expect(fields(await a.call('GET', '/api/v1/people/p-nanzhou1/record?year=1999', { as: 'admin' }))).toEqual(['querystring.year']);
    expect((await a.call('GET', '/api/v1/people/p-nanzhou1/record')).status).toBe(401);
  });
});

describe('the reports credit them: the 通报 counts the pitches (五), the annual report the partners\' leads and signings (七)', () => {
  it('counts the pitches by 产业链 and status with the quarter\'s leads from them; credits each partner with its leads and the signed amounts', async () => {
    const { computeAnnualAssessment, computeQuarterlyBulletin } = await import('../db/reports');
    const { periodsOf } = await import('../domain/shanghai-time');
    const { DEFAULT_POLICY } = await import('../domain/policy');
    const { walkProject } = await import('./helpers/walk');
    const { quarter, year } = periodsOf(Date.now());
    const now = new Date().toISOString();

    const b = await computeQuarterlyBulletin(a.store.db, { quarter: quarter.key, at: now }, DEFAULT_POLICY);
    const pitches = await a.store.db.pitch.findMany();
    const crayfish = b.pitches!.find((r) => r.chain === 'RICE_SHRIMP')!;
    expect(crayfish).toMatchObject({ chainName: '稻虾', IN_TALKS: pitches.filter((p) => p.industryChain === 'RICE_SHRIMP' && p.status === 'IN_TALKS').length, leadsInPeriod: 2 });
    expect(b.pitches!.reduce((n, r) => n + r.total, 0)).toBe(pitches.length);

    // the 经促会's lead is signed this year: the annual report credits it with the amount
    const brought = await a.call('GET', '/api/v1/projects?partnerId=partner-demo-changsha-society', { as: 'admin' });
    expect(brought.body.total).toBe(1);
    const today = shanghaiDate(Date.now());
    await walkProject(a, brought.body.items[0].id, 'LAND_SUPPLY', { 'signing.ceremony': { signedDate: today, contractNo: 'NXHT-P-1', signedAmountWan: 12345 } });
    const y = await computeAnnualAssessment(a.store.db, { year: Number(year.key), at: new Date().toISOString() }, DEFAULT_POLICY);
    expect(y.partners).toEqual(expect.arrayContaining([
      { partnerId: 'partner-demo-changsha-society', name: '南县经济促进会长沙分会', kind: 'PROMOTION_SOCIETY', kindName: '经济促进会', leads: 1, plannedInvestmentWan: 60000 /* as the plan (计划书) put it */, signed: 1, signedInvestmentWan: 12345 },
      expect.objectContaining({ partnerId: 'partner-demo-advisor-food', kindName: '招商顾问', leads: 1, signed: 0, signedInvestmentWan: 0 }),
    ]));
    expect(y.partners![0].partnerId).toBe('partner-demo-changsha-society'); // most signed first
    // and the workbook and the CSV show them
    const csv = await (await fetch(`${a.base}/api/v1/reports/annual/${year.key}?format=csv`, { headers: { authorization: `Bearer ${await a.login('countyhead')}` } })).text();
    expect(csv).toContain('名称,类别,引荐线索（个）,线索计划投资（万元）,签约项目（个）,签约金额（万元）\r\n南县经济促进会长沙分会,经济促进会,1,60000,1,12345');
  });
});
