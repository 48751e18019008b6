// The API client of the workbench: openapi-fetch typed by openapi.d.ts, which `npm run openapi:web`
// generates from the service's own OpenAPI document — a route whose shape changes fails vue-tsc here.
import createClient, { type Middleware } from 'openapi-fetch';
import type { paths } from './openapi';
import { session, signOut } from '../session';

export type { paths, components } from './openapi';

/** A field the service named in a 400: `body.data.landMu`, `querystring.q`, … and its Chinese message. */
export interface FieldIssue { field: string; message: string }

/** An answer of the service that is not a success, in §7's shape. */
export class ApiFailure extends Error {
  constructor(readonly status: number, readonly code: string, message: string, readonly details: FieldIssue[] = []) {
    super(message);
  }
  /** the message the service gave for a field (by its path without the `body.` prefix), if any */
  at(field: string): string | undefined {
    return this.details.find((d) => d.field === field || d.field === `body.${field}`)?.message;
  }
}

const auth: Middleware = {
  onRequest({ request }) {
    if (session.token) request.headers.set('authorization', `Bearer ${session.token}`);
    return request;
  },
  async onResponse({ response }) {
    if (response.status === 401 && session.token) signOut('登录已过期，请重新登录');
    if (response.status === 403) {
      const body = await response.clone().json().catch(() => null);
      if (body?.error?.code === 'PASSWORD_CHANGE_REQUIRED') session.mustChangePassword = true;
    }
    return response;
  },
};

export const api = createClient<paths>({ baseUrl: '' });
api.use(auth);

/** What a call of `api` answers: its data, or an ApiFailure thrown (network failures as one too). */
export async function ok<T>(call: Promise<{ data?: T; error?: unknown; response: Response }>): Promise<T> {
  let r: { data?: T; error?: unknown; response: Response };
  try {
    r = await call;
  } catch {
    throw new ApiFailure(0, 'NETWORK', '无法连接服务：请检查网络后重试');
  }
  if (r.response.ok) return r.data as T;
  const e = (r.error as { error?: { code?: string; message?: string; details?: FieldIssue[] } } | undefined)?.error;
  throw new ApiFailure(r.response.status, e?.code ?? 'HTTP_' + r.response.status, e?.message ?? `服务返回错误（${r.response.status}）`, e?.details ?? []);
}

/** Downloads a file the API makes (a report as .xlsx or CSV) with the caller's token. */
export async function download(url: string, fallbackName: string) {
  const res = await fetch(url, { headers: session.token ? { authorization: `Bearer ${session.token}` } : {} });
  if (!res.ok) {
    const body = await res.json().catch(() => null);
    throw new ApiFailure(res.status, body?.error?.code ?? 'HTTP', body?.error?.message ?? `下载失败（${res.status}）`);
  }
  const disposition = res.headers.get('content-disposition') ?? '';
  const name = /filename\*=UTF-8''([^;]+)/i.exec(disposition)?.[1];
  const a = document.createElement('a');
  a.href = URL.createObjectURL(await res.blob());
  a.download = name ? decodeURIComponent(name) : fallbackName;
  a.click();
  setTimeout(() => URL.revokeObjectURL(a.href), 10_000);
}

/** The JSON a path answers with 200/201 for a method, from the OpenAPI document. */
export type Answer<P extends keyof paths, M extends 'get' | 'post' | 'put' | 'patch'> =
  paths[P][M] extends { responses: infer R }
    ? R extends { 200: { content: { 'application/json': infer J } } } ? J
    : R extends { 201: { content: { 'application/json': infer J } } } ? J : never
    : never;
