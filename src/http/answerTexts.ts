import { MASKABLE, type AnswerVariant, type Method } from '../routing/route.js';

const METHODS: Record<Method, number> = { prefix: 0, zip: 1, zip3: 2, location: 3, none: 4 };
const MASKS = 2 ** (MASKABLE + 1);

/**
 * Answer texts kept for reuse, for one table, within a budget of characters. Two generations
 * stand in for least-recently-used: when the current one fills, it becomes the previous one and
 * the one before is dropped; a text found in the previous one moves back to the current. A
 * working set up to the budget stays; memory never passes twice the budget (4M characters: ~1 700
 * answers of ~2.3 KB each per generation, at most ~8 MB per table).
 */
export class AnswerTexts {
  private current = new Map<string, Map<number, string>>();
  private previous = new Map<string, Map<number, string>>();
  private chars = 0;

  constructor(private readonly budgetChars = 4_000_000) {}

  /** One number for (variant, method, prefixLength): placement, method and length, then the open mask. */
  static key(variant: AnswerVariant, method: Method, prefixLength: number | null): number {
    return ((variant.placement * 8 + METHODS[method]) * 8 + (prefixLength ?? 0)) * MASKS + variant.openMask;
  }

  get(lang: string | undefined, key: number): string | undefined {
    const found = this.current.get(lang ?? '')?.get(key);
    if (found !== undefined) return found;
    const old = this.previous.get(lang ?? '')?.get(key);
    if (old !== undefined) this.set(lang, key, old);
    return old;
  }

  set(lang: string | undefined, key: number, text: string): void {
    if (this.chars + text.length > this.budgetChars) {
      this.previous = this.current;
      this.current = new Map();
      this.chars = 0;
    }
    let byKey = this.current.get(lang ?? '');
    if (byKey === undefined) this.current.set(lang ?? '', (byKey = new Map()));
    byKey.set(key, text);
    this.chars += text.length;
  }
}
