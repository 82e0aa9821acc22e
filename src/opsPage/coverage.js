// The coverage page's script: asks for the admin token (kept for this tab only), fetches coverage
// JSON with it, and draws each table's zips on a map of the US with a per-state table beside it.
'use strict';
(function () {
  const TOKEN_KEY = 'crisis-route.adminToken';
  const SVG = 'http://www.w3.org/2000/svg';
  const $ = (id) => document.getElementById(id);
  const shown = { panels: [], colour: 'center' };

  // Equirectangular, longitudes shrunk by the cosine of each frame's middle latitude; AK, HI and PR as insets.
  const PX = 12;
  const FRAMES = [
    { name: 'Lower 48', lon: [-125, -66.5], lat: [24.3, 49.5], scale: 1, at: [0, 0], box: false },
    { name: 'Alaska', lon: [-170, -129.5], lat: [51, 71.6], scale: 0.3, at: [6, 222], box: true },
    { name: 'Hawaii', lon: [-160.5, -154.6], lat: [18.8, 22.4], scale: 1, at: [90, 255], box: true },
    { name: 'Puerto Rico', lon: [-67.4, -65.2], lat: [17.8, 18.6], scale: 2, at: [490, 278], box: true },
  ].map((f) => ({
    ...f,
    kx: Math.cos((((f.lat[0] + f.lat[1]) / 2) * Math.PI) / 180) * PX * f.scale,
    ky: PX * f.scale,
  }));
  const WIDTH = Math.ceil((FRAMES[0].lon[1] - FRAMES[0].lon[0]) * FRAMES[0].kx) + 2;
  const HEIGHT = Math.ceil((FRAMES[0].lat[1] - FRAMES[0].lat[0]) * FRAMES[0].ky) + 2;

  function frameOf(lat, lon) {
    return FRAMES.find((f) => lon >= f.lon[0] && lon <= f.lon[1] && lat >= f.lat[0] && lat <= f.lat[1]);
  }
  const project = (f, lat, lon) => [f.at[0] + (lon - f.lon[0]) * f.kx, f.at[1] + (f.lat[1] - lat) * f.ky];

  const DISTANCE_BINS = [
    { upTo: 25, colour: '#1a9850', label: '≤ 25 km' },
    { upTo: 50, colour: '#91cf60', label: '≤ 50 km' },
    { upTo: 100, colour: '#fee08b', label: '≤ 100 km' },
    { upTo: 200, colour: '#fc8d59', label: '≤ 200 km' },
    { upTo: Infinity, colour: '#d73027', label: '> 200 km' },
  ];
  function distanceColour(km) {
    if (km === null) return '#8a8f98';
    return DISTANCE_BINS.find((b) => km <= b.upTo).colour;
  }
  /** A colour per center id, the same in every table, so before and after compare at a glance. */
  function centerColour(id) {
    let h = 2166136261;
    for (let i = 0; i < id.length; i++) h = Math.imul(h ^ id.charCodeAt(i), 16777619) >>> 0;
    return `hsl(${h % 360} 65% ${34 + ((h >>> 9) % 3) * 12}%)`;
  }

  function el(name, attrs, text) {
    const node =
      name === 'svg' || /^(rect|circle|g|title|text)$/.test(name)
        ? document.createElementNS(SVG, name)
        : document.createElement(name);
    for (const [k, v] of Object.entries(attrs || {})) node.setAttribute(k, String(v));
    if (text !== undefined) node.textContent = text;
    return node;
  }

  function drawMap(coverage) {
    const svg = el('svg', {
      viewBox: `0 0 ${WIDTH} ${HEIGHT}`,
      role: 'img',
      'aria-label': `Map of the zips of ${coverage.version}, coloured by ${shown.colour}`,
    });
    for (const f of FRAMES.filter((x) => x.box)) {
      const [x1, y1] = project(f, f.lat[1], f.lon[0]);
      const [x2, y2] = project(f, f.lat[0], f.lon[1]);
      const box = { x: x1, y: y1, width: x2 - x1, height: y2 - y1, fill: 'none', stroke: '#b8bec8' };
      svg.append(el('rect', box), el('text', { x: x1 + 1, y: y1 - 1.5, 'font-size': 7, fill: '#5a616b' }, f.name));
    }
    const cells = el('g', { class: 'cells' });
    const { lat, lon, center, maxKm } = coverage.cells;
    const d = coverage.cellDegrees;
    for (let i = 0; i < lat.length; i++) {
      const f = frameOf(lat[i], lon[i]);
      if (!f) continue;
      const [x, y] = project(f, lat[i], lon[i]);
      const c = center[i] >= 0 ? coverage.centers[center[i]] : null;
      const fill = shown.colour === 'distance' ? distanceColour(maxKm[i]) : c ? centerColour(c.id) : '#8a8f98';
      const w = d * f.kx;
      const h = d * f.ky;
      cells.append(
        el('rect', {
          x: (x - w / 2).toFixed(1),
          y: (y - h / 2).toFixed(1),
          width: w.toFixed(2),
          height: h.toFixed(2),
          fill,
        }),
      );
    }
    svg.append(cells);
    const nobody = new Set(coverage.firstForNobody);
    const centers = el('g', { class: 'centers' });
    for (const c of coverage.centers) {
      const f = frameOf(c.lat, c.lon);
      if (!f) continue;
      const [x, y] = project(f, c.lat, c.lon);
      const idle = nobody.has(c.id);
      const dot = idle
        ? el('circle', { cx: x, cy: y, r: 3.2, fill: 'none', stroke: '#c00000', 'stroke-width': 1.4 })
        : el('circle', { cx: x, cy: y, r: 1.8, fill: '#111', stroke: '#fff', 'stroke-width': 0.6 });
      dot.append(el('title', {}, `${c.id}: first for ${c.firstForZips} zips, ${c.firstForExchanges} exchanges`));
      centers.append(dot);
    }
    svg.append(centers);
    return svg;
  }

  function legend() {
    const box = el('div', { class: 'legend' });
    const items =
      shown.colour === 'distance'
        ? DISTANCE_BINS.map((b) => [b.colour, `farthest zip of the cell ${b.label}`])
        : [['#888', 'each colour is the center most zips of the cell reach first']];
    items.push(['#111', 'center'], ['#c00000', 'center first for nobody (ring)']);
    for (const [colour, label] of items) {
      const span = el('span', {}, label);
      span.style.setProperty('--swatch', colour);
      box.append(span);
    }
    return box;
  }

  const pct = (share) => (share === null ? '–' : `${(share * 100).toFixed(1)} %`);
  const km = (v) => (v === null ? '–' : v.toFixed(1));
  const COLUMNS = [
    ['State', (s) => s.state],
    ['Zips', (s) => String(s.zips)],
    ['Zips in-state first', (s) => pct(s.zipsInStateShare)],
    ['Exchanges in-state first', (s) => pct(s.exchangesInStateShare)],
    ['p50 km', (s) => km(s.firstKm.p50)],
    ['p90 km', (s) => km(s.firstKm.p90)],
    ['max km', (s) => km(s.firstKm.max)],
    ['Zips > 100 km', (s) => String(s.zipsBeyondFarKm)],
  ];

  function stateTable(coverage, previous) {
    const before = new Map(previous ? [previous.overall, ...previous.states].map((s) => [s.state, s]) : []);
    const table = el('table');
    table.append(el('caption', {}, `Per state: ${coverage.version}`));
    const head = el('tr');
    for (const [title] of COLUMNS) head.append(el('th', { scope: 'col' }, title));
    const thead = el('thead');
    thead.append(head);
    table.append(thead);
    const body = el('tbody');
    for (const s of [coverage.overall, ...coverage.states]) {
      const row = el('tr');
      const old = before.get(s.state);
      for (const [, value] of COLUMNS) {
        const text = value(s);
        const changed = previous && (!old || value(old) !== text);
        const cell = el(value === COLUMNS[0][1] ? 'th' : 'td', changed ? { class: 'changed' } : {}, text);
        if (changed && old) cell.title = `before: ${value(old)}`;
        row.append(cell);
      }
      body.append(row);
    }
    table.append(body);
    const wrap = el('div', { class: 'tablewrap' });
    wrap.append(table);
    return wrap;
  }

  function summary(c) {
    const o = c.overall;
    const idle = c.firstForNobody.length ? c.firstForNobody.join(', ') : 'none';
    return (
      `${o.zips} zips, ${pct(o.zipsInStateShare)} in-state first; ` +
      `median ${km(o.firstKm.p50)} km to the first center; ` +
      `${o.zipsBeyondFarKm} zips with no center within ${c.farKm} km; first for nobody: ${idle}`
    );
  }

  function render() {
    const panels = $('panels');
    panels.replaceChildren();
    for (const { title, coverage, previous } of shown.panels) {
      const panel = el('section', { class: 'panel' });
      panel.append(el('h2', {}, `${title}: ${coverage.version}`), el('p', { class: 'summary' }, summary(coverage)));
      panel.append(drawMap(coverage), legend(), stateTable(coverage, previous));
      panels.append(panel);
    }
  }

  function say(text, isError) {
    $('status').textContent = text;
    $('status').className = isError ? 'error' : '';
  }

  async function api(path, init) {
    const headers = { ...((init && init.headers) || {}), authorization: `Bearer ${sessionStorage.getItem(TOKEN_KEY)}` };
    const res = await fetch(path, { ...init, headers });
    const body = await res.json().catch(() => null);
    if (res.status === 401) {
      forget();
      throw new Error('the token was refused: enter it again');
    }
    if (!res.ok) {
      const error = (body && body.error) || {};
      const details = (error.details || []).slice(0, 5).map((p) => (p.row ? `row ${p.row}: ` : '') + p.message);
      throw new Error([error.message || `HTTP ${res.status}`, ...details].join('; '));
    }
    return body;
  }
  const coverageOf = (version) => api(`datasets/${encodeURIComponent(version)}/coverage`);

  async function run(what, task) {
    say(what);
    try {
      shown.panels = await task();
      render();
      say(`Showing ${shown.panels.map((p) => p.coverage.version).join(' beside ')}.`);
    } catch (error) {
      say(error.message, true);
    }
  }

  async function listVersions() {
    const { versions } = await api('datasets');
    const select = $('version');
    select.replaceChildren(
      ...versions.map((v) => el('option', { value: v.version }, `${v.version}${v.active ? ' (active)' : ''}`)),
    );
    const active = versions.find((v) => v.active);
    if (active) select.value = active.version;
    shown.active = active ? active.version : null;
  }

  function showVersion() {
    const version = $('version').value;
    const compare = $('compare').checked && shown.active && shown.active !== version;
    return run('Loading coverage… (a version not in service compiles first, a few seconds)', async () => {
      if (!compare) return [{ title: 'Version', coverage: await coverageOf(version), previous: null }];
      const [before, after] = await Promise.all([coverageOf(shown.active), coverageOf(version)]);
      return [
        { title: 'Active', coverage: before, previous: null },
        { title: 'Selected', coverage: after, previous: before },
      ];
    });
  }

  function dryRun() {
    const file = $('csv').files[0];
    if (!file) return say('Choose a CSV file first.', true);
    return run(`Dry run of ${file.name}: validating and compiling…`, async () => {
      const report = await api('datasets?dryRun=true', {
        method: 'POST',
        headers: { 'content-type': 'text/csv' },
        body: file,
      });
      const { before, after } = report.coverage;
      const upload = { title: `Dry run of ${file.name}`, coverage: after, previous: before };
      return before ? [{ title: 'Active', coverage: before, previous: null }, upload] : [upload];
    });
  }

  function forget() {
    sessionStorage.removeItem(TOKEN_KEY);
    $('controls').hidden = true;
    $('token-form').hidden = false;
  }

  async function start() {
    $('token-form').hidden = true;
    $('controls').hidden = false;
    try {
      await listVersions();
      await showVersion();
    } catch (error) {
      say(error.message, true);
    }
  }

  $('token-form').addEventListener('submit', (event) => {
    event.preventDefault();
    sessionStorage.setItem(TOKEN_KEY, $('token').value.trim());
    $('token').value = '';
    void start();
  });
  $('show').addEventListener('click', () => void showVersion());
  $('dry-run').addEventListener('click', () => void dryRun());
  $('forget').addEventListener('click', () => {
    forget();
    say('Token forgotten.');
  });
  for (const radio of document.querySelectorAll('input[name=colour]')) {
    radio.addEventListener('change', () => {
      shown.colour = radio.value;
      render();
    });
  }
  if (sessionStorage.getItem(TOKEN_KEY)) void start();
})();
