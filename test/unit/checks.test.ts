// A check whose command never started (no pid) must not signal pid 0 on timeout: kill(-0) would be
// the executor host's own process group.
import { describe, expect, it, vi } from 'vitest';
import { commandRunner } from '../../src/engine/local/checks.js';

describe('commandRunner', () => {
  it('signals nothing when the check process never started', async () => {
    const kill = vi.spyOn(process, 'kill').mockImplementation(() => true);
    try {
      const run = commandRunner('/nonexistent/shell', '/', {});
      const ok = await run({ cmd: 'true', interval: 1, delay: 0, gracePeriod: 0, timeout: 0.01, maxConsecutiveFailures: 1 });
      expect(ok).toBe(false);
      await new Promise((r) => setTimeout(r, 50)); // past the 10 ms timeout, which must find nothing to kill
      expect(kill.mock.calls.filter(([pid]) => Number(pid) <= 0 && Number(pid) > -1)).toEqual([]);
    } finally {
      kill.mockRestore();
    }
  });
});
