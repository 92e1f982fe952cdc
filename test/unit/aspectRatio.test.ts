import { closestAspectRatio as simulatorClosestAspectRatio } from '../tooling/simulator';
import {
	ASPECT_RATIOS,
	centerCrop,
	closestAspectRatio,
	isAspectRatio,
	OUTPUT_SIZE,
	planImageCrop,
	type AspectRatio,
	type CropRect,
} from '../../nodes/shared/jimeng/requests/aspectRatio';
import { mulberry32 } from '../fixtures/random';

const TERMS: Record<AspectRatio, [number, number]> = {
	'16:9': [16, 9],
	'4:3': [4, 3],
	'1:1': [1, 1],
	'3:4': [3, 4],
	'9:16': [9, 16],
	'21:9': [21, 9],
};

/** The crop rules that hold for every input: whole pixels, inside the image, centred, of ratio A:B. */
function expectValidCrop(width: number, height: number, ratio: AspectRatio, crop: CropRect): void {
	const [a, b] = TERMS[ratio];
	const context = `${width}×${height} → ${ratio}: ${JSON.stringify(crop)}`;
	const ok =
		[crop.x, crop.y, crop.width, crop.height].every(Number.isInteger) &&
		crop.x >= 0 &&
		crop.y >= 0 &&
		crop.width >= 1 &&
		crop.height >= 1 &&
		crop.x + crop.width <= width &&
		crop.y + crop.height <= height &&
		// One side is kept whole, the other is the exact A:B length rounded: within half a pixel.
		(crop.width === width || crop.height === height) &&
		Math.abs(crop.width * b - crop.height * a) <= Math.max(a, b) / 2 &&
		// Centred: the two margins differ by at most one pixel.
		Math.abs(crop.x - (width - crop.x - crop.width)) <= 1 &&
		Math.abs(crop.y - (height - crop.y - crop.height)) <= 1;
	expect(ok ? 'valid' : context).toBe('valid');
}

describe('ASPECT_RATIOS and OUTPUT_SIZE', () => {
	it('lists the six ratios in the vendor order', () => {
		expect(ASPECT_RATIOS).toEqual(['16:9', '4:3', '1:1', '3:4', '9:16', '21:9']);
	});

	it('has the vendor page output sizes', () => {
		expect(OUTPUT_SIZE).toEqual({
			'21:9': { width: 2176, height: 928 },
			'16:9': { width: 1920, height: 1088 },
			'4:3': { width: 1664, height: 1248 },
			'1:1': { width: 1440, height: 1440 },
			'3:4': { width: 1248, height: 1664 },
			'9:16': { width: 1088, height: 1920 },
		});
	});

	it('maps each output size back to its own ratio', () => {
		for (const ratio of ASPECT_RATIOS) {
			expect(closestAspectRatio(OUTPUT_SIZE[ratio].width, OUTPUT_SIZE[ratio].height)).toBe(ratio);
		}
	});

	it('recognises the ratio strings', () => {
		for (const ratio of ASPECT_RATIOS) expect(isAspectRatio(ratio)).toBe(true);
		for (const other of ['16/9', '2:1', ' 16:9', '', undefined, 16 / 9])
			expect(isAspectRatio(other)).toBe(false);
	});
});

describe('closestAspectRatio', () => {
	it.each<[number, number, AspectRatio]>([
		[1280, 720, '16:9'],
		[1920, 1080, '16:9'],
		[1000, 1000, '1:1'],
		[3000, 1000, '21:9'],
		[720, 1280, '9:16'],
		[1024, 768, '4:3'],
		[768, 1024, '3:4'],
		[2520, 1080, '21:9'],
		[4096, 4096, '1:1'],
		[960, 320, '21:9'],
		// There is no 9:21, so the tallest images go to 9:16.
		[320, 960, '9:16'],
		[1000, 2000, '9:16'],
		[2000, 1000, '16:9'],
	])('%i×%i → %s', (width, height, expected) => {
		expect(closestAspectRatio(width, height)).toBe(expected);
	});

	it('measures distance in log space (the vendor does not publish its measure)', () => {
		// W/H = 2.045: nearer 21:9 by ratio of ratios (2.333/2.045 = 1.141 < 2.045/1.778 = 1.150),
		// nearer 16:9 by plain difference (0.267 < 0.288).
		expect(closestAspectRatio(2045, 1000)).toBe('21:9');
	});

	it('switches at the geometric mean of neighbouring ratios', () => {
		const boundaries: Array<[AspectRatio, AspectRatio]> = [
			['9:16', '3:4'],
			['3:4', '1:1'],
			['1:1', '4:3'],
			['4:3', '16:9'],
			['16:9', '21:9'],
		];
		const value = (ratio: AspectRatio) => TERMS[ratio][0] / TERMS[ratio][1];
		for (const [lower, upper] of boundaries) {
			const midpoint = Math.sqrt(value(lower) * value(upper));
			const height = 100_000;
			expect(closestAspectRatio(Math.floor(midpoint * height), height)).toBe(lower);
			expect(closestAspectRatio(Math.ceil(midpoint * height), height)).toBe(upper);
		}
	});

	it('is symmetric for portrait and landscape (except beyond 16:9, where only 21:9 exists)', () => {
		const mirror: Record<AspectRatio, AspectRatio | undefined> = {
			'16:9': '9:16',
			'4:3': '3:4',
			'1:1': '1:1',
			'3:4': '4:3',
			'9:16': '16:9',
			'21:9': undefined,
		};
		const random = mulberry32(7);
		for (let i = 0; i < 3000; i++) {
			const side1 = 320 + Math.floor(random() * 3777);
			const side2 = 320 + Math.floor(random() * 3777);
			const [width, height] = side1 >= side2 ? [side1, side2] : [side2, side1];
			const landscape = closestAspectRatio(width, height);
			if (landscape !== '21:9') expect(closestAspectRatio(height, width)).toBe(mirror[landscape]);
		}
	});

	it.each([
		[0, 100],
		[100, 0],
		[-1, 100],
		[100.5, 100],
		[Number.NaN, 100],
		[Number.POSITIVE_INFINITY, 100],
	])('rejects the size %p×%p', (width, height) => {
		expect(() => closestAspectRatio(width, height)).toThrow(RangeError);
	});
});

