/**
 * An estimate of what a finished task cost, from Ark's token count (`usage.completion_tokens`) and a
 * price table in CNY per million tokens (docs/ark-api.md "Pricing and tokens"). Ark bills successful
 * videos only; flex (offline) is half price. Prices change and some below are unverified: the user
 * can override any model's price. Pure.
 */

export interface ArkPriceRule {
	/** CNY per million tokens, online (default tier). */
	cnyPerMillion: number;
	/** Variant prices, when the model has them. */
	silent?: number;
	at1080p?: number;
	/** Where the figure comes from (docs/ark-api.md source tag). */
	source: string;
}

/**
 * Model id → CNY per million tokens, online. Overrides from the user replace a model's whole rule
 * (every variant). Unknown models (and endpoint ids, whose model only Ark knows) have no estimate.
 */
export type ArkPriceOverrides = Readonly<Record<string, number>>;

export const ARK_PRICES: Readonly<Record<string, ArkPriceRule>> = {
	'doubao-seedance-1-0-pro-250528': { cnyPerMillion: 15, source: 'S7' },
	'doubao-seedance-1-0-pro-fast-251015': { cnyPerMillion: 4.2, source: 'S7' },
	'doubao-seedance-1-0-lite-t2v-250428': { cnyPerMillion: 10, source: 'S7' },
	'doubao-seedance-1-0-lite-i2v-250428': { cnyPerMillion: 10, source: 'S7' },
	// With sound twice the silent price (S14 ratio); the figures themselves are unverified.
	'doubao-seedance-1-5-pro-251215': { cnyPerMillion: 16, silent: 8, source: 'S14 (unverified)' },
	// Without video input; with reference videos Ark charges less (28): the task does not say
	// whether it had video input, so the estimate takes the higher figure.
	'doubao-seedance-2-0-260128': { cnyPerMillion: 46, at1080p: 51, source: 'S14 (unverified)' },
	'doubao-seedance-2-0-mini-260615': { cnyPerMillion: 23, source: 'S14 (unverified)' },
};

export const FLEX_DISCOUNT = 0.5;

const UNBILLED_STATUSES = new Set(['failed', 'expired', 'cancelled']);

/** What the estimate needs from a task. */
export interface PricedTask {
	model?: string;
	status?: string;
	resolution?: string;
	generate_audio?: boolean;
	service_tier?: string;
	usage?: { completion_tokens?: number };
}

/** CNY per million tokens for this task, before the flex discount; undefined when unknown. */
export function arkUnitPrice(
	task: PricedTask,
	overrides: ArkPriceOverrides = {},
): number | undefined {
	const model = task.model ?? '';
	const override = overrides[model];
	if (typeof override === 'number' && Number.isFinite(override) && override >= 0) return override;
	const rule = ARK_PRICES[model];
	if (!rule) return undefined;
	if (task.generate_audio === false && rule.silent !== undefined) return rule.silent;
	if (task.resolution === '1080p' && rule.at1080p !== undefined) return rule.at1080p;
	return rule.cnyPerMillion;
}

/**
 * Estimated cost in CNY, rounded to 0.0001; 0 for a task that ended without a video (not billed);
 * null while it runs, or when the price or the token count is unknown.
 */
export function estimateArkCostCny(
	task: PricedTask,
	overrides: ArkPriceOverrides = {},
): number | null {
	if (task.status && UNBILLED_STATUSES.has(task.status)) return 0;
	if (task.status && task.status !== 'succeeded') return null;
	const tokens = task.usage?.completion_tokens;
	const price = arkUnitPrice(task, overrides);
	if (typeof tokens !== 'number' || !Number.isFinite(tokens) || price === undefined) return null;
	const discount = task.service_tier === 'flex' ? FLEX_DISCOUNT : 1;
	return Math.round((tokens / 1_000_000) * price * discount * 10_000) / 10_000;
}
