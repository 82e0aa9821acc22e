import { setFlagsFromString } from 'node:v8';

/**
 * How far V8 lets the old generation grow past what the last full GC left alive before it runs
 * the next one: a fixed 3× instead of V8's own choice.
 *
 * V8 picks that factor after every full GC from how fast the program allocated lately, up to 4×
 * when the heap limit is large (4 GB on a machine with 16 GB or more). Starting the service
 * allocates fast (data/ parsed, tables compiled), so the start's last full GC picks 4×: with
 * ~40 MB alive, the garbage requests promote was let pile up to ~150 MB of old space before the
 * next full GC, 20-30 s into load, and RSS after load read anywhere from 150 to 275 MB depending on
 * when it was read. A fixed factor bounds that. 1.5× kept RSS near 170 MB but full GCs ran so
 * often under load that a route request cost 170k instructions instead of 131k (callgrind,
 * scripts/bench/instructions.sh; 2× did no better); at 3× a request costs what it does with V8's
 * own choice, and RSS after load stays at 190-210 MB instead of swinging up to 275.
 */
const HEAP_GROWING_PERCENT = 200;

// An explicit --heap-growing-percent on node's command line wins (NODE_OPTIONS may not carry it).
const given = process.execArgv.some((arg) => /^--heap[-_]growing[-_]percent\b/.test(arg));
// V8 reads the flag each time it sets the limit, so setting it here, first thing, covers the start.
if (!given) setFlagsFromString(`--heap-growing-percent=${HEAP_GROWING_PERCENT}`);
