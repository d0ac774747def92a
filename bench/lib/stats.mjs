// Small statistics for the benchmark: medians, quantiles and the spread of a
// series of measurements (one value per round).

/** The q-quantile (0..1) of numbers, linearly interpolated. */
export function quantile(values, q) {
  const sorted = values.filter(Number.isFinite).sort((a, b) => a - b);
  if (!sorted.length) return NaN;
  const at = (sorted.length - 1) * q;
  const lo = Math.floor(at);
  const hi = Math.ceil(at);
  return sorted[lo] + (sorted[hi] - sorted[lo]) * (at - lo);
}

export const median = (values) => quantile(values, 0.5);

/**
 * A series summarised: median, quartiles, extremes and the count. Every time
 * and every ratio the benchmark reports has this shape, so its spread is known.
 */
export function summary(values) {
  const finite = values.filter(Number.isFinite);
  return {
    median: round(median(finite)),
    p25: round(quantile(finite, 0.25)),
    p75: round(quantile(finite, 0.75)),
    min: round(Math.min(...finite)),
    max: round(Math.max(...finite)),
    n: finite.length,
  };
}

/** Per-round ratios a[i] / b[i], summarised. */
export function ratioSummary(numerators, denominators) {
  return summary(numerators.map((a, i) => a / denominators[i]));
}

/** Rounds to 4 significant digits (results stay readable in JSON). */
export function round(x) {
  if (!Number.isFinite(x) || x === 0) return x;
  const digits = Math.max(0, 3 - Math.floor(Math.log10(Math.abs(x))));
  return Number(x.toFixed(Math.min(digits, 8)));
}

/** "12.3 (11.9–12.8)": a median and its range. */
export function formatSpread(s, digits = 3, unit = '') {
  if (!s || !Number.isFinite(s.median)) return 'n/a';
  const f = (x) => formatNumber(x, digits);
  return s.n > 1 ? `${f(s.median)}${unit} (${f(s.min)}–${f(s.max)})` : `${f(s.median)}${unit}`;
}

/** A number with about `digits` significant digits. */
export function formatNumber(x, digits = 3) {
  if (!Number.isFinite(x)) return String(x);
  if (x === 0) return '0';
  const magnitude = Math.floor(Math.log10(Math.abs(x)));
  const decimals = Math.max(0, digits - 1 - magnitude);
  return x.toFixed(Math.min(decimals, 6));
}

/** Rotates an array by `by` places: contenders run in a different order each round. */
export function rotate(items, by) {
  const n = items.length;
  const k = ((by % n) + n) % n;
  return [...items.slice(k), ...items.slice(0, k)];
}

/** Bytes as KB / MB (decimal, as transfer sizes are usually given). */
export function formatBytes(bytes) {
  if (!Number.isFinite(bytes)) return 'n/a';
  if (bytes >= 1e9) return `${formatNumber(bytes / 1e9)} GB`;
  if (bytes >= 1e6) return `${formatNumber(bytes / 1e6)} MB`;
  if (bytes >= 1e3) return `${formatNumber(bytes / 1e3)} KB`;
  return `${bytes} B`;
}
