// svc images [list] | prune — the image store of $SVC_HOME, shared by every service installed there.
import type { Command } from 'commander';
import type { CliDeps } from '../../deps.js';
import { examples } from '../shared.js';
import { listImages } from './list.js';
import { pruneImages } from './prune.js';

export function register(program: Command, deps: CliDeps): void {
  const images = examples(program.command('images').alias('image').description('container images pulled for pods with `image:` (one store per $SVC_HOME)'), 'svc images', 'svc images prune');
  images
    .command('list', { isDefault: true })
    .description('cached images: reference, digest, size, and the tasks whose containers use them')
    .option('--json', 'print JSON')
    .addHelpText('after', '\nExamples:\n  svc images\n  svc images list --json\n')
    .action(async (o: { json?: boolean }) => deps.io.out(await listImages(deps.svcHome(), o.json === true || program.opts<{ json?: boolean }>().json === true)));
  images
    .command('prune')
    .description('removes every cached image no container uses (a later launch pulls it again)')
    .addHelpText('after', '\nExamples:\n  svc images prune\n')
    .action(async () => deps.io.out(await pruneImages(deps.svcHome())));
}
