/**
 * Which host and path a request is signed for when the credential has a Signing Host (a reverse
 * proxy in front of Volcengine): requests under the Base URL lose its path prefix and are signed for
 * the Signing Host; anything else is signed for itself.
 */
import { normalizeRequest, type SigningTarget } from '../../credentials/signing/requestShapes';
import { signingTargetOf } from '../../credentials/signing/credentialFields';

const signedFor = (url: string, target?: SigningTarget) => {
	const { signable } = normalizeRequest({ method: 'POST', url, body: '{}' }, target);
	return { host: signable.headers.host, path: signable.path };
};

describe('signing target (Signing Host)', () => {
	const behindPrefix: SigningTarget = {
		host: 'visual.volcengineapi.com',
		proxyBaseUrl: 'https://proxy.example.com/jimeng',
	};

	const noPrefix: SigningTarget = {
		host: 'visual.volcengineapi.com',
		proxyBaseUrl: 'http://10.0.0.5:8080',
	};
	const trailingSlash: SigningTarget = {
		...behindPrefix,
		proxyBaseUrl: 'https://proxy.example.com/jimeng/',
	};

	// [case, URL sent, Signing Host target, host signed for, path signed for]
	it.each([
		[
			'without a Signing Host: the URL’s own host and path',
			'https://proxy.example.com/jimeng/?Action=A',
			undefined,
			'proxy.example.com',
			'/jimeng/',
		],
		[
			'under the Base URL: the Signing Host, path after the prefix',
			'https://proxy.example.com/jimeng/?Action=A',
			behindPrefix,
			'visual.volcengineapi.com',
			'/',
		],
		[
			'the Base URL itself, no trailing slash',
			'https://proxy.example.com/jimeng',
			behindPrefix,
			'visual.volcengineapi.com',
			'/',
		],
		[
			'a deeper path under the Base URL',
			'https://proxy.example.com/jimeng/v2/x',
			behindPrefix,
			'visual.volcengineapi.com',
			'/v2/x',
		],
		[
			'a Base URL with a trailing slash is the same prefix',
			'https://proxy.example.com/jimeng/?Action=A',
			trailingSlash,
			'visual.volcengineapi.com',
			'/',
		],
		[
			'same proxy host, path outside the prefix: Signing Host, path kept (not a prefix match on /jimengx)',
			'https://proxy.example.com/jimengx/',
			behindPrefix,
			'visual.volcengineapi.com',
			'/jimengx/',
		],
		[
			'a Base URL without a path: only the host changes',
			'http://10.0.0.5:8080/?Action=A',
			noPrefix,
			'visual.volcengineapi.com',
			'/',
		],
		[
			'another host than the Base URL’s is signed for itself',
			'https://open.volcengineapi.com/?Action=ListUsers',
			behindPrefix,
			'open.volcengineapi.com',
			'/',
		],
		[
			'another scheme than the Base URL’s is signed for itself',
			'http://proxy.example.com/jimeng/',
			behindPrefix,
			'proxy.example.com',
			'/jimeng/',
		],
	] as const)('%s', (_case, url, target, host, path) => {
		expect(signedFor(url, target)).toEqual({ host, path });
	});

	it('the credential field: empty means none; a host (and port) is kept, lower-cased', () => {
		expect(signingTargetOf({ baseUrl: 'https://p.example.com/j' })).toBeUndefined();
		expect(
			signingTargetOf({ baseUrl: 'https://p.example.com/j', signingHost: '' }),
		).toBeUndefined();
		expect(
			signingTargetOf({
				baseUrl: 'https://p.example.com/j',
				signingHost: 'Visual.VolcengineAPI.com',
			}),
		).toEqual({
			host: 'visual.volcengineapi.com',
			proxyBaseUrl: 'https://p.example.com/j',
		});
		expect(signingTargetOf({ baseUrl: '', signingHost: 'upstream.internal:8443' })).toEqual({
			host: 'upstream.internal:8443',
			proxyBaseUrl: 'https://visual.volcengineapi.com',
		});
		expect(() => signingTargetOf({ signingHost: 'visual.volcengineapi.com/' })).toThrow(
			/"Signing Host" must be a host name.*got "visual\.volcengineapi\.com\/"/,
		);
	});
});
