import { PerformanceObserver, constants, type PerformanceEntry } from 'node:perf_hooks';
import { getHeapStatistics } from 'node:v8';

/**
 * The V8 heap in use just after the last full garbage collection: the live heap, which is what
 * grows when memory leaks. RSS also counts garbage not yet collected, and V8 lets that reach
 * several times the live heap before the next full GC, so RSS moves by tens of MB with every
 * table compile and says little about a leak over minutes.
 *
 * Read when the GC's performance entry arrives, a moment after the collection: what was allocated
 * in between is counted too, a few KB against tens of MB.
 */
export class LiveHeap {
  private bytes: number;
  private fullCollections = 0;
  private readonly observer: PerformanceObserver;

  constructor() {
    // Until the first full GC: the heap in use now, an upper bound of the live heap.
    this.bytes = getHeapStatistics().used_heap_size;
    this.observer = new PerformanceObserver((list) => {
      if (list.getEntries().some(isFullCollection)) {
        this.bytes = getHeapStatistics().used_heap_size;
        this.fullCollections++;
      }
    });
    this.observer.observe({ entryTypes: ['gc'] });
  }

  get liveBytes(): number {
    return this.bytes;
  }

  get collections(): number {
    return this.fullCollections;
  }

  stop(): void {
    this.observer.disconnect();
  }
}

/** A `gc` performance entry for a full (mark-compact) collection, not a scavenge. */
export function isFullCollection(entry: PerformanceEntry): boolean {
  return (
    (entry as PerformanceEntry & { detail?: { kind?: number } }).detail?.kind === constants.NODE_PERFORMANCE_GC_MAJOR
  );
}
