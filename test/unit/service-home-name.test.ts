// A service name typed on the command line names the folder uninstall sweeps: ".." must never
// resolve to the parent of $SVC_HOME.
import { describe, expect, it } from 'vitest';
import { ServiceHome } from '../../src/launcher/home.js';

describe('ServiceHome.of', () => {
  it.each(['..', '.', '../x', '/..', 'a/../..', 'a\0'])('refuses %j', (name) => {
    expect(() => ServiceHome.of('/tmp/svc-home', name)).toThrow(/^service name must/);
  });
  it('maps folder names as before', () => {
    expect(ServiceHome.of('/tmp/svc-home', '/folder/hello').root).toBe('/tmp/svc-home/folder__hello');
  });
});
