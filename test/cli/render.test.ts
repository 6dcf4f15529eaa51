// Pure renderers: the colour scheme, the offers summary, the describe summary.
import { describe, expect, it } from 'vitest';
import { chalkColors, noColors } from '../../src/cli/render/colors.js';
import { describeService, renderDescription } from '../../src/cli/render/describe.js';
import { renderOffers } from '../../src/cli/render/offers.js';
import { renderColumns, renderPodInstanceTree } from '../../src/cli/render/tree.js';

describe('colour scheme', () => {
  it('is the identity when colour is off', () => {
    for (const s of ['COMPLETE', 'ERROR', 'PENDING', 'whatever']) expect(noColors.status(s)).toBe(s);
    expect(noColors.bold('x') + noColors.dim('y')).toBe('xy');
  });

  const tones: Array<[string, string[]]> = [
    ['\x1b[32m', ['COMPLETE', 'RUNNING']],
    ['\x1b[33m', ['IN_PROGRESS', 'STARTING', 'STARTED', 'PAUSING', 'PREPARED']],
    ['\x1b[31m', ['ERROR', 'FAILED', 'LOST']],
    ['\x1b[2m', ['PENDING', 'WAITING', 'DELAYED']],
  ];
  for (const [code, words] of tones) {
    it(`colours ${words.join(', ')}`, async () => {
      const c = await chalkColors();
      for (const w of words) expect(c.status(w).startsWith(`${code}${w}`)).toBe(true);
    });
  }

  it('leaves other words alone', async () => {
    const c = await chalkColors();
    expect(c.status('PAUSED')).toBe('PAUSED');
    expect(c.status('<UNKNOWN>')).toBe('<UNKNOWN>');
  });

  it('colours only the status word of a tree line', async () => {
    const c = await chalkColors();
    expect(renderPodInstanceTree({ name: 'w-0', tasks: [{ id: '', name: 'w-0-server', status: 'FAILED' }] }, c)).toBe('w-0\n└─ w-0-server (\x1b[31mFAILED\x1b[39m)\n');
  });

  it('keeps column widths those of the plain text', async () => {
    const c = await chalkColors();
    const plain = renderColumns(['A', 'B'], [['RUNNING', 'x'], ['ERROR', 'y']]);
    const painted = renderColumns(['A', 'B'], [['RUNNING', 'x'], ['ERROR', 'y']], { cell: (_col, t) => c.status(t) });
    expect(painted.replace(/\x1b\[\d+m/g, '')).toBe(plain);
  });
});

describe('offers summary', () => {
  it('counts a lone accepted evaluation in the singular', () => {
    expect(renderOffers({ acceptedCount: 1, rejectedCount: 0, failureReasons: {}, offers: [{ timestamp: 1, 'pod-instance-name': 'a', outcome: 'pass', explanation: [] }] })).toBe('1 offer evaluation: 1 accepted, 0 rejected\n');
  });

  it('orders reasons by count, then name, and lists only steps whose latest evaluation failed', () => {
    const out = renderOffers({
      acceptedCount: 1,
      rejectedCount: 12,
      failureReasons: { b: 2, a: 2, c: 10 },
      offers: [
        { timestamp: 1, 'pod-instance-name': 'x', outcome: 'fail', explanation: ['c'] },
        { timestamp: 2, 'pod-instance-name': 'x', outcome: 'pass', explanation: [] },
        { timestamp: 3, 'pod-instance-name': 'y', outcome: 'fail', explanation: ['a', 'b'] },
      ],
    });
    expect(out).toBe('13 offer evaluations: 1 accepted, 12 rejected\n\nRejections by reason:\n  10  c\n   2  a\n   2  b\n\nNot placed at their last evaluation:\n  y\n    - a\n    - b\n');
  });
});

describe('describe summary', () => {
  it('names a package source and its spec, and the scheduler pid', () => {
    const d = describeService({
      url: 'http://127.0.0.1:1234',
      pid: 42,
      source: { kind: 'package', path: '/pkgs/hello', specFile: '/pkgs/hello/sidecar.yml', options: {} },
      podStatus: { service: 'hello-world', pods: [{ name: 'hello', instances: [{ name: 'hello-0', tasks: [{ id: '1', name: 'hello-0-server', status: 'RUNNING' }] }] }] },
      plans: [{ name: 'deploy', status: 'COMPLETE' }],
      targetId: 'c1',
      endpoints: ['web', 'admin'],
    });
    expect(renderDescription(d)).toBe(
      'hello-world\n  source     /pkgs/hello (package, spec /pkgs/hello/sidecar.yml)\n  scheduler  http://127.0.0.1:1234 (pid 42)\n  config     c1\n  plans      deploy COMPLETE\n  pods       1 (1 task, 1 running)\n  endpoints  web, admin\n',
    );
  });
});
