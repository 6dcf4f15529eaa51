// Which single-service path a request names (rest-api.md §1.2 router prefix, §11 multi-service paths).
import { describe, expect, it } from 'vitest';
import { servicePath } from '../../src/api/server.js';

describe('servicePath', () => {
  it.each([
    ['/v1/plans', 'hello', '/v1/plans'],
    ['/service/hello/v1/plans', 'hello', '/v1/plans'],
    ['/v1/service/hello/plans/deploy', 'hello', '/v1/plans/deploy'],
    ['/v1/service/path.to.svc/pod/status', '/path/to/svc', '/v1/pod/status'],
    ['/service/path/to/svc/v1/plans', '/path/to/svc', '/v1/plans'],
    ['/v1/service/other/plans', 'hello', { unknown: 'other' }],
  ])('%s for service %s → %j', (path, name, want) => {
    expect(servicePath(path, name)).toEqual(want);
  });
});
