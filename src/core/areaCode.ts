/**
 * Which area codes can never be placed on a map, whatever the geography table says.
 * Geographic NANP codes never repeat their last two digits, so the "easily recognisable codes"
 * (N00, NYY) and the N11 service codes are the non-geographic ones, plus a few assigned oddities.
 */
export type AreaCodeClass = 'geographic' | 'tollFree' | 'nonGeographic' | 'serviceCode';

const OTHER_NON_GEOGRAPHIC = new Set([
  456, 500, 521, 522, 523, 524, 525, 526, 527, 528, 529, 532, 533, 535, 538, 542, 543, 544, 545, 546, 547, 549, 550,
  552, 553, 554, 556, 558, 566, 569, 577, 578, 588, 589, 600, 622, 700, 710, 900,
]);

export function classifyAreaCode(npa: number): AreaCodeClass {
  const second = Math.floor(npa / 10) % 10;
  const third = npa % 10;
  if (second === 1 && third === 1) return 'serviceCode';
  const first = Math.floor(npa / 100);
  if (first === 8 && second === third) return 'tollFree';
  if (OTHER_NON_GEOGRAPHIC.has(npa)) return 'nonGeographic';
  if (second === third && (first === 5 || first === 6 || first === 7 || first === 9)) return 'nonGeographic';
  return 'geographic';
}
