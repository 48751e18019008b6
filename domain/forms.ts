// A task's form (§7, issue 12): what a person needs to complete it — each allowed outcome with its
// Chinese label, whether it needs a comment, and the data fields it takes with their labels, types,
// whether required, and their choices. Read from the one task-type definition (domain/pipeline.ts):
// the outcomes of its table and the zod schema of each outcome's data — the same schema the workflow's
// validator parses a completion with (domain/completion.ts) — whose fields carry their labels and the
// names of their choices as metadata (`title`, `description`, `choiceLabels`; for a unit's id the
// category its picker offers, `unitCategory`; for a date of fact `notAfterToday`, and `notBefore`
// where an earlier date bounds it). Nothing here is a second table: a field added to a schema is on
// the form.
import { z } from 'zod';
import type { OutcomeContext, TaskTypeDef } from './pipeline';
import type { UnitCategory } from './units';

export const FIELD_TYPES = ['text', 'number', 'integer', 'boolean', 'date', 'choice', 'list', 'object'] as const;
export type FieldType = (typeof FIELD_TYPES)[number];

export interface FormChoice { value: string; label: string }

/** A unit field's picker: the units of one category of the 附件, or any of the 69 (`ANY`). */
export type FormUnitCategory = UnitCategory | 'ANY';

export interface FormField {
  /** the key of the field in the completion's `data` */
  name: string;
  /** its Chinese label (the name itself where the schema gives none) */
  label: string;
  type: FieldType;
  required: boolean;
  /** a hint: what the value must be beyond its type (e.g. a date not in the future) */
  hint?: string;
  /** `choice`: the values allowed, each with its Chinese name */
  choices?: FormChoice[];
  /** `text`: bounds of its length (characters, after trimming) */
  minLength?: number;
  maxLength?: number;
  /** `number`, `integer`: bounds */
  minimum?: number;
  exclusiveMinimum?: number;
  maximum?: number;
  /** `list`: the fields of each entry (one level) */
  fields?: FormField[];
  /** the value is a unit's id (GET /units): a picker offers the units of this category (`ANY`: all 69) */
  unitCategory?: FormUnitCategory;
  /** `date`: a date of fact — not after today (Asia/Shanghai), as the validator refuses */
  notAfterToday?: boolean;
  /** `date`: not before this day (YYYY-MM-DD), e.g. the previous milestone of 四即 */
  notBefore?: string;
}

export interface FormOutcome {
  code: string;
  label: string;
  commentRequired: boolean;
  fields: FormField[];
}

export interface TaskForm { outcomes: FormOutcome[] }

type Json = {
  type?: string | string[]; format?: string; enum?: unknown[]; title?: string; description?: string; choiceLabels?: Record<string, string>;
  minLength?: number; maxLength?: number; minimum?: number; exclusiveMinimum?: number; maximum?: number;
  properties?: Record<string, Json>; required?: string[]; items?: Json; anyOf?: Json[];
  unitCategory?: FormUnitCategory; notAfterToday?: boolean; notBefore?: string;
};

// JavaScript's largest safe integer is what zod gives an int without a bound: no bound a person needs to see
const UNBOUNDED = Number.MAX_SAFE_INTEGER;

function typeOf(s: Json): FieldType {
  if (s.enum) return 'choice';
  const type = Array.isArray(s.type) ? s.type.find((t) => t !== 'null') : s.type;
  if (type === 'string') return s.format === 'date' ? 'date' : 'text';
  if (type === 'number' || type === 'integer' || type === 'boolean') return type;
  if (type === 'array') return 'list';
  return 'object';
}

function fieldOf(name: string, s: Json, required: boolean, depth: number): FormField {
  const type = typeOf(s);
  const f: FormField = { name, label: s.title ?? name, type, required };
  if (s.description) f.hint = s.description;
  if (type === 'choice') f.choices = (s.enum ?? []).map(String).map((value) => ({ value, label: s.choiceLabels?.[value] ?? value }));
  if (type === 'text') {
    if (s.minLength !== undefined && s.minLength > 0) f.minLength = s.minLength;
    if (s.maxLength !== undefined) f.maxLength = s.maxLength;
  }
  if (type === 'number' || type === 'integer') {
    if (s.minimum !== undefined && Math.abs(s.minimum) < UNBOUNDED) f.minimum = s.minimum;
    if (s.exclusiveMinimum !== undefined) f.exclusiveMinimum = s.exclusiveMinimum;
    if (s.maximum !== undefined && Math.abs(s.maximum) < UNBOUNDED) f.maximum = s.maximum;
  }
  if (type === 'list' && s.items && depth === 0) f.fields = fieldsOfJson(s.items, depth + 1);
  if (s.unitCategory) f.unitCategory = s.unitCategory;
  if (type === 'date' && s.notAfterToday) f.notAfterToday = true;
  if (type === 'date' && s.notBefore) f.notBefore = s.notBefore;
  return f;
}

function fieldsOfJson(s: Json, depth: number): FormField[] {
  const required = new Set(s.required ?? []);
  return Object.entries(s.properties ?? {}).map(([name, p]) => fieldOf(name, p, required.has(name), depth));
}

/** The fields of an outcome's data schema (a strict object), in their order, as a person fills them in. */
export function formFields(schema: z.ZodType): FormField[] {
  // io 'input': what a person sends — a field with a default is not required
  const json = z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }) as Json;
  return fieldsOfJson(json, 0);
}

/**
 * The form of a task of type `def` in its place: `ctx` is what its validator will know (the project,
 * the task's context), so a field required only for some projects (specialTerms of a 一事一议 project)
 * is required exactly where it will be.
 */
export function taskForm(def: TaskTypeDef, ctx: OutcomeContext): TaskForm {
  return {
    outcomes: Object.entries(def.outcomes).map(([code, o]) => ({
      code, label: o.label, commentRequired: o.commentRequired, fields: formFields(o.data(ctx)),
    })),
  };
}
