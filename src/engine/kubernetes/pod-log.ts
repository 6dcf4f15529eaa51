// pods/log as a stream of text, over node:http(s) with the kubeconfig's credentials. Not the
// client's Log class: aborting a followed log there leaves an error on a stream nobody listens
// to, an uncaught exception that would take the scheduler down when an API client goes away.
import http, { type IncomingMessage } from 'node:http';
import https from 'node:https';
import type { KubeConfig } from '@kubernetes/client-node';
import { NoTaskOutput } from '../types.js';

export interface PodLogOptions {
  readonly follow: boolean;
  readonly tailLines?: number;
  readonly signal?: AbortSignal;
}

export async function* podLog(kc: KubeConfig, namespace: string, pod: string, container: string, o: PodLogOptions): AsyncGenerator<string> {
  const cluster = kc.getCurrentCluster();
  if (!cluster) throw new Error('the kubeconfig has no current cluster');
  const url = new URL(`${cluster.server.replace(/\/+$/, '')}/api/v1/namespaces/${encodeURIComponent(namespace)}/pods/${encodeURIComponent(pod)}/log`);
  url.searchParams.set('container', container);
  if (o.follow) url.searchParams.set('follow', 'true');
  if (o.tailLines !== undefined) url.searchParams.set('tailLines', String(o.tailLines));
  const opts: https.RequestOptions = {};
  await kc.applyToHTTPSOptions(opts);
  if (o.signal?.aborted) return;
  let res: IncomingMessage;
  try {
    res = await new Promise<IncomingMessage>((resolve, reject) => {
      const req = (url.protocol === 'https:' ? https : http).request(url, { ...opts, method: 'GET', signal: o.signal }, resolve);
      req.on('error', reject);
      req.end();
    });
  } catch (e) {
    if (o.signal?.aborted) return;
    throw e;
  }
  res.setEncoding('utf8');
  if (res.statusCode !== 200) {
    let body = '';
    for await (const c of res) body += c;
    let message = body.trim();
    try {
      message = (JSON.parse(body) as { message?: string }).message ?? message;
    } catch {
      // a plain-text answer
    }
    throw new NoTaskOutput(`log of pod ${pod}: ${res.statusCode} ${message}`);
  }
  try {
    for await (const chunk of res) yield chunk as string;
  } catch (e) {
    if (!o.signal?.aborted) throw e;
  }
}
