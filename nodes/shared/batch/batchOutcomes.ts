/**
 * What a batch reports when it ends: the tasks it created (for the error that stops it) and an
 * outcome for every item (tasks still running and items never submitted are timed out).
 */

import type { CreatedTask, InFlight, JobOutcome, SchedulerEvent } from './batchContract';

type Outcomes<TBinary, TError> = Array<JobOutcome<TBinary, TError> | undefined>;

/** Every task id the batch holds, finished or still running, in item order. */
export function createdTasks<TBinary, TError>(
	outcomes: Outcomes<TBinary, TError>,
	inFlight: Map<number, InFlight>,
): CreatedTask[] {
	const tasks: CreatedTask[] = [];
	outcomes.forEach((outcome, index) => {
		if (outcome && 'taskId' in outcome && outcome.taskId)
			tasks.push({ index, taskId: outcome.taskId, state: outcome.state });
	});
	for (const task of inFlight.values())
		tasks.push({ index: task.index, taskId: task.taskId, state: task.lastStatus });
	return tasks.sort((a, b) => a.index - b.index);
}

/** Tasks still running at the deadline and items never submitted are reported as timed out. */
export function finalOutcomes<TBinary, TError>(
	outcomes: Outcomes<TBinary, TError>,
	inFlight: Map<number, InFlight>,
	pending: number[],
	emit: (event: SchedulerEvent) => void,
): Array<JobOutcome<TBinary, TError>> {
	for (const task of inFlight.values()) {
		outcomes[task.index] = {
			state: 'timedOut',
			taskId: task.taskId,
			submitRequestId: task.submitRequestId,
			lastStatus: task.lastStatus,
		};
		emit({ type: 'timedOut', index: task.index, taskId: task.taskId });
	}
	for (const index of pending) {
		outcomes[index] = { state: 'timedOut', lastStatus: 'not_submitted' };
		emit({ type: 'timedOut', index });
	}
	return outcomes.map((outcome) => outcome ?? { state: 'timedOut', lastStatus: 'not_submitted' });
}
