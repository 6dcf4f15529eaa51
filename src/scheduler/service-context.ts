// What the scheduler knows about its own surroundings that the spec does not say: its env (as
// Marathon gave it to the original's scheduler) and where tasks reach its API. The DNS domains
// follow the original's SchedulerConfig: SERVICE_TLD and VIP_TLD may override them.
export interface ServiceContext {
  readonly schedulerEnv: Readonly<Record<string, string>>;
  /** Where tasks reach the API, and the read-only token they use; set once the API listens. */
  api?: { readonly host: string; readonly port: number; readonly readToken: string };
}

export interface Domains {
  /** Tasks' DNS domain suffix (`autoip.dcos.thisdcos.directory`). */
  readonly autoip: string;
  /** VIPs' DNS domain suffix (`l4lb.thisdcos.directory`). */
  readonly vip: string;
}

export function domains(env: Readonly<Record<string, string>> = {}): Domains {
  return {
    autoip: env.SERVICE_TLD || 'autoip.dcos.thisdcos.directory',
    vip: env.VIP_TLD || 'l4lb.thisdcos.directory',
  };
}

/** `hello.world` → `hello-world`, `/a/b` → `ab`: a service name inside an autoip host name. */
const autoipSegment = (name: string) => name.replace(/\./g, '-').replace(/\//g, '');

/** `<service>.<autoip TLD>`: FRAMEWORK_HOST. */
export const autoipDomain = (serviceName: string, d: Domains): string => `${autoipSegment(serviceName)}.${d.autoip}`;

/** `<task>.<service>.<autoip TLD>`, a task's DNS name; a nested task name's segments are reversed, as the original. */
export const taskDnsName = (serviceName: string, taskName: string, d: Domains = domains()): string =>
  `${taskName.replace(/\./g, '-').split('/').filter(Boolean).reverse().join('-')}.${autoipDomain(serviceName, d)}`;

/** `<service>.<VIP TLD>`: FRAMEWORK_VIP_HOST. */
export const vipDomain = (serviceName: string, d: Domains): string => `${serviceName.replace(/\//g, '')}.${d.vip}`;

/** `<vip name>.<service>.<VIP TLD>:<port>`, a VIP endpoint. */
export const vipEndpoint = (serviceName: string, vipName: string, vipPort: number, d: Domains): string => `${vipName.replace(/\//g, '')}.${vipDomain(serviceName, d)}:${vipPort}`;

