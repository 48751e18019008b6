// What people type, and the figures they enter, as one set of schemas that the API, the workflows'
// validators and the OpenAPI document all use: text is well-formed Unicode without control characters
// (but newline and tab) within a length; every number is finite and within a range that makes sense
// for what it measures. Nothing outside these ranges can reach a workflow, the database or a report.
import { z } from 'zod';
import './zod-locale'; // every message zod writes is Chinese, wherever these schemas validate

// a UTF-16 surrogate without its partner: not a character, and no database will store it
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
// C0 controls but tab and newline, DEL, C1 controls
const CONTROL = /[\u0000-\u0008\u000B-\u001F\u007F-\u009F]/

/** Lengths of the kinds of text the service takes (characters, after trimming). */
export const TEXT_LENGTH = {
  /** a name: of a project, an investor, a place */
  name: 100,
  /** a number or code someone gives: a contract no., a decision no. */
  code: 100,
  /** a reason, an instruction, a comment, terms */
  note: 2000,
  /** a report or a summary */
  long: 5000,
} as const;

/**
 * Text a person typed: trimmed, line breaks as \n, at least `min` characters (default 1) and at most
 * `max`, well-formed Unicode, and no control characters other than newline and tab.
 */
export function text(max: number, min = 1) {
  return z.string()
    .trim()
    .overwrite((s) => s.replace(/\r\n?/g, '\n'))
    .min(min, min === 1 ? '不能为空' : `至少 ${min} 个字符`)
    .max(max, `最多 ${max} 个字符`)
    .refine((s) => !LONE_SURROGATE.test(s), '含有无法识别的字符（孤立的 UTF-16 代理项）：请重新输入')
    .refine((s) => !CONTROL.test(s), '不能含有控制字符（换行和制表符除外）');
}

/**
 * Where a value (events, a row) holds what no database stores faithfully — a lone surrogate in a
 * string, a number that is not finite — as a path like `[2].task.title`; null when it holds none.
 */
export function malformedValue(value: unknown): string | null {
  const stack: [unknown, string][] = [[value, '']];
  while (stack.length) {
    const [v, at] = stack.pop()!;
    if (typeof v === 'string' && LONE_SURROGATE.test(v)) return `${at || 'the value'}: a lone surrogate`;
    if (typeof v === 'number' && !Number.isFinite(v)) return `${at || 'the value'}: ${v}`;
    if (v && typeof v === 'object') {
      for (const [k, child] of Object.entries(v)) stack.push([child, Array.isArray(v) ? `${at}[${k}]` : `${at}.${k}`]);
    }
  }
  return null;
}

/** A finite number within [min, max]; `int` for counts. */
export function figure(min: number, max: number, opts: { int?: boolean; exclusiveMin?: boolean } = {}) {
  let n = z.number().finite();
  if (opts.int) n = n.int();
  n = opts.exclusiveMin ? n.gt(min) : n.gte(min);
  return n.lte(max);
}

/** The ranges of the figures of a project and its reports (§2): wide enough for any county project, finite always. */
export const FIGURE = {
  /** money in 万元: up to 1 万亿元 */
  wan: () => figure(0, 100_000_000, { exclusiveMin: true }),
  /** money in US dollars: up to 100 亿美元 */
  usd: () => figure(0, 10_000_000_000, { exclusiveMin: true }),
  /** land in 亩: up to 100,000 亩 (the county's development zone is a few thousand) */
  mu: () => figure(0, 100_000, { exclusiveMin: true }),
  /** people: up to 1,000,000 jobs */
  jobs: () => figure(1, 1_000_000, { int: true }),
  /** a yearly county figure (二) in 万元 or US dollars, zero allowed: up to 10¹⁰ */
  yearly: () => figure(0, 10_000_000_000),
};

/**
 * A calendar date written YYYY-MM-DD (a real day: not 2026-02-30). The OpenAPI document shows it as
 * `format: date` with its pattern, so a client generated from it sends what the service takes.
 */
export const isoDate = () => z.iso.date({
  error: '应为日期，格式 YYYY-MM-DD（须是实有的日期）',
  // zod's own pattern, as a RegExp of this schema's: the workflows share zod's module frozen
  // (workflows/zod-preload.ts), and a check resets its pattern's lastIndex, which a frozen RegExp refuses
  // (zod takes `pattern` for every string format; its types declare it for some only)
  ...({ pattern: new RegExp(z.regexes.date.source, z.regexes.date.flags) } as object),
});

/** An object in which at least one field must be given; the OpenAPI document says so (minProperties: 1). */
export const atLeastOne = <T extends z.ZodType<object>>(schema: T, message: string) =>
  schema.refine((o) => Object.values(o).some((v) => v !== undefined), { message }).meta({ minProperties: 1 });

