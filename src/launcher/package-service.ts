// The Cosmos side of an installed service, for the scheduler's /cosmos/service/* routes: what it
// was installed from (package.json, options) and an update of its options, done as `svc update
// start` does it, after which the scheduler exits so its supervisor restarts it on the new target.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { CosmosError, PackageDescription, PackageService } from '../api/routes/cosmos.js';
import { findPackage, mergeOptions, PackageError, renderPackage, type JsonObject } from '../spec/index.js';
import { pidAlive } from '../util/fs.js';
import { LauncherError } from './errors.js';
import type { ServiceHome } from './home.js';
import { applyUpdate } from './launcher.js';

export function packageService(home: ServiceHome, exit: () => void): PackageService {
  const location = () => {
    const src = home.info()?.source;
    return src?.kind === 'package' ? findPackage(src.path) : undefined;
  };
  const describe = async (userOptions?: JsonObject): Promise<PackageDescription> => {
    const src = home.info()?.source;
    const found = location();
    if (!src || !found) return { package: { name: home.name, version: '' } };
    const user = userOptions ?? src.options ?? {};
    const rendered = await renderPackage(found.dir, user, { specFile: src.specFile ?? found.specFile, buildVars: src.buildVars });
    return { package: JSON.parse(readFileSync(join(found.dir, 'package.json'), 'utf8')) as JsonObject, resolvedOptions: rendered.options, userProvidedOptions: user };
  };
  return {
    describe: () => describe(),
    async update(options, replace): Promise<PackageDescription | CosmosError> {
      const src = home.info()?.source;
      const found = location();
      if (options && !found) return { type: 'OptionsNotAllowed', message: `${home.name} was installed from a plain spec: it takes no options` };
      if (!pidAlive(home.supervisorPid())) return { type: 'ServiceUpdateNotSupported', message: `the scheduler of ${home.name} runs in the foreground (svc run): update it with svc update start` };
      // options first, so their problems come back as the schema errors the Go CLI tabulates
      const user = replace ? (options ?? {}) : mergeOptions(src?.options ?? {}, options ?? {});
      if (found) {
        try {
          await renderPackage(found.dir, user, { specFile: src?.specFile ?? found.specFile, buildVars: src?.buildVars });
        } catch (e) {
          if (!(e instanceof PackageError)) throw e;
          return { type: 'JsonSchemaMismatch', message: 'Options JSON failed validation', data: { errors: e.issues.map((i) => ({ message: i.message, instance: { pointer: i.path } })) } };
        }
      }
      try {
        await applyUpdate(home, options, replace);
      } catch (e) {
        if (e instanceof LauncherError) return { type: 'ServiceUpdateRejected', message: e.message };
        throw e;
      }
      return describe(user);
    },
    restart: exit,
  };
}
