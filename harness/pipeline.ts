// Walking projects through the pipeline (tests, the simulation, record-histories, benchmarks): which
// demo account acts for a candidate group, and what a completion that moves a task forward carries.
import type { Db } from '../db/client';
import type { Actor } from '../domain/organisation';
import { NAMED_UNITS } from '../domain/units';
import { actorOf, loadCaller } from '../api/plugins/auth';

/** The demo account (§7) that belongs to each candidate group the walks meet. */
export const DEMO_USER_FOR_GROUP: Record<string, string> = {
  'TF:INFO': 'info1', 'TF:ASSESS': 'assess1', 'TF:NEGOTIATE': 'negotiate1', 'TF:FACTOR': 'factor1',
  'ROLE:VICE_HEAD': 'vicehead', 'ROLE:COUNTY_HEAD': 'countyhead', 'ROLE:OPEN_ECONOMY_OFFICE': 'openeco', 'ROLE:GOV_OFFICE': 'govoffice',
  [`UNIT:${NAMED_UNITS.commerce}`]: 'commerce1', [`UNIT:${NAMED_UNITS.justice}`]: 'justice1',
  [`UNIT:${NAMED_UNITS.economicZone}`]: 'kfq1', [`UNIT:${NAMED_UNITS.nanzhou}`]: 'nanzhou1',
};

/** Someone who is NOT in the group (for 403 checks): a person of an unrelated unit. */
export const OUTSIDER = 'justice1';
export const outsiderFor = (group: string) => (DEMO_USER_FOR_GROUP[group] === OUTSIDER ? 'kfq1' : OUTSIDER);

export async function actorNamed(db: Db, username: string): Promise<Actor> {
  const caller = await loadCaller(db, `p-${username}`);
  if (!caller) throw new Error(`no demo account ${username}`);
  return actorOf(caller);
}

/** A completion of a task type that moves the project forward (the happy path of §3). */
export function forward(type: string, opts: { isCaseByCase?: boolean; landingSiteId?: string; responsibleUnitId?: string } = {}): { outcome: string; data?: Record<string, unknown> } {
  const date = '2026-01-15';
  switch (type) {
    case 'lead.verify': return { outcome: 'accept', data: { landingSiteId: opts.landingSiteId ?? NAMED_UNITS.economicZone, responsibleUnitId: opts.responsibleUnitId ?? NAMED_UNITS.commerce } };
    case 'contact.inspect': return { outcome: 'done' };
    case 'plan.submit': return { outcome: 'submit', data: { plannedInvestmentWan: 60000, landMu: 150, expectedJobs: 800, expectedAnnualTaxWan: 3000, planSummary: '年产十万吨小龙虾深加工' } };
    case 'prelim.review': return { outcome: 'pass' };
    case 'negotiation.conduct': return { outcome: 'agreed', data: { terms: '土地出让、税收返还按县政策执行' } };
    case 'materials.prepare': return { outcome: 'submit' };
    case 'prereview.check': return { outcome: 'pass' };
    case 'review.meeting': return { outcome: 'approve' };
    case 'executive.deliberate': return {
      outcome: 'approve',
      data: { meetingKind: 'STANDING_COMMITTEE', meetingDate: date, decisionNo: '南政常〔2026〕3号', ...(opts.isCaseByCase ? { specialTerms: '一事一议：前三年地方留成税收全额奖补' } : {}) },
    };
    case 'contract.signoff': return { outcome: 'approve' };
    case 'signing.ceremony': return { outcome: 'signed', data: { signedDate: date, contractNo: 'NXHT-2026-001', signedAmountWan: 60000 } };
    default:
      if (type.startsWith('milestone.')) return { outcome: 'done', data: { date } };
      throw new Error(`no forward completion for ${type}`);
  }
}
