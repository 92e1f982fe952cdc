/* eslint-disable @n8n/community-nodes/no-restricted-globals -- test tooling, not shipped */
// Ark's callbacks: a POST of the task object (as GET gives it) to callback_url on each status change
// queued, running, succeeded, failed, expired. For succeeded, failed and expired, a callback not
// answered 2xx within the timeout is sent again up to three times (1 + 3 attempts, docs/ark-api.md
// "Callback": read as three retries). No signature: Ark documents none.

export interface CallbackRecord {
	taskId: string;
	status: string;
	url: string;
	attempt: number;
	/** null: no answer (refused, reset, timed out) */
	httpStatus: number | null;
	at: number;
}

export interface CallbackSettings {
	timeoutMs: number;
	/** pause between attempts */
	retryDelayMs: number;
}

const CALLBACK_STATUSES = new Set(['queued', 'running', 'succeeded', 'failed', 'expired']);
const RETRIED_STATUSES = new Set(['succeeded', 'failed', 'expired']);

export class ArkCallbacks {
	readonly sent: CallbackRecord[] = [];
	private readonly controllers = new Set<AbortController>();
	private stopped = false;

	constructor(private readonly settings: () => CallbackSettings) {}

	/** Sends in the background; the outcome lands in `sent`. */
	notify(url: string | undefined, task: Record<string, unknown>): void {
		const status = String(task.status);
		if (!url || !CALLBACK_STATUSES.has(status)) return;
		const attempts = RETRIED_STATUSES.has(status) ? 4 : 1;
		void this.deliver(url, JSON.stringify(task), String(task.id), status, attempts);
	}

	stop(): void {
		this.stopped = true;
		for (const controller of this.controllers) controller.abort();
	}

	reset(): void {
		this.sent.length = 0;
		this.stopped = false;
	}

	private async deliver(
		url: string,
		body: string,
		taskId: string,
		status: string,
		attempts: number,
	): Promise<void> {
		for (let attempt = 1; attempt <= attempts && !this.stopped; attempt++) {
			const httpStatus = await this.post(url, body);
			this.sent.push({ taskId, status, url, attempt, httpStatus, at: Date.now() });
			if (httpStatus !== null && httpStatus >= 200 && httpStatus < 300) return;
			await new Promise((resolve) => setTimeout(resolve, this.settings().retryDelayMs));
		}
	}

	private async post(url: string, body: string): Promise<number | null> {
		const controller = new AbortController();
		this.controllers.add(controller);
		const timer = setTimeout(() => controller.abort(), this.settings().timeoutMs);
		try {
			const response = await fetch(url, {
				method: 'POST',
				headers: { 'Content-Type': 'application/json' },
				body,
				signal: controller.signal,
			});
			await response.arrayBuffer();
			return response.status;
		} catch {
			return null;
		} finally {
			clearTimeout(timer);
			this.controllers.delete(controller);
		}
	}
}
