/**
 * The bad-input catalogue: each case is a real workflow run (or trigger activation) through n8n-core.
 * Per case: the run does not crash, the node's error names the rule, a pre-checkable case sends no
 * request (a server-checked one exactly one: no retry of a refusal), and no secret is in the message.
 */
import type { IDataObject } from 'n8n-workflow';

import {
	ascii,
	concat,
	gifBytes,
	ihdr,
	jpeg,
	pngBytes,
	pngChunk,
	PNG_SIGNATURE,
} from '../../fixtures/images';
import type { JimengSimulator } from '../../tooling/simulator';
import {
	createHarness,
	errorOf,
	outputOf,
	type CredentialRecord,
	type Harness,
} from '../../support/harness';
import { jimengWorkflow, type ItemSpec } from '../../support/workflows';
import type { Capture } from './capture';
import { itemsOf, TriggerHost } from '../../support/triggerHost';
import { b64 } from '../../support/bytes';

export interface SoakSecrets {
	accessKeyId: string;
	secretAccessKey: string;
	sessionToken: string;
}

interface CaseRun {
	kind: 'node' | 'trigger';
	parameters: IDataObject;
	items?: ItemSpec[];
	credential?: Record<string, string>;
}

export interface BadInputCase {
	group: string;
	name: string;
	/** false: only the service can judge it (expect exactly one request, not retried) */
	preCheckable: boolean;
	rule: RegExp;
	run: CaseRun;
}

export interface BadInputResult {
	group: string;
	name: string;
	crashed: string | null;
	/** n8n itself refused to start the run (a required parameter is empty): its own check, not a crash */
	refusedByN8n: boolean;
	message: string;
	ruleNamed: boolean;
	requests: number;
	expectedRequests: number;
	secretInMessage: boolean;
	pass: boolean;
}

const image = (bytes: Uint8Array, fileName = 'image.png', mimeType = 'image/png'): ItemSpec[] => [
	{ json: {}, binary: { data: { base64: b64(bytes), fileName, mimeType } } },
];
/** A PNG header (real CRC) announcing any size, in a file of a few dozen bytes. */
const tinyPng = (width: number, height: number) =>
	concat(PNG_SIGNATURE, pngChunk('IHDR', ihdr(width, height)), pngChunk('IEND', []));
const paddedTo = (head: Uint8Array, size: number) => {
	const bytes = new Uint8Array(size);
	bytes.set(head);
	return bytes;
};

function submitImage(items: ItemSpec[], operation = 'submit'): CaseRun {
	return {
		kind: 'node',
		parameters: { operation, imageSource: 'binary', prompt: '', options: { pollInterval: 0.2 } },
		items,
	};
}
const node = (parameters: IDataObject, items?: ItemSpec[]): CaseRun => ({
	kind: 'node',
	parameters: { options: {}, ...parameters },
	items,
});
const text = (extra: IDataObject, operation = 'submit'): CaseRun =>
	node({ operation, prompt: 'a calm sea', ...extra });
const withCredential = (credential: Record<string, string>, operation = 'submit'): CaseRun => ({
	kind: 'node',
	parameters: { operation, prompt: 'a calm sea' },
	credential,
});

