// Issue 15: zod evaluated once per worker thread, not once per workflow. The worker preloads this
// module (worker/create.ts BUNDLE_OPTIONS.preloadModules) into the reusable V8 context before any
// workflow runs; the SDK then shares zod's module with every workflow and deep-freezes it. Only zod
// and its zh-CN configuration are shared — never the domain's schemas, which each workflow builds for
// itself (zod 4 binds methods onto a schema lazily, which a frozen schema refuses), and only those it
// uses: the domain's module-level schemas are built at first use (domain/lazy-schema.ts).
//
// zod 4.6 installs what its schema kinds share (members, lazily derived internals) on their prototypes
// the first time each kind is built, and a frozen prototype refuses that: so every kind the domain and
// the workflows build is built — and used — here once, before the freeze. A kind missing from this list
// fails at the first workflow's start (every workflow builds the domain's schemas as it loads), which
// every test of a workflow would show at once: "Cannot define property …, object is not extensible".
// Deterministic: no I/O, no clock, no randomness.
import { z } from 'zod';
import '../domain/zod-locale'; // z.config happens here too, before the freeze

const text = z.string().trim().overwrite((s) => s.replace(/\r\n?/g, '\n')).min(1, 'x').max(10, 'x')
  .refine((s) => s.length > 0, 'x').regex(/./).describe('text').meta({ title: 'text' });
const figure = z.number().finite().int().gte(0).gt(-1).lte(10).positive().nonnegative().describe('n');
const kind = z.enum(['A', 'B']);
const schemas: z.ZodType[] = [
  text, figure, kind, z.boolean(), z.literal('x'), z.null(), z.undefined(), z.unknown(), z.any(),
  z.string().optional(), z.string().nullable(), z.string().nullish(), z.number().default(0), z.boolean().catch(false),
  z.array(text).min(0).max(5), z.record(z.string(), z.unknown()), z.tuple([z.string(), z.number()]),
  z.union([z.string(), z.number()]), z.discriminatedUnion('k', [z.strictObject({ k: z.literal('a') }), z.strictObject({ k: z.literal('b') })]),
  z.strictObject({ a: text, b: figure.optional(), c: kind.default('A') }).superRefine((v, ctx) => {
    if (v.a === '\u0000') ctx.addIssue({ code: 'custom', message: 'x', path: ['a'] });
  }),
  z.object({ a: z.string() }).extend({ b: z.number() }).partial().pick({ a: true }).omit({ a: true }).passthrough(),
  z.string().transform((s) => s.length).pipe(z.number()), z.preprocess((v) => v, z.string()), z.lazy(() => z.string()),
  z.iso.datetime({ offset: true }), z.iso.date(), z.email(), z.date(), z.set(z.string()), z.map(z.string(), z.number()), z.never(), z.nan(), z.bigint(),
  z.int(), z.string().array(), z.intersection(z.object({ a: z.string() }), z.object({ b: z.string() })), z.strictObject({}).strict(),
];
// used once each — valid and invalid input — so that parsing's lazily installed parts are in place too
for (const s of schemas) {
  s.safeParse(undefined);
  s.safeParse({ a: 'x', b: 1, c: 'A', k: 'a' });
  s.safeParse('2026-01-01T00:00:00+08:00');
  s.safeParse(1);
}
export const zodShared = schemas.length;
