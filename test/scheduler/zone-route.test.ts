// GET /v1/state/zone/:podType/:ip against a real ApiServer over the in-process scheduler: a pod type
// is compared whole, so `hello` never answers for an instance of `hello-world`.
import { describe, expect, it } from 'vitest';
import { ApiServer } from '../../src/api/server.js';
import { harness, serverTask, serviceYaml } from './harness.js';

describe('zone by pod type and IP', () => {
  it('answers for the pod type asked, never for one it prefixes', async () => {
    const h = harness(serviceYaml([
      { name: 'hello', count: 1, tasks: serverTask() },
      { name: 'hello-world', count: 2, tasks: serverTask() },
    ]));
    await h.start();
    const agentOf = (pod: string) => h.engine.agents().find((a) => a.id === h.store.pod(pod)?.agentId);
    const helloAgent = agentOf('hello-0');
    const worldOnly = agentOf('hello-world-1');
    expect(worldOnly?.id).not.toBe(helloAgent?.id);
    const api = new ApiServer({ scheduler: h.scheduler, token: 't' });
    const url = await api.listen();
    try {
      const zone = (podType: string, ip: string) => fetch(`${url}/v1/state/zone/${podType}/${ip}`, { headers: { authorization: 'token=t' } }).then(async (r) => [r.status, await r.text()]);
      expect(await zone('hello', helloAgent?.ip ?? '')).toEqual([200, helloAgent?.zone]);
      expect(await zone('hello-world', worldOnly?.ip ?? '')).toEqual([200, worldOnly?.zone]);
      expect(await zone('hello', worldOnly?.ip ?? '')).toEqual([404, '']);
      expect(await zone('hell', helloAgent?.ip ?? '')).toEqual([404, '']);
    } finally {
      await api.close();
      h.stop();
    }
  });
});
