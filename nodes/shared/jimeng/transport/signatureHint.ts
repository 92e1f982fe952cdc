/**
 * A SignatureDoesNotMatch from an endpoint that is not Volcengine's own host: the secret key may be
 * right and the proxy in between the cause (the signature covers the host and path Volcengine
 * receives). Pure: the caller passes the credential's Base URL and Signing Host.
 */
const VOLCENGINE_API_HOST = 'visual.volcengineapi.com';

export function proxySignatureHint(baseUrl: unknown, signingHost: unknown): string | undefined {
	const base =
		typeof baseUrl === 'string' && baseUrl.trim()
			? baseUrl.trim()
			: `https://${VOLCENGINE_API_HOST}`;
	if (!URL.canParse(base)) return undefined;
	const url = new URL(base);
	if (url.host === VOLCENGINE_API_HOST) return undefined;
	const signedFor = typeof signingHost === 'string' ? signingHost.trim() : '';
	if (!signedFor) {
		return (
			`The Base URL (${url.host}) is not Volcengine's own host: if it is a reverse proxy, set "Signing Host" in the credential to the host it forwards to ` +
			`(${VOLCENGINE_API_HOST}), so the request is signed for the host and path Volcengine receives.`
		);
	}
	const prefix = url.pathname.replace(/\/+$/, '');
	return (
		`The request went to the proxy at ${url.host} and was signed for Signing Host ${signedFor}` +
		`${prefix ? ` with the Base URL's path ${prefix} removed` : ''}: check that the proxy forwards to ${signedFor}, sends "Host: ${signedFor}"` +
		`${prefix ? ` and strips exactly ${prefix}` : ' and does not change the path'}, and passes the body and the X-Date, X-Content-Sha256 and Authorization headers unchanged.`
	);
}
