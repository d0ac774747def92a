// The table the benchmark prints: every row of every suite, its median and
// range over the rounds, its goal and whether the goal holds. The same rows,
// as Markdown, go into the README's Performance section.
import { formatSpread } from './stats.mjs';

function verdict(row) {
  if (row.holds === true) return 'yes';
  if (row.holds === false) return 'NO';
  return row.goal ? 'n/a' : '';
}

function value(row) {
  if (row.text) return row.text;
  return formatSpread(row.value, 3, row.unit === '×' ? '×' : '');
}

function unit(row) {
  if (row.text) return '';
  return row.unit === '×' ? '' : row.unit ?? '';
}

/** Prints the table to standard output. */
export function printTable(records) {
  const lines = [];
  const width = { label: 0, value: 0, goal: 0 };
  for (const record of records) {
    for (const row of record.rows ?? []) {
      width.label = Math.max(width.label, row.label.length + 2);
      width.value = Math.max(width.value, `${value(row)} ${unit(row)}`.length);
      width.goal = Math.max(width.goal, (row.goal?.text ?? '').length);
    }
  }
  const pad = (s, n) => s + ' '.repeat(Math.max(0, n - [...s].length));
  lines.push(`${pad('measure', width.label)}  ${pad('median (min–max)', width.value)}  ${pad('goal', width.goal)}  holds`);
  for (const record of records) {
    lines.push(`${record.title} — ${record.suite}.json, ${record.date.slice(0, 10)}, ${record.rounds} rounds${record.quick ? ' (quick)' : ''}`);
    for (const row of record.rows ?? []) {
      lines.push(`  ${pad(row.label, width.label - 2)}  ${pad(`${value(row)} ${unit(row)}`.trim(), width.value)}  ${pad(row.goal?.text ?? '', width.goal)}  ${verdict(row)}${row.note ? `  (${row.note})` : ''}`);
    }
  }
  console.log(lines.join('\n'));
  const goals = records.flatMap((r) => (r.rows ?? []).filter((row) => row.goal));
  const held = goals.filter((row) => row.holds === true).length;
  console.log(`\ngoals held: ${held} of ${goals.length}`);
}

/** The rows as a Markdown table (for the README). */
export function markdownTable(records) {
  const out = ['| measure | median (min–max) | goal | holds |', '|---|---|---|---|'];
  for (const record of records) {
    out.push(`| **${record.title}** | | | |`);
    for (const row of record.rows ?? []) {
      const note = row.note ? ` — ${row.note}` : '';
      out.push(`| ${row.label}${note} | ${`${value(row)} ${unit(row)}`.trim()} | ${row.goal?.text ?? ''} | ${verdict(row)} |`);
    }
  }
  return out.join('\n');
}
