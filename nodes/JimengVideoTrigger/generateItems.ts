/**
 * The json of generate mode's items other than finished tasks: the notices the machine asks for
 * (a task started, a limit reached, generation paused), what a refused or unknown submit says, and
 * the test event's preview.
 */
import type { IDataObject } from 'n8n-workflow';

import { limitJson } from './generateLimits';
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

/** The finished task's item carries what was asked, like Get Result's items carry it. */
export function withRequest(json: IDataObject, task: TaskRecord): IDataObject {
	return {
		...json,
		...(task.request ?? {}),
		submitted_at: new Date(task.submittedAt).toISOString(),
	};
}
