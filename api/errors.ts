// §7 error shape {error: {code, message, details?}} and the mapping of every failure to its status.
import { WorkflowNotFoundError, WorkflowUpdateFailedError, WorkflowUpdateRPCTimeoutOrCancelledError } from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { hasZodFastifySchemaValidationErrors } from 'fastify-type-provider-zod';
import { DomainError, type DomainErrorCode, type FieldIssue } from '../domain/errors';
import { ErrorSchema } from './schemas';

export type ErrorCode = DomainErrorCode | 'UNAUTHORIZED' | 'PASSWORD_CHANGE_REQUIRED' | 'METHOD_NOT_ALLOWED' | 'TOO_LARGE' | 'UNSUPPORTED_MEDIA_TYPE' | 'TOO_MANY_REQUESTS'
  | 'UNAVAILABLE' | 'INTERNAL';

const STATUS: Record<ErrorCode, number> = {
  VALIDATION: 400, UNAUTHORIZED: 401, FORBIDDEN: 403, PASSWORD_CHANGE_REQUIRED: 403, NOT_FOUND: 404, METHOD_NOT_ALLOWED: 405, CONFLICT: 409, TOO_LARGE: 413,
  UNSUPPORTED_MEDIA_TYPE: 415, TOO_MANY_REQUESTS: 429, UNAVAILABLE: 503, INTERNAL: 500,
};

export class ApiError extends Error {
  constructor(readonly code: ErrorCode, message: string, readonly details?: FieldIssue[], readonly retryAfterSeconds?: number) {
    super(message);
  }
  get status() {
    return STATUS[this.code];
  }
}

// gRPC codes of Temporal's answers that say "not now": the deadline passed, the server is unavailable,
// or the workflow's task is failing and being retried (a worker was killed, or is restarting)
const TEMPORARY = { 4: 'DEADLINE_EXCEEDED', 9: 'FAILED_PRECONDITION', 14: 'UNAVAILABLE' } as const;
/** The gRPC code of Temporal's answer, and the messages of the error and its causes. */
const grpcError = (err: unknown): { code: number; messages: string[] } | undefined => {
  const messages: string[] = [];
  let code: number | undefined;
  for (let e: unknown = err, depth = 0; e && depth < 4; e = (e as { cause?: unknown }).cause, depth++) {
    messages.push(String((e as { message?: unknown }).message ?? ''), String((e as { details?: unknown }).details ?? ''));
    const c = (e as { code?: unknown }).code;
    if (code === undefined && typeof c === 'number' && 'details' in (e as object)) code = c;
  }
  return code === undefined ? undefined : { code, messages };
};
// A Temporal Server that has just started (or lost its database) answers NOT_FOUND for the namespace
// until it has loaded its namespaces again (seen by the chaos test on update-with-start): not now, not "no"
const NAMESPACE_NOT_LOADED = /Namespace \S+ is not found/;

/** Temporal could not answer in time, or not now: the client may send the same request again (every operation is idempotent). */
export const temporaryRefusal = (err: unknown): ApiError | null => {
  const g = grpcError(err);
  const notNow = g !== undefined && (g.code in TEMPORARY || (g.code === 5 && g.messages.some((m) => NAMESPACE_NOT_LOADED.test(m))));
  if (!(err instanceof WorkflowUpdateRPCTimeoutOrCancelledError) && !notNow) return null;
  return new ApiError('UNAVAILABLE', '服务未能及时完成此请求：没有任何内容丢失，可以放心地重新发送同一请求', undefined, 5);
};

