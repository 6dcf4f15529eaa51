// The env tasks start from does not depend on the shell that installed the service.
import { describe, expect, it } from 'vitest';
import { SYSTEM_PATH, taskBaseEnv } from '../../src/launcher/task-base-env.js';

describe('taskBaseEnv', () => {
  it("is the system PATH and LANG whatever this process's env holds", () => {
    const saved = process.env.PATH;
    process.env.PATH = '/home/x/project/node_modules/.bin:/usr/bin';
    try {
      expect(taskBaseEnv('/usr/bin/node')).toEqual({ PATH: SYSTEM_PATH, LANG: 'C.UTF-8' });
    } finally {
      process.env.PATH = saved;
    }
  });
  it("adds the folder of svc's node when it is not a system one, so node resolves", () => {
    expect(taskBaseEnv('/opt/node-22/bin/node').PATH).toBe(`${SYSTEM_PATH}:/opt/node-22/bin`);
  });
});
