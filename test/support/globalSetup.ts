/* eslint-disable @n8n/community-nodes/no-restricted-globals, @n8n/community-nodes/no-restricted-imports -- test tooling, not shipped */
/**
 * Before any jest test: unit tests import the TypeScript sources, workflow tests load the built
 * package from dist/ (as n8n does). A dist/ older than the sources would test stale code, so the
 * run stops here and says how to fix it (`npm test` builds first; a bare `npx jest` may not have).
 */
import path from 'node:path';

import { staleBuildReason } from '../tooling/n8n-host/userFolder';

export default function globalSetup(): void {
	const reason = staleBuildReason(path.resolve(__dirname, '..', '..'));
	if (reason)
		throw new Error(
			`dist/ does not match the sources (${reason}): run \`npm run build\` or \`npm test\`, which builds first.`,
		);
}
