// The tree renderers against the original CLI's own fixtures (reference/cli.md §7).
import { describe, expect, it } from 'vitest';
import { renderColumns, renderPlanTree, renderPodInstanceTree, renderPodTree } from '../../src/cli/render/tree.js';
import type { PlanJson } from '../../src/plan/json.js';

const step = (name: string, status: string) => ({ id: 'x', name, status, message: '' });

describe('plan tree', () => {
  it('renders the original plan-status.json fixture exactly', () => {
    const plan = {
      phases: [
        { id: 'a', name: 'Deployment', strategy: 'serial', status: 'IN_PROGRESS', steps: [step('kafka-0:[broker]', 'COMPLETE'), step('kafka-1:[broker]', 'IN_PROGRESS'), step('kafka-2:[broker]', 'PENDING')] },
        { id: 'b', name: 'Reindexing', strategy: 'parallel', status: 'PENDING', steps: [step('kafka-0:[reindex]', 'PENDING'), step('kafka-1:[reindex]', 'PENDING'), step('kafka-2:[reindex]', 'PENDING')] },
      ],
      errors: [],
      strategy: 'serial',
      status: 'IN_PROGRESS',
    } as unknown as PlanJson;
    expect(renderPlanTree('deploy', plan)).toBe(
      `deploy (serial strategy) (IN_PROGRESS)
├─ Deployment (serial strategy) (IN_PROGRESS)
│  ├─ kafka-0:[broker] (COMPLETE)
│  ├─ kafka-1:[broker] (IN_PROGRESS)
│  └─ kafka-2:[broker] (PENDING)
└─ Reindexing (parallel strategy) (PENDING)
   ├─ kafka-0:[reindex] (PENDING)
   ├─ kafka-1:[reindex] (PENDING)
   └─ kafka-2:[reindex] (PENDING)
`,
    );
  });

  it('prints <UNKNOWN> for a missing strategy and lists errors', () => {
    const plan = {
      phases: [{ id: 'a', name: 'node-deploy', strategy: 'parallel', status: 'COMPLETE', steps: [step('node-0:[server]', 'COMPLETE')] }],
      errors: ['deploy error'],
      status: 'ERROR',
    } as unknown as PlanJson;
    expect(renderPlanTree('deploy', plan)).toBe(
      `deploy (<UNKNOWN> strategy) (ERROR)
└─ node-deploy (parallel strategy) (COMPLETE)
   └─ node-0:[server] (COMPLETE)

Errors:
- deploy error
`,
    );
  });
});

describe('pod trees', () => {
  it('renders the hello-world service tree', () => {
    const t = (name: string, status: string) => ({ id: '', name, status });
    expect(
      renderPodTree({
        service: 'hello-world',
        pods: [
          { name: 'hello', instances: [{ name: 'hello-0', tasks: [t('hello-0-server', 'RUNNING')] }] },
          { name: 'world', instances: [{ name: 'world-0', tasks: [t('world-0-server', 'PAUSED')] }, { name: 'world-1', tasks: [t('world-1-server', 'RUNNING')] }] },
        ],
      }),
    ).toBe(
      `hello-world
├─ hello
│  └─ hello-0
│     └─ hello-0-server (RUNNING)
└─ world
   ├─ world-0
   │  └─ world-0-server (PAUSED)
   └─ world-1
      └─ world-1-server (RUNNING)
`,
    );
  });

  it('renders one pod, and <UNKNOWN> for a task never reported', () => {
    expect(renderPodInstanceTree({ name: 'world-0', tasks: [{ id: '', name: 'world-0-server', status: 'PAUSING' }, { id: '', name: 'world-0-sidecar' }] })).toBe(
      `world-0
├─ world-0-server (PAUSING)
└─ world-0-sidecar (<UNKNOWN>)
`,
    );
  });

  it('renders just the service line when there are no pods', () => {
    expect(renderPodTree({ service: 'hello-world' })).toBe('hello-world\n');
  });
});

describe('columns', () => {
  it('pads every column but the last', () => {
    expect(renderColumns(['NAME', 'STATUS'], [['a', 'RUNNING'], ['longer', 'DOWN']])).toBe('NAME    STATUS\na       RUNNING\nlonger  DOWN\n');
  });
});
