// §11 The registries of the policy (DOMAIN.md §11): 五 "三库一图" — 招商地图 (sites), 策划包装库 (pitches),
// 人员信息库 (a person's investment-promotion record) — and 七 招商顾问、商协会、经促会 (partners). Their
// kinds with Chinese names, the schemas the API validates and the OpenAPI document shows, and the rules
// of who may write what and how a pitch's status moves. Pure: no I/O.
import { z } from 'zod';
import { DomainError, type FieldIssue } from './errors';
import type { CountyRole, Position } from './organisation';
import { IndustryChain, registryId, unitIdOf, type ProjectRegistration } from './project';
import { COORDINATOR_UNIT } from './read-access';
import { atLeastOne, FIGURE, isoDate, text, TEXT_LENGTH } from './text';

const keys = <T extends Record<string, string>>(o: T) => Object.keys(o) as [keyof T & string, ...(keyof T & string)[]];
const choices = (names: Record<string, string>) => Object.entries(names).map(([k, v]) => `${k}（${v}）`).join('、');
const enumOf = <T extends Record<string, string>>(names: T) => z.enum(keys(names), { error: `应为以下之一：${choices(names)}` });

/** Who is writing: the caller's unit and county roles. */
export interface Writer {
  unitId: string | null;
  roles: readonly CountyRole[];
}
const isAdmin = (w: Writer) => w.roles.includes('ADMIN');
/** 五, 七: 县商务局 (县投资促进服务中心), 招商综合协调部门, keeps the registries for the county. */
const isCoordinator = (w: Writer) => w.unitId === COORDINATOR_UNIT;

// ── 五 招商地图 ─────────────────────────────────────────────────────────────────────────────────────

export const SITE_KINDS = { INDUSTRIAL_LAND: '工业用地', STANDARD_FACTORY: '标准厂房' } as const;
export const SiteKind = enumOf(SITE_KINDS);
export type SiteKind = z.infer<typeof SiteKind>;

const siteShape = {
  name: text(TEXT_LENGTH.name, 2).describe('名称, e.g. 南县经济开发区标准厂房 3 号栋'),
  kind: SiteKind.describe(`类型: ${choices(SITE_KINDS)}`),
  areaMu: FIGURE.mu().describe('面积 (亩)'),
  location: text(TEXT_LENGTH.name, 2).describe('位置, e.g. 南洲镇兴盛大道以东'),
  landingSiteId: unitIdOf('LANDING_SITE').describe('所属项目落户地 (附件 二)'),
  available: z.boolean().describe('可供: still on offer'),
  note: text(TEXT_LENGTH.note).nullable().describe('备注: 配套, 价格, 交付条件'),
};
/** 五 招商地图: a site as registered (POST /sites). */
export const SiteCreate = z.strictObject({
  ...siteShape,
  available: siteShape.available.default(true),
  note: siteShape.note.optional(),
}).describe('招商地图地块');
/** A correction of a site (PATCH /sites/:id): the fields given change. */
export const SiteUpdate = atLeastOne(z.strictObject(siteShape).partial(), '至少给出一个要修改的字段');

/** 五: ADMIN, 县商务局, and a landing site for its own sites (never moving one to another landing site). */
export function checkSiteWrite(w: Writer, landingSiteIds: readonly string[]): void {
  if (isAdmin(w) || isCoordinator(w)) return;
  if (w.unitId && landingSiteIds.every((id) => id === w.unitId)) return;
  throw new DomainError('FORBIDDEN', '只有系统管理员（ADMIN）、县商务局和地块所属的项目落户地可以登记或修改招商地图的地块');
}

// ── 五 策划包装库 ───────────────────────────────────────────────────────────────────────────────────

export const PITCH_STATUSES = { DRAFT: '草稿', PUBLISHED: '已发布', IN_TALKS: '在谈', LANDED: '已落地', WITHDRAWN: '已撤回' } as const;
export const PitchStatus = enumOf(PITCH_STATUSES);
export type PitchStatus = z.infer<typeof PitchStatus>;
const pitchStatusNamed = (s: PitchStatus) => `${PITCH_STATUSES[s]}（${s}）`;

/**
 * 五: how a pitch's status moves. A draft is published (or dropped); a published pitch goes into talks
 * (a lead registered from it does that), back to draft for rework, or is withdrawn; talks end in 已落地,
 * or fail and the pitch is offered again, or it is withdrawn. 已落地 and 已撤回 are final — but for ADMIN,
 * who corrects mistakes.
 */
