// §9 the policy, versioned: ADMIN puts a new version with a note (api/routes/policy.ts); the newest is
// the current one. New projects start under it and record its number; the county calendar takes it at
// its next monthly run. While no version was ever put, the built-in policy (DEFAULT_POLICY, 南政发〔2022〕6号)
// is version 0.
import type { Db, Prisma } from './client';
import { completePolicy, Policy } from '../domain/policy';

type Tx = Prisma.TransactionClient | Db;

export interface PolicyVersionOut { version: number; policy: Policy; note: string; createdBy: string; createdAt: string }

/** The newest version put, or null while none was. */
export async function latestPolicyVersion(db: Tx): Promise<PolicyVersionOut | null> {
  const row = await db.policyVersion.findFirst({ orderBy: { number: 'desc' } });
  return row ? present(row) : null;
}

/** The policy new projects start under: the newest version, else the built-in one as version 0. */
export async function currentPolicy(db: Tx, builtIn: Policy): Promise<{ version: number; policy: Policy }> {
  const latest = await latestPolicyVersion(db);
  return latest ? { version: latest.version, policy: latest.policy } : { version: 0, policy: builtIn };
}

export function present(row: { number: number; policy: unknown; note: string; createdBy: string; createdAt: Date }): PolicyVersionOut {
  // a version was validated when it was put; a field the schema gained since takes the built-in value
  const policy = Policy.parse(completePolicy(row.policy));
  return { version: row.number, policy, note: row.note, createdBy: row.createdBy, createdAt: row.createdAt.toISOString() };
}