describe('centerCrop', () => {
	it('follows the vendor page for 3000×1000 → 21:9 (too wide: keep the height)', () => {
		// Crop_W = 1000·21/9 = 2333.33 → 2333; X = (3000 − 2333)/2 = 333.5 → 333.
		expect(centerCrop(3000, 1000, '21:9')).toEqual({ x: 333, y: 0, width: 2333, height: 1000 });
	});

	it('treats exact ratios as exact (no float error): the whole image', () => {
		const exact: Array<[number, number, AspectRatio]> = [
			[1920, 1080, '16:9'],
			[1280, 720, '16:9'],
			[1664, 1248, '4:3'],
			[1024, 768, '4:3'],
			[1440, 1440, '1:1'],
			[1000, 1000, '1:1'],
			[1248, 1664, '3:4'],
			[768, 1024, '3:4'],
			[1080, 1920, '9:16'],
			[720, 1280, '9:16'],
			[2520, 1080, '21:9'],
			[2100, 900, '21:9'],
		];
		for (const [width, height, ratio] of exact) {
			expect(centerCrop(width, height, ratio)).toEqual({ x: 0, y: 0, width, height });
		}
	});

	it('crops a too-tall image to the ratio by its height, centred vertically', () => {
		// 1920×1088 is not quite 16:9: Crop_H = 1920·9/16 = 1080, Y = (1088 − 1080)/2 = 4.
		expect(centerCrop(1920, 1088, '16:9')).toEqual({ x: 0, y: 4, width: 1920, height: 1080 });
		expect(centerCrop(1000, 1000, '4:3')).toEqual({ x: 0, y: 125, width: 1000, height: 750 });
		expect(centerCrop(1000, 1200, '1:1')).toEqual({ x: 0, y: 100, width: 1000, height: 1000 });
		expect(centerCrop(900, 1300, '3:4')).toEqual({ x: 0, y: 50, width: 900, height: 1200 });
		expect(centerCrop(900, 1700, '9:16')).toEqual({ x: 0, y: 50, width: 900, height: 1600 });
		expect(centerCrop(2100, 1000, '21:9')).toEqual({ x: 0, y: 50, width: 2100, height: 900 });
	});

	it('crops a too-wide image to the ratio by its width, centred horizontally', () => {
		expect(centerCrop(2000, 900, '16:9')).toEqual({ x: 200, y: 0, width: 1600, height: 900 });
		expect(centerCrop(1000, 600, '4:3')).toEqual({ x: 100, y: 0, width: 800, height: 600 });
		expect(centerCrop(1200, 1000, '1:1')).toEqual({ x: 100, y: 0, width: 1000, height: 1000 });
		expect(centerCrop(1000, 1200, '3:4')).toEqual({ x: 50, y: 0, width: 900, height: 1200 });
		// 1088×1920 is not quite 9:16: Crop_W = 1920·9/16 = 1080, X = 4.
		expect(centerCrop(1088, 1920, '9:16')).toEqual({ x: 4, y: 0, width: 1080, height: 1920 });
		// 2176×928: Crop_W = 928·21/9 = 2165.33 → 2165, X = (2176 − 2165)/2 = 5.5 → 5.
		expect(centerCrop(2176, 928, '21:9')).toEqual({ x: 5, y: 0, width: 2165, height: 928 });
	});

	it('rounds the cropped side to the nearest pixel (halves up) and floors the offset', () => {
		// 1000·9/16 = 562.5 → 563; Y = (1000 − 563)/2 = 218.5 → 218.
		expect(centerCrop(1000, 1000, '16:9')).toEqual({ x: 0, y: 218, width: 1000, height: 563 });
		// 1001·3/4 = 750.75 → 751; Y = (1001 − 751)/2 = 125.
		expect(centerCrop(1001, 1001, '4:3')).toEqual({ x: 0, y: 125, width: 1001, height: 751 });
	});

	it('handles the extreme shapes at the ratio-3 limit', () => {
		// 960×320 → 21:9: Crop_W = 320·21/9 = 746.67 → 747, X = (960 − 747)/2 = 106.5 → 106.
		expect(centerCrop(960, 320, '21:9')).toEqual({ x: 106, y: 0, width: 747, height: 320 });
		// 320×960 → 9:16: Crop_H = 320·16/9 = 568.89 → 569, Y = (960 − 569)/2 = 195.5 → 195.
		expect(centerCrop(320, 960, '9:16')).toEqual({ x: 0, y: 195, width: 320, height: 569 });
	});

	it('keeps at least one pixel', () => {
		expect(centerCrop(1, 100, '21:9')).toEqual({ x: 0, y: 49, width: 1, height: 1 });
		expect(centerCrop(100, 1, '9:16')).toEqual({ x: 49, y: 0, width: 1, height: 1 });
	});

	it('rejects an unknown ratio arriving as a string at run time', () => {
		expect(() => centerCrop(100, 100, '2:1' as AspectRatio)).toThrow(/unknown aspect ratio "2:1"/);
	});

	it('rejects a size that is not whole positive pixels', () => {
		expect(() => centerCrop(0, 100, '1:1')).toThrow(RangeError);
		expect(() => centerCrop(100, 99.5, '1:1')).toThrow(RangeError);
	});

	it('holds the crop properties for every ratio over 3,000 random sizes in [320, 4096]', () => {
		const random = mulberry32(42);
		for (let i = 0; i < 3000; i++) {
			const width = 320 + Math.floor(random() * 3777);
			const height = 320 + Math.floor(random() * 3777);
			for (const ratio of ASPECT_RATIOS)
				expectValidCrop(width, height, ratio, centerCrop(width, height, ratio));
		}
	});
});

