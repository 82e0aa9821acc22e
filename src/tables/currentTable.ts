import type { RoutingTable } from '../core/types.js';

export type TableSource = 'embedded' | 'redis' | 'snapshot';

export type TableSwap = { table: RoutingTable; previous: RoutingTable | null; source: TableSource; compileMs: number };

/**
 * The routing table every request reads. A swap replaces one reference, so a request sees either
 * the whole old table or the whole new one, never half of each.
 */
export class CurrentTable {
  private current: RoutingTable | null = null;
  private currentSource: TableSource | null = null;
  private swappedAt: number | null = null;
  private readonly listeners: Array<(swap: TableSwap) => void> = [];

  /** admit throws to refuse a table (e.g. sample data in production); the current one stays. */
  constructor(private readonly admit: (table: RoutingTable) => void = () => {}) {}

  get table(): RoutingTable | null {
    return this.current;
  }

  get source(): TableSource | null {
    return this.currentSource;
  }

  get loadedAt(): number | null {
    return this.swappedAt;
  }

  swap(table: RoutingTable, source: TableSource, compileMs = 0, nowMs = Date.now()): void {
    this.admit(table);
    const previous = this.current;
    this.current = table;
    this.currentSource = source;
    this.swappedAt = nowMs;
    for (const listener of this.listeners) listener({ table, previous, source, compileMs });
  }

  onSwap(listener: (swap: TableSwap) => void): void {
    this.listeners.push(listener);
  }
}
