// What every workflow of this service is built from, whatever its tasks: refusals as Update failures,
// the projection journal, turns (one change at a time), the guarded Update, and continue-as-new once
// the workflow is idle. Deterministic workflow code: no I/O but the projection activity.
import {
  ActivityFailure, allHandlersFinished, ApplicationFailure, condition, log, patched, proxyActivities, proxyLocalActivities, setHandler, workflowInfo,
} from '@temporalio/workflow';
import type { UpdateDefinition } from '@temporalio/common';
import { DomainError } from '../domain/errors';
import type { ProjectionEvent } from '../domain/events';
import { projectIdOf } from '../domain/project';
import type { ProjectionActivities } from './activity-types';

// A projection takes milliseconds; people wait on it (a completion answers once it is written). So an
// attempt that hangs (its worker killed, its database gone) is given up after 10 s, and the retries stay
// at most 5 s apart however long the outage: the first attempt after the database is back is within
// seconds (the chaos test measured waits of minutes with 30 s and a 5-minute cap). Attempts are idempotent.
const { applyProjection, recordProjectionFailure } = proxyActivities<ProjectionActivities>({
  startToCloseTimeout: '10 seconds',
  retry: { initialInterval: '500 milliseconds', backoffCoefficient: 2, maximumInterval: '5 seconds' },
});
// Issue 15: first, one attempt as a local activity — run by the worker that runs this workflow task,
// inside it: no trip through the server's matching, no second workflow task, fewer history events, and
// the completion's answer sooner. One attempt only, given 3 s: anything but success hands the batch to the
// regular activity above, whose retries the chaos test proved under kills of the worker, the server and
// the database (local-activity retries inside the workflow task slowed that test 2.5×, session 8).
// The batch is the same and its sequence numbers make a second attempt write nothing twice.
const { applyProjection: applyProjectionHere } = proxyLocalActivities<ProjectionActivities>({
  startToCloseTimeout: '3 seconds',
  retry: { maximumAttempts: 1 },
});
/** The patch that put the local attempt first: histories recorded before it replay the regular activity alone. */
export const PROJECTION_LOCAL_FIRST = 'projection-local-attempt-first';

/**
 * The projection refused a batch for good (bad data, PROJECTION_REJECTED or another non-retryable
 * failure): its ApplicationFailure, the cause of the activity's failure.
 */
const refusalForGood = (e: unknown): ApplicationFailure | null => {
  const failure = e instanceof ActivityFailure ? e.cause : e;
  return failure instanceof ApplicationFailure && failure.nonRetryable === true ? failure : null;
};

/** Runs a check; a domain error becomes the failure an Update caller sees (type = DomainErrorCode). */
export function guard<T>(check: () => T): T {
  try {
    return check();
  } catch (e) {
    if (e instanceof DomainError) {
      throw ApplicationFailure.create({ type: e.code, message: e.message, details: [e.details], nonRetryable: true });
    }
    throw e;
  }
}

export type NewEvent = ProjectionEvent extends infer E ? (E extends unknown ? Omit<E, 'seq' | 'at'> : never) : never;

/**
 * The projection journal: events numbered in order, written in batches by the projection activity.
 * `chain` (the first run's id) is given by a workflow that is not a project's, see applyProjectionEvents.
 */
export function createJournal(state: { seq: number }, target: () => { workflowId: string; chain?: string }) {
  const pending: ProjectionEvent[] = [];
  return {
    emit(e: NewEvent) {
      pending.push({ ...e, seq: ++state.seq, at: new Date().toISOString() } as ProjectionEvent);
    },
    async flush() {
      if (pending.length === 0) return;
      const batch = pending.splice(0, pending.length);
      const { workflowId, chain } = target();
      const apply = (fn: typeof applyProjection) => (chain === undefined ? fn(workflowId, batch) : fn(workflowId, batch, chain));
      try {
        if (patched(PROJECTION_LOCAL_FIRST)) {
          try {
            await apply(applyProjectionHere);
          } catch (e) {
            if (refusalForGood(e)) throw e;
            await apply(applyProjection); // the database away, the worker slow, the attempt timed out: the regular activity takes over
          }
        } else {
          await apply(applyProjection);
        }
      } catch (e) {
        // a batch no retry can write never blocks the workflow: it goes on, and the failure is on record
        const refusal = refusalForGood(e);
        if (!refusal) throw e;
        const failure = {
          workflowId, projectId: projectIdOf(workflowId), firstSeq: batch[0].seq, lastSeq: batch[batch.length - 1].seq,
          kinds: batch.map((b) => b.kind).join(','), error: refusal.message,
        };
        log.error('the projection rejected a batch of events; the workflow goes on without it', failure);
        await recordProjectionFailure(failure);
      }
    },
  };
}
export type Journal = ReturnType<typeof createJournal>;

/** Bounded history: time to continue as new when Temporal suggests it, or once the history is `limit` events long. */
export const historyFull = (limit?: number) => workflowInfo().continueAsNewSuggested || (limit !== undefined && workflowInfo().historyLength >= limit);

/** One change at a time: Updates, ladder timers and the calendar's runs take turns. */
export function createTurns() {
  let turn: Promise<unknown> = Promise.resolve();
  return {
    exclusive<T>(fn: () => Promise<T>): Promise<T> {
      const result = turn.then(fn);
      turn = result.catch(() => undefined);
      return result;
    },
    /** resolves once every turn started so far has ended */
    idle: () => turn.then(() => undefined),
  };
}
export type Turns = ReturnType<typeof createTurns>;

/**
 * An Update whose input is checked before anything is written: the validator runs `check` (so a
 * refused Update leaves no trace in the history), then the handler, in its turn, runs it once more
 * against the state as it is by then and acts on what it returned.
 */
export function guardedUpdate<Ret, Arg, Checked>(
  turns: Turns,
  update: UpdateDefinition<Ret, [Arg]>,
  check: (arg: Arg) => Checked,
  act: (checked: Checked, arg: Arg) => Promise<Ret>,
): void {
  setHandler(update, (arg) => turns.exclusive(async () => act(guard(() => check(arg)), arg)), {
    validator: (arg) => void guard(() => check(arg)),
  });
}

/**
 * Continues as new inside a turn once no Update is in flight, so that nothing is half-done when the
 * run ends. Returns (without continuing) only when `wanted` turns false meanwhile.
 */
export async function continueAsNewWhenIdle(turns: Turns, next: () => Promise<never>, wanted: () => boolean = () => true): Promise<void> {
  for (;;) {
    await condition(allHandlersFinished);
    if (!wanted()) return;
    await turns.exclusive(async () => {
      if (allHandlersFinished() && wanted()) await next();
    });
  }
}
