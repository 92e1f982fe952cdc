import type {
	ICredentialDataDecryptedObject,
	ICredentialTestRequest,
	ICredentialType,
	IHttpRequestOptions,
	INodeProperties,
	Icon,
} from 'n8n-workflow';

import { explainArkCode } from '../nodes/shared/ark/codes/errorCodes';
import { DEFAULT_ARK_BASE_URL, arkApiKeyOf, arkBaseUrlOf } from './ark/arkCredentialFields';

/** Ark's refusals the test explains (n8n's rules match exact values, so each code has its rule). */
const TEST_REFUSALS = [
	'AuthenticationError',
	'AccessDenied',
	'AccountOverdueError',
	'OperationDenied.ServiceNotOpen',
	'OperationDenied.ServiceOverdue',
	'SetLimitExceeded',
	'RateLimitExceeded.EndpointRPMExceeded',
	'ModelAccountRpmRateLimitExceeded',
	'APIAccountRpmRateLimitExceeded',
	'AccountRateLimitExceeded',
	'ServerOverloaded',
	'InflightBatchsizeExceeded',
	'QuotaExceeded',
	'InternalServiceError',
];

function refusalMessage(code: string): string {
	const explained = explainArkCode(code);
	const passing = explained.retryable ? ' The key may be fine: test again in a moment.' : '';
	return `Ark refused the test: ${code}. ${explained.meaning} ${explained.action}${passing}`;
}

export class VolcengineArkApi implements ICredentialType {
	name = 'volcengineArkApi';

	displayName = 'Volcengine Ark API';

	icon: Icon = { light: 'file:volcengineArk.svg', dark: 'file:volcengineArk.dark.svg' };

	documentationUrl = 'https://www.npmjs.com/package/n8n-nodes-jimeng-video';

	properties: INodeProperties[] = [
		{
			displayName: 'API Key',
			name: 'apiKey',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			required: true,
			description:
				'An Ark API key (Ark console → API Key management). Sent only as the Authorization: Bearer header.',
		},
		{
			displayName: 'Base URL',
			name: 'baseUrl',
			type: 'string',
			default: DEFAULT_ARK_BASE_URL,
			description:
				'Ark endpoint, ending in /api/v3. Change it only for a proxy or the local simulator.',
		},
	];

	/** Adds the Bearer key; a request given as a path alone goes to the credential's Base URL. */
	async authenticate(
		credentials: ICredentialDataDecryptedObject,
		requestOptions: IHttpRequestOptions,
	): Promise<IHttpRequestOptions> {
		const key = arkApiKeyOf(credentials);
		const request = { ...requestOptions } as IHttpRequestOptions & { uri?: string };
		const target = request.url ?? request.uri;
		if (!request.baseURL && (target === undefined || !/^[a-z][a-z\d+\-.]*:\/\//i.test(target))) {
			request.baseURL = arkBaseUrlOf(credentials);
		}
		request.headers = { ...request.headers, Authorization: `Bearer ${key}` };
		return request;
	}

	// The cheapest authenticated call: one task of the account's list. Ark answers its JSON error
	// envelope when the key is refused; `ignoreHttpStatusErrors` lets the rules read it.
	test: ICredentialTestRequest = {
		request: {
			baseURL: '={{$credentials.baseUrl}}',
			url: '/contents/generations/tasks?page_num=1&page_size=1',
			method: 'GET',
			ignoreHttpStatusErrors: true,
			json: true,
		},
		rules: [
			...TEST_REFUSALS.map((code) => ({
				type: 'responseSuccessBody' as const,
				properties: { key: 'error.code', value: code, message: refusalMessage(code) },
			})),
			// Any other answer: Ark's task list always has `items` (n8n's rules match exact values,
			// so "no items" is the catch-all for other refusals and for a Base URL that is not Ark's).
			{
				type: 'responseSuccessBody',
				properties: {
					key: 'items',
					value: undefined,
					message:
						"The Base URL did not answer like Ark's task list: check that it ends in /api/v3 (https://ark.cn-beijing.volces.com/api/v3). An Ark refusal this test does not know also ends here.",
				},
			},
		],
	};
}
