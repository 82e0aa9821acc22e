import { connect, type Socket } from 'node:net';
import { once } from 'node:events';

/** A client connection driven byte by byte, for tests of what the server does with slow or odd clients. */
export type ClientSocket = {
  socket: Socket;
  /** Everything the server sent so far, as text. */
  received(): string;
  /** Resolves when the server has closed the connection (or reset it), with all it sent. */
  closed: Promise<string>;
  /** The next whole answer (headers and a Content-Length body) after those already taken. */
  nextAnswer(): Promise<{ status: number; head: string; body: string }>;
};

export async function openClient(port: number): Promise<ClientSocket> {
  const socket = connect(port, '127.0.0.1');
  let text = '';
  let taken = 0;
  let waiter: (() => void) | null = null;
  socket.on('data', (chunk: Buffer) => {
    text += chunk.toString('latin1');
    waiter?.();
  });
  // A reset is one way for the server to close: the tests look at what arrived before it.
  socket.on('error', () => {});
  const closed = once(socket, 'close').then(() => text);
  await once(socket, 'connect');

  const parseNext = () => {
    const rest = text.slice(taken);
    const end = rest.indexOf('\r\n\r\n');
    if (end < 0) return null;
    const head = rest.slice(0, end);
    const length = Number(/\r\ncontent-length: *(\d+)/i.exec(head)?.[1] ?? 0);
    if (rest.length < end + 4 + length) return null;
    taken += end + 4 + length;
    return { status: Number(head.split(' ')[1]), head, body: rest.slice(end + 4, end + 4 + length) };
  };
  const nextAnswer = () =>
    new Promise<{ status: number; head: string; body: string }>((resolve, reject) => {
      const attempt = () => {
        const answer = parseNext();
        if (answer) {
          waiter = null;
          resolve(answer);
        }
      };
      waiter = attempt;
      void closed.then(() => {
        const rest = JSON.stringify(text.slice(taken, taken + 200));
        if (waiter === attempt) reject(new Error(`closed without a whole answer; received ${rest}`));
      });
      attempt();
    });
  return { socket, received: () => text, closed, nextAnswer };
}

/** Milliseconds from now until `promise` settles, with its value. */
export async function timed<T>(promise: Promise<T>): Promise<{ value: T; ms: number }> {
  const started = performance.now();
  const value = await promise;
  return { value, ms: performance.now() - started };
}

/** A request's bytes: `line` ("POST /v1/route"), Host, the headers given, then the body as it is (whole or not). */
export function requestText(line: string, headers: Record<string, string | number> = {}, body = ''): string {
  const head = [`${line} HTTP/1.1`, 'Host: x', ...Object.entries(headers).map(([name, value]) => `${name}: ${value}`)];
  return `${head.join('\r\n')}\r\n\r\n${body}`;
}
