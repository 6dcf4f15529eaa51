// The spec's secrets and transport-encryption as parsed (hostile file and artifact names refused)
// and as delivered to a launch: values only in the launch-only env and in 0400 files, the scope
// enforced again at launch, certificate names as the original's CertificateNamesGenerator.
import { describe, expect, it } from 'vitest';
import type { TaskLaunch } from '../../src/engine/types.js';
import { certificateNames, deliverSecrets, type SecretSource } from '../../src/scheduler/secrets-delivery.js';
import type { ServiceSpec } from '../../src/spec/index.js';
import { issuesOf, withPod, withTask } from '../spec/helpers.js';

const P = 'pods.hello';
const T = 'pods.hello.tasks.server';

describe('spec: secrets and transport-encryption', () => {
  it.each([
    ['a file escaping the sandbox', { s: { secret: 'hello-world/a', file: '../../etc/cron.d/x' } }, `${P}.secrets.s.file`, 'file path must stay inside the sandbox (no ".."), got "../../etc/cron.d/x"'],
    ['a file with a ".." segment inside', { s: { secret: 'hello-world/a', file: 'a/../../x' } }, `${P}.secrets.s.file`, 'file path must stay inside the sandbox (no ".."), got "a/../../x"'],
    ['a secret path with ".."', { s: { secret: 'hello-world/../other/a', 'env-key': 'A' } }, `${P}.secrets.s.secret`, 'secret path "hello-world/../other/a" has an empty, "." or ".." segment'],
    ['an absolute secret path', { s: { secret: '/etc/shadow', 'env-key': 'A' } }, `${P}.secrets.s.secret`, 'secret path "/etc/shadow" is absolute; secret paths are relative, e.g. hello-world/secret1'],
  ])('refuses %s', (_n, secrets, path, message) => {
    expect(issuesOf(withPod({ secrets }))).toEqual([{ path, message }]);
  });

  it.each([
    ['a name with a slash', [{ name: '../x', type: 'TLS' }], `${T}.transport-encryption[0].name`, 'must be a file name (letters, digits, ".", "_", "-"; not starting with "."), got "../x"'],
    ['a hidden name', [{ name: '.x', type: 'TLS' }], `${T}.transport-encryption[0].name`, 'must be a file name (letters, digits, ".", "_", "-"; not starting with "."), got ".x"'],
    ['a name used twice', [{ name: 'a', type: 'TLS' }, { name: 'a', type: 'KEYSTORE' }], `${T}.transport-encryption[1].name`, '"a" is used twice in this task'],
  ])('refuses transport-encryption with %s', (_n, te, path, message) => {
    expect(issuesOf(withTask({ goal: 'RUNNING', cmd: 'x', cpus: 1, 'transport-encryption': te }))).toEqual([{ path, message }]);
  });

  it('accepts secrets in env and files and both artifact types', () => {
    expect(issuesOf(withPod({ secrets: { a: { secret: 'hello-world/a', 'env-key': 'A', file: 'dir/A' }, b: { secret: 'hello-world/b' } } }))).toEqual([]);
    expect(issuesOf(withTask({ goal: 'RUNNING', cmd: 'x', cpus: 1, 'transport-encryption': [{ name: 'server', type: 'TLS' }, { name: 'java', type: 'KEYSTORE' }] }))).toEqual([]);
  });
});

const task = (over: Partial<ServiceSpec['pods'][number]['tasks'][number]> = {}) =>
  ({ name: 'server', ports: [], transportEncryption: [], ...over }) as unknown as ServiceSpec['pods'][number]['tasks'][number];
const pod = (secrets: ServiceSpec['pods'][number]['secrets'], t = task()) => ({ name: 'hello', secrets, tasks: [t] }) as unknown as ServiceSpec['pods'][number];
const spec = (name: string) => ({ name }) as unknown as ServiceSpec;
const launch: TaskLaunch = { taskId: 'id', name: 'hello-0-server', cmd: 'x', env: { A: 'plain' }, volumeMounts: [], files: [], uris: [], memoryMb: 1, rlimits: [], killGracePeriod: 0 };

