// Where the upstream SDK corpus (the dcos-commons specs) is, for the tests that check compatibility
// with all of it. Everything else reads the copies under test/fixtures/dcos-commons.
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';

const ROOT = resolve(import.meta.dirname, '..');

/** `SVC_UPSTREAM_CORPUS` (relative to the repo root), else the repo's sibling `../shared/specs/dcos-commons`. */
export const UPSTREAM_CORPUS = resolve(ROOT, process.env.SVC_UPSTREAM_CORPUS || '../shared/specs/dcos-commons');
export const HAS_UPSTREAM_CORPUS = existsSync(resolve(UPSTREAM_CORPUS, 'sdk-tests'));

/** The line printed once per run when the compatibility tests are skipped. */
export const UPSTREAM_MISSING = `upstream corpus not found at ${UPSTREAM_CORPUS} (set SVC_UPSTREAM_CORPUS): the upstream compatibility tests are skipped`;

/** The copies of upstream specs the project's own tests read (see its README). */
export const FIXTURE_CORPUS = resolve(ROOT, 'test/fixtures/dcos-commons');
