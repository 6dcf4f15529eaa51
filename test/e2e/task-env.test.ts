// A package in the upstream layout (universe/ beside src/main/dist/svc.yml) with TASKCFG_* values:
// the tasks see them (TASKCFG_ALL_ everywhere, TASKCFG_WEB_APP_ only in pod web-app, over the
// spec's own env), the SDK's variables reach the task, the read-only token in the task env gets
// reads through and nothing else, and changing a TASKCFG value rolls the tasks out.
import { cpSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ROOT, runSvc, tempHome, waitFor } from './helpers.js';
import { FIXTURE_CORPUS } from '../upstream.js';

const PACKAGE = join(ROOT, 'test/fixtures/taskcfg-package');
const t = tempHome();
const svc = (...args: string[]) => runSvc(args, t.env);
const printenv = async (task: string, ...names: string[]) => (await svc('task', 'exec', task, 'printenv', ...names)).stdout.trim().split('\n');
const taskId = async (pod: string) => (JSON.parse((await svc('pod', 'info', pod)).stdout) as Array<{ info: { taskId: { value: string } } }>)[0].info.taskId.value;

afterAll(async () => {
  await svc('uninstall', 'taskcfg', '--yes');
  t.cleanup();
});

describe('task environment of a package', () => {
  it('installs the upstream layout without flags and routes TASKCFG_* to the tasks', async () => {
    const r = await svc('install', PACKAGE);
    expect(r.code, r.stderr).toBe(0);
    expect(await printenv('web-app-0-server', 'GREETING', 'ONLY')).toEqual(['hello', 'web-value']);
    const other = await svc('task', 'exec', 'other-0-server', 'printenv', 'ONLY');
    expect(other.code).toBe(1); // TASKCFG_WEB_APP_ONLY is for pod web-app only
    expect(await printenv('other-0-server', 'GREETING', 'FRAMEWORK_HOST', 'ZONE')).toEqual(['hello', 'taskcfg.autoip.dcos.thisdcos.directory', expect.stringMatching(/./)]);
  });

  it("gives the scheduler API's address and a read-only token to the tasks, and web-url its PORT_API", async () => {
    const [host, port, token] = await printenv('web-app-0-server', 'SCHEDULER_API_HOSTNAME', 'SCHEDULER_API_PORT', 'SCHEDULER_API_TOKEN');
    const base = `http://${host}:${port}`;
    const api = JSON.parse(readFileSync(join(t.home, 'taskcfg', 'api.json'), 'utf8')) as { url: string };
    expect(api.url).toBe(base);
    const auth = { authorization: `token=${token}` };
    const endpoint = await fetch(`${base}/v1/endpoints/http`, { headers: auth });
    expect(endpoint.status).toBe(200);
    expect(((await endpoint.json()) as { vip: string }).vip).toBe('web.taskcfg.l4lb.thisdcos.directory:80');
    // the read-only token cannot change anything
    expect((await fetch(`${base}/v1/uninstall`, { method: 'POST', headers: auth })).status).toBe(401);
    expect((await fetch(`${base}/v1/plans/deploy/restart`, { method: 'POST', headers: auth })).status).toBe(401);
    const target = await fetch(`${base}/v1/configurations/target`, { headers: auth });
    expect(((await target.json()) as { webUrl: string }).webUrl).toBe(`${base}/v1/health`);
  });

  it('rolls a changed TASKCFG value out to the tasks, and a custom SERVICE_TLD to the endpoints', async () => {
    const before = { web: await taskId('web-app-0'), other: await taskId('other-0') };
    const opts = join(t.home, 'options.json');
    writeFileSync(opts, JSON.stringify({ service: { greeting: 'bonjour', tld: 'custom.example' } }));
    const r = await svc('update', 'start', '--options', opts, '--wait');
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toContain('rolling out'); // not "nothing to update"
    expect(await taskId('web-app-0')).not.toBe(before.web);
    expect(await taskId('other-0')).not.toBe(before.other);
    expect(await printenv('web-app-0-server', 'GREETING', 'FRAMEWORK_HOST')).toEqual(['bonjour', 'taskcfg.custom.example']);
    const dns = (JSON.parse((await svc('endpoints', 'http')).stdout) as { dns: string[] }).dns;
    expect(dns[0]).toMatch(/^web-app-0-server\.taskcfg\.custom\.example:\d+$/);
  });
});

