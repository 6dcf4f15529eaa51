// Names from a spec that end up in paths on disk (service folder, config files in a sandbox, volume
// folders, template files beside the spec). Each is refused at parse time unless it stays where it
// belongs: no absolute paths, no "." or ".." segments, no NUL or control characters.

const CONTROL = /[\u0000-\u001f\u007f]/;

/** A single folder or file name: letters, digits, ".", "_" and "-", never "." or "..". */
const SEGMENT = /^[A-Za-z0-9._-]+$/;

/** Why `name` cannot be one path segment, or undefined when it can. */
export function segmentProblem(name: string): string | undefined {
  if (!SEGMENT.test(name) || name === '.' || name === '..') return `must be one file name (letters, digits, ".", "_" and "-"; not "." or ".."), got ${JSON.stringify(name)}`;
  return undefined;
}

/** Why `path` cannot be a relative path that stays below its folder, or undefined when it can. */
export function relativePathProblem(path: string): string | undefined {
  if (CONTROL.test(path)) return `must not contain control characters (NUL included), got ${JSON.stringify(path)}`;
  if (path.startsWith('/') || path.startsWith('\\')) return `must be a relative path, got ${JSON.stringify(path)}`;
  const parts = path.split(/[/\\]/);
  if (parts.some((p) => p === '..')) return `must not leave its folder (".." is not allowed), got ${JSON.stringify(path)}`;
  return undefined;
}

/** The service name names its folder in $SVC_HOME (with "/" for sub-folders, as Marathon app ids). */
export function serviceNameProblem(name: string): string | undefined {
  if (CONTROL.test(name)) return `must not contain control characters (NUL included), got ${JSON.stringify(name)}`;
  if (name.includes('\\')) return `must not contain "\\", got ${JSON.stringify(name)}`;
  const parts = name.replace(/^\//, '').split('/');
  if (parts.some((p) => p === '' || p === '.' || p === '..')) return `must be names separated by "/", none empty, "." or "..", got ${JSON.stringify(name)}`;
  return undefined;
}
