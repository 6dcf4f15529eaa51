// Tables (svc services, task list, …) through cli-table3, without borders: aligned columns two
// spaces apart, stable for scripts and readable for people. cli-table3 measures cells without their
// colour codes, so painted cells line up. It is loaded on first use: commands that print no table
// do not pay for it (about 7 ms).
import { createRequire } from 'node:module';
import type CliTable3 from 'cli-table3';

export interface ColumnStyle {
  readonly header?: (text: string) => string;
  /** Styles one cell's text (widths stay those of the plain text). */
  readonly cell?: (column: number, text: string) => string;
}

const NO_BORDERS = {
  top: '', 'top-mid': '', 'top-left': '', 'top-right': '',
  bottom: '', 'bottom-mid': '', 'bottom-left': '', 'bottom-right': '',
  left: '', 'left-mid': '', mid: '', 'mid-mid': '', right: '', 'right-mid': '',
  middle: '  ',
};

let Table: typeof CliTable3 | undefined;
const table = (): typeof CliTable3 => (Table ??= createRequire(import.meta.url)('cli-table3') as typeof CliTable3);

export function renderTable(header: readonly string[], rows: readonly (readonly string[])[], style: ColumnStyle = {}): string {
  const head = style.header ?? ((t: string) => t);
  const cell = style.cell ?? ((_c: number, t: string) => t);
  if ([header, ...rows].every((r) => r.length === header.length && r.every((c) => PRINTABLE_ASCII.test(c)))) return alignedColumns(header, rows, head, cell);
  return viaCliTable3(header, rows, head, cell);
}

/** One line per cell and one column per character: what cli-table3 would print, computed without it. */
const PRINTABLE_ASCII = /^[\x20-\x7e]*$/;

/** renderTable for cells of printable ASCII: each column as wide as its widest text, styled after measuring. */
function alignedColumns(header: readonly string[], rows: readonly (readonly string[])[], head: (t: string) => string, cell: (c: number, t: string) => string): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (texts: readonly string[], paint: (i: number, t: string) => string) => texts.map((t, i) => paint(i, t) + ' '.repeat(widths[i] - t.length)).join(NO_BORDERS.middle).trimEnd();
  return [line(header, (_i, t) => head(t)), ...rows.map((r) => line(r, cell))].join('\n') + '\n';
}

export function viaCliTable3(header: readonly string[], rows: readonly (readonly string[])[], head: (t: string) => string, cell: (c: number, t: string) => string): string {
  const Ctor = table();
  const t = new Ctor({
    head: header.map((h) => head(h)),
    chars: NO_BORDERS,
    style: { head: [], border: [], 'padding-left': 0, 'padding-right': 0, compact: true },
  });
  for (const r of rows) t.push(r.map((c, i) => cell(i, c)));
  // the last column is not padded: no trailing spaces
  return t.toString().split('\n').map((l) => l.trimEnd()).join('\n') + '\n';
}