describe('state and API answers automation reads', () => {
  const api = async (service: string, path: string) => {
    const { url } = JSON.parse(readFileSync(join(t.home, service, 'api.json'), 'utf8')) as { url: string };
    const token = readFileSync(join(t.home, service, 'token'), 'utf8').trim();
    const res = await fetch(url + path, { headers: { authorization: `token=${token}` } });
    return (await res.json()) as unknown;
  };

  it('keeps last-completed-update-type and <task>:task-status as state properties', async () => {
    expect(await api('taskcfg', '/v1/state/properties')).toEqual(expect.arrayContaining(['last-completed-update-type', 'web-app-0-server:task-status']));
    expect(await api('taskcfg', '/v1/state/properties/last-completed-update-type')).toBe('DEPLOY');
    const status = JSON.parse((await api('taskcfg', '/v1/state/properties/web-app-0-server:task-status')) as string) as { state: string; containerStatus: unknown };
    expect(status.state).toBe('TASK_RUNNING');
    expect(status.containerStatus).toEqual({ networkInfos: [{ ipAddresses: [{ ipAddress: expect.stringMatching(/^127\./) }] }] });
  });

  it("pod info's TaskInfo carries the executor, every resource and the checks", async () => {
    type Info = { resources: Array<{ name: string; ranges?: unknown; disk?: { volume: { containerPath: string } } }>; executor: { type: string; name: string; resources: Array<{ disk: { volume: { containerPath: string } } }> }; healthCheck: unknown; check: unknown };
    const [{ info }] = (await api('taskcfg', '/v1/pod/web-app-0/info')) as Array<{ info: Info }>;
    expect(info.resources.map((r) => r.name)).toEqual(['cpus', 'mem', 'ports', 'disk']);
    expect(info.resources[2].ranges).toEqual({ range: [{ begin: expect.any(Number), end: expect.any(Number) }] });
    expect(info.resources[3].disk?.volume.containerPath).toBe('data');
    expect(info.executor).toMatchObject({ type: 'DEFAULT', name: 'web-app' });
    expect(info.executor.resources.map((r) => r.disk.volume.containerPath)).toEqual(['shared']);
    expect(info.healthCheck).toMatchObject({ type: 'COMMAND', command: { value: 'true' }, intervalSeconds: 30, gracePeriodSeconds: 60, consecutiveFailures: 3, timeoutSeconds: 10 });
    expect(info.check).toMatchObject({ type: 'COMMAND', command: { command: { value: 'true' } }, intervalSeconds: 5, timeoutSeconds: 10 });
  });

  it('is_suppressed turns true when only DELAYED work is left', async () => {
    const env = { ...t.env, ENABLE_BACKOFF: 'true', FRAMEWORK_INITIAL_BACKOFF: '5' };
    expect((await runSvc(['install', join(ROOT, 'test/fixtures/crash-loop.yml'), '--no-wait'], env)).code).toBe(0);
    try {
      await waitFor(
        'a DELAYED recovery step with offers suppressed',
        async () => {
          const plan = (await api('crashing', '/v1/plans/recovery')) as { phases: Array<{ steps: Array<{ status: string }> }> };
          const metrics = (await api('crashing', '/v1/metrics')) as { gauges: { is_suppressed: { value: boolean } } };
          return plan.phases[0]?.steps[0].status === 'DELAYED' && metrics.gauges.is_suppressed.value;
        },
        30_000,
        100,
      );
    } finally {
      await runSvc(['uninstall', 'crashing', '--yes'], t.env);
    }
  });
});

