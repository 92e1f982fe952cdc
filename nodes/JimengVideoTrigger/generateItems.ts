/**
 * The json of generate mode's items other than finished tasks: the notices the machine asks for
 * (a task started, a limit reached, generation paused), what a refused or unknown submit says, and
 * the test event's preview.
 */
import type { IDataObject } from 'n8n-workflow';

import { errorFields } from '../shared/items/errorItems';
import type { VideoRequest } from '../shared/jimeng/requests/requestBuilder';
import { JimengApiError } from '../shared/jimeng/transport/JimengApiError';
import { RESUME, limitJson } from './generateLimits';
import type { Notice } from './generateMachine';
import type { TaskRecord } from './triggerState';

export function noticeJson(notice: Notice, today: string, timeZone: string): IDataObject {
	switch (notice.kind) {
		case 'submitted':
			return submittedJson(notice.task);
		case 'limit':
			return limitJson(notice.reached, today, timeZone);
		case 'paused':
			return notice.pause.json as IDataObject;
	}
}

function submittedJson(task: TaskRecord): IDataObject {
	return {
		task_id: task.taskId,
		status: 'submitted',
		req_key: task.reqKey,
		...(task.request ?? {}),
		submitted_at: new Date(task.submittedAt).toISOString(),
		note: `Task ${task.taskId} is generating; its video is emitted when it is done. This item records the paid task in n8n (it appears when a task starts without a video to emit alongside).`,
	};
}

/** What the item that pauses generation says: the failure, and for an unknown outcome what was sent. */
export function pauseJson(request: VideoRequest, error: unknown): IDataObject {
	const details = error instanceof JimengApiError ? error.details : undefined;
	const mayExist = details?.taskMayExist === true;
	return {
		task_id: null,
		status: mayExist ? 'submit_outcome_unknown' : 'submit_failed',
		req_key: request.model.id,
		...errorFields(error),
		retryable: false,
		task_may_exist: mayExist,
		submitted_at: details?.submittedAt ?? null,
		...request.summary,
		note: `Generation is paused. ${RESUME}`,
	};
}

/** The finished task's item carries what was asked, like Get Result's items carry it. */
export function withRequest(json: IDataObject, task: TaskRecord): IDataObject {
	return {
		...json,
		...(task.request ?? {}),
		submitted_at: new Date(task.submittedAt).toISOString(),
	};
}
