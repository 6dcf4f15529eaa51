import { readdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { it } from 'vitest';
import { loadServiceSpec, SpecError } from '../../src/spec/index.js';
const dir = resolve(process.cwd(), '../shared/specs/dcos-commons/sdk-tests');
it('scratch', async () => {
  for (const f of readdirSync(dir).filter((f) => f.endsWith('.yml'))) {
    try {
      await loadServiceSpec(resolve(dir, f), { HELLO_CPUS: '1', VOL_SIZE: '10', ENABLED: 'true' });
      console.log('OK  ', f);
    } catch (e) {
      console.log('FAIL', f, e instanceof SpecError ? JSON.stringify(e.issues) : e);
    }
  }
});
