// A client of the service's REST API over real HTTP, as a patient person's browser would be: it
// retries a request that met a network error or a 5xx answer (after a short pause, up to a deadline),
// because every request it sends is safe to repeat — reads, completions (idempotent: the same task, the
// same caller, the same answer) and registrations with an Idempotency-Key. It counts what it met, for
// the chaos test and the failover benchmark.
import { nextForwardStep } from './pipeline';

export interface Answer<T = any> { status: number; body: T; ms: number; attempts: number }

export class ApiError extends Error {
  constructor(readonly status: number, readonly body: unknown, what: string) {
    super(`${what} answered ${status}: ${JSON.stringify(body)}`);
  }
}

/** What clients met, summed over all of them. */
export class ClientStats {
  requests = 0;
  attempts = 0;
  networkErrors = 0;
  byStatus = new Map<number, number>();
  get fiveXx(): number {
    return [...this.byStatus].filter(([s]) => s >= 500).reduce((n, [, c]) => n + c, 0);
  }
}

export interface RetryOptions {
  /** give up after this long (ms) of failures */
  deadlineMs?: number;
  /** each attempt may take this long (ms) before it counts as a network error */
  attemptTimeoutMs?: number;
}

export class ApiClient {
  private tokens = new Map<string, string>();
  constructor(readonly base: string, readonly password: string, readonly stats = new ClientStats(), readonly retry: RetryOptions = {}) {}

  /** One request, repeated on a network error or a 5xx until it gets another answer (or the deadline passes). */
  async request<T = any>(method: string, path: string, opts: { as?: string; body?: unknown; headers?: Record<string, string> } = {}): Promise<Answer<T>> {
    const started = performance.now();
    const deadline = Date.now() + (this.retry.deadlineMs ?? 120_000);
    this.stats.requests++;
    for (let attempt = 1; ; attempt++) {
      this.stats.attempts++;
      let status = 0;
      let body: unknown = null;
      try {
        const headers: Record<string, string> = { ...opts.headers };
        if (opts.body !== undefined) headers['content-type'] = 'application/json';
        if (opts.as) headers.authorization = `Bearer ${await this.token(opts.as)}`;
        const res = await fetch(`${this.base}${path}`, {
          method, headers, ...(opts.body !== undefined ? { body: JSON.stringify(opts.body) } : {}),
          signal: AbortSignal.timeout(this.retry.attemptTimeoutMs ?? 60_000),
        });
        status = res.status;
        const text = await res.text();
        body = text ? JSON.parse(text) : null;
      } catch (e) {
        if (e instanceof ApiError) throw e; // the login was refused: not a network matter
        this.stats.networkErrors++;
      }
      if (status) this.stats.byStatus.set(status, (this.stats.byStatus.get(status) ?? 0) + 1);
      if (status === 401 && opts.as) this.tokens.delete(opts.as); // (a token of another key after a fresh start)
      const retryable = status === 0 || status >= 500 || (status === 401 && !!opts.as);
      if (!retryable) return { status, body: body as T, ms: performance.now() - started, attempts: attempt };
      if (Date.now() > deadline) throw new Error(`${method} ${path}: no answer but ${status || 'network errors'} for ${((this.retry.deadlineMs ?? 120_000) / 1000).toFixed(0)} s`);
      await new Promise((r) => setTimeout(r, Math.min(2000, 100 * 2 ** Math.min(attempt, 5))));
    }
  }

  /** The same, and a non-2xx answer is an error. */
  async ok<T = any>(method: string, path: string, opts: { as?: string; body?: unknown; headers?: Record<string, string> } = {}): Promise<Answer<T>> {
    const a = await this.request<T>(method, path, opts);
    if (a.status < 200 || a.status >= 300) throw new ApiError(a.status, a.body, `${method} ${path}${opts.as ? ` as ${opts.as}` : ''}`);
    return a;
  }

  private async token(username: string): Promise<string> {
    const have = this.tokens.get(username);
    if (have) return have;
    const a = await this.request<{ token: string }>('POST', '/api/v1/auth/login', { body: { username, password: this.password } });
    if (a.status !== 200) throw new ApiError(a.status, a.body, `login of ${username}`);
    this.tokens.set(username, a.body.token);
    return a.body.token;
  }

  /**
   * The project's next pipeline task, completed forward (§3's happy path) by the demo owner of its
   * group, with `data` of its type over the example's (a contract number is the project's own: a second
   * project signing under the same one is refused). Answers the task and the completion, or null when
   * the project has no pipeline task open.
   */
  async stepForward(projectId: string, data: Record<string, Record<string, unknown>> = {}): Promise<{ taskId: string; taskType: string; by: string; answer: Answer } | null> {
    const detail = await this.ok('GET', `/api/v1/projects/${projectId}`, { as: 'admin' });
    const step = nextForwardStep(detail.body.openTasks, data);
    if (!step) return null;
    const { task, by, body } = step;
    if (!by) throw new Error(`${projectId}: no demo account for ${task.candidateGroup}`);
    const answer = await this.request('POST', `/api/v1/tasks/${task.id}/complete`, { as: by, body });
    return { taskId: task.id, taskType: task.type, by, answer };
  }
}
