// Every command explains itself: a description, and --help (exit 0) that ends with examples.
import { describe, expect, it } from 'vitest';
import { allCommands, buildProgram, commandPath } from '../../src/cli/main.js';
import { run, testDeps } from './helpers.js';

const paths = ['', ...allCommands(buildProgram(testDeps().deps)).map(commandPath)];

describe('help', () => {
  it('covers every command', () => {
    expect(paths.length).toBeGreaterThan(40);
  });
  for (const path of paths) {
    it(`svc ${path} --help`, async () => {
      const argv = [...(path ? path.split(' ') : []), '--help'];
      const r = await run(argv);
      expect(r.code).toBe(0);
      expect(r.stderr).toBe('');
      expect(r.stdout).toMatch(new RegExp(`^Usage: svc${path ? ` ${path.split(' ').join(' ')}` : ''}[| ]`));
      // a description under the usage line, then examples
      expect(r.stdout.split('\n')[2]).toMatch(/^\S.{10,}/);
      expect(r.stdout).toMatch(/\nExamples:\n {2}\S/);
    });
  }
});