describe("the Go CLI's Cosmos calls, answered by the scheduler", () => {
  const cosmos = async (what: 'describe' | 'update', body: unknown) => {
    const { url } = JSON.parse(readFileSync(join(t.home, 'taskcfg', 'api.json'), 'utf8')) as { url: string };
    const token = readFileSync(join(t.home, 'taskcfg', 'token'), 'utf8').trim();
    const res = await fetch(`${url}/cosmos/service/${what}`, {
      method: 'POST',
      headers: { authorization: `token=${token}`, 'content-type': `application/vnd.dcos.service.${what}-request+json;charset=utf-8;version=v1` },
      body: typeof body === 'string' ? body : JSON.stringify(body),
    });
    return { status: res.status, body: (await res.json()) as Record<string, unknown> };
  };

  it('describe: the package, no versions to move to, the resolved and the user options', async () => {
    const r = await cosmos('describe', { appId: '/taskcfg' });
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({
      package: { name: 'taskcfg', version: '1.0.0' },
      upgradesTo: [],
      downgradesTo: [],
      resolvedOptions: { service: { name: 'taskcfg', greeting: 'bonjour', web_only: 'web-value', tld: 'custom.example' } },
      userProvidedOptions: { service: { greeting: 'bonjour', tld: 'custom.example' } },
    });
  });

  it("refuses another app, bad options and another version with Cosmos' errors", async () => {
    expect(await cosmos('describe', { appId: '/other' })).toEqual({ status: 400, body: expect.objectContaining({ type: 'MarathonAppNotFound' }) });
    expect((await cosmos('describe', 'not json')).status).toBe(400);
    expect((await cosmos('update', { appId: 'taskcfg', options: ['not', 'an', 'object'] })).body).toMatchObject({ type: 'JsonParsingError' });
    expect((await cosmos('update', { appId: 'taskcfg', replace: 'yes' })).body).toMatchObject({ type: 'JsonParsingError' });
    const bad = await cosmos('update', { appId: 'taskcfg', options: { service: { greeting: 7 } }, replace: false });
    expect(bad).toEqual({ status: 400, body: expect.objectContaining({ type: 'JsonSchemaMismatch', data: { errors: [{ message: 'must be string', instance: { pointer: '/service/greeting' } }] } }) });
    const version = await cosmos('update', { appId: 'taskcfg', packageVersion: '9.9.9', replace: false });
    expect(version).toEqual({ status: 400, body: expect.objectContaining({ type: 'BadVersionUpdate', data: expect.objectContaining({ updateVersion: '9.9.9', validVersions: [] }) }) });
  });

  it('update: merges the options, answers, and the restarted scheduler rolls them out', async () => {
    const before = await taskId('web-app-0');
    const r = await cosmos('update', { appId: '/taskcfg', options: { service: { greeting: 'hola' } }, replace: false });
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ resolvedOptions: { service: { greeting: 'hola', tld: 'custom.example' } }, marathonDeploymentId: expect.any(String) });
    await waitFor('the new greeting in the relaunched task', async () => (await taskId('web-app-0').catch(() => before)) !== before && (await printenv('web-app-0-server', 'GREETING'))[0] === 'hola', 30_000, 200);
  });
});

describe('a package that is a build template', () => {
  it('names the placeholders its spec needs and how to fill them; --build-var fills them; a malformed one is refused', async () => {
    const root = join(t.home, 'framework');
    cpSync(join(FIXTURE_CORPUS, 'helloworld-package'), join(root, 'universe'), { recursive: true });
    mkdirSync(join(root, 'src/main/dist'), { recursive: true });
    writeFileSync(join(root, 'src/main/dist/svc.yml'), 'name: templated\npods:\n  hello:\n    count: 1\n    uris:\n      - {{BOOTSTRAP_URI}}\n    tasks:\n      server: { goal: RUNNING, cmd: "exec sleep 1000", cpus: 0.1, memory: 32 }\n');
    const r = await svc('spec', 'validate', root);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('{{artifact-dir}}');
    expect(r.stderr).toContain('--build-var artifact-dir=<url>');
    expect(r.stderr).not.toMatch(/YAML|Unexpected scalar/);
    // the flag the message names works where the message is given
    const validated = await svc('spec', 'validate', root, '--build-var', 'artifact-dir=https://example.org/a');
    expect([validated.code, validated.stdout.split('\n')[0]], validated.stderr).toEqual([0, `${root}: valid`]);
    const shown = JSON.parse((await svc('spec', 'show', root, '--build-var', 'artifact-dir=https://example.org/a')).stdout) as { pods: Array<{ uris: string[] }> };
    expect(shown.pods[0].uris).toEqual(['https://example.org/a/bootstrap.zip']);
    const bad = await svc('install', root, '--build-var', 'artifact-dir');
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('--build-var "artifact-dir": expected name=value');
    // filled, the spec renders: the fetch of a file:// URI that does not exist fails later, at launch
    const filled = await svc('install', root, '--build-var', 'artifact-dir=file:///nonexistent', '--no-wait');
    expect(filled.code, filled.stderr).toBe(0);
    const target = JSON.parse(readFileSync(join(t.home, 'templated', 'spec.json'), 'utf8')) as { pods: Array<{ uris: string[] }> };
    expect(target.pods[0].uris).toEqual(['file:///nonexistent/bootstrap.zip']);
    await svc('uninstall', 'templated', '--yes');
  });
});
