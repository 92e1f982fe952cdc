import type {
	ICredentialDataDecryptedObject,
	ICredentialTestRequest,
	ICredentialType,
	IHttpRequestOptions,
	INodeProperties,
	Icon,
} from 'n8n-workflow';

import { type N8nRequestLike } from './signing/requestLike';
import {
	DEFAULT_VOLCENGINE_BASE_URL,
	baseUrlOf,
	readSigningCredentials,
	signingTargetOf,
} from './signing/credentialFields';
import { applySignature, normalizeRequest } from './signing/requestShapes';
import { bufferStreamBody } from './signing/streamBody';
import { signRequest } from './signing/volcengineSigner';

/** Model used by the credential test's Get Result (any Jimeng model would do). */
const TEST_MODEL = 'jimeng_ti2v_v30_pro';

/**
 * The gateway's refusals (ResponseMetadata.Error.Code) as the credential test reports them: the code,
 * what it means and what to do. n8n's test rules match exact values, so each code has its line.
 */
const GATEWAY_REFUSALS: Record<string, string> = {
	SignatureDoesNotMatch:
		'the signature does not match: the Secret Access Key does not belong to this Access Key ID (or was pasted incompletely), or Region/Service are not cn-north-1/cv. If the Base URL is a reverse proxy, set Signing Host to the host it forwards to (visual.volcengineapi.com).',
	InvalidAccessKey:
		'Volcengine does not know this Access Key ID (mistyped, deleted or disabled). Copy it again from the console.',
	InvalidTimestamp:
		"the request time is more than 15 minutes away from Volcengine's clock: fix the clock of the machine running n8n (enable NTP time sync).",
	MissingAuthenticationToken:
		'the session token is missing or wrong for these temporary (STS) keys, or a session token was set for permanent keys.',
	MissingSignature:
		'the Authorization header did not arrive complete: check for a proxy that rewrites it.',
	MissingRequestInfo: 'the X-Date header did not arrive: check for a proxy that strips headers.',
	AccessDenied:
		'the keys are valid but may not call this API. Grant the IAM user access to the visual service (cv).',
	LackPolicy: 'the IAM user has no policy for this API. Attach one for the visual service (cv).',
	ServiceNotFound:
		'the Service in the credential is not offered at this Base URL (Jimeng: cv at https://visual.volcengineapi.com).',
	InvalidActionOrVersion: 'this Base URL does not offer the Jimeng API. Check the Base URL.',
	InternalError: 'the Volcengine gateway failed. Try again in a moment.',
};

export class VolcengineApi implements ICredentialType {
	name = 'volcengineApi';

	displayName = 'Volcengine API';

	icon: Icon = { light: 'file:volcengine.svg', dark: 'file:volcengine.dark.svg' };

	// `npm run build` points it (and the nodes' Docs links) at the README of the repository the
	// package is built from: test/scripts/checks/documentation-url.js.
	documentationUrl = 'https://www.npmjs.com/package/n8n-nodes-jimeng-video';

