import { MASKABLE, type AnswerVariant, type Method } from '../core/route.js';

const METHODS: Record<Method, number> = { prefix: 0, zip: 1, zip3: 2, location: 3, none: 4 };
const MASKS = 2 ** (MASKABLE + 1);

/**
 * Answer texts kept for reuse, for one table, within a budget of characters per generation
 * (4M characters: ~1 900 answers of ~2.1 KB; memory never passes twice the budget, ~8 MB).
 *
 * A full generation admits nothing more until the next one begins, every `lookupsPerGeneration`
 * lookups; the generation before stays readable, and a text found there moves forward while
 * there is room. Callers spread over more places than the budget holds, met in turn, would
 * otherwise flush every text before its second use: each kept only to die in the old generation
 * of the heap, and a cache that costs more than it saves (callgrind: 13k instructions per zip
 * request over 5 000 zips, against 16k saved per request for 5 000 phone numbers). Refusing
 * admission keeps what is there: for such a spread, as many hits as the budget holds.
 * Texts whose centers have since opened or closed are asked for no more and go within two
 * generations.
 */
export class AnswerTexts {
  private current = new Map<string, Map<number, string>>();
  private previous = new Map<string, Map<number, string>>();
  private chars = 0;
  private lookups = 0;

  constructor(
    private readonly budgetChars = 4_000_000,
    private readonly lookupsPerGeneration = 200_000,
  ) {}

  /** One number for (variant, method, prefixLength): placement, method and length, then the open mask. */
  static key(variant: AnswerVariant, method: Method, prefixLength: number | null): number {
    return ((variant.placement * 8 + METHODS[method]) * 8 + (prefixLength ?? 0)) * MASKS + variant.openMask;
  }

  get(lang: string | undefined, key: number): string | undefined {
    if (++this.lookups >= this.lookupsPerGeneration) this.nextGeneration();
    const found = this.current.get(lang ?? '')?.get(key);
    if (found !== undefined) return found;
    const old = this.previous.get(lang ?? '')?.get(key);
    if (old !== undefined) this.set(lang, key, old);
    return old;
  }

  /** Keeps the text if the current generation has room for it. */
  set(lang: string | undefined, key: number, text: string): void {
    if (this.chars + text.length > this.budgetChars) return;
    let byKey = this.current.get(lang ?? '');
    if (byKey === undefined) this.current.set(lang ?? '', (byKey = new Map()));
    byKey.set(key, text);
    this.chars += text.length;
  }

  private nextGeneration(): void {
    this.previous = this.current;
    this.current = new Map();
    this.chars = 0;
    this.lookups = 0;
  }
}
