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
      // a default said once: not "(default 300) (default: 300)"
      expect(r.stdout).not.toMatch(/\(default:? [^)]*\)[^\n]*\(default: /);
      // the global options are described under svc --help only; subcommands name them in one line
      if (path) {
        expect(r.stdout).not.toMatch(/Global Options:|--token-file <file>/);
        expect(r.stdout).toContain('\nGlobal options (see: svc --help): --name, --url, --token, --token-file, -v, --verbose, --json\n');
      } else expect(r.stdout).toMatch(/\n {2}--token-file <file> +read the API token/);
    });
  }
});