// The database cannot answer now (unreachable, restarting, a connection cut, the pool exhausted, a write
// conflict): Prisma's codes, the driver adapter's kinds, and PostgreSQL's SQLSTATE classes 08 (connection),
// 53 (resources) and 57P (shutting down, starting up)
const DB_TEMPORARY_CODES = new Set(['P1001', 'P1002', 'P1008', 'P1017', 'P2024', 'P2034']);
const DB_TEMPORARY_KINDS = new Set(['DatabaseNotReachable', 'ConnectionClosed', 'SocketTimeout', 'TooManyConnections', 'TransactionWriteConflict']);
const databaseTemporary = (err: unknown): boolean => {
  // a raw query's error (db/sql.ts) carries the driver's as meta.driverAdapterError, a model query's as its cause
  const next = (e: object): unknown => (e as { cause?: unknown }).cause ?? (e as { meta?: { driverAdapterError?: unknown } }).meta?.driverAdapterError;
  for (let e: unknown = err, depth = 0; e && typeof e === 'object' && depth < 5; e = next(e), depth++) {
    const { code, kind, originalCode, name, message } = e as { code?: unknown; kind?: unknown; originalCode?: unknown; name?: unknown; message?: unknown };
    if (typeof code === 'string' && DB_TEMPORARY_CODES.has(code)) return true;
    if (typeof kind === 'string' && DB_TEMPORARY_KINDS.has(kind)) return true;
    if (kind === 'postgres' && /^(08|53|57P)/.test(String(code ?? originalCode ?? ''))) return true;
    if (name === 'DriverAdapterError' && /connection|terminat|not yet accepting|ECONNREFUSED|ECONNRESET/i.test(String(message ?? ''))) return true;
    if (/^Connection terminated/.test(String(message ?? ''))) return true; // pg's pool, when the server went away under a query
  }
  return false;
};

/** The database could not answer now: the client may send the same request again (nothing was half-written: each write is one transaction). */
export const databaseRefusal = (err: unknown): ApiError | null =>
  databaseTemporary(err) ? new ApiError('UNAVAILABLE', '数据库暂时无法访问：没有任何内容丢失，请稍后重新发送同一请求', undefined, 5) : null;

/** A workflow's refusal (an ApplicationFailure whose type is a DomainErrorCode), or its absence, as an ApiError: a project's workflow or the county calendar's. */
export function fromTemporal(err: unknown): ApiError | null {
  const temporary = temporaryRefusal(err);
  if (temporary) return temporary;
  if (err instanceof WorkflowNotFoundError) return new ApiError('NOT_FOUND', `流程 ${err.workflowId} 未在运行（已结束或不存在）`);
  if (err instanceof WorkflowUpdateFailedError && err.cause instanceof ApplicationFailure) {
    const f = err.cause;
    if (f.type && f.type in STATUS) {
      const details = (f.details?.[0] as FieldIssue[] | undefined) ?? undefined;
      return new ApiError(f.type as ErrorCode, f.message, details && details.length ? details : undefined);
    }
  }
  return null;
}

/** Runs a rule of the domain (it refuses with a DomainError) and answers its refusal as an ApiError, with the fields it names. */
export function domainCheck<T>(rule: () => T): T {
  try {
    return rule();
  } catch (e) {
    if (e instanceof DomainError) throw new ApiError(e.code, e.message, e.details.length ? e.details : undefined);
    throw e;
  }
}

/** A malformed address (bad percent-encoding, a part longer than any id): Fastify's framework error, in the §7 shape (its frameworkErrors option). */
export function badUrl(_err: Error, req: { url: string }, reply: FastifyReply) {
  reply.code(400).send({ error: { code: 'VALIDATION', message: `请求地址 ${req.url.slice(0, 200)} 无效或过长`, details: [{ field: 'url', message: '不是有效的地址' }] } });
}

/** What Fastify found wrong with a request body, in Chinese (its own messages are English). */
const BAD_BODY: Record<string, string> = {
  FST_ERR_CTP_INVALID_JSON_BODY: '请求体不是有效的 JSON',
  FST_ERR_CTP_EMPTY_JSON_BODY: '请求体为空（Content-Type 为 application/json 时须发送 JSON 内容）',
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: '请求体的长度与 Content-Length 不符',
  FST_ERR_ROUTE_MISSING_CONTENT_TYPE: '缺少 Content-Type 请求头',
  FST_ERR_ROUTE_MISSING_CONTENT: '缺少请求体',
};

