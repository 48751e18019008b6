// Every message zod writes is Chinese (the users are county officials): zod 4's zh-CN locale, with the
// commonest cases — a missing field, a length, a range, a choice, an unknown field — said the way a
// person reads them (without the locale's English type names such as "string" or "number"). Loaded for
// its effect by ./text.ts, which nearly every schema imports, so it holds in the API, the worker and the
// workflow bundle alike. zod keeps the configuration on globalThis; setting it at module load is
// deterministic workflow code (the same configuration in every run and replay).
import { z } from 'zod';

const zhCN = z.locales.zhCN().localeError;

const TYPE_NAMES: Record<string, string> = {
  string: '文本', number: '数字', int: '整数', bigint: '整数', boolean: '布尔值（true 或 false）', object: '对象', array: '数组',
  date: '日期', null: '空值（null）', undefined: '空', nan: 'NaN', record: '对象', tuple: '数组', enum: '选项', literal: '固定值',
};
const typeName = (t: unknown) => TYPE_NAMES[String(t)] ?? String(t);
const receivedOf = (input: unknown) => (input === null ? 'null' : Array.isArray(input) ? 'array' : Number.isNaN(input) ? 'nan' : typeof input);
const shown = (v: unknown) => (typeof v === 'string' ? v : JSON.stringify(v) ?? String(v));
/** a list of choices, shortened: an enum of the 69 units would fill a screen */
const choices = (values: readonly unknown[]) =>
  values.length <= 12 ? values.map(shown).join('、') : `${values.slice(0, 12).map(shown).join('、')} 等 ${values.length} 项`;

/** The Chinese message of an issue zod raises without a message of its own; undefined leaves it to the zh-CN locale. */
function message(issue: z.core.$ZodRawIssue): string | undefined {
  switch (issue.code) {
    case 'invalid_type':
      if (issue.input === undefined) return '必填';
      // a number of the wrong kind (1.5 for a count, Infinity): say which
      if (typeof issue.input === 'number') {
        if (issue.expected === 'int') return `应为整数，收到的是 ${issue.input}`;
        if (!Number.isFinite(issue.input)) return `应为有限的数字，收到的是 ${issue.input}`;
      }
      return `应为${typeName(issue.expected)}，收到的是${typeName(receivedOf(issue.input))}`;
    case 'too_small': {
      const n = String(issue.minimum);
      if (issue.origin === 'string') return `至少 ${n} 个字符`;
      if (issue.origin === 'array' || issue.origin === 'set') return `至少 ${n} 项`;
      if (issue.origin === 'number' || issue.origin === 'int' || issue.origin === 'bigint') return issue.inclusive ? `不得小于 ${n}` : `应大于 ${n}`;
      return undefined;
    }
    case 'too_big': {
      const n = String(issue.maximum);
      if (issue.origin === 'string') return `最多 ${n} 个字符`;
      if (issue.origin === 'array' || issue.origin === 'set') return `最多 ${n} 项`;
      if (issue.origin === 'number' || issue.origin === 'int' || issue.origin === 'bigint') return issue.inclusive ? `不得大于 ${n}` : `应小于 ${n}`;
      return undefined;
    }
    case 'invalid_value':
      if (issue.input === undefined) return `必填（${issue.values.length === 1 ? '应为 ' : '可选：'}${choices(issue.values)}）`;
      return issue.values.length === 1 ? `应为 ${shown(issue.values[0])}` : `应为以下之一：${choices(issue.values)}`;
    case 'unrecognized_keys':
      return `不接受的字段：${issue.keys.join('、')}`;
    case 'not_multiple_of':
      return `应为 ${String(issue.divisor)} 的倍数`;
    default:
      return undefined;
  }
}

z.config({ localeError: (issue) => message(issue) ?? zhCN(issue) });
