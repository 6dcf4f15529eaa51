// A minimal RFC 6455 server side, enough for pods/exec: the opening handshake with subprotocol
// choice, unfragmented binary/text frames (masked from the client, as the RFC demands), ping/pong
// and close. Frames over 16 MiB are refused.
import { createHash } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';

const GUID = '258EAFA5-E914-47DA-95CA-C5AB0DC85B11';
const MAX_FRAME = 16 * 1024 * 1024;

export interface WsConnection {
  readonly protocol: string;
  send(data: Buffer): void;
  close(code?: number): void;
  onMessage(fn: (data: Buffer) => void): void;
  onClose(fn: () => void): void;
}

/** Completes the handshake choosing the first of `supported` the client offers, or answers 400. */
export function acceptWebSocket(req: IncomingMessage, socket: Duplex, supported: readonly string[]): WsConnection | undefined {
  const key = req.headers['sec-websocket-key'];
  const offered = String(req.headers['sec-websocket-protocol'] ?? '')
    .split(',')
    .map((s) => s.trim());
  const protocol = supported.find((p) => offered.includes(p));
  if (typeof key !== 'string' || req.headers['sec-websocket-version'] !== '13' || !protocol) {
    socket.end(`HTTP/1.1 400 Bad Request\r\nContent-Type: text/plain\r\nConnection: close\r\n\r\nexpected a WebSocket upgrade with one of the subprotocols ${supported.join(', ')}\n`);
    return undefined;
  }
  const accept = createHash('sha1').update(key + GUID).digest('base64');
  socket.write(`HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Accept: ${accept}\r\nSec-WebSocket-Protocol: ${protocol}\r\n\r\n`);
  const onMessage: Array<(d: Buffer) => void> = [];
  const onClose: Array<() => void> = [];
  let buf = Buffer.alloc(0);
  let closed = false;
  const frame = (opcode: number, payload: Buffer): Buffer => {
    const len = payload.length;
    const head = len < 126 ? Buffer.from([0x80 | opcode, len]) : len < 65536 ? Buffer.from([0x80 | opcode, 126, len >> 8, len & 0xff]) : Buffer.concat([Buffer.from([0x80 | opcode, 127]), u64(len)]);
    return Buffer.concat([head, payload]);
  };
  const finish = () => {
    if (closed) return;
    closed = true;
    for (const f of onClose) f();
  };
  const conn: WsConnection = {
    protocol,
    send(data) {
      if (!closed && socket.writable) socket.write(frame(2, data));
    },
    close(code = 1000) {
      if (socket.writable) socket.end(frame(8, Buffer.from([code >> 8, code & 0xff])));
      finish();
    },
    onMessage: (fn) => onMessage.push(fn),
    onClose: (fn) => onClose.push(fn),
  };
  socket.on('data', (chunk: Buffer) => {
    buf = Buffer.concat([buf, chunk]);
    for (;;) {
      if (buf.length < 2) return;
      const opcode = buf[0] & 0x0f;
      const masked = (buf[1] & 0x80) !== 0;
      let len = buf[1] & 0x7f;
      let off = 2;
      if (len === 126) {
        if (buf.length < 4) return;
        len = buf.readUInt16BE(2);
        off = 4;
      } else if (len === 127) {
        if (buf.length < 10) return;
        len = Number(buf.readBigUInt64BE(2));
        off = 10;
      }
      if (!masked || len > MAX_FRAME) {
        conn.close(1002);
        socket.destroy();
        return;
      }
      if (buf.length < off + 4 + len) return;
      const mask = buf.subarray(off, off + 4);
      const payload = Buffer.from(buf.subarray(off + 4, off + 4 + len));
      for (let i = 0; i < payload.length; i++) payload[i] ^= mask[i % 4];
      buf = buf.subarray(off + 4 + len);
      if (opcode === 8) {
        conn.close();
        return;
      }
      if (opcode === 9) socket.write(frame(10, payload));
      else if (opcode === 1 || opcode === 2) for (const f of onMessage) f(payload);
    }
  });
  socket.on('close', finish);
  socket.on('error', () => socket.destroy());
  return conn;
}

function u64(n: number): Buffer {
  const b = Buffer.alloc(8);
  b.writeBigUInt64BE(BigInt(n));
  return b;
}
