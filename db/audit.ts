// §9 audit: every administrative change is an entry — who, when, what, before and after. Written in the
// same transaction as the change it records; the service offers no way to edit or delete one. Never
// holds a password or its hash: `withoutSecrets` drops them from what is recorded.
import type { Db, Prisma } from './client';

type Tx = Prisma.TransactionClient | Db;

export type AuditAction =
  | 'PERSON_CREATED' | 'PERSON_UPDATED' | 'PERSON_DEACTIVATED' | 'PERSON_REACTIVATED' | 'PERSON_FILED'
  | 'PASSWORD_RESET' | 'PASSWORD_CHANGED' | 'FIRST_ADMIN_CREATED'
  | 'POLICY_VERSION_CREATED' | 'POLICY_APPLIED' | 'PROJECT_REROUTED' | 'TASK_REASSIGNED' | 'TASK_RELEASED'
  // §11 registries (五 招商地图、策划包装库, 七 招商顾问和商协会)
  | 'SITE_CREATED' | 'SITE_UPDATED' | 'PITCH_CREATED' | 'PITCH_UPDATED' | 'PARTNER_CREATED' | 'PARTNER_UPDATED';

export interface AuditInput {
  actor: string;
  action: AuditAction;
  target: string;
  before?: unknown;
  after?: unknown;
  note?: string | null;
  at?: Date;
}

const SECRET_KEYS = new Set(['password', 'passwordHash', 'oneTimePassword', 'oldPassword', 'newPassword']);

/** A copy without password fields, at any depth. */
export function withoutSecrets(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withoutSecrets);
  if (value && typeof value === 'object' && !(value instanceof Date)) {
    return Object.fromEntries(Object.entries(value).filter(([k]) => !SECRET_KEYS.has(k)).map(([k, v]) => [k, withoutSecrets(v)]));
  }
  return value;
}

const json = (v: unknown) => (v === undefined || v === null ? undefined : (JSON.parse(JSON.stringify(withoutSecrets(v))) as Prisma.InputJsonValue));

export async function audit(tx: Tx, e: AuditInput): Promise<void> {
  await tx.auditEntry.create({
    data: { at: e.at ?? new Date(), actor: e.actor, action: e.action, target: e.target, before: json(e.before), after: json(e.after), note: e.note ?? null },
  });
}
