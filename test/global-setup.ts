// Runs once per vitest run, before any test file: says plainly when the upstream compatibility
// tests will be skipped, rather than letting them pass silently.
import { HAS_UPSTREAM_CORPUS, UPSTREAM_MISSING } from './upstream.js';

export default function setup(): void {
  if (!HAS_UPSTREAM_CORPUS) console.warn(UPSTREAM_MISSING);
}
