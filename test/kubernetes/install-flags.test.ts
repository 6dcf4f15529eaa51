// svc install|attach --engine kubernetes: the cluster flags end up in API paths, label selectors and
// pod specs, so a hostile or malformed one is refused by name before anything is created or any
// cluster is reached.
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { makeDeps } from '../../src/cli/deps.js';
import { testIo } from '../../src/cli/io.js';
import { main } from '../../src/cli/main.js';
import { ROOT } from '../e2e/helpers.js';

const home = mkdtempSync(join(tmpdir(), 'svc-k8s-flags-'));
afterAll(() => rmSync(home, { recursive: true, force: true }));

async function svc(args: string[]) {
  const io = testIo();
  const code = await main(['node', 'svc', ...args], makeDeps(io, { SVC_HOME: home }));
  return { code, stdout: io.stdout(), stderr: io.stderr() };
}

const install = (...flags: string[]) => svc(['install', join(ROOT, 'examples/hello-world'), '--no-wait', ...flags]);

describe('svc install --engine kubernetes: flags refused before anything is created', () => {
  it.each([
    [['--namespace', '../kube-system'], 'svc: --namespace "../kube-system": not a namespace name (a DNS label: lower-case letters, digits and \'-\', at most 63, starting and ending with a letter or digit)\n'],
    [['--namespace', 'Prod'], /^svc: --namespace "Prod": not a namespace name/],
    [['--namespace', `a${'b'.repeat(63)}`], /^svc: --namespace "ab+": not a namespace name/],
    [['--namespace', 'ns?labelSelector=x'], /^svc: --namespace "ns\?labelSelector=x": not a namespace name/],
    [['--context', 'bad context'], 'svc: --context "bad context": not a context name (1 to 253 characters, no spaces or control characters)\n'],
    [['--context', 'x\ny'], /^svc: --context "x\\ny": not a context name/],
    [['--storage-class', 'Fast_SSD'], /^svc: --storage-class "Fast_SSD": not a storage class name/],
    [['--node-selector', 'rack'], /^svc: --node-selector "rack": expected key=value/],
    [['--node-selector', 'ra ck=r1'], /^svc: --node-selector ra ck=r1: "ra ck" is not a label name/],
    [['--node-selector', 'rack=r1,zone=a'], /^svc: --node-selector rack=r1,zone=a: "r1,zone=a" is not a label value/],
    [['--default-image', 'busybox; rm -rf /'], /^svc: --default-image "busybox; rm -rf \/": not an image reference/],
    [['--kubeconfig', '/nonexistent/kubeconfig'], 'svc: --kubeconfig /nonexistent/kubeconfig: no such file\n'],
    [['--agents', '2'], 'svc: --agents: only for --engine local (the kubernetes engine\'s agents are its nodes)\n'],
  ])('%j', async (flags, message) => {
    const r = await install('--engine', 'kubernetes', ...flags);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    if (typeof message === 'string') expect(r.stderr).toBe(message);
    else expect(r.stderr).toMatch(message);
    expect(readdirSync(home)).toEqual([]);
  });

  it('Kubernetes flags with the local engine are refused, not ignored', async () => {
    const r = await install('--namespace', 'prod', '--default-image', 'alpine');
    expect(r).toEqual({ code: 2, stdout: '', stderr: 'svc: --namespace, --default-image: only for --engine kubernetes\n' });
    expect(readdirSync(home)).toEqual([]);
  });
});

describe('svc install --engine kubernetes: a cluster that is not there', () => {
  // nothing listens on port 9 (discard): the API server does not answer
  const kubeconfig = join(home, '..', `${home.split('/').pop()}-kubeconfig`);
  writeFileSync(
    kubeconfig,
    ['apiVersion: v1', 'kind: Config', 'clusters:', '- name: c\n  cluster:\n    server: https://127.0.0.1:9\n    insecure-skip-tls-verify: true', 'users:', '- name: u\n  user:\n    token: x', 'contexts:', '- name: a\n  context:\n    cluster: c\n    user: u', 'current-context: a', ''].join('\n'),
  );
  afterAll(() => rmSync(kubeconfig, { force: true }));

  it('an unknown context is refused naming the contexts there are, and nothing is installed', async () => {
    expect(await install('--engine', 'kubernetes', '--kubeconfig', kubeconfig, '--context', 'prod')).toEqual({ code: 1, stdout: '', stderr: 'svc: --context prod: no such context in the kubeconfig (has: a)\n' });
    expect(readdirSync(home)).toEqual([]);
  });

  it('an API server that does not answer is refused before anything is created', async () => {
    const r = await install('--engine', 'kubernetes', '--kubeconfig', kubeconfig, '--namespace', 'ns1');
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^svc: cannot use the cluster at https:\/\/127\.0\.0\.1:9 \(context a, namespace ns1\): .*ECONNREFUSED/);
    expect(readdirSync(home)).toEqual([]);
  });
});

describe('svc attach', () => {
  it('needs --engine kubernetes', async () => {
    expect(await svc(['attach', 'hello-world'])).toEqual({ code: 2, stdout: '', stderr: 'svc: svc attach needs --engine kubernetes: the engine whose cluster holds the service\n' });
    expect(await svc(['attach', 'hello-world', '--engine', 'local'])).toEqual({ code: 2, stdout: '', stderr: 'svc: --engine local: a service on the local engine lives on one machine and cannot be attached from another; only --engine kubernetes\n' });
  });

  it('refuses a hostile service name and namespace before reaching any cluster', async () => {
    expect((await svc(['attach', '../../etc', '--engine', 'kubernetes'])).stderr).toMatch(/^svc: service name /);
    expect(await svc(['attach', 'hello-world', '--engine', 'kubernetes', '--namespace', 'a/b'])).toMatchObject({ code: 2, stderr: expect.stringMatching(/^svc: --namespace "a\/b": not a namespace name/) });
    expect(readdirSync(home)).toEqual([]);
  });
});