export function catalogue(secrets: SoakSecrets): BadInputCase[] {
	const png = pngBytes(1280, 720);
	const brokenCrc = png.slice();
	brokenCrc[29] ^= 0xff; // the IHDR CRC's first byte
	const jpegHead = jpeg({ width: 1280, height: 720 });
	const rule = {
		notImage: /must be a JPEG or PNG image/,
		tooBig: /Jimeng takes at most 4096×4096 pixels/,
		taskId: /"Task ID" must be a task id/,
		scheme: /must use http or https .*the scheme is/,
		frames: /"Duration" must be 5 s \(121 frames\) or 10 s \(241 frames\)/,
		seed: /"Seed" must be a whole number: -1 for random, or 0 to 4294967295/,
		aspect: /"Aspect Ratio" must be one of 16:9, 4:3, 1:1, 3:4, 9:16, 21:9/,
		promptRequired: /"Prompt" is required for text-to-video/,
		// A required parameter left empty: n8n itself refuses to start the run.
		promptMissing: /The 'Jimeng Video' node has issues:\s+- Parameter "Prompt" is required\./,
	};
	const cases: BadInputCase[] = [
		// images
		{
			group: 'image',
			name: 'truncated PNG (first 20 bytes)',
			preCheckable: true,
			rule: /cannot be read as a JPEG or PNG: .*PNG header is truncated.*it must be a JPEG or PNG image/,
			run: submitImage(image(png.slice(0, 20))),
		},
		{
			group: 'image',
			name: 'truncated JPEG (cut inside its EXIF, before the frame header)',
			preCheckable: true,
			rule: /cannot be read as a JPEG or PNG: .*JPEG header is truncated.*it must be a JPEG or PNG image/,
			run: submitImage(
				image(jpegHead.slice(0, 1000), 'photo.jpg', 'image/jpeg'),
				'generateAndWait',
			),
		},
		{
			group: 'image',
			name: 'zero-byte file',
			preCheckable: true,
			rule: /is empty \(0 bytes\)/,
			run: submitImage(image(new Uint8Array(0))),
		},
		{
			group: 'image',
			name: 'GIF named photo.png (wrong magic)',
			preCheckable: true,
			rule: /is a GIF image: it must be a JPEG or PNG image/,
			run: submitImage(image(gifBytes(800, 600))),
		},
		{
			group: 'image',
			name: 'text file named photo.jpg (wrong magic)',
			preCheckable: true,
			rule: /cannot be read as a JPEG or PNG: .*not a JPEG or PNG image.*it must be a JPEG or PNG image/,
			run: submitImage(
				image(
					new Uint8Array(ascii('hello, this is not an image at all')),
					'photo.jpg',
					'image/jpeg',
				),
				'generateAndWait',
			),
		},
		{
			group: 'image',
			name: 'PNG with a damaged header CRC',
			preCheckable: true,
			rule: /fails its CRC check/,
			run: submitImage(image(brokenCrc)),
		},
		{
			group: 'image',
			name: 'PNG header 20000×20000 in a 45-byte file',
			preCheckable: true,
			rule: new RegExp(`20000×20000 pixels: ${rule.tooBig.source}`),
			run: submitImage(image(tinyPng(20000, 20000))),
		},
		{
			group: 'image',
			name: 'JPEG header 60000×60000 in a tiny file',
			preCheckable: true,
			rule: new RegExp(`60000×60000 pixels: ${rule.tooBig.source}`),
			run: submitImage(
				image(jpeg({ width: 60000, height: 60000, beforeFrame: [] }), 'big.jpg', 'image/jpeg'),
				'generateAndWait',
			),
		},
		{
			group: 'image',
			name: '4.71 MB PNG',
			preCheckable: true,
			rule: /is 4\.71 MB .*: Jimeng takes at most 4\.7 MB, 4928307 bytes/,
			run: submitImage(image(paddedTo(png, Math.round(4.71 * 1024 * 1024)))),
		},
		{
			group: 'image',
			name: 'long/short ratio 3.01 (3010×1000)',
			preCheckable: true,
			rule: /is 3010×1000 pixels \(long\/short side ratio 3\.01\): its long side must be at most 3 times its short side/,
			run: submitImage(image(pngBytes(3010, 1000))),
		},
		{
			group: 'image',
			name: 'short side 300 px (300×600)',
			preCheckable: true,
			rule: /is 300×600 pixels: its short side must be at least 320 pixels/,
			run: submitImage(image(pngBytes(300, 600))),
		},
		{
			group: 'image',
			name: 'base64 that is not base64',
			preCheckable: true,
			rule: /"Image \(Base64\)" is not valid base64/,
			run: node({ operation: 'submit', imageSource: 'base64', imageBase64: '%%% not base64 %%%' }),
		},
		{
			group: 'image',
			name: 'data: URL without ;base64',
			preCheckable: true,
			rule: /must be a base64 data: URL/,
			run: node({ operation: 'submit', imageSource: 'base64', imageBase64: 'data:image/png,abcd' }),
		},
		{
			group: 'image',
			name: 'binary property that is not there',
			preCheckable: true,
			rule: /binary.*photo|photo.*binary/i,
			run: node(
				{ operation: 'submit', imageSource: 'binary', binaryPropertyName: 'photo' },
				image(png),
			),
		},
		// prompts
		{
			group: 'prompt',
			name: 'empty',
			preCheckable: true,
			rule: rule.promptMissing,
			run: text({ prompt: '' }),
		},
		{
			group: 'prompt',
			name: '801 characters',
			preCheckable: true,
			rule: /"Prompt" must be at most 800 characters; got 801 characters/,
			run: text({ prompt: 'x'.repeat(801) }, 'generateAndWait'),
		},
		{
			group: 'prompt',
			name: '801 CJK characters',
			preCheckable: true,
			rule: /"Prompt" must be at most 800 characters; got 801 characters/,
			run: text({ prompt: '猫'.repeat(801) }),
		},
		{
			group: 'prompt',
			name: 'only whitespace',
			preCheckable: true,
			rule: new RegExp(`${rule.promptRequired.source}.*only whitespace`),
			run: text({ prompt: ' \n\t  ' }),
		},
		{
			group: 'prompt',
			name: 'a number (wrong type)',
			preCheckable: true,
			rule: /"Prompt" must be text; got number 12345/,
			run: text({ prompt: '={{ 12345 }}' }),
		},
		// frames, aspect ratio, seed
		{
			group: 'frames/ratio/seed',
			name: 'frames 120',
			preCheckable: true,
			rule: rule.frames,
			run: text({ frames: 120 }),
		},
		{
			group: 'frames/ratio/seed',
			name: 'frames "ten seconds" (a string)',
			preCheckable: true,
			rule: rule.frames,
			run: text({ frames: '={{ "ten seconds" }}' }, 'generateAndWait'),
		},
		{
			group: 'frames/ratio/seed',
			name: 'frames 121.5',
			preCheckable: true,
			rule: rule.frames,
			run: text({ frames: 121.5 }),
		},
		{
			group: 'frames/ratio/seed',
			name: 'aspect ratio "2:1"',
			preCheckable: true,
			rule: rule.aspect,
			run: text({ aspectRatio: '2:1' }),
		},
		{
			group: 'frames/ratio/seed',
			name: 'aspect ratio 1.78 (a number)',
			preCheckable: true,
			rule: rule.aspect,
			run: text({ aspectRatio: '={{ 1.78 }}' }, 'generateAndWait'),
		},
		{
			group: 'frames/ratio/seed',
			name: 'seed "abc" (a string)',
			preCheckable: true,
			rule: rule.seed,
			run: text({ seed: '={{ "abc" }}' }),
		},
		{
			group: 'frames/ratio/seed',
			name: 'seed 1.5',
			preCheckable: true,
			rule: rule.seed,
			run: text({ seed: 1.5 }),
		},
		{
			group: 'frames/ratio/seed',
			name: 'seed -2',
			preCheckable: true,
			rule: rule.seed,
			run: text({ seed: -2 }, 'generateAndWait'),
		},
		{
			group: 'frames/ratio/seed',
			name: 'seed 4294967296 (2^32)',
			preCheckable: true,
			rule: rule.seed,
			run: text({ seed: 4294967296 }),
		},
		// task ids
		{
			group: 'task id',
			name: 'with a space inside',
			preCheckable: true,
			rule: rule.taskId,
			run: node({ operation: 'getResult', taskId: '7392616336 519610409' }),
		},
		// n8n itself refuses to start a run whose required parameter is empty: its message names the parameter.
		{
			group: 'task id',
			name: 'empty',
			preCheckable: true,
			rule: /Parameter "Task ID" is required/,
			run: node({ operation: 'getResult', taskId: '' }),
		},
		{
			group: 'task id',
			name: 'only spaces',
			preCheckable: true,
			rule: new RegExp(`${rule.taskId.source}.*only whitespace`),
			run: node({ operation: 'getResult', taskId: '   ' }),
		},
		{
			group: 'task id',
			name: '10 KB long',
			preCheckable: true,
			rule: new RegExp(`${rule.taskId.source}.*\\(10240 characters\\)`),
			run: node({ operation: 'getResult', taskId: '7'.repeat(10240) }),
		},
		{
			group: 'task id',
			name: 'letters and dashes',
			preCheckable: true,
			rule: rule.taskId,
			run: node({ operation: 'getResult', taskId: 'task-abc-123' }),
		},
		{
			group: 'task id',
			name: 'a number (digits lost)',
			preCheckable: true,
			rule: /as a number it has lost digits/,
			run: node({ operation: 'getResult', taskId: '={{ 7392616336519610409 }}' }),
		},
		// image URLs with other schemes
		{
			group: 'url',
			name: 'ftp://',
			preCheckable: true,
			rule: new RegExp(`${rule.scheme.source} "ftp"`),
			run: node({
				operation: 'submit',
				imageSource: 'url',
				imageUrl: 'ftp://files.example.com/a.png',
			}),
		},
		{
			group: 'url',
			name: 'file:///etc/passwd',
			preCheckable: true,
			rule: new RegExp(`${rule.scheme.source} "file"`),
			run: node({ operation: 'submit', imageSource: 'url', imageUrl: 'file:///etc/passwd' }),
		},
		{
			group: 'url',
			name: 'javascript:',
			preCheckable: true,
			rule: new RegExp(`${rule.scheme.source} "javascript"`),
			run: node({
				operation: 'generateAndWait',
				imageSource: 'url',
				imageUrl: 'javascript:alert(1)',
			}),
		},
		{
			group: 'url',
			name: 'data: URL as image URL',
			preCheckable: true,
			rule: new RegExp(`${rule.scheme.source} "data"`),
			run: node({
				operation: 'submit',
				imageSource: 'url',
				imageUrl: `data:image/png;base64,${b64(png)}`,
			}),
		},
		{
			group: 'url',
			name: 'no scheme (example.com/a.png)',
			preCheckable: true,
			rule: /must be a valid http\(s\) URL/,
			run: node({ operation: 'submit', imageSource: 'url', imageUrl: 'example.com/a.png' }),
		},
		// credential fields
		{
			group: 'credential',
			name: 'Access Key ID empty',
			preCheckable: true,
			rule: /"Access Key ID" is empty/,
			run: withCredential({ accessKeyId: '' }),
		},
		{
			group: 'credential',
			name: 'Secret Access Key empty',
			preCheckable: true,
			rule: /"Secret Access Key" is empty/,
			run: withCredential({ secretAccessKey: '' }, 'generateAndWait'),
		},
		{
			group: 'credential',
			name: 'Secret Access Key with a trailing space',
			preCheckable: true,
			rule: /"Secret Access Key" starts or ends with whitespace/,
			run: withCredential({ secretAccessKey: `${secrets.secretAccessKey} ` }),
		},
		{
			group: 'credential',
			name: 'Access Key ID with a leading space',
			preCheckable: true,
			rule: /"Access Key ID" starts or ends with whitespace/,
			run: withCredential({ accessKeyId: ` ${secrets.accessKeyId}` }),
		},
		{
			group: 'credential',
			name: 'Session Token with a trailing newline',
			preCheckable: true,
			rule: /"Session Token" starts or ends with whitespace/,
			run: withCredential({ sessionToken: `${secrets.sessionToken}\n` }, 'generateAndWait'),
		},
		{
			group: 'credential',
			name: 'Region empty',
			preCheckable: true,
			rule: /"Region" is empty/,
			run: withCredential({ region: '' }),
		},
		{
			group: 'credential',
			name: 'Service " cv" (padded)',
			preCheckable: true,
			rule: /"Service" starts or ends with whitespace/,
			run: withCredential({ service: ' cv' }),
		},
		// The credential's Base URL with another scheme: nothing can be sent, and the user must learn which field is wrong.
		{
			group: 'credential',
			name: 'Base URL ftp://',
			preCheckable: true,
			rule: /Base URL/,
			run: withCredential({ baseUrl: 'ftp://visual.volcengineapi.com' }),
		},
		{
			group: 'credential',
			name: 'Base URL file:///',
			preCheckable: true,
			rule: /Base URL/,
			run: withCredential({ baseUrl: 'file:///etc/passwd' }),
		},
		{
			group: 'credential',
			name: 'Base URL without a scheme',
			preCheckable: true,
			rule: /Base URL/,
			run: withCredential({ baseUrl: 'visual.volcengineapi.com' }, 'generateAndWait'),
		},
		{
			group: 'credential',
			name: 'wrong Secret Access Key',
			preCheckable: false,
			rule: /SignatureDoesNotMatch/,
			run: withCredential({ secretAccessKey: `${secrets.secretAccessKey}x` }),
		},
		{
			group: 'credential',
			name: 'unknown Access Key ID',
			preCheckable: false,
			rule: /InvalidAccessKey/,
			run: withCredential({ accessKeyId: 'AKLTnoSuchKey' }),
		},
		{
			group: 'credential',
			name: 'wrong Session Token',
			preCheckable: false,
			rule: /MissingAuthenticationToken/,
			run: withCredential({ sessionToken: `${secrets.sessionToken}x` }),
		},
		// other parameters
		{
			group: 'other',
			name: 'unknown model',
			preCheckable: true,
			rule: /"Model" must be one of jimeng_ti2v_v30_pro/,
			run: text({ model: 'jimeng_v99' }),
		},
		{
			group: 'other',
			name: 'AIGC metadata value of 257 characters',
			preCheckable: true,
			rule: /"AIGC Metadata › Producer ID" must be at most 256 characters; got 257/,
			run: node({
				operation: 'getResult',
				taskId: '7392616336519610409',
				options: { aigcMeta: { producerId: 'p'.repeat(257) } },
			}),
		},
		{
			group: 'other',
			name: 'one bad item in a Generate and Wait batch of 3',
			preCheckable: true,
			rule: /"Duration" must be 5 s.*\[item 1\]/,
			run: node(
				{
					operation: 'generateAndWait',
					prompt: '={{ $json.prompt }}',
					frames: '={{ $json.frames }}',
				},
				[
					{ json: { prompt: 'a', frames: 121 } },
					{ json: { prompt: 'b', frames: 60 } },
					{ json: { prompt: 'c', frames: 241 } },
				],
			),
		},
		// the trigger
		{
			group: 'trigger',
			name: 'generate mode with frames 120',
			preCheckable: true,
			rule: rule.frames,
			run: { kind: 'trigger', parameters: { mode: 'generate', prompt: 'waves', frames: 120 } },
		},
		{
			group: 'trigger',
			name: 'generate mode with an empty prompt',
			preCheckable: true,
			rule: rule.promptRequired,
			run: { kind: 'trigger', parameters: { mode: 'generate', prompt: '   ' } },
		},
		{
			group: 'trigger',
			name: 'watchTasks with ids "abc" and "x-1"',
			preCheckable: true,
			rule: /"abc" is not a task id/,
			run: { kind: 'trigger', parameters: { mode: 'watchTasks', taskIds: 'abc, x-1' } },
		},
	];
	return cases;
}

