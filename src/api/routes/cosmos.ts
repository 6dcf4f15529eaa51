// The Cosmos calls of the original Go CLI (`describe`, `update start --options`, `update
// package-versions`): POST /cosmos/service/describe and /cosmos/service/update, answered by the
// scheduler with Cosmos' JSON shapes, so that CLI works against svc unchanged. Errors are Cosmos'
// 400 `{type, message, data}` the Go CLI turns into its messages (MarathonAppNotFound,
// JsonSchemaMismatch, BadVersionUpdate, ...).
import { randomUUID } from 'node:crypto';
import type { SchedulerView } from '../scheduler-view.js';
import type { JsonObject } from '../../spec/index.js';
import { json, parseJson, route, type Reply, type Route } from '../route.js';

/** What the service was installed from, as Cosmos describes an installed package. */
export interface PackageDescription {
  /** The package definition (package.json); for a plain spec, its name and an empty version. */
  readonly package: JsonObject;
  /** Options with config.json defaults applied; undefined for a plain spec. */
  readonly resolvedOptions?: JsonObject;
  readonly userProvidedOptions?: JsonObject;
}

export interface CosmosError {
  readonly type: string;
  readonly message: string;
  readonly data?: JsonObject;
}

/** The install-side operations the routes need; the launcher provides them. */
export interface PackageService {
  describe(): Promise<PackageDescription>;
  /** Validates and stores the new target; `restart` then rolls it out (after the answer is sent). */
  update(options: JsonObject | undefined, replace: boolean): Promise<PackageDescription | CosmosError>;
  restart(): void;
}

const error = (e: CosmosError): Reply => json(e, 400);

const isObject = (v: unknown): v is JsonObject => v !== null && typeof v === 'object' && !Array.isArray(v);

/** `/hello-world` and `hello-world` name the same Marathon app. */
const appId = (name: string) => `/${name.replace(/^\/+/, '')}`;

export function cosmosRoutes(s: SchedulerView, pkg: PackageService | undefined): Route[] {
  if (!pkg) return [];
  /** The request body when it names this service, else the error reply. */
  const request = (body: string): JsonObject | Reply => {
    const req = parseJson(body);
    if (!isObject(req) || typeof req.appId !== 'string') return error({ type: 'JsonParsingError', message: 'request body must be a JSON object with a string appId' });
    if (appId(req.appId) !== appId(s.spec.name)) return error({ type: 'MarathonAppNotFound', message: `Unable to locate service with marathon appId: '${req.appId}'`, data: { appId: req.appId } });
    return req;
  };
  const isReply = (v: JsonObject | Reply): v is Reply => 'status' in v && ('json' in v || 'text' in v);
  return [
    route('POST', '/cosmos/service/describe', async (_p, _q, body) => {
      const req = request(body);
      if (isReply(req)) return req;
      const d = await pkg.describe();
      return json({ package: d.package, upgradesTo: [], downgradesTo: [], ...(d.resolvedOptions ? { resolvedOptions: d.resolvedOptions, userProvidedOptions: d.userProvidedOptions ?? {} } : {}) });
    }),
    route('POST', '/cosmos/service/update', async (_p, _q, body) => {
      const req = request(body);
      if (isReply(req)) return req;
      if (req.options !== undefined && !isObject(req.options)) return error({ type: 'JsonParsingError', message: 'options must be a JSON object' });
      if (req.replace !== undefined && typeof req.replace !== 'boolean') return error({ type: 'JsonParsingError', message: 'replace must be a boolean' });
      const current = await pkg.describe();
      const version = current.package.version;
      if (req.packageVersion !== undefined && req.packageVersion !== version) {
        // svc runs the package folder it was installed from: there is no other version to move to
        return error({ type: 'BadVersionUpdate', message: `Unable to update to version ${String(req.packageVersion)}`, data: { currentVersion: version ?? '', updateVersion: String(req.packageVersion), validVersions: [] } });
      }
      const result = await pkg.update(req.options as JsonObject | undefined, req.replace === true);
      if ('type' in result) return error(result);
      return {
        status: 200,
        stream: async (res) => {
          const out = JSON.stringify({ package: result.package, resolvedOptions: result.resolvedOptions ?? {}, marathonDeploymentId: randomUUID() });
          res.writeHead(200, { 'content-type': 'application/vnd.dcos.service.update-response+json;charset=utf-8;version=v1' });
          await new Promise<void>((resolve) => res.end(out, resolve));
          pkg.restart(); // the new scheduler rolls the update out
        },
      };
    }),
  ];
}