export const PITCH_TRANSITIONS: Record<PitchStatus, readonly PitchStatus[]> = {
  DRAFT: ['PUBLISHED', 'IN_TALKS', 'WITHDRAWN'],
  PUBLISHED: ['DRAFT', 'IN_TALKS', 'WITHDRAWN'],
  IN_TALKS: ['PUBLISHED', 'LANDED', 'WITHDRAWN'],
  LANDED: [],
  WITHDRAWN: [],
};

/** Refuses (409, naming both states) a move of a pitch's status that PITCH_TRANSITIONS does not allow; ADMIN moves it anywhere. */
export function checkPitchTransition(from: PitchStatus, to: PitchStatus, admin: boolean): void {
  if (from === to || admin || PITCH_TRANSITIONS[from].includes(to)) return;
  const next = PITCH_TRANSITIONS[from];
  throw new DomainError('CONFLICT',
    `策划项目的状态不能从「${pitchStatusNamed(from)}」改为「${pitchStatusNamed(to)}」：`
    + (next.length ? `可改为 ${next.map(pitchStatusNamed).join('、')}` : `${PITCH_STATUSES[from]}是最终状态，只有系统管理员（ADMIN）可以更正`),
    [{ field: 'body.status', message: `不能从${PITCH_STATUSES[from]}改为${PITCH_STATUSES[to]}` }]);
}

/** 五: a pitch that a lead is registered from goes into talks (a draft or a published one; one in talks stays so). */
export const PITCH_INTO_TALKS_FROM: readonly PitchStatus[] = ['DRAFT', 'PUBLISHED'];
/** 五: a lead may be registered from a pitch that is not over (已落地, 已撤回). */
export const PITCH_OPEN_FOR_LEADS: readonly PitchStatus[] = ['DRAFT', 'PUBLISHED', 'IN_TALKS'];

const pitchShape = {
  title: text(TEXT_LENGTH.name, 2).describe('策划项目名称, e.g. 年加工 10 万吨小龙虾精深加工项目'),
  industryChain: IndustryChain.describe('产业链 (六)'),
  siteIds: z.array(registryId('地块')).max(20, '最多 20 个候选地块').describe('候选地块 (GET /sites): each must exist'),
  landMu: FIGURE.mu().describe('用地 (亩)'),
  investmentWan: FIGURE.wan().describe('投资额 (万元)'),
  expectedOutputWan: FIGURE.wan().describe('预计年产值 (万元)'),
  highlights: text(TEXT_LENGTH.note, 2).describe('项目亮点、卖点: 资源, 配套, 政策'),
  responsibleUnitId: unitIdOf().describe('责任单位 (附件)'),
  status: PitchStatus.describe(`状态: ${choices(PITCH_STATUSES)}`),
};
/** 五 策划包装库: a pitch as registered (POST /pitches). */
export const PitchCreate = z.strictObject({
  ...pitchShape,
  siteIds: pitchShape.siteIds.default([]),
  status: z.enum(['DRAFT', 'PUBLISHED'], { error: '新登记的策划项目应为 DRAFT（草稿）或 PUBLISHED（已发布）' }).default('DRAFT')
    .describe('DRAFT 草稿 (default) or PUBLISHED 已发布'),
}).describe('策划包装项目');
/** A change of a pitch (PATCH /pitches/:id): the fields given change; `status` moves along PITCH_TRANSITIONS. */
export const PitchUpdate = atLeastOne(z.strictObject(pitchShape).partial(), '至少给出一个要修改的字段');

/** 五: ADMIN, 县商务局, and the pitch's responsible unit (which may not hand it to another unit). */
export function checkPitchWrite(w: Writer, responsibleUnitIds: readonly string[]): void {
  if (isAdmin(w) || isCoordinator(w)) return;
  if (w.unitId && responsibleUnitIds.every((id) => id === w.unitId)) return;
  throw new DomainError('FORBIDDEN', '只有系统管理员（ADMIN）、县商务局和策划项目的责任单位可以登记或修改策划包装库');
}

// ── 七 招商顾问、商协会、经促会 ────────────────────────────────────────────────────────────────────

export const PARTNER_KINDS = { ADVISOR: '招商顾问', CHAMBER: '商协会', PROMOTION_SOCIETY: '经济促进会' } as const;
export const PartnerKind = enumOf(PARTNER_KINDS);
export type PartnerKind = z.infer<typeof PartnerKind>;

