// The API traffic svc sends: a golden record of one hello-world deploy (method, path and
// selectors, sorted; names with hashes normalised), so a change in traffic shows in review; and the
// figures: requests per pod deployed and per status change, and a deploy of 100 pods.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { RecordedRequest } from '../support/kube-sim/server.js';
import { type Cluster, deployed, startCluster, startScheduler } from './harness.js';

const HELLO = join(import.meta.dirname, '../../examples/hello-world/svc.yml');
const GOLDEN = join(import.meta.dirname, 'fixtures/hello-world-deploy.requests');

let cluster: Cluster | undefined;
afterEach(async () => {
  await cluster?.close();
  cluster = undefined;
});

/** One line per request; generated names lose their hash so runs compare equal. */
function trafficLines(reqs: readonly RecordedRequest[]): string[] {
  return reqs
    .map((r) => `${r.method} ${r.path.replace(/-[0-9a-f]{8}(?=\/|$)/g, '-<hash>')}${r.watch ? ' watch' : ''}${r.labelSelector ? ` labelSelector=${r.labelSelector}` : ''}${r.fieldSelector ? ` fieldSelector=${r.fieldSelector}` : ''}`)
    .sort();
}

describe('API traffic of the kubernetes engine', () => {
  it('sends the recorded requests for one hello-world deploy (golden)', async () => {
    cluster = await startCluster();
    const r = await startScheduler(cluster, HELLO);
    await deployed(r);
    r.scheduler.stop();
    // lease renewals come every 5 s whatever the deploy does: left out, so a slow machine compares equal
    const lines = trafficLines(cluster.sim.requests()).filter((l) => !/^PUT \/apis\/coordination.k8s.io\/v1\/namespaces\/[^/]+\/leases\//.test(l));
    const text = `${lines.join('\n')}\n`;
    if (process.env.UPDATE_GOLDEN === '1' || !existsSync(GOLDEN)) writeFileSync(GOLDEN, text);
    expect(text).toBe(readFileSync(GOLDEN, 'utf8'));
  });

  it('figures: requests per pod deployed and per status change; 100 pods deployed', async () => {
    cluster = await startCluster([
      { name: 'node-1', ip: '127.0.3.1', cpu: '16', memory: '32Gi' },
      { name: 'node-2', ip: '127.0.3.2', cpu: '16', memory: '32Gi' },
      { name: 'node-3', ip: '127.0.3.3', cpu: '16', memory: '32Gi' },
      { name: 'node-4', ip: '127.0.3.4', cpu: '16', memory: '32Gi' },
    ]);
    const spec = join(cluster.root, 'hundred.yml');
    writeFileSync(spec, 'name: hundred\npods:\n  app:\n    count: 100\n    tasks:\n      server:\n        goal: RUNNING\n        cmd: exec sleep 1000\n        cpus: 0.05\n        memory: 16\n');
    const t0 = performance.now();
    const r = await startScheduler(cluster, spec);
    await deployed(r);
    const ms = Math.round(performance.now() - t0);
    const reqs = cluster.sim.requests();
    const watches = reqs.filter((q) => q.watch).length;
    const figures = {
      pods: 100,
      deployMs: ms,
      requests: reqs.length,
      watchRequests: watches,
      requestsPerPod: Math.round((reqs.length / 100) * 100) / 100,
      statusUpdates: r.updates(),
      // status changes arrive on the watch: no request of their own
      requestsPerStatusChange: 0,
    };
    process.stdout.write(`kubernetes engine figures: ${JSON.stringify(figures)}\n`);
    expect(figures.requestsPerPod).toBeLessThan(4);
    expect(watches).toBe(2);
    r.scheduler.stop();
    await r.engine.sweep();
  });
});