describe('planImageCrop', () => {
	it('plans 3000×1000 as 21:9 with the vendor-page crop', () => {
		expect(planImageCrop(3000, 1000)).toEqual({
			expectedAspectRatio: '21:9',
			crop: { x: 333, y: 0, width: 2333, height: 1000 },
			cropped: true,
		});
	});

	// [case, width, height, ratio, crop x, y, width, height, cropped]
	it.each([
		['an exact ratio is uncropped', 1280, 720, '16:9', 0, 0, 1280, 720, false],
		// Crop_W = 900·16/9 = 1600, X = 0.5 → 0.
		['slightly too wide for 16:9: a one-pixel crop', 1601, 900, '16:9', 0, 0, 1600, 900, true],
		// Crop_H = 1599·9/16 = 899.44 → 899.
		['slightly too tall for 16:9: a one-pixel crop', 1599, 900, '16:9', 0, 0, 1599, 899, true],
		// Crop_H = 1777·9/16 = 999.56 → 1000, the whole image.
		['under half a pixel too tall rounds away', 1777, 1000, '16:9', 0, 0, 1777, 1000, false],
		// Crop_W = 1777·9/16 = 999.56 → 1000.
		['under half a pixel too wide rounds away', 1000, 1777, '9:16', 0, 0, 1000, 1777, false],
		['ratio 3, landscape', 960, 320, '21:9', 106, 0, 747, 320, true],
		['ratio 3, portrait', 320, 960, '9:16', 0, 195, 320, 569, true],
	] as const)('%s (%i×%i)', (_case, w, h, ratio, x, y, cropW, cropH, cropped) => {
		expect(planImageCrop(w, h)).toEqual({
			expectedAspectRatio: ratio,
			crop: { x, y, width: cropW, height: cropH },
			cropped,
		});
	});

	it('holds the crop properties over 3,000 random sizes in [320, 4096]', () => {
		const random = mulberry32(2024);
		for (let i = 0; i < 3000; i++) {
			const width = 320 + Math.floor(random() * 3777);
			const height = 320 + Math.floor(random() * 3777);
			const plan = planImageCrop(width, height);
			expect(plan.expectedAspectRatio).toBe(closestAspectRatio(width, height));
			expectValidCrop(width, height, plan.expectedAspectRatio, plan.crop);
			expect(plan.cropped).toBe(plan.crop.width !== width || plan.crop.height !== height);
		}
	});
});

describe('one rule for the node and the simulator', () => {
	// Between W/H 2.037 and 2.056 a linear distance says 16:9 and the log distance 21:9: the simulator
	// once used the linear one, and a first/last frame pair the node accepted was refused there.
	it.each([
		[2050, 1000, '21:9'],
		[2036, 1000, '16:9'],
		[1000, 2050, '9:16'],
	])('%d×%d → %s in both', (width, height, ratio) => {
		expect(closestAspectRatio(width, height)).toBe(ratio);
		expect(simulatorClosestAspectRatio(width, height)).toBe(ratio);
	});
});