/** `page` answers a request no route takes when it is a page of the web application (api/plugins/web.ts). */
export function registerErrorHandler(app: FastifyInstance, page: (req: FastifyRequest, reply: FastifyReply) => boolean = () => false) {
  // the routes there are, as patterns, so that a known address with another method answers 405
  const routes: { pattern: RegExp; methods: string[] }[] = [];
  app.addHook('onRoute', (route) => {
    // a route that validates its input may answer 400: its OpenAPI entry says so (found by the fuzzer)
    const schema = route.schema as { params?: unknown; querystring?: unknown; body?: unknown; headers?: unknown; response?: Record<string, unknown> } | undefined;
    if (schema?.response && (schema.params || schema.querystring || schema.body || schema.headers)) schema.response[400] ??= ErrorSchema;
    const pattern = new RegExp(`^${route.url.replace(/[.*+?^${}()|[\]\\]/g, '\\$&').replace(/:[^/]+/g, '[^/]+')}/?$`);
    routes.push({ pattern, methods: ([] as string[]).concat(route.method) });
  });
  const notFound = (req: FastifyRequest, reply: FastifyReply) => {
    if (page(req, reply)) return reply;
    const path = req.url.split('?')[0];
    const allowed = [...new Set(routes.filter((r) => r.pattern.test(path)).flatMap((r) => r.methods))];
    if (allowed.length) {
      reply.header('allow', allowed.join(', '));
      return reply.code(405).send({ error: { code: 'METHOD_NOT_ALLOWED', message: `地址 ${path} 不接受 ${req.method} 请求；可用的方法：${allowed.join('、')}` } });
    }
    return reply.code(404).send({ error: { code: 'NOT_FOUND', message: `没有这个地址：${req.method} ${path}` } });
  };
  app.setNotFoundHandler(notFound);
  app.setErrorHandler((err: FastifyError, req, reply) => {
    // a request no route takes can fail before the not-found handler runs — its body is parsed first
    // (e.g. QUERY without a Content-Type, found by the fuzzer): it is still 405 on a known address, else 404
    if (req.is404) return notFound(req, reply);
    if (hasZodFastifySchemaValidationErrors(err)) {
      const where = err.validationContext ?? 'body';
      const details = err.validation.map((v) => {
        const field = [where, ...(v.instancePath ?? '').split('/').filter(Boolean)].join('.');
        return { field, message: v.message ?? '无效' };
      });
      return reply.code(400).send({
        error: { code: 'VALIDATION', message: details.map((d) => `${d.field}：${d.message}`).join('；'), details },
      });
    }
    const mapped = err instanceof ApiError ? err : fromTemporal(err) ?? databaseRefusal(err);
    if (mapped) {
      // a temporary refusal is the service's trouble, not the caller's: said in the log with its cause
      if (mapped.code === 'UNAVAILABLE') req.log.warn({ err }, 'answered 503 (safe to repeat)');
      if (mapped.retryAfterSeconds) reply.header('retry-after', String(mapped.retryAfterSeconds));
      return reply.code(mapped.status).send({ error: { code: mapped.code, message: mapped.message, ...(mapped.details ? { details: mapped.details } : {}) } });
    }
    if (err.statusCode === 400 || (err as { code?: string }).code === 'FST_ERR_CTP_INVALID_JSON_BODY' || err.code === 'FST_ERR_CTP_EMPTY_JSON_BODY') {
      const problem = BAD_BODY[err.code] ?? '请求体无法读取（不完整或格式有误）';
      return reply.code(400).send({ error: { code: 'VALIDATION', message: `body：${problem}`, details: [{ field: 'body', message: problem }] } });
    }
    if (err.statusCode === 413) {
      return reply.code(413).send({ error: { code: 'TOO_LARGE', message: `请求体过大：本服务最多接受 ${app.initialConfig.bodyLimit} 字节` } });
    }
    if (err.statusCode === 415) {
      const type = String(req.headers['content-type'] ?? '').slice(0, 100);
      return reply.code(415).send({ error: { code: 'UNSUPPORTED_MEDIA_TYPE', message: `不支持的请求体类型${type ? `（${type}）` : ''}：请以 application/json 发送` } });
    }
    req.log.error({ err }, 'unhandled error');
    return reply.code(500).send({ error: { code: 'INTERNAL', message: '服务内部错误：请稍后再试，或联系系统管理员' } });
  });
}
