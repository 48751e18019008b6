// §11: what a registration (POST /projects) names of the registries — the pitch of the 策划包装库 it was
// registered from (五) and the 招商顾问 / 商协会 who brought it (七) — checked before its workflow starts,
// and the pitch put into talks once the lead is registered.
import { audit } from '../db/audit';
import type { Db } from '../db/client';
import type { ProjectRegistration } from '../domain/project';
import { PITCH_INTO_TALKS_FROM, registrationLinkIssues } from '../domain/registries';
import { ApiError } from './errors';

/** 五, 七: refuses (400, naming body.pitchId / body.partnerId) a registration whose pitch or partner is missing, unknown or unfit. */
export async function checkRegistrationLinks(db: Db, r: Pick<ProjectRegistration, 'channel' | 'pitchId' | 'partnerId'>): Promise<void> {
  const [pitch, partner] = await Promise.all([
    r.pitchId ? db.pitch.findUnique({ where: { id: r.pitchId }, select: { status: true } }) : null,
    r.partnerId ? db.partner.findUnique({ where: { id: r.partnerId }, select: { kind: true, active: true, name: true } }) : null,
  ]);
  const details = registrationLinkIssues(r, { pitch, partner });
  if (details.length) throw new ApiError('VALIDATION', details.map((d) => `${d.field}：${d.message}`).join('；'), details);
}

/** 五: a lead registered from a draft or published pitch puts it into talks (在谈); recorded in the audit. A pitch already further along stays. */
export async function pitchIntoTalks(db: Db, pitchId: string, actor: string, projectNo: string): Promise<void> {
  await db.$transaction(async (tx) => {
    const before = await tx.pitch.findUnique({ where: { id: pitchId }, select: { status: true } });
    if (!before || !PITCH_INTO_TALKS_FROM.includes(before.status as never)) return;
    const now = new Date();
    const moved = await tx.pitch.updateMany({ where: { id: pitchId, status: before.status }, data: { status: 'IN_TALKS', updatedAt: now } });
    if (moved.count === 0) return;
    await audit(tx, {
      actor, action: 'PITCH_UPDATED', target: `pitch:${pitchId}`, before: { status: before.status }, after: { status: 'IN_TALKS' }, at: now,
      note: `据此登记线索 ${projectNo}，策划项目转为在谈`,
    });
  });
}
