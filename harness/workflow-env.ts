// A time-skipping Temporal test server with a real worker (worker/create.ts, as in production) whose
// activities write a fresh, seeded SQLite file — the setup of every workflow test file, the simulation,
// record-histories and a benchmark. Nothing in harness/ imports vitest: all of them run it.
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import type { ActivityInterceptorsFactory } from '@temporalio/worker';
import { createWorker } from '../worker/create';
import { applyProjectionEvents } from '../activities/projection';
import { registerProject } from '../api/register-project';
import type { Actor } from '../domain/organisation';
import type { ProjectRegistration } from '../domain/project';
import { taskType } from '../domain/pipeline';
import { DEFAULT_POLICY, type Policy } from '../domain/policy';
import type { HolidayTable } from '../domain/working-days';
import { shanghaiDate } from '../domain/shanghai-time';
import { NAMED_UNITS } from '../domain/units';
import { completeTaskUpdate, type CompletionResult } from '../workflows/messages/tasks';
import { snapshotQuery } from '../workflows/messages/project';
import { freshDb } from './db';
import { actorNamed, DEMO_USER_FOR_GROUP, forward } from './pipeline';
import { timeSkippingEnv, workflowBundle } from './temporal';

export interface WorkflowEnv {
  env: TestWorkflowEnvironment;
  taskQueue: string;
  /** the policy its projects and county calendar start with (DEFAULT_POLICY unless given) */
  policy: Policy;
  store: Awaited<ReturnType<typeof freshDb>>;
  /** registers a lead, as info1 unless `opts.by` names who brought it */
  register(overrides?: Partial<ProjectRegistration>, opts?: { continueAsNewAfterEvents?: number; holidays?: HolidayTable; by?: string }): Promise<{ projectId: string; workflowId: string }>;
  /** with `projectedByCaller`, as the API completes a project's task: answered with the events, which it writes (issue 15) */
  complete(workflowId: string, taskId: string, actor: Actor | string, c: Completing): Promise<CompletionResult>;
  /** completes the project's one open pipeline task with `forward` (or the given completion) as its group's demo account */
  step(workflowId: string, c?: Completing, opts?: StepOptions): Promise<CompletionResult>;
  /** steps forward until the project reaches the stage */
  walkTo(workflowId: string, stage: string, opts?: StepOptions): Promise<void>;
  teardown(): Promise<void>;
}

/** How the API sends a project's completion (issue 15): answered with its events, which it writes; the search attributes after the write. */
export interface AsTheApi { projectedByCaller?: boolean; publishAfterWrite?: boolean }
/** A completion as a test sends it. */
export interface Completing extends AsTheApi { outcome: string; comment?: string; data?: Record<string, unknown> }
/** forward's options, and whether the completions are sent as the API sends them */
export type StepOptions = Parameters<typeof forward>[1] & AsTheApi;

export const LEAD: ProjectRegistration = {
  name: '南县稻虾产业园项目', investor: '湖南某农业科技有限公司', investorOrigin: 'OUT_OF_PROVINCE', industryChain: 'RICE_SHRIMP',
  channel: 'BUSINESS_REFERRAL', plannedInvestmentWan: 50000, sourceUnitId: NAMED_UNITS.commerce, isMajor: false, isCaseByCase: false,
};

export interface WorkflowEnvOptions {
  /** told how long each activity took (the simulation's --timing) */
  onActivity?: (name: string, ms: number) => void;
  /** the policy projects and the county calendar start with (default DEFAULT_POLICY) */
  policy?: Policy;
  /** threads that run the workflows (worker/create.ts; the SDK's default, 1, when absent) */
  workflowThreads?: number;
}

export async function startWorkflowEnv(name: string, taskQueue = `${name}-tq`, opts: WorkflowEnvOptions = {}): Promise<WorkflowEnv> {
  const policy = opts.policy ?? DEFAULT_POLICY;
  // the server starts, the database is migrated (a child process) and the workflows bundled at once
  const [env, store, bundle] = await Promise.all([timeSkippingEnv(), freshDb(name), workflowBundle()]);
  const worker = await createWorker({
    connection: env.nativeConnection, namespace: env.namespace ?? 'default', taskQueue, db: store.db, client: env.client,
    workflowBundle: bundle, ...(opts.onActivity ? { interceptors: { activity: [timing(opts.onActivity)] } } : {}),
    ...(opts.workflowThreads !== undefined ? { workflowThreads: opts.workflowThreads } : {}),
  });
  const running = worker.run();
  const actors = new Map<string, Actor>();
  const actor = async (a: Actor | string) => {
    if (typeof a !== 'string') return a;
    if (!actors.has(a)) actors.set(a, await actorNamed(store.db, a));
    return actors.get(a)!;
  };
  const self: WorkflowEnv = {
    env, store, taskQueue, policy,
    async register(overrides = {}, opts = {}) {
      const { by = 'info1', ...more } = opts;
      const p = await registerProject({ db: store.db, temporal: env.client, taskQueue, policy, ...more }, { ...LEAD, ...overrides }, by);
      return { projectId: p.projectId, workflowId: p.workflowId };
    },
    async complete(workflowId, taskId, who, c) {
      const { unwritten, ...result } = await env.client.workflow.getHandle(workflowId).executeUpdate(completeTaskUpdate, { args: [{ taskId, ...c, actor: await actor(who) }] });
      if (unwritten?.length) await applyProjectionEvents(store.db, workflowId, unwritten);
      return result;
    },
    async step(workflowId, c, stepOpts = {}) {
      const { projectedByCaller, publishAfterWrite, ...opts } = stepOpts;
      const snap = await env.client.workflow.getHandle(workflowId).query(snapshotQuery);
      const main = snap.openTasks.filter((t) => taskType(t.type)?.stage); // the pipeline's task, not side tasks
      if (main.length !== 1) throw new Error(`expected one open pipeline task, found ${main.map((t) => t.type).join(', ') || 'none'}`);
      const task = main[0];
      const user = DEMO_USER_FOR_GROUP[task.candidateGroup];
      if (!user) throw new Error(`no demo account for ${task.candidateGroup}`);
      // dated as the server's clock says (time skips ahead of the wall clock)
      const today = shanghaiDate(await env.currentTimeMs());
      const completion = c ?? forward(task.type, { isCaseByCase: snap.project.isCaseByCase, today, ...opts });
      return self.complete(workflowId, task.id, user, {
        ...completion, ...(projectedByCaller ? { projectedByCaller } : {}), ...(publishAfterWrite ? { publishAfterWrite } : {}),
      });
    },
    async walkTo(workflowId, stage, opts) {
      for (let i = 0; i < 40; i++) {
        const snap = await env.client.workflow.getHandle(workflowId).query(snapshotQuery);
        if (snap.stage === stage) return;
        await self.step(workflowId, undefined, opts);
      }
      throw new Error(`${workflowId} did not reach ${stage}`);
    },
    async teardown() {
      if (worker.getState() === 'RUNNING') worker.shutdown();
      await running;
      await env.teardown();
      await store.cleanup();
    },
  };
  return self;
}

/** An activity interceptor that tells how long each activity took. */
function timing(onActivity: (name: string, ms: number) => void): ActivityInterceptorsFactory {
  return (ctx) => ({
    inbound: {
      async execute(input, next) {
        const t0 = performance.now();
        try {
          return await next(input);
        } finally {
          onActivity(ctx.info.activityType, performance.now() - t0);
        }
      },
    },
  });
}
