// renderTable prints tables of plain ASCII cells itself (the lean path of the read commands does not
// load cli-table3): byte for byte what cli-table3 prints, painted or not; other cells go through it.
import { describe, expect, it } from 'vitest';
import { chalkColors, noColors, type Colors } from '../../src/cli/render/colors.js';
import { renderTable, viaCliTable3 } from '../../src/cli/render/table.js';

const TABLES: Array<[string[], string[][]]> = [
  [['NAME', 'STATUS', 'URL'], [['hello-world', 'RUNNING', 'http://127.0.0.1:1'], ['down', 'DOWN', '-']]],
  [['NAME', 'STATUS', 'POD', 'ID'], []],
  [['A', 'B'], [['', ''], ['x', '']]],
  [['A', 'B', 'C'], [['  lead', 'trail  ', 'mid  dle'], ['~!@#$%^&*()', '"\'`\\', '{}[]<>|']]],
  [['NAME', 'STATUS', 'RESTARTS', 'REASON', 'POD', 'ID'], [['t', 'FAILED', '4', 'exited with code 3', 'p-0', 'id'], ['u', 'RUNNING', '-', '-', 'p-1', 'longer-id-here']]],
];

describe('renderTable', () => {
  for (const [header, rows] of TABLES)
    for (const colors of [noColors, 'chalk'] as const) {
      it(`aligns ${JSON.stringify(header)} as cli-table3 does${colors === 'chalk' ? ', painted' : ''}`, async () => {
        const c: Colors = colors === 'chalk' ? await chalkColors() : noColors;
        const head = c.bold;
        const cell = (col: number, t: string) => (col === 1 ? c.status(t) : t);
        expect(renderTable(header, rows, { header: head, cell })).toBe(viaCliTable3(header, rows, head, cell));
      });
    }

  it('leaves wide, control and multi-line cells to cli-table3', () => {
    const rows = [['日本語', 'x'], ['evil-\x1b[2J', 'y'], ['two\nlines', 'z']];
    const id = (_c: number, t: string) => t;
    expect(renderTable(['A', 'B'], rows)).toBe(viaCliTable3(['A', 'B'], rows, (t) => t, id));
  });
});
