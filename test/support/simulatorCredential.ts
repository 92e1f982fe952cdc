/** The Volcengine API credential's fields for the simulator's default account (not a secret: test keys). */
import { DEFAULT_SIMULATOR_ACCOUNT } from '../simulator';

export function simulatorCredentialData(baseUrl: string): Record<string, string> {
	return {
		accessKeyId: DEFAULT_SIMULATOR_ACCOUNT.accessKeyId,
		secretAccessKey: DEFAULT_SIMULATOR_ACCOUNT.secretAccessKey,
		sessionToken: '',
		region: 'cn-north-1',
		service: 'cv',
		baseUrl,
	};
}
