// Every name in a spec that becomes a path on disk is refused at parse time, with its YAML path,
// unless it stays where it belongs (issue: a config named ../../x wrote outside the sandbox; a
// service named .. resolved to the parent of $SVC_HOME).
import { describe, expect, it } from 'vitest';
import { aSpec, issuesOf, parsed, withPod, withTask } from './helpers.js';

const vol = { path: 'data', type: 'ROOT', size: 10 };
const conf = (name: string, template = 'conf.mustache', dest = 'etc/app.conf') => withTask({ configs: { [name]: { template, dest } } });
const pathsOf = (spec: Parameters<typeof issuesOf>[0]) => issuesOf(spec).map((i) => i.path);

describe('names that become paths', () => {
  it.each(['..', '../../x', '.', '/..', 'a//b', '/a/./b', 'a/', 'a\0b', 'x\\..'])('service name %j is refused at name', (name) => {
    const issue = issuesOf(aSpec({ name })).find((i) => i.path === 'name');
    expect(issue?.message).toMatch(/^must (be names separated by "\/"|not contain)/);
  });

  it.each(['hello-world', '/folder/hello', 'data.store', 'DCOS'])('service name %j is accepted', (name) => {
    expect(parsed(aSpec({ name })).name).toBe(name);
  });

  it.each(['../../x', '..', '.', 'a/b', '/etc', 'a\0b'])('config name %j is refused at its YAML path', (name) => {
    const issues = issuesOf(conf(name));
    const at = `pods.hello.tasks.server.configs.${name}`;
    expect(issues.map((i) => i.path)).toContain(at);
    expect(issues.find((i) => i.path === at)?.message).toMatch(/^config name must be one file name/);
  });

  it.each(['../../etc/shadow', '/etc/shadow', 'a/../../b', 'x\0y'])('config template %j is refused at its template field', (template) => {
    expect(pathsOf(conf('c', template))).toEqual(['pods.hello.tasks.server.configs.c.template']);
  });

  it('config dest refuses NUL but may leave the sandbox, as upstream specs do', () => {
    expect(pathsOf(conf('c', 'c.mustache', 'etc/\0x'))).toEqual(['pods.hello.tasks.server.configs.c.dest']);
    expect(pathsOf(conf('c', 'c.mustache', '../other/conf/c.xml'))).toEqual([]);
  });

  it.each(['../../x', '..', '.', 'a/b', '/abs', 'a\0b'])('volume name %j is refused at its YAML path, in a pod and in a task', (name) => {
    expect(pathsOf(withPod({ volumes: { [name]: vol } }))).toContain(`pods.hello.volumes.${name}`);
    expect(pathsOf(withTask({ volumes: { [name]: vol } }))).toContain(`pods.hello.tasks.server.volumes.${name}`);
  });

  it.each(['../x', '..', '/abs', 'a/b', 'a\0'])('volume path %j is refused at its path field', (path) => {
    expect(pathsOf(withPod({ volume: { ...vol, path } }))).toEqual(['pods.hello.volume.path']);
  });

  it('safe names are accepted', () => {
    const spec = parsed(withTask({ configs: { 'app.conf': { template: 'tpl/app.mustache', dest: 'etc/app.conf' } }, volumes: { 'data-1': vol } }));
    expect(spec.pods[0].tasks[0].configs[0].name).toBe('app.conf');
  });
});
