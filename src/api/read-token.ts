// The token tasks get (SCHEDULER_API_TOKEN): derived from the service token, so nothing more is
// stored, and accepted by the API for reads only. A task can ask the scheduler what it needs
// (endpoints, state, its config templates) but cannot change or uninstall the service.
import { createHmac } from 'node:crypto';

export const readTokenOf = (serviceToken: string): string => createHmac('sha256', serviceToken).update('svc task read-only token').digest('base64url');

/** Methods a read-only token may use. */
export const READ_METHODS: ReadonlySet<string> = new Set(['GET', 'HEAD']);
