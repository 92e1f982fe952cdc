/**
 * The manual trigger the test and bench workflows start with, named "Start", at the origin.
 */
import type { INode } from 'n8n-workflow';

export function startNode(id: string): INode {
	return {
		id,
		name: 'Start',
		type: 'n8n-nodes-base.manualTrigger',
		typeVersion: 1,
		position: [0, 0],
		parameters: {},
	};
}
