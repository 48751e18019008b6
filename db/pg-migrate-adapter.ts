// The driver adapter prisma.config.ts gives the JS schema engine for PostgreSQL.
//
// @prisma/adapter-pg 6.19 cannot read the catalog types `name` (OID 19) and `"char"` (OID 18) that the
// schema engine's introspection queries return, so `prisma migrate deploy` fails with "Column type
// 'name' could not be deserialized" (prisma/orm#27403, open). pg already hands these columns over as
// strings; this client only relabels their type ids as text (and name[] as text[]) so the adapter
// accepts them. It is used for migrations only; the application's queries never read catalog types.
import { PrismaPg } from '@prisma/adapter-pg';
import pg from 'pg';

const RELABEL: Record<number, number> = { 18: 25, 19: 25, 1002: 1009, 1003: 1009 };

type Result = { fields?: { dataTypeID: number }[] };
function relabel<T>(res: T): T {
  for (const r of (Array.isArray(res) ? res : [res]) as Result[]) {
    for (const f of r?.fields ?? []) f.dataTypeID = RELABEL[f.dataTypeID] ?? f.dataTypeID;
  }
  return res;
}

class CatalogTypesAsText extends pg.Client {
  // pg.Client's query has a dozen overloads; this one wrapper serves them all, so it is typed loosely
  query(...args: any[]): any {
    // pg-pool calls query(text, values, callback); the adapter's own clients await the promise
    const last = args[args.length - 1];
    if (typeof last === 'function') args[args.length - 1] = (err: unknown, res: unknown) => last(err, err ? res : relabel(res));
    const r = (pg.Client.prototype.query as any).apply(this, args);
    return r && typeof r.then === 'function' ? r.then(relabel) : r;
  }
}

export function pgMigrationAdapter(connectionString: string): PrismaPg {
  return new PrismaPg({ connectionString, Client: CatalogTypesAsText } as pg.PoolConfig);
}
