// The benchmark chart: one SVG drawn here (no online service, no library).
// Each charted row is a ratio where higher is better for Lectern, drawn on a
// log axis as a bar to its median with a whisker over its range across rounds,
// and a tick where its goal is. Green: the goal holds; red: it does not.
import { formatNumber } from './stats.mjs';

const escape = (s) => String(s).replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c]);

/** Rows to chart: `row.chart === true` (a '×' row) or `row.chart = { value, goal }`. */
function chartRows(records) {
  const out = [];
  for (const record of records) {
    for (const row of record.rows ?? []) {
      if (!row.chart) continue;
      const spec = row.chart === true ? { value: row.value, goal: row.goal?.min ?? null, label: row.label } : { label: row.label, ...row.chart };
      if (!spec.value || !Number.isFinite(spec.value.median)) continue;
      out.push({ suite: record.title, holds: row.holds, ...spec });
    }
  }
  return out;
}

/** Renders the chart as an SVG document. */
export function renderChart(records) {
  const rows = chartRows(records);
  const labelWidth = 430;
  const plotWidth = 520;
  const rowHeight = 22;
  const top = 58;
  const suites = [...new Set(rows.map((r) => r.suite))];
  const height = top + (rows.length + suites.length) * rowHeight + 46;
  const width = labelWidth + plotWidth + 90;
  const values = rows.flatMap((r) => [r.value.min, r.value.max, r.goal].filter((x) => Number.isFinite(x) && x > 0));
  const lo = 10 ** Math.floor(Math.log10(Math.min(0.1, ...values)));
  const hi = 10 ** Math.ceil(Math.log10(Math.max(10, ...values)));
  const x = (v) => labelWidth + (Math.log10(Math.max(v, lo)) - Math.log10(lo)) / (Math.log10(hi) - Math.log10(lo)) * plotWidth;
  const dates = [...new Set(records.map((r) => r.date.slice(0, 10)))].join(', ');
  const machine = records[0]?.machine;
  const parts = [];
  parts.push(`<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="system-ui, -apple-system, 'Segoe UI', sans-serif" font-size="12">`);
  parts.push(`<rect width="${width}" height="${height}" fill="#fff"/>`);
  parts.push(`<text x="12" y="22" font-size="15" font-weight="600">Lectern against its peers: ratio, higher is better for Lectern (log scale)</text>`);
  parts.push(`<text x="12" y="40" fill="#555">${escape(`${dates} · ${machine ? `${machine.cores} cores, Chromium ${machine.chromium}` : ''} · bar: median of per-round ratios, whisker: min–max, tick: goal`)}</text>`);
  const axisBottom = height - 30;
  for (let v = lo; v <= hi * 1.0001; v *= 10) {
    for (const m of [1, 2, 5]) {
      const t = v * m;
      if (t > hi * 1.0001) break;
      const tx = x(t);
      parts.push(`<line x1="${tx}" y1="${top - 6}" x2="${tx}" y2="${axisBottom}" stroke="${m === 1 ? '#ccc' : '#eee'}"/>`);
      if (m === 1 || m === 5) parts.push(`<text x="${tx}" y="${axisBottom + 14}" text-anchor="middle" fill="#555">${formatNumber(t, 1)}×</text>`);
    }
  }
  parts.push(`<line x1="${x(1)}" y1="${top - 6}" x2="${x(1)}" y2="${axisBottom}" stroke="#555" stroke-dasharray="3 2"/>`);
  let y = top;
  for (const suite of suites) {
    parts.push(`<text x="12" y="${y + 14}" font-weight="600">${escape(suite)}</text>`);
    y += rowHeight;
    for (const row of rows.filter((r) => r.suite === suite)) {
      const colour = row.holds === true ? '#2e7d32' : row.holds === false ? '#c62828' : '#607d8b';
      const mid = y + rowHeight / 2;
      parts.push(`<text x="24" y="${mid + 4}">${escape(row.label)}</text>`);
      parts.push(`<rect x="${x(lo)}" y="${mid - 6}" width="${Math.max(1, x(row.value.median) - x(lo))}" height="12" fill="${colour}" fill-opacity="0.75"/>`);
      if (row.value.n > 1) {
        parts.push(`<line x1="${x(row.value.min)}" y1="${mid}" x2="${x(row.value.max)}" y2="${mid}" stroke="#222"/>`);
        for (const end of [row.value.min, row.value.max]) parts.push(`<line x1="${x(end)}" y1="${mid - 4}" x2="${x(end)}" y2="${mid + 4}" stroke="#222"/>`);
      }
      if (Number.isFinite(row.goal)) {
        parts.push(`<line x1="${x(row.goal)}" y1="${mid - 9}" x2="${x(row.goal)}" y2="${mid + 9}" stroke="#000" stroke-width="2.5"/>`);
      }
      parts.push(`<text x="${labelWidth + plotWidth + 8}" y="${mid + 4}" fill="${colour}">${formatNumber(row.value.median, 3)}×${Number.isFinite(row.goal) ? ` / ${formatNumber(row.goal, 2)}×` : ''}</text>`);
      y += rowHeight;
    }
  }
  parts.push('</svg>');
  return `${parts.join('\n')}\n`;
}
