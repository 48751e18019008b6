// What every workflow of this service is built from, whatever its tasks: refusals as Update failures,
// the projection journal, turns (one change at a time), the guarded Update, and continue-as-new once
// the workflow is idle. Deterministic workflow code: no I/O but the projection activity.
import {
  ActivityFailure, allHandlersFinished, ApplicationFailure, condition, log, proxyActivities, setHandler, workflowInfo,
} from '@temporalio/workflow';
import type { UpdateDefinition } from '@temporalio/common';
import { DomainError } from '../domain/errors';
import { projectionFailureOf, type ProjectionEvent } from '../domain/events';
import type { ProjectionActivities } from './activity-types';

// A projection takes milliseconds; people wait on it (an Update answers once its events are written —
// by this activity, or for a project's completion by the API before it answers, issue 15). So an
// attempt that hangs (its worker killed, its database gone) is given up after 10 s, and the retries stay
// at most 5 s apart however long the outage: the first attempt after the database is back is within
// seconds (the chaos test measured waits of minutes with 30 s and a 5-minute cap). Attempts are idempotent.
const { applyProjection, recordProjectionFailure } = proxyActivities<ProjectionActivities>({
  startToCloseTimeout: '10 seconds',
  retry: { initialInterval: '500 milliseconds', backoffCoefficient: 2, maximumInterval: '5 seconds' },
});

/** The projection refused a batch for good (bad data, PROJECTION_REJECTED or another non-retryable failure). */
const rejectedForGood = (e: unknown): e is ActivityFailure & { cause: ApplicationFailure } =>
  e instanceof ActivityFailure && e.cause instanceof ApplicationFailure && e.cause.nonRetryable === true;

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
    /**
     * The events not yet written, for a caller that writes them itself (issue 15: the monthly fan-out);
     * they stay pending, so the next flush carries them again and the projection skips what is written.
     */
    unwritten(): ProjectionEvent[] {
      return pending.map((e) => ({ ...e }));
    },
    async flush() {
      if (pending.length === 0) return;
      const batch = pending.splice(0, pending.length);
      const { workflowId, chain } = target();
      try {
        await (chain === undefined ? applyProjection(workflowId, batch) : applyProjection(workflowId, batch, chain));
      } catch (e) {
        // a batch no retry can write never blocks the workflow: it goes on, and the failure is on record
        if (!rejectedForGood(e)) throw e;
        const failure = projectionFailureOf(workflowId, batch, e.cause.message);
        log.error('the projection rejected a batch of events; the workflow goes on without it', { ...failure });
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
