// The scheduler's REST API against the original's contract (reference/rest-api.md): paths under
// /v1/ and /service/<name>/v1/, status codes, JSON field names, auth and hostile input.
import { describe, expect, it } from 'vitest';
import { installedService, pidAlive, waitFor } from './helpers.js';

const memcache = installedService('examples/memcache', 'memcache');
const get = memcache.call;

const keys = (o: unknown) => Object.keys(o as object).sort();

describe('REST API contract', () => {
  for (const prefix of ['', '/service/memcache']) {
    describe(`under "${prefix || '/'}"`, () => {
      it('plans: list, plan JSON with the original field names, 404 text', async () => {
        const list = await get(`${prefix}/v1/plans`);
        expect(list.body).toEqual(['deploy', 'recovery', 'flush-all-serial', 'flush-all-parallel']);
        const deploy = await get(`${prefix}/v1/plans/deploy`);
        expect(deploy.status).toBe(200);
        expect(keys(deploy.body)).toEqual(['errors', 'phases', 'status', 'strategy']);
        const phase = (deploy.body as { phases: unknown[] }).phases[0] as { steps: unknown[] };
        expect(keys(phase)).toEqual(['id', 'name', 'status', 'steps', 'strategy']);
        expect(keys(phase.steps[0])).toEqual(['id', 'message', 'name', 'status']);
        const missing = await get(`${prefix}/v1/plans/nope`);
        expect([missing.status, missing.text]).toEqual([404, 'Plan nope not found']);
      });

      it('pods: list, status tree, one pod, info, 404', async () => {
        expect((await get(`${prefix}/v1/pod`)).body).toEqual(['cache-0', 'cache-1', 'cache-2']);
        const status = (await get(`${prefix}/v1/pod/status`)).body as { service: string; pods: Array<{ name: string; instances: Array<{ name: string; tasks: unknown[] }> }> };
        expect(keys(status)).toEqual(['pods', 'service']);
        expect(status.pods[0].instances.map((i) => i.name)).toEqual(['cache-0', 'cache-1', 'cache-2']);
        expect(keys(status.pods[0].instances[0].tasks[0])).toEqual(['id', 'name', 'status']);
        const one = (await get(`${prefix}/v1/pod/cache-1/status`)).body;
        expect(one).toMatchObject({ name: 'cache-1', tasks: [{ name: 'cache-1-server', status: 'RUNNING' }] });
        type Info = {
          name: string;
          taskId: { value: string };
          resources: Array<{ reservations: Array<{ labels: { labels: Array<{ key: string; value: string }> } }> }>;
          discovery: { name: string; ports: { ports: Array<{ name: string; number: number; visibility: string }> } };
        };
        const info = (await get(`${prefix}/v1/pod/cache-1/info`)).body as Array<{ info: Info; status: { state: string } }>;
        expect(info[0].info.name).toBe('cache-1-server');
        expect(info[0].info.taskId.value).toMatch(/^memcache__cache-1-server__/);
        expect(info[0].status.state).toBe('TASK_RUNNING');
        // discovery: the task's name and its advertised port, the one /v1/endpoints lists
        const { discovery } = info[0].info;
        expect(discovery.name).toBe('cache-1-server');
        expect(discovery.ports.ports).toEqual([{ name: 'memcache', number: expect.any(Number), protocol: 'tcp', visibility: 'EXTERNAL' }]);
        const address = ((await get(`${prefix}/v1/endpoints/memcache`)).body as { address: string[] }).address;
        expect(address.some((a) => a.endsWith(`:${discovery.ports.ports[0].number}`))).toBe(true);
        // every resource carries the pod's reservation, which /v1/debug/reservations lists
        const reserved = Object.values((await get(`${prefix}/v1/debug/reservations`)).body as Record<string, string[]>).flat();
        for (const r of info[0].info.resources) expect(reserved).toContain(r.reservations[0].labels.labels.find((l) => l.key === 'resource_id')?.value);
        const missing = await get(`${prefix}/v1/pod/cache-9/status`);
        expect([missing.status, missing.text]).toEqual([404, 'Pod cache-9 not found']);
      });

      it('endpoints: names, addresses and DNS names; unknown is an empty 404', async () => {
        expect((await get(`${prefix}/v1/endpoints`)).body).toEqual(['memcache']);
        const e = (await get(`${prefix}/v1/endpoints/memcache`)).body as { address: string[]; dns: string[] };
        expect(keys(e)).toEqual(['address', 'dns']);
        expect(e.address).toHaveLength(3);
        for (const a of e.address) expect(a).toMatch(/^127\.\d+\.\d+\.\d+:\d+$/);
        expect(e.dns[0]).toMatch(/^cache-0-server\.memcache\.autoip\.dcos\.thisdcos\.directory:\d+$/);
        const missing = await get(`${prefix}/v1/endpoints/nope`);
        expect([missing.status, missing.text]).toEqual([404, '']);
      });

      it('configurations, state, artifacts, health, metrics, debug', async () => {
        const ids = (await get(`${prefix}/v1/configurations`)).body as string[];
        const target = (await get(`${prefix}/v1/configurations/targetId`)).body as string[];
        expect(target).toHaveLength(1);
        expect(ids).toContain(target[0]);
        expect(((await get(`${prefix}/v1/configurations/${target[0]}`)).body as { name: string }).name).toBe('memcache');
        expect((await get(`${prefix}/v1/configurations/not-a-uuid`)).status).toBe(400);
        expect((await get(`${prefix}/v1/state/frameworkId`)).body).toEqual([expect.any(String)]);
        expect((await get(`${prefix}/v1/state/properties`)).body).toContain('deployment-completed');
        const tpl = await get(`${prefix}/v1/artifacts/template/${target[0]}/cache/server/options`);
        expect(tpl.text).toContain('-p {{PORT_MEMCACHE}}');
        expect((await get(`${prefix}/v1/artifacts/template/${target[0]}/cache/server/nope`)).status).toBe(404);
        const health = await get(`${prefix}/v1/health`);
        expect([health.status, health.body]).toEqual([200, { value: 200 }]);
        const metrics = (await get(`${prefix}/v1/metrics`)).body as { counters: Record<string, { count: number }>; gauges: Record<string, { value: number }> };
        expect(metrics.counters['task_status.task_running'].count).toBeGreaterThanOrEqual(3);
        expect(metrics.gauges['plan_status.deploy'].value).toBe(0);
        expect((await get(`${prefix}/v1/metrics/prometheus`)).text).toMatch(/^plan_status_deploy 0$/m);
        // the three placements of the deploy: timed, their agents counted as offers, a revive per new step
        expect(metrics.counters['offers.received'].count).toBeGreaterThanOrEqual(3);
        expect(metrics.counters['revives'].count).toBeGreaterThanOrEqual(3);
        expect((metrics as unknown as { timers: Record<string, { count: number }> }).timers['offers.process'].count).toBeGreaterThanOrEqual(3);
        expect(metrics.gauges['is_suppressed'].value).toBe(true);
        const offers = (await get(`${prefix}/v2/debug/offers`)).body as { offers: Array<{ outcome: string; offer: string }> };
        expect(keys(offers)).toEqual(['acceptedCount', 'failureReasons', 'offers', 'rejectedAgents', 'rejectedCount']);
        expect(offers.offers.filter((o) => o.outcome === 'pass')).toHaveLength(3);
        for (const o of offers.offers) expect(o.offer).toMatch(/^slave_id \{ value: "[^"]+" \} hostname: ".+" resources \{ name: "cpus"/);
        const debugPlans = (await get(`${prefix}/v1/debug/plans`)).body as { schedulerState: string; plans: Array<{ phases: Array<{ status: string }> }> };
        expect(debugPlans.schedulerState).toBe('DEPLOYED');
        expect(debugPlans.plans[0].phases[0].status).toBe('COMPLETE');
        const statuses = (await get(`${prefix}/v1/debug/taskStatuses`)).body as Array<{ name: string; phases: Array<{ steps: Array<{ name: string; taskStatus: unknown[] }> }> }>;
        expect(statuses[0].name).toBe('deploy');
        expect(statuses[0].phases[0].steps[0]).toEqual({ name: 'cache-0:[server]', taskStatus: [{ name: 'cache-0-server', taskStatus: 'TASK_RUNNING', taskId: expect.stringMatching(/^memcache__cache-0-server__/) }] });
        // §10 filters: case-insensitive names prune plans → phases → steps; the topology stays whole
        type DebugPlans = { plans: Array<{ name: string; totalSteps: number; phases: Array<{ name: string; steps: Array<{ name: string }> }> }>; serviceTopology: unknown[] };
        const one = (await get(`${prefix}/v1/debug/plans?plan=DEPLOY&phase=Cache&step=cache-1:[server]`)).body as DebugPlans;
        expect(one.plans.map((p) => [p.name, p.totalSteps, p.phases.map((ph) => [ph.name, ph.steps.map((st) => st.name)])])).toEqual([['deploy', 3, [['cache', ['cache-1:[server]']]]]]);
        expect(one.serviceTopology).toHaveLength(4);
        for (const [query, reason] of [
          ['step=cache-0:[server]', 'Step specified without parent Phase and Plan values.'],
          ['phase=cache', 'Phase specified without parent Plan.'],
          ['plan=nope', 'Supplied plan not found in list of all available plans!'],
          ['plan=deploy&phase=nope', 'Supplied phase not found in set of possible phases with supplied plan!'],
          ['plan=deploy&phase=cache&step=nope', 'Supplied step not found in set of possible steps with supplied plan and phase!'],
        ]) {
          const r = await get(`${prefix}/v1/debug/plans?${query}`);
          expect([query, r.status, r.body]).toEqual([query, 200, { 'invalid-input': reason }]);
        }
        const filtered = (await get(`${prefix}/v1/debug/taskStatuses?plan=deploy&phase=cache&step=cache-2:[server]`)).body as typeof statuses;
        expect(filtered.map((p) => p.phases.map((ph) => ph.steps.map((st) => st.name)))).toEqual([[['cache-2:[server]']]]);
        expect(Object.values((await get(`${prefix}/v1/debug/reservations`)).body as object)).toHaveLength(3);
        const zones = (await get(`${prefix}/v1/state/zone/tasks`)).body as Record<string, string>;
        expect(Object.keys(zones).sort()).toEqual(['cache-0-server', 'cache-1-server', 'cache-2-server']);
        expect((await get(`${prefix}/v1/state/zone/tasks/cache-0-server`)).text).toBe(zones['cache-0-server']);
        expect((await get(`${prefix}/v1/state/refresh`, { method: 'PUT' })).body).toEqual({ message: 'Received cmd: refresh' });
        // files: multipart uploads of at most 1,024 bytes, kept as properties `file-<name>`
        const upload = (content: string | undefined, field = 'file') => {
          const form = new FormData();
          if (content !== undefined) form.append(field, new Blob([content]), 'seeds.txt');
          return get(`${prefix}/v1/state/files/seeds.txt`, { method: 'PUT', body: form });
        };
        expect(await upload('10.0.0.1\n10.0.0.2\n')).toMatchObject({ status: 200, text: '' });
        expect((await get(`${prefix}/v1/state/files`)).text).toBe('[seeds.txt]');
        expect((await get(`${prefix}/v1/state/files/seeds.txt`)).text).toBe('10.0.0.1\n10.0.0.2\n');
        expect((await get(`${prefix}/v1/state/properties`)).body).toContain('file-seeds.txt');
        expect(await upload('x'.repeat(1025))).toMatchObject({ status: 400, text: 'Stream exceeds 1024 byte size limit' });
        expect(await upload('x', 'other')).toMatchObject({ status: 400, text: 'Missing payload' });
        expect(await get(`${prefix}/v1/state/files/seeds.txt`, { method: 'PUT', body: 'not multipart' })).toMatchObject({ status: 400, text: 'Missing payload' });
        expect((await get(`${prefix}/v1/state/files/seeds.txt`)).text).toBe('10.0.0.1\n10.0.0.2\n'); // refused uploads changed nothing
        expect(await get(`${prefix}/v1/state/files/nope`)).toMatchObject({ status: 404, text: 'Failed to get the file' });
        expect((await get(`${prefix}/v1/debug/threads`)).text).toMatch(/^scheduler pid \d+/);
      });
    });
  }

  it('runs a command in a task and streams its output (for clients on another machine)', async () => {
    const r = await get('/v1/tasks/cache-0-server/exec', { method: 'POST', body: JSON.stringify({ cmd: 'bash', args: ['-c', 'echo $TASK_NAME; echo oops >&2; exit 4'] }) });
    expect(r.type).toBe('application/x-ndjson');
    const lines = r.text.trim().split('\n').map((l) => JSON.parse(l));
    expect(lines).toContainEqual({ stdout: 'cache-0-server\n' });
    expect(lines).toContainEqual({ stderr: 'oops\n' });
    expect(lines.at(-1)).toEqual({ exit: 4 });
    expect((await get('/v1/tasks/cache-0-server/exec', { method: 'POST', body: '{"cmd": 1}' })).status).toBe(400);
    expect((await get('/v1/tasks/nope-0-server/exec', { method: 'POST', body: '{"cmd": "true"}' })).status).toBe(404);
  });

  it('exec: a client that disconnects ends the whole process group, grandchildren included', async () => {
    const abort = new AbortController();
    const res = await fetch(`${memcache.api.base}/v1/tasks/cache-0-server/exec`, {
      method: 'POST',
      headers: { authorization: `token=${memcache.api.token}` },
      body: JSON.stringify({ cmd: 'sh', args: ['-c', 'sleep 300 & echo $!; wait'] }),
      signal: abort.signal,
    });
    const reader = res.body!.getReader();
    let text = '';
    while (!text.includes('\n')) text += new TextDecoder().decode((await reader.read()).value);
    const sleeper = Number((JSON.parse(text.split('\n')[0]) as { stdout: string }).stdout.trim());
    expect(pidAlive(sleeper)).toBe(true);
    abort.abort();
    await waitFor('the grandchild gone', () => !pidAlive(sleeper), 10_000);
  });

  it('serves a task log through the engine: whole, the last lines, stderr; 404 for an unknown task, 400 for bad parameters', async () => {
    await get('/v1/tasks/cache-1-server/exec', { method: 'POST', body: JSON.stringify({ cmd: 'sh', args: ['-c', 'echo a >> stdout; echo b >> stdout'] }) });
    expect((await get('/v1/tasks/cache-1-server/logs?lines=2')).text).toMatch(/^a\nb\n$/);
    expect((await get('/v1/tasks/cache-1-server/logs?stream=stderr')).status).toBe(200);
    expect((await get('/v1/tasks/nope-0-server/logs')).status).toBe(404);
    expect((await get('/v1/tasks/cache-1-server/logs?stream=../token')).status).toBe(400);
    expect((await get('/v1/tasks/cache-1-server/logs?lines=-1')).status).toBe(400);
  });

  it('requires the token, in either header form', async () => {
    expect((await fetch(`${memcache.api.base}/v1/plans`)).status).toBe(401);
    expect((await fetch(`${memcache.api.base}/v1/plans`, { headers: { authorization: 'token=wrong' } })).status).toBe(401);
    expect((await fetch(`${memcache.api.base}/v1/plans`, { headers: { authorization: `Bearer ${memcache.api.token}` } })).status).toBe(200);
  });

  it("answers a multi-service scheduler's paths (/v1/service/<name>/...) for its own service, and 404 for others", async () => {
    expect((await get('/v1/service/memcache/plans')).body).toEqual((await get('/v1/plans')).body);
    expect((await get('/v1/service/memcache/pod')).body).toEqual(['cache-0', 'cache-1', 'cache-2']);
    expect((await get('/v1/service/memcache/endpoints/memcache')).body).toEqual((await get('/v1/endpoints/memcache')).body);
    expect((await get('/v1/service/memcache/plans/deploy')).status).toBe(200);
    const other = await get('/v1/service/other/plans');
    expect([other.status, other.text]).toEqual([404, 'Service other not found']);
  });

  it('answers unknown paths 404, wrong methods 405, huge bodies 413, bad encodings 400', async () => {
    expect((await get('/v1/nothing')).status).toBe(404);
    expect((await get('/v1/plans', { method: 'DELETE' })).status).toBe(405);
    expect((await get('/v1/pod/cache-0/pause', { method: 'POST', body: 'x'.repeat(100_000) })).status).toBe(413);
    expect((await get('/v1/pod/%E0%A4%A/status')).status).toBe(400);
    expect((await get('/v1/pod/cache-0/pause', { method: 'POST', body: '{"not":"an array"}' })).status).toBe(400);
  });

  it('does not let path parameters escape (traversal)', async () => {
    const target = ((await get('/v1/configurations/targetId')).body as string[])[0];
    for (const evil of ['..%2F..%2F..%2Fetc%2Fpasswd', '%2e%2e', '..']) {
      const r = await get(`/v1/artifacts/template/${target}/cache/server/${evil}`);
      expect(r.status).toBe(404);
      expect(r.text).not.toContain('root:');
      expect((await get(`/v1/tasks/${evil}/logs`)).status).toBe(404);
    }
  });
});
