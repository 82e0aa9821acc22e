import type { Worker } from 'node:worker_threads';
import type { CompileAnswer, CompileJob } from './tableWorker.js';
import { startWorker } from './workerThread.js';

export type CompileRequest = Omit<CompileJob, 'id' | 'geography'>;

/**
 * A small young generation for the compiling thread: V8 sizes it from the machine's memory, and a
 * compile's short-lived objects do not need that much room (BENCHMARKS.md, memory).
 */
const COMPILER_LIMITS = { maxYoungGenerationSizeMb: 16 };

/**
 * The worker thread that compiles tables, one job at a time. Started on the first job and ended
 * after a quiet spell (its heap is the size of a compile), so a process that is not reloading
 * holds no second thread.
 */
export class TableCompiler {
  private worker: Worker | null = null;
  /** Geographies this worker holds: each is sent once, not with every job. */
  private sent = new Set<string>();
  private queue: Promise<unknown> = Promise.resolve();
  private pending: { id: number; resolve: (a: CompileAnswer) => void; reject: (e: Error) => void } | null = null;
  private nextId = 1;
  private idleTimer: NodeJS.Timeout | null = null;

  constructor(private readonly idleMs = 30_000) {}

  /** geography: the parts of options.geography, sent if this worker does not hold them yet. */
  compile(request: CompileRequest, geography: () => CompileJob['geography']): Promise<CompileAnswer> {
    const run = this.queue.then(() => this.runOne(request, geography));
    this.queue = run.catch(() => {});
    return run;
  }

  async close(): Promise<void> {
    await this.queue;
    this.stopWorker();
  }

  private runOne(request: CompileRequest, geography: () => CompileJob['geography']): Promise<CompileAnswer> {
    if (this.idleTimer) clearTimeout(this.idleTimer);
    const worker = this.startedWorker();
    worker.ref(); // a job in flight keeps a CLI run alive until it answers
    const id = this.nextId++;
    const sendGeography = !this.sent.has(request.options.geography);
    const job: CompileJob = { ...request, id, geography: sendGeography ? geography() : undefined };
    return new Promise<CompileAnswer>((resolve, reject) => {
      this.pending = { id, resolve, reject };
      worker.postMessage(job);
      if (sendGeography) this.sent.add(request.options.geography);
    }).finally(() => {
      this.pending = null;
      this.worker?.unref();
      this.idleTimer = setTimeout(() => this.stopWorker(), this.idleMs);
      this.idleTimer.unref();
    });
  }

  private startedWorker(): Worker {
    if (this.worker) return this.worker;
    const worker = startWorker('tableWorker', COMPILER_LIMITS);
    worker.on('message', (answer: CompileAnswer) => {
      if (this.pending?.id === answer.id) this.pending.resolve(answer);
    });
    const lost = (error: Error) => {
      if (this.worker !== worker) return;
      this.worker = null;
      this.sent = new Set();
      this.pending?.reject(error);
    };
    worker.on('error', lost);
    worker.on('exit', (code) => lost(new Error(`the table compiler thread exited (code ${code})`)));
    this.worker = worker;
    return worker;
  }

  private stopWorker(): void {
    const worker = this.worker;
    this.worker = null;
    this.sent = new Set();
    void worker?.terminate();
  }
}
