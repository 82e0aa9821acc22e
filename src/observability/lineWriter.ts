/**
 * Log lines gathered and written together: one write per few kilobytes, or after maxDelayMs when
 * traffic is light, instead of a write (and a logger's per-line bookkeeping) per request.
 * A chunk is whole lines and at most maxChars, kept under PIPE_BUF (4096 bytes) so that a write to
 * a pipe is never split or interleaved with the app's other log lines. Callers write ASCII lines.
 */
export type LineWriterOptions = { maxChars: number; maxDelayMs: number };

export const PIPE_SAFE: LineWriterOptions = { maxChars: 4000, maxDelayMs: 200 };

export class LineWriter {
  private pending = '';
  private timer: NodeJS.Timeout | null = null;

  constructor(
    private readonly sink: (chunk: string) => void,
    private readonly options: LineWriterOptions = PIPE_SAFE,
  ) {}

  write(line: string): void {
    if (this.pending.length + line.length > this.options.maxChars) this.flush();
    this.pending += line;
    if (this.pending.length >= this.options.maxChars) this.flush();
    else if (this.timer === null) {
      this.timer = setTimeout(() => this.flush(), this.options.maxDelayMs);
      this.timer.unref(); // a quiet service must still be able to exit
    }
  }

  flush(): void {
    if (this.timer !== null) {
      clearTimeout(this.timer);
      this.timer = null;
    }
    if (this.pending === '') return;
    const chunk = this.pending;
    this.pending = '';
    this.sink(chunk);
  }
}