function source(values: Record<string, string>): SecretSource & { certs: unknown[] } {
  const certs: unknown[] = [];
  return {
    certs,
    read: (p) => {
      if (!(p in values)) throw new Error(`no secret ${p}`);
      return Buffer.from(values[p]);
    },
    certificate: async (req, keystores) => {
      certs.push(req);
      return { certPem: 'CERT', keyPem: 'KEY', caPem: 'CA', ...(keystores ? { keystore: Buffer.from([0, 1, 2]), truststore: Buffer.from([3]) } : {}) };
    },
  };
}

describe('delivery at launch', () => {
  it('puts env-key values in secretEnv, never in env, and files as 0400', async () => {
    const p = pod([{ name: 's1', secret: 'hello-world/a', envKey: 'SECRET_A', file: 'A' }, { name: 's2', secret: 'hello-world/b', file: 'dir/B' }]);
    const out = await deliverSecrets(source({ 'hello-world/a': 'va', 'hello-world/b': 'vb' }), spec('hello-world'), p, p.tasks[0], launch, { podIndex: 0, agentIp: '127.0.0.2' });
    expect(out.env).toEqual({ A: 'plain' });
    expect(out.secretEnv).toEqual({ SECRET_A: 'va' });
    expect(out.files).toEqual([
      { path: 'A', content: Buffer.from('va').toString('base64'), encoding: 'base64', mode: 0o400 },
      { path: 'dir/B', content: Buffer.from('vb').toString('base64'), encoding: 'base64', mode: 0o400 },
    ]);
  });

  it("refuses another service's secret at launch too", async () => {
    const p = pod([{ name: 's1', secret: 'other/a', envKey: 'A' }]);
    await expect(deliverSecrets(source({ 'other/a': 'x' }), spec('hello-world'), p, p.tasks[0], launch, { podIndex: 0, agentIp: '127.0.0.2' })).rejects.toThrow(/pods\.hello\.secrets\.s1\.secret: secret "other\/a" is outside the scope/);
  });

  it('says "not supported" without a secret source, and leaves plain launches alone', async () => {
    const p = pod([{ name: 's1', secret: 'hello-world/a', envKey: 'A' }]);
    await expect(deliverSecrets(undefined, spec('hello-world'), p, p.tasks[0], launch, { podIndex: 0, agentIp: '127.0.0.2' })).rejects.toThrow(/not supported/);
    const plain = pod([]);
    expect(await deliverSecrets(undefined, spec('hello-world'), plain, plain.tasks[0], launch, { podIndex: 0, agentIp: '127.0.0.2' })).toBe(launch);
  });

  it('gives TLS and KEYSTORE artifacts their file names, from one certificate per launch', async () => {
    const t = task({ transportEncryption: [{ name: 'web', type: 'TLS' }, { name: 'java', type: 'KEYSTORE' }] });
    const p = pod([], t);
    const src = source({});
    const out = await deliverSecrets(src, spec('hello-world'), p, t, launch, { podIndex: 0, agentIp: '127.0.0.2' });
    expect(out.files.map((f) => [f.path, f.mode])).toEqual([['web.crt', 0o400], ['web.key', 0o400], ['web.ca', 0o400], ['java.keystore', 0o400], ['java.truststore', 0o400]]);
    expect(src.certs).toHaveLength(1);
  });

  it('names the certificate as the original: autoip (or discovery prefix) name, VIP names, and the IP', () => {
    const t = task({ ports: [{ name: 'https', port: 0, vip: { prefix: 'web', port: 443 } }] as never, discovery: undefined });
    expect(certificateNames(spec('/dev/hello-world'), t, 'hello-0-server', { podIndex: 0, agentIp: '127.0.0.2' })).toEqual({
      commonName: 'hello-0-server.devhello-world',
      dnsNames: ['hello-0-server.devhello-world.autoip.dcos.thisdcos.directory', 'web.devhello-world.l4lb.thisdcos.directory'],
      ips: ['127.0.0.2'],
    });
    const d = task({ discovery: { prefix: 'broker', visibility: 'CLUSTER' } });
    expect(certificateNames(spec('kafka'), d, 'kafka-2-broker', { podIndex: 2, agentIp: '127.0.0.3' }).dnsNames).toEqual(['broker-2.kafka.autoip.dcos.thisdcos.directory']);
  });
});
