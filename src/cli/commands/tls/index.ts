// The `svc tls` group.
import type { Command } from 'commander';
import type { CliDeps } from '../../deps.js';
import { register as registerCa } from './ca.js';

export function register(program: Command, deps: CliDeps): void {
  registerCa(program.command('tls').description('the certificate authority behind transport-encryption'), deps);
}
