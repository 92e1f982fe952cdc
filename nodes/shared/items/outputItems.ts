/**
 * The `json` of output items, snake_case as the API names things (the public contract).
 * Pure: no n8n types beyond plain objects.
 */
import type { CropRect } from '../jimeng/requests/aspectRatio';
import type { JobOutcome } from '../batch/batchScheduler';
import type { ImagePreview } from '../jimeng/requests/imageRules';
import type { VideoRequest } from '../jimeng/requests/requestBuilder';

export type OutputJson = Record<string, unknown>;

/** What was asked for: model, prompt, frames… and, for images read here, the crop Jimeng will make. */
export function requestJson(request: VideoRequest): OutputJson {
	const json: OutputJson = { req_key: request.model.id, ...request.summary };
	const [first, last] = request.images;
	if (first) {
		json.expected_aspect_ratio = first.expectedAspectRatio;
		json.crop = cropJson(first.crop);
		json.image = imageJson(first);
	}
	if (last) {
		json.last_frame_crop = cropJson(last.crop);
		json.last_frame_image = imageJson(last);
	}
	return json;
}

function imageJson(image: ImagePreview): OutputJson {
	return { width: image.width, height: image.height, format: image.format, bytes: image.bytes };
}

function cropJson(crop: CropRect): OutputJson {
	return { x: crop.x, y: crop.y, width: crop.width, height: crop.height };
}

export function submittedJson(
	request: VideoRequest,
	taskId: string,
	requestId: string,
): OutputJson {
	return { task_id: taskId, status: 'in_queue', ...requestJson(request), request_id: requestId };
}

/** Generate and Wait: one item per input, whatever happened to it. */
export function batchOutcomeJson(
	request: VideoRequest,
	outcome: Extract<JobOutcome<unknown, unknown>, { state: 'done' | 'timedOut' }>,
): OutputJson {
	switch (outcome.state) {
		case 'done':
			return {
				task_id: outcome.taskId,
				status: 'done',
				video_url: outcome.videoUrl,
				...requestJson(request),
				request_id: outcome.resultRequestId,
				submit_request_id: outcome.submitRequestId,
				// As Get Result gives it: only when Jimeng says (AIGC Metadata was sent).
				...(outcome.aigcMetaTagged === undefined
					? {}
					: { aigc_meta_tagged: outcome.aigcMetaTagged }),
				timed_out: false,
			};
		case 'timedOut':
			return {
				task_id: outcome.taskId ?? null,
				status: outcome.lastStatus,
				...requestJson(request),
				request_id: outcome.submitRequestId ?? null,
				timed_out: true,
				note: outcome.taskId
					? 'Max Wait reached before the video was ready. The task goes on: collect it with Get Result and this task_id (within 12 hours).'
					: 'Max Wait reached while the account’s concurrency limit was full: this item was never submitted and costs nothing. Run it again.',
			};
	}
}
