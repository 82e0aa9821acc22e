// IANA time zone of a sample center, from its state and position.
//
// Most states lie in one zone. For the split ones we use simple latitude /
// longitude boxes that follow the county lines closely enough for the big
// cities the sample table uses (it is sample data, not a tz boundary file).

const STATE_ZONE: Record<string, string> = {
  AL: 'America/Chicago',
  AK: 'America/Anchorage',
  AZ: 'America/Phoenix',
  AR: 'America/Chicago',
  CA: 'America/Los_Angeles',
  CO: 'America/Denver',
  CT: 'America/New_York',
  DE: 'America/New_York',
  DC: 'America/New_York',
  FL: 'America/New_York',
  GA: 'America/New_York',
  HI: 'Pacific/Honolulu',
  ID: 'America/Boise',
  IL: 'America/Chicago',
  IN: 'America/Indiana/Indianapolis',
  IA: 'America/Chicago',
  KS: 'America/Chicago',
  KY: 'America/New_York',
  LA: 'America/Chicago',
  ME: 'America/New_York',
  MD: 'America/New_York',
  MA: 'America/New_York',
  MI: 'America/Detroit',
  MN: 'America/Chicago',
  MS: 'America/Chicago',
  MO: 'America/Chicago',
  MT: 'America/Denver',
  NE: 'America/Chicago',
  NV: 'America/Los_Angeles',
  NH: 'America/New_York',
  NJ: 'America/New_York',
  NM: 'America/Denver',
  NY: 'America/New_York',
  NC: 'America/New_York',
  ND: 'America/Chicago',
  OH: 'America/New_York',
  OK: 'America/Chicago',
  OR: 'America/Los_Angeles',
  PA: 'America/New_York',
  RI: 'America/New_York',
  SC: 'America/New_York',
  SD: 'America/Chicago',
  TN: 'America/Chicago',
  TX: 'America/Chicago',
  UT: 'America/Denver',
  VT: 'America/New_York',
  VA: 'America/New_York',
  WA: 'America/Los_Angeles',
  WV: 'America/New_York',
  WI: 'America/Chicago',
  WY: 'America/Denver',
  PR: 'America/Puerto_Rico',
  VI: 'America/St_Thomas',
  GU: 'Pacific/Guam',
  MP: 'Pacific/Saipan',
  AS: 'Pacific/Pago_Pago',
};

export function timeZoneFor(state: string, city: string, lat: number, lon: number): string {
  switch (state) {
    case 'TX':
      // El Paso and Hudspeth counties keep Mountain time.
      if (city === 'El Paso' || lon < -104.9) return 'America/Denver';
      break;
    case 'FL':
      // The panhandle west of the Apalachicola River is Central.
      if (lat > 29.6 && lon < -85.0) return 'America/Chicago';
      break;
    case 'IN':
      // Chicago suburbs in the north-west and the Evansville area in the south-west.
      if (lat > 40.7 && lon < -86.65) return 'America/Chicago';
      if ((lat < 38.4 && lon < -87.0) || (lat < 38.1 && lon < -86.5)) return 'America/Chicago';
      break;
    case 'KY':
      if (city === 'Louisville') return 'America/Kentucky/Louisville';
      // Western Kentucky and the south-central counties are Central.
      if (lon < -86.25 || (lat < 37.3 && lon < -85.0)) return 'America/Chicago';
      break;
    case 'TN':
      // East Tennessee (Knoxville, Tri-Cities, Chattanooga) is Eastern.
      if (lon > -84.95 || (lat < 35.25 && lon > -85.45) || (lat < 35.7 && lon > -85.1)) {
        return 'America/New_York';
      }
      break;
    case 'MI':
      // The four Upper Peninsula counties on the Wisconsin line are Central.
      if ((lat > 45.0 && lat < 46.2 && lon < -87.5) || (lat > 46.0 && lat < 46.7 && lon < -89.1)) {
        return 'America/Menominee';
      }
      break;
    case 'ND':
      // South-west (Dickinson, Bowman) is Mountain.
      if (lat < 47.6 && lon < -101.9) return 'America/Denver';
      break;
    case 'SD':
      // West River (Rapid City) is Mountain.
      if (lon < -100.4) return 'America/Denver';
      break;
    case 'NE':
      // The panhandle and the south-west are Mountain.
      if (lon < -101.3) return 'America/Denver';
      break;
    case 'KS':
      // Sherman, Wallace, Greeley and Hamilton counties are Mountain.
      if (lon < -101.4 && lat > 37.74) return 'America/Denver';
      break;
    case 'ID':
      // North of the Salmon River is Pacific.
      if (lat > 45.3 && lon < -114.4) return 'America/Los_Angeles';
      break;
    case 'OR':
      // Malheur County (Ontario) is Mountain.
      if (lon > -118.2 && lat < 44.45) return 'America/Boise';
      break;
    case 'NV':
      // West Wendover follows Utah.
      if (lon > -114.1 && lat > 40.5) return 'America/Denver';
      break;
    case 'AK':
      // The Aleutians west of 169.5 W are Hawaii-Aleutian time.
      if (lon < -169.5) return 'America/Adak';
      break;
  }
  const zone = STATE_ZONE[state];
  if (!zone) throw new Error(`no time zone for state ${state}`);
  return zone;
}

/** Throws if the runtime's ICU does not know the zone (the service validates it the same way). */
export function assertValidTimeZone(zone: string): void {
  new Intl.DateTimeFormat('en-US', { timeZone: zone });
}
