// §11 三库一图 and 七: the kinds and states of the registries as the service names them (domain/registries.ts;
// the catalog does not carry them, the lists answer each row's Chinese name), and who the workbench offers
// the writing buttons to — a hint only: the service decides, and its 403 is shown as it says it.
import { hasRole, session } from './session';

export const SITE_KINDS = [
  { code: 'INDUSTRIAL_LAND', name: '工业用地' },
  { code: 'STANDARD_FACTORY', name: '标准厂房' },
] as const;
export type SiteKind = (typeof SITE_KINDS)[number]['code'];

export const PITCH_STATUSES = [
  { code: 'DRAFT', name: '草稿', tag: 'info' },
  { code: 'PUBLISHED', name: '已发布', tag: 'primary' },
  { code: 'IN_TALKS', name: '在谈', tag: 'warning' },
  { code: 'LANDED', name: '已落地', tag: 'success' },
  { code: 'WITHDRAWN', name: '已撤回', tag: 'info' },
] as const;
export type PitchStatus = (typeof PITCH_STATUSES)[number]['code'];
export const pitchStatusTag = (s: string) => PITCH_STATUSES.find((x) => x.code === s)?.tag ?? 'info';
/** 五: a lead may be registered from a pitch that is not over */
export const PITCH_OPEN_FOR_LEADS: readonly string[] = ['DRAFT', 'PUBLISHED', 'IN_TALKS'];

export const PARTNER_KINDS = [
  { code: 'ADVISOR', name: '招商顾问' },
  { code: 'CHAMBER', name: '商协会' },
  { code: 'PROMOTION_SOCIETY', name: '经济促进会' },
] as const;
export type PartnerKind = (typeof PARTNER_KINDS)[number]['code'];
/** 七: the partners a channel is carried by — 招商顾问 by an advisor, 商协会招商 by a chamber or the 经促会 */
export const CHANNEL_PARTNER_KINDS: Record<string, readonly PartnerKind[]> = {
  ADVISOR: ['ADVISOR'],
  CHAMBER: ['CHAMBER', 'PROMOTION_SOCIETY'],
};

const coordinator = () => session.me?.unit?.subcategory === 'COORDINATOR';
/** 五: ADMIN, 县商务局, and a landing site (its own sites) */
export const mayWriteSites = () => hasRole('ADMIN') || coordinator() || session.me?.unit?.category === 'LANDING_SITE';
/** 五: ADMIN, 县商务局, and a responsible unit (its own pitches) */
export const mayWritePitches = () => hasRole('ADMIN') || coordinator() || !!session.me?.unit;
/** 五: whether the caller may change this site or pitch (of their own unit, unless ADMIN or 县商务局) */
export const mayChangeOf = (unitId: string) => hasRole('ADMIN') || coordinator() || session.me?.unit?.id === unitId;
/** 七: ADMIN, 县商务局, 县发展开放型经济领导小组办公室 */
export const mayWritePartners = () => hasRole('ADMIN', 'OPEN_ECONOMY_OFFICE') || coordinator();
