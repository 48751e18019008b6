// Issue 15: the domain's module-level schemas are built when first used (domain/lazy-schema.ts), and a
// stand-in behaves as the schema it builds — for parsing, for the API's derived schemas and for the
// OpenAPI document.
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { lazySchema } from '../domain/lazy-schema';
import { ProjectRegistration } from '../domain/project';
import { Amendment, AmendmentFields } from '../domain/side-actions';

describe('lazySchema', () => {
  it('builds nothing until first used, then once', () => {
    let builds = 0;
    const Reason = lazySchema(() => {
      builds += 1;
      return z.strictObject({ reason: z.string().min(2).describe('原因') }).describe('一个原因');
    });
    expect(builds).toBe(0);
    expect(Reason.parse({ reason: '用地' })).toEqual({ reason: '用地' });
    expect(Reason.safeParse({ reason: '' }).success).toBe(false);
    expect(Reason.safeParse({ reason: '用地', extra: 1 }).success).toBe(false);
    expect(builds).toBe(1);
    // what the API derives from it, and zod's own type test
    expect(Reason.shape.reason.description).toBe('原因');
    expect(Reason.extend({ n: z.number() }).parse({ reason: '用地', n: 1 })).toEqual({ reason: '用地', n: 1 });
    expect(Reason instanceof z.ZodObject).toBe(true);
    expect(Reason.description).toBe('一个原因');
    expect(builds).toBe(1);
  });

  it('keeps the metadata the OpenAPI document shows, also where a stand-in is a field of another schema', () => {
    const Inner = lazySchema(() => z.strictObject({ a: z.string() }).meta({ title: '内层', description: '说明' }));
    const outer = z.strictObject({ inner: Inner });
    const json = z.toJSONSchema(outer) as unknown as { properties: { inner: Record<string, unknown> } };
    expect(json.properties.inner).toMatchObject({ title: '内层', description: '说明', type: 'object', additionalProperties: false });
  });

  it('gives the domain\'s schemas built lazily the same JSON schema as before', () => {
    const json = z.toJSONSchema(ProjectRegistration, { io: 'input' }) as unknown as { properties: Record<string, { description?: string }>; required: string[] };
    expect(json.properties.industryChain.description).toBe('产业链 (六)');
    expect(json.required).toEqual(expect.arrayContaining(['name', 'investor', 'plannedInvestmentWan', 'sourceUnitId']));
    expect(Amendment.safeParse({ fields: {}, reason: '调整投资额' }).error?.issues[0]).toMatchObject({ path: ['fields'] });
    expect(AmendmentFields.parse({ plannedInvestmentWan: 500 })).toEqual({ plannedInvestmentWan: 500 });
  });
});