	properties: INodeProperties[] = [
		{
			displayName: 'Access Key ID',
			name: 'accessKeyId',
			type: 'string',
			default: '',
			required: true,
			description: 'Access Key ID of a Volcengine account or IAM user (Console → API Access Keys)',
		},
		{
			displayName: 'Secret Access Key',
			name: 'secretAccessKey',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			required: true,
			description:
				'Secret Access Key paired with the Access Key ID. Never shared with anyone but the signature.',
		},
		{
			displayName: 'Session Token',
			name: 'sessionToken',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			description:
				'Only for temporary STS credentials: sent, and signed, as the X-Security-Token header. Leave empty for permanent keys.',
		},
		{
			displayName: 'Region',
			name: 'region',
			type: 'string',
			default: 'cn-north-1',
			description: 'Region of the credential scope. Jimeng (visual service) uses cn-north-1.',
		},
		{
			displayName: 'Service',
			name: 'service',
			type: 'string',
			default: 'cv',
			description:
				'Service of the credential scope. Jimeng uses cv; set another service to call other Volcengine APIs from the HTTP Request node.',
		},
		{
			displayName: 'Base URL',
			name: 'baseUrl',
			type: 'string',
			default: DEFAULT_VOLCENGINE_BASE_URL,
			description:
				'API endpoint. Change it only for a proxy, a private endpoint or the local Jimeng simulator. When Test answers only ENOTFOUND, ECONNREFUSED or ETIMEDOUT, n8n could not reach this host: check the address and the network of the n8n machine.',
		},
		{
			displayName: 'Signing Host',
			name: 'signingHost',
			type: 'string',
			default: '',
			// Not a host: a value here would look like the one to type, and most users must leave it empty.
			placeholder: 'Leave empty (only behind a reverse proxy)',
			description:
				"Only when the Base URL is a reverse proxy: the host the proxy forwards to (the Host header Volcengine receives). Requests under the Base URL are then signed for this host and for the path after the Base URL's path (the prefix a proxy such as nginx strips). Leave empty to sign for the Base URL itself.",
		},
	];

	/**
	 * Signs every request (HMAC-SHA256, Volcengine V4) with the exact URL and body that are sent.
	 * Works for this package's nodes and for the HTTP Request node's "Predefined Credential Type".
	 */
	async authenticate(
		credentials: ICredentialDataDecryptedObject,
		requestOptions: IHttpRequestOptions,
	): Promise<IHttpRequestOptions> {
		const keys = readSigningCredentials(credentials);
		const signingTarget = signingTargetOf(credentials);
		// A file stream (n8n's filesystem binary mode) is read first: the signature hashes the whole body.
		const request = await bufferStreamBody({ ...(requestOptions as unknown as N8nRequestLike) });
		// The package's nodes send a path only: the endpoint is the credential's (real service, proxy or simulator).
		const target = request.url ?? request.uri;
		if (!request.baseURL && (target === undefined || !/^[a-z][a-z\d+\-.]*:\/\//i.test(target))) {
			request.baseURL = baseUrlOf(credentials);
		}
		const normalized = normalizeRequest(request, signingTarget);
		const signature = signRequest(keys, normalized.signable, { date: new Date() });
		return applySignature(
			request,
			normalized,
			signature.canonicalQuery,
			signature.headers,
		) as unknown as IHttpRequestOptions;
	}

	// Get Result for a task id that cannot exist: the business API answers (not_found or a business
	// code) when the keys are right; the gateway answers ResponseMetadata.Error when they are not.
	test: ICredentialTestRequest = {
		request: {
			baseURL: '={{$credentials.baseUrl}}',
			url: '/?Action=CVSync2AsyncGetResult&Version=2022-08-31',
			method: 'POST',
			headers: { 'Content-Type': 'application/json' },
			body: { req_key: TEST_MODEL, task_id: '0' },
			ignoreHttpStatusErrors: true,
			json: true,
		},
		rules: [
			...Object.entries(GATEWAY_REFUSALS).map(([code, message]) => ({
				type: 'responseSuccessBody' as const,
				properties: {
					key: 'ResponseMetadata.Error.Code',
					value: code,
					message: `${code}: ${message}`,
				},
			})),
			// Any other refusal: a Jimeng answer always carries a numeric `code`; a gateway refusal or a
			// stranger's page does not (n8n's rules match exact values, so "no code" is the catch-all).
			{
				type: 'responseSuccessBody',
				properties: {
					key: 'code',
					value: undefined,
					message:
						'The endpoint did not answer like the Jimeng API (no business code): check the Base URL, and the Region/Service (cn-north-1/cv). A Volcengine gateway refusal with another code than the ones this test knows also ends here.',
				},
			},
			{
				type: 'responseSuccessBody',
				properties: {
					key: 'code',
					value: 50400,
					message:
						'50400 Access Denied: the keys are valid, but Jimeng is not activated for this account or the IAM user may not call it. Activate the video models in the Volcengine console (Jimeng AI) and grant the user the visual service (cv).',
				},
			},
		],
	};
}
