import { connect } from 'node:net';

export type RawAnswer = { status: number; headers: Record<string, string>; body: string; ms: number };

/**
 * One HTTP/1.1 request written byte for byte on a socket: the path exactly as given (no client
 * normalising dots, slashes or escapes), and a body that may be cut short of its Content-Length.
 * Resolves with the first complete answer, whether or not the body was all sent.
 */
export function rawRequest(
  port: number,
  head: string,
  body: Buffer | string = '',
  timeoutMs = 5000,
): Promise<RawAnswer> {
  const started = Date.now();
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1');
    let received = Buffer.alloc(0);
    const timer = setTimeout(
      () => finish(new Error(`no complete answer within ${timeoutMs} ms to ${head.split('\r\n')[0]}`)),
      timeoutMs,
    );
    const finish = (error: Error | null, answer?: RawAnswer) => {
      clearTimeout(timer);
      socket.destroy();
      if (error) reject(error);
      else resolve(answer!);
    };
    const tryParse = (ended: boolean) => {
      const text = received.toString('latin1');
      const end = text.indexOf('\r\n\r\n');
      if (end < 0) return ended && finish(new Error(`connection closed without an answer to ${head.split('\r\n')[0]}`));
      const [statusLine, ...lines] = text.slice(0, end).split('\r\n');
      const headers = Object.fromEntries(
        lines.map((l) => [l.slice(0, l.indexOf(':')).toLowerCase(), l.slice(l.indexOf(':') + 1).trim()]),
      );
      const length = Number(headers['content-length'] ?? NaN);
      const bodyBytes = received.subarray(Buffer.byteLength(text.slice(0, end + 4), 'latin1'));
      const bodiless = head.startsWith('HEAD ') || /^(204|304)$/.test(statusLine!.split(' ')[1] ?? '');
      if (bodiless || (Number.isFinite(length) ? bodyBytes.length >= length : ended)) {
        finish(null, {
          status: Number(statusLine!.split(' ')[1]),
          headers,
          body: bodiless ? '' : bodyBytes.subarray(0, Number.isFinite(length) ? length : undefined).toString('utf8'),
          ms: Date.now() - started,
        });
      }
    };
    socket.on('data', (chunk: Buffer) => {
      received = Buffer.concat([received, chunk]);
      tryParse(false);
    });
    socket.on('end', () => tryParse(true));
    // The server may answer and close before the whole body is written: that is the point of some tests.
    socket.on('error', (error: NodeJS.ErrnoException) =>
      error.code === 'EPIPE' || error.code === 'ECONNRESET' ? tryParse(true) : finish(error),
    );
    socket.write(head);
    if (body.length > 0) socket.write(body);
  });
}
