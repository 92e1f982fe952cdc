/**
 * Jimeng's video aspect ratios, and how image-to-video picks one and centre-crops the first frame.
 *
 * The service chooses the ratio closest to the image's and crops the image to it by the rule on the
 * vendor page ("图片裁剪规则", docs/jimeng-api.md). Reproducing it here lets
 * the node tell the user, before paying for a task, which ratio the video will have and what part of
 * the image it will show.
 */

/** In the vendor's order; ties in `closestAspectRatio` go to the earlier entry. */
export const ASPECT_RATIOS = ['16:9', '4:3', '1:1', '3:4', '9:16', '21:9'] as const;

export type AspectRatio = (typeof ASPECT_RATIOS)[number];

export interface VideoSize {
	width: number;
	height: number;
}

/** Width × height per ratio, given in ASPECT_RATIOS order. */
function sizesInRatioOrder(...sizes: Array<[number, number]>): Record<AspectRatio, VideoSize> {
	return Object.fromEntries(
		ASPECT_RATIOS.map((ratio, index) => [
			ratio,
			{ width: sizes[index][0], height: sizes[index][1] },
		]),
	) as Record<AspectRatio, VideoSize>;
}

/** The size of a 1080p video for each ratio (from the vendor page; not all exactly the ratio). */
//                                                  16:9        4:3          1:1          3:4          9:16         21:9
// prettier-ignore
export const OUTPUT_SIZE = sizesInRatioOrder([1920, 1088], [1664, 1248], [1440, 1440], [1248, 1664], [1088, 1920], [2176, 928]);

/**
 * The size of a 720p video for each ratio. The Jimeng 3.0 pages list only the 1080p sizes above;
 * those are exactly ByteDance's published 1080p row for its video models of the same generation,
 * whose 720p row is this one (and a Jimeng 3.0 720p 16:9 video measures 1248×704).
 */
//                                                       16:9       4:3         1:1        3:4         9:16        21:9
// prettier-ignore
export const OUTPUT_SIZE_720P = sizesInRatioOrder([1248, 704], [1120, 832], [960, 960], [832, 1120], [704, 1248], [1504, 640]);

export const OUTPUT_SIZES: Record<'720p' | '1080p', Record<AspectRatio, VideoSize>> = {
	'720p': OUTPUT_SIZE_720P,
	'1080p': OUTPUT_SIZE,
};

export interface CropRect {
	x: number;
	y: number;
	width: number;
	height: number;
}

/** A:B of each ratio, as integers so ratios can be compared exactly by cross-multiplication. */
const RATIO_TERMS: Record<AspectRatio, { a: number; b: number }> = {
	'16:9': { a: 16, b: 9 },
	'4:3': { a: 4, b: 3 },
	'1:1': { a: 1, b: 1 },
	'3:4': { a: 3, b: 4 },
	'9:16': { a: 9, b: 16 },
	'21:9': { a: 21, b: 9 },
};

/** Keeps width × 21 far below 2^53, so the cross-products stay exact (and matches PNG's own limit). */
const MAX_DIMENSION = 0x7fffffff;

export function isAspectRatio(value: unknown): value is AspectRatio {
	return typeof value === 'string' && (ASPECT_RATIOS as readonly string[]).includes(value);
}

function assertPixelSize(width: number, height: number): void {
	const isPixelCount = (n: number) => Number.isInteger(n) && n > 0 && n <= MAX_DIMENSION;
	if (!isPixelCount(width) || !isPixelCount(height)) {
		throw new RangeError(
			`an image size must be whole pixels between 1 and ${MAX_DIMENSION}, got ${width}×${height}`,
		);
	}
}

function ratioTerms(ratio: AspectRatio): { a: number; b: number } {
	// Parameters arrive as strings at run time: do not trust the type alone.
	if (!isAspectRatio(ratio)) {
		throw new RangeError(
			`unknown aspect ratio "${String(ratio)}": expected one of ${ASPECT_RATIOS.join(', ')}`,
		);
	}
	return RATIO_TERMS[ratio];
}

/**
 * The listed ratio A:B closest to width:height.
 *
 * Distance is measured in log space, |ln(W/H) − ln(A/B)|, so an image twice as wide as a ratio is as
 * far from it as one twice as tall (a plain |W/H − A/B| would favour wide ratios over tall ones).
 * The vendor does not publish its measure; the two only disagree near the midpoints between ratios
 * (e.g. W/H between 2.037 and 2.056 is 21:9 here, 16:9 with plain differences).
 * Ties go to the earlier entry of ASPECT_RATIOS; for whole-pixel sizes none can occur, since the
 * log-space midpoints (geometric means of neighbouring ratios) are irrational.
 */
export function closestAspectRatio(width: number, height: number): AspectRatio {
	assertPixelSize(width, height);
	const logRatio = Math.log(width / height);
	let closest: AspectRatio = ASPECT_RATIOS[0];
	let closestDistance = Infinity;
	for (const ratio of ASPECT_RATIOS) {
		const { a, b } = RATIO_TERMS[ratio];
		if (width * b === height * a) return ratio;
		const distance = Math.abs(logRatio - Math.log(a / b));
		if (distance < closestDistance) {
			closest = ratio;
			closestDistance = distance;
		}
	}
	return closest;
}

/**
 * The centred crop of a width×height image to `ratio`, by the vendor page's rule:
 * too tall (W/H < A/B) keeps the full width and crops the height to W·B/A, centred vertically;
 * too wide (W/H > A/B) keeps the full height and crops the width to H·A/B, centred horizontally;
 * an exact match is the whole image. Ratios are compared exactly (W·B vs H·A), so 1280×720 is 16:9.
 *
 * The page works in real numbers and does not say how fractions become pixels. Here the cropped side
 * is rounded to the nearest pixel (halves up; at least 1, never more than the image) and the offset
 * is floored, so when the margin is odd the extra pixel is on the right or at the bottom.
 */
export function centerCrop(width: number, height: number, ratio: AspectRatio): CropRect {
	assertPixelSize(width, height);
	const { a, b } = ratioTerms(ratio);
	const widthTimesB = width * b;
	const heightTimesA = height * a;
	if (widthTimesB < heightTimesA) {
		const cropHeight = Math.min(height, Math.max(1, Math.round(widthTimesB / a)));
		return { x: 0, y: Math.floor((height - cropHeight) / 2), width, height: cropHeight };
	}
	if (widthTimesB > heightTimesA) {
		const cropWidth = Math.min(width, Math.max(1, Math.round(heightTimesA / b)));
		return { x: Math.floor((width - cropWidth) / 2), y: 0, width: cropWidth, height };
	}
	return { x: 0, y: 0, width, height };
}

/**
 * What image-to-video will do with a width×height first frame: the ratio of the video and the part of
 * the image it keeps. `cropped` is false when the kept part is the whole image (also when the exact
 * crop is under half a pixel and rounds away).
 */
export function planImageCrop(
	width: number,
	height: number,
): { expectedAspectRatio: AspectRatio; crop: CropRect; cropped: boolean } {
	const expectedAspectRatio = closestAspectRatio(width, height);
	const crop = centerCrop(width, height, expectedAspectRatio);
	return { expectedAspectRatio, crop, cropped: crop.width !== width || crop.height !== height };
}
