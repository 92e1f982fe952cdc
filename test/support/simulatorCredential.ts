/* eslint-disable @n8n/community-nodes/no-restricted-globals -- test tooling, not shipped */
/** The Volcengine API credential's fields for the simulator's default account (not a secret: test keys). */
import { DEFAULT_SIMULATOR_ACCOUNT } from '../tooling/simulator';

/** The Volcengine API credential's fields (a type alias, so it also fits `Record<string, string>`). */
export type CredentialFields = {
	accessKeyId: string;
	secretAccessKey: string;
	sessionToken: string;
	region: string;
	service: string;
	baseUrl: string;
};

export function simulatorCredentialData(baseUrl: string): CredentialFields {
	return {
		accessKeyId: DEFAULT_SIMULATOR_ACCOUNT.accessKeyId,
		secretAccessKey: DEFAULT_SIMULATOR_ACCOUNT.secretAccessKey,
		sessionToken: '',
		region: 'cn-north-1',
		service: 'cv',
		baseUrl,
	};
}

/**
 * The real service's credential fields from VOLC_ACCESSKEY / VOLC_SECRETKEY (and the optional
 * VOLC_SESSIONTOKEN, VOLC_BASEURL), or undefined when they are not set. Never printed.
 */
export function realCredentialDataFromEnv(): CredentialFields | undefined {
	const { VOLC_ACCESSKEY, VOLC_SECRETKEY, VOLC_SESSIONTOKEN, VOLC_BASEURL } = process.env;
	if (!VOLC_ACCESSKEY || !VOLC_SECRETKEY) return undefined;
	return {
		accessKeyId: VOLC_ACCESSKEY,
		secretAccessKey: VOLC_SECRETKEY,
		sessionToken: VOLC_SESSIONTOKEN ?? '',
		region: 'cn-north-1',
		service: 'cv',
		baseUrl: VOLC_BASEURL || 'https://visual.volcengineapi.com',
	};
}