const partnerShape = {
  kind: PartnerKind.describe(`类别: ${choices(PARTNER_KINDS)}`),
  name: text(TEXT_LENGTH.name, 2).describe('姓名或名称, e.g. 深圳市湖南南县商会'),
  field: text(TEXT_LENGTH.name, 2).describe('领域: 行业, 地区'),
  contact: text(TEXT_LENGTH.name, 2).describe('联系方式'),
  appointedBy: text(TEXT_LENGTH.name, 2).describe('聘请或认定单位, e.g. 南县人民政府'),
  appointedAt: isoDate().describe('聘请或认定日期 (YYYY-MM-DD)'),
  active: z.boolean().describe('在聘 / 有效: false once the appointment ended'),
};
/** 七: a partner as registered (POST /partners). */
export const PartnerCreate = z.strictObject({ ...partnerShape, active: partnerShape.active.default(true) }).describe('招商顾问或商协会');
/** A correction of a partner, or its deactivation (PATCH /partners/:id). */
export const PartnerUpdate = atLeastOne(z.strictObject(partnerShape).partial(), '至少给出一个要修改的字段');

/** 七 (责任单位 县商务局, 县经促会): ADMIN, 县商务局 and 县发展开放型经济领导小组办公室 keep the list of partners. */
export function checkPartnerWrite(w: Writer): void {
  if (isAdmin(w) || isCoordinator(w) || w.roles.includes('OPEN_ECONOMY_OFFICE')) return;
  throw new DomainError('FORBIDDEN', '只有系统管理员（ADMIN）、县商务局和县发展开放型经济领导小组办公室可以登记或修改招商顾问、商协会');
}

/** 七: the partners a channel is carried by — 招商顾问 by an advisor, 商协会招商 by a chamber or the 经促会. */
export const CHANNEL_PARTNER_KINDS: Partial<Record<ProjectRegistration['channel'], readonly PartnerKind[]>> = {
  ADVISOR: ['ADVISOR'],
  CHAMBER: ['CHAMBER', 'PROMOTION_SOCIETY'],
};

/**
 * 五, 七: the registry entries a registration names, as found — null for one that does not exist — and
 * what is wrong with them, each naming its field: a lead of channel ADVISOR or CHAMBER names its partner,
 * of a kind that fits the channel and still appointed; a pitch must exist and not be over.
 */
export function registrationLinkIssues(
  r: Pick<ProjectRegistration, 'channel' | 'pitchId' | 'partnerId'>,
  found: { pitch?: { status: string } | null; partner?: { kind: string; active: boolean; name: string } | null },
): FieldIssue[] {
  const issues: FieldIssue[] = [];
  const kinds = CHANNEL_PARTNER_KINDS[r.channel];
  if (kinds && !r.partnerId) {
    issues.push({ field: 'body.partnerId', message: `招商手段为${r.channel === 'ADVISOR' ? '招商顾问' : '商协会招商'}时必填：带来线索的${kinds.map((k) => PARTNER_KINDS[k]).join('或')}（GET /api/v1/partners）` });
  } else if (r.partnerId) {
    const p = found.partner;
    if (!p) issues.push({ field: 'body.partnerId', message: `招商顾问或商协会 ${r.partnerId} 不存在` });
    else if (!p.active) issues.push({ field: 'body.partnerId', message: `${p.name} 已不在聘（已停用）` });
    else if (kinds && !kinds.includes(p.kind as PartnerKind)) {
      issues.push({
        field: 'body.partnerId',
        message: `${p.name} 是${PARTNER_KINDS[p.kind as PartnerKind] ?? p.kind}，与招商手段不符：应为${kinds.map((k) => PARTNER_KINDS[k]).join('或')}`,
      });
    }
  }
  if (r.pitchId) {
    const p = found.pitch;
    if (!p) issues.push({ field: 'body.pitchId', message: `策划项目 ${r.pitchId} 不存在` });
    else if (!PITCH_OPEN_FOR_LEADS.includes(p.status as PitchStatus)) {
      issues.push({ field: 'body.pitchId', message: `策划项目${PITCH_STATUSES[p.status as PitchStatus] ?? p.status}，不能再据此登记线索` });
    }
  }
  return issues;
}

// ── 五, 十二 人员信息库 ─────────────────────────────────────────────────────────────────────────────

/** Who reads a person's record beside the person: 十二 the 县委组织部 (备案制), the 开放型经济办 (五), ADMIN. */
export const READS_EVERY_RECORD: readonly CountyRole[] = ['ADMIN', 'ORG_DEPT', 'OPEN_ECONOMY_OFFICE'];

/** 五, 十二: a person's record is read by the person, the leaders (PRINCIPAL, DEPUTY) of their unit, and READS_EVERY_RECORD. */
export function mayReadRecord(
  reader: { personId: string; unitId: string | null; position: Position | null; roles: readonly CountyRole[] },
  person: { id: string; unitId: string | null },
): boolean {
  if (reader.personId === person.id || reader.roles.some((r) => READS_EVERY_RECORD.includes(r))) return true;
  return !!reader.unitId && reader.unitId === person.unitId && (reader.position === 'PRINCIPAL' || reader.position === 'DEPUTY');
}
