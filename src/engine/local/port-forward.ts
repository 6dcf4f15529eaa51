// Port mappings of a pod on a port-mapping network (mesos-bridge): a userspace TCP proxy in the
// executor, as docker-proxy is for Docker, from the agent's address:hostPort to the pod's
// address:containerPort. It listens on the agent's address only (never 0.0.0.0), and holding the
// port is what reserves it on the machine: no other process can bind it while the pod runs.
// And the other way: the scheduler API, on the host's loopback, made to answer inside a pod's
// namespace (forwardIntoNetns).
import { spawn } from 'node:child_process';
import { connect, createServer, Server, type Socket } from 'node:net';
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

/**
 * Makes `host:port` of this process's network (the scheduler API on loopback) answer inside the
 * network namespace at `netnsPath` too, at the same address: a pod on a virtual network has a
 * loopback of its own, where `SCHEDULER_API_HOSTNAME:PORT` would otherwise reach nothing. A short
 * node process entered into the namespace (nsenter) opens the listening socket there and hands it
 * over the IPC channel; its connections are then joined to `host:port` from here.
 */
export function forwardIntoNetns(netnsPath: string, host: string, port: number): Promise<Forwarder> {
  const open = new Set<Socket>();
  return new Promise((resolve, reject) => {
    const child = spawn('nsenter', [`--net=${netnsPath}`, '--', process.execPath, '-e', LISTEN_AND_HAND_OVER, host, String(port)], { stdio: ['ignore', 'ignore', 'pipe', 'ipc'] });
    let stderr = '';
    child.stderr?.on('data', (d) => (stderr += d));
    const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`cannot listen on ${host}:${port} in ${netnsPath}: ${stderr.trim() || `exit ${code}`}`));
    });
    child.once('message', (msg, server) => {
      if (msg !== 'listening' || !(server instanceof Server)) return reject(new Error(`cannot listen on ${host}:${port} in ${netnsPath}: ${String(msg)}`));
      server.on('connection', (client) => pipe(client, host, port, open));
      resolve({
        close: async () => {
          for (const s of open) s.destroy();
          await new Promise<void>((r) => server.close(() => r()));
        },
      });
    });
  });
}

/** Run by node inside the namespace: listen on argv host:port, send the server to the parent, leave. */
const LISTEN_AND_HAND_OVER = `const s = require('net').createServer();
s.on('error', (e) => { process.send('error: ' + e.message); process.disconnect(); });
s.listen({ host: process.argv[1], port: Number(process.argv[2]), exclusive: true }, () => process.send('listening', s, () => { s.close(); process.disconnect(); }));`;
