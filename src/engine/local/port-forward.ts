// Port mappings of a pod on a port-mapping network (mesos-bridge): a userspace TCP proxy in the
// executor, as docker-proxy is for Docker, from the agent's address:hostPort to the pod's
// address:containerPort. It listens on the agent's address only (never 0.0.0.0), and holding the
// port is what reserves it on the machine: no other process can bind it while the pod runs.
import { connect, createServer, type Server, type Socket } from 'node:net';
import type { PortMapping } from './pod-network.js';

export interface Forwarder {
  /** Stops listening and cuts the connections it carries. */
  close(): Promise<void>;
}

/** Listens on `listenIp` for each mapping; rejects (closing what it opened) when a port cannot be bound. */
export async function forwardPorts(listenIp: string, targetIp: string, mappings: readonly PortMapping[]): Promise<Forwarder> {
  const servers: Server[] = [];
  const open = new Set<Socket>();
  const close = async () => {
    for (const s of open) s.destroy();
    await Promise.all(servers.map((srv) => new Promise<void>((r) => srv.close(() => r()))));
  };
  try {
    for (const m of mappings) servers.push(await listen(listenIp, m.hostPort, (client) => pipe(client, targetIp, m.containerPort, open)));
  } catch (e) {
    await close();
    throw e;
  }
  return { close };
}

function listen(host: string, port: number, onConnection: (s: Socket) => void): Promise<Server> {
  return new Promise((resolve, reject) => {
    const srv = createServer({ allowHalfOpen: true }, onConnection); // a client's FIN still lets the reply through
    srv.once('error', (e) => reject(new Error(`port mapping: cannot listen on ${host}:${port}: ${e.message}`)));
    srv.listen({ host, port, exclusive: true }, () => resolve(srv));
  });
}

/** Joins one client connection to the pod's port; either side ending or failing ends both. */
function pipe(client: Socket, host: string, port: number, open: Set<Socket>): void {
  const upstream = connect({ host, port, allowHalfOpen: true });
  for (const s of [client, upstream]) {
    open.add(s);
    s.once('close', () => {
      open.delete(s);
      client.destroy();
      upstream.destroy();
    });
    s.on('error', () => s.destroy());
  }
  client.pipe(upstream);
  upstream.pipe(client);
}
