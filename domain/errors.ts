// The refusals of the domain, which every side maps to its own form: the API to its status (400, 403,
// 404, 409) and error body, a workflow to the failure an Update caller sees (workflows/plumbing.ts).
import type { z } from 'zod';

export type DomainErrorCode = 'VALIDATION' | 'FORBIDDEN' | 'NOT_FOUND' | 'CONFLICT';
export interface FieldIssue { field: string; message: string }

/** An error the API maps to its status: 400, 403, 404, 409. */
export class DomainError extends Error {
  constructor(readonly code: DomainErrorCode, message: string, readonly details: FieldIssue[] = []) {
    super(message);
    this.name = 'DomainError';
  }
}

export function zodIssues(error: z.ZodError, prefix: string): FieldIssue[] {
  return error.issues.map((i) => ({
    field: [prefix, ...i.path.map(String)].filter(Boolean).join('.'),
    message: i.message,
  }));
}

/** Parses a value, or refuses it with DomainError('VALIDATION') naming each field under `field`. */
export function parseOrRefuse<T>(schema: z.ZodType<T>, value: unknown, field: string): T {
  const r = schema.safeParse(value);
  if (!r.success) {
    const details = zodIssues(r.error, field);
    throw new DomainError('VALIDATION', details.map((d) => `${d.field}：${d.message}`).join('；'), details);
  }
  return r.data;
}
