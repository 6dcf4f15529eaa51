// Where a package's files are: a folder with marathon.json.mustache (svc.yml beside it), or the
// upstream framework layout, `universe/` (the package) beside `src/main/dist/svc.yml` — given
// either the framework folder or its `universe/` folder.
import { existsSync } from 'node:fs';
import { join } from 'node:path';

export interface PackageLocation {
  /** The folder holding marathon.json.mustache, config.json, package.json, resource.json. */
  readonly dir: string;
  /** The spec the package runs. */
  readonly specFile: string;
}

const isPackageDir = (dir: string) => existsSync(join(dir, 'marathon.json.mustache'));
const UPSTREAM_SPEC = join('src', 'main', 'dist', 'svc.yml');

/** The package in `dir`, or undefined when `dir` is not one (a plain spec folder). */
export function findPackage(dir: string): PackageLocation | undefined {
  const firstSpec = (...candidates: string[]) => candidates.find((f) => existsSync(f)) ?? candidates[0];
  if (isPackageDir(dir)) return { dir, specFile: firstSpec(join(dir, 'svc.yml'), join(dir, '..', UPSTREAM_SPEC)) };
  const universe = join(dir, 'universe');
  if (isPackageDir(universe)) return { dir: universe, specFile: firstSpec(join(dir, UPSTREAM_SPEC), join(dir, 'svc.yml'), join(universe, 'svc.yml')) };
  return undefined;
}