function messageOf(error: unknown): string {
	if (!error) return '';
	const { message, description } = error as { message?: unknown; description?: unknown };
	return [message, description].filter((part) => typeof part === 'string' && part).join(' | ');
}

export async function runBadInputs(
	sim: JimengSimulator,
	baseCredential: CredentialRecord,
	secrets: SoakSecrets,
	capture: Capture,
): Promise<BadInputResult[]> {
	const results: BadInputResult[] = [];
	const plain = await createHarness([baseCredential]);
	for (const testCase of catalogue(secrets)) {
		const before = sim.requests.length;
		let harness: Harness = plain;
		if (testCase.run.credential)
			harness = await createHarness([
				{ ...baseCredential, data: { ...baseCredential.data, ...testCase.run.credential } },
			]);
		let crashed: string | null = null;
		let refusedByN8n = false;
		let message = '';
		try {
			if (testCase.run.kind === 'node') {
				const run = await harness.run(
					jimengWorkflow(testCase.run.parameters, { items: testCase.run.items }),
				);
				capture.add(`bad-input:${testCase.name}`, run.data.resultData);
				const error = errorOf(run, 'Jimeng Video');
				if (error) message = messageOf(error);
				else
					message = `(no error) ${JSON.stringify(outputOf(run, 'Jimeng Video').map((item) => item.json)).slice(0, 200)}`;
			} else {
				const host = new TriggerHost(harness, testCase.run.parameters);
				try {
					const items = itemsOf(await host.activate());
					capture.add(`bad-input:${testCase.name}`, items);
					message =
						items.map((item) => String(item.json.error ?? '')).join(' | ') || '(nothing emitted)';
				} catch (error) {
					// A failed activation is how n8n shows a trigger's bad parameters: not a crash.
					capture.add(`bad-input:${testCase.name}`, error);
					message = messageOf(error);
				}
			}
		} catch (error) {
			capture.add(`bad-input:${testCase.name}:rejected`, error);
			const text = error instanceof Error ? error.message : String(error);
			// WorkflowExecute refuses a workflow whose node has parameter issues before running it; n8n
			// shows that as the execution's error. Anything else thrown out of the run is a crash.
			if (/node has issues/.test(text)) {
				refusedByN8n = true;
				message = text;
			} else {
				crashed = text;
			}
		}
		const requests = sim.requests.length - before;
		const expectedRequests = testCase.preCheckable ? 0 : 1;
		const secretInMessage = [secrets.secretAccessKey, secrets.sessionToken].some((secret) =>
			message.includes(secret),
		);
		const ruleNamed = testCase.rule.test(message);
		results.push({
			group: testCase.group,
			name: testCase.name,
			crashed,
			refusedByN8n,
			message,
			ruleNamed,
			requests,
			expectedRequests,
			secretInMessage,
			pass: !crashed && ruleNamed && requests === expectedRequests && !secretInMessage,
		});
	}
	return results;
}
