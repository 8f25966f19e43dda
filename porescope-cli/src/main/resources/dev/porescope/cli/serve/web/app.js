// PoreScope web page: upload a photo, see its pores, correct them, save them as training data.
// Plain JavaScript, nothing fetched but this server's own API.
'use strict';

const $ = (id) => document.getElementById(id);
const view = $('view');
const g = view.getContext('2d');

// Colours of the pore layer (RGBA): pores the model found (when not coloured by size), pixels painted
// by the user. With "size colours" the model's pores take the overlay's colour for their size, from the
// server's layer.png (one colour map, core's SizeColors), and the face zones are outlined in white.
const MODEL_RGBA = [255, 40, 200, 120];
const ADDED_RGBA = [40, 230, 60, 150];
const ADDED_SIZE_RGBA = [255, 0, 255, 190]; // painted pixels beside size colours: magenta is not on the size map
const SIZE_ALPHA = 150;
const ZONE_RGBA = [255, 255, 255, 220];
const OUTSIDE_ROI_RGBA = [0, 0, 0, 130]; // dims what is outside the reviewed area (ROI)

const state = {
  result: null,       // the analyze JSON
  photo: null,        // ImageBitmap, upright
  width: 0, height: 0,
  mask: null,         // Uint8Array, 1 = pore (the current, corrected mask)
  modelMask: null,    // Uint8Array, the model's mask
  colors: null,       // Uint8ClampedArray RGBA of layer.png: size colour of each model pore, zone outlines, else 0
  roi: null,          // Uint8Array, 1 = reviewed: the mask is right here (saved as the training ROI)
  roiStart: null,     // the ROI the page started with: the analysed zones (skin), else the whole photo
  layer: null,        // canvas of the pore layer (photo size)
  levels: [],         // smaller copies of photo and layer for zoomed-out views
  layerCtx: null,
  scale: 1, ox: 0, oy: 0, // view: screen px per image px; image coordinate at the view's top-left
  tool: 'pan',
  undo: [],
  added: 0, removed: 0, // pixels painted / removed against the model's mask
  saved: null,
};

function setStatus(text, kind) {
  $('status').textContent = text;
  if (kind) document.body.dataset.state = kind;
}

// ------------------------------------------------------------------ upload

async function analyze(file) {
  const form = new FormData();
  form.append('photo', file, file.name);
  const params = new URLSearchParams();
  if ($('threshold').value) params.set('threshold', $('threshold').value);
  if ($('pixelSize').value) params.set('pixel_size_um', $('pixelSize').value);
  setStatus('Analysing ' + file.name + ' ...', 'busy');
  const started = performance.now();
  for (;;) {
    const response = await fetch('/api/analyze?' + params, { method: 'POST', body: form });
    if (response.status === 503 && response.headers.get('Retry-After')) {
      const wait = Math.max(1, Number(response.headers.get('Retry-After')));
      setStatus((await errorOf(response)) + ' (retrying by itself)', 'busy');
      await new Promise((r) => setTimeout(r, wait * 1000));
      continue;
    }
    if (!response.ok) throw new Error(await errorOf(response));
    const result = await response.json();
    setStatus('Loading the result ...', 'busy');
    await show(result);
    const seconds = ((performance.now() - started) / 1000).toFixed(1);
    setStatus(file.name + ': ' + result.summary.count + ' pores in ' + result.width + 'x' + result.height
      + ' px (' + seconds + ' s)', 'ready');
    return;
  }
}

async function errorOf(response) {
  try {
    return (await response.json()).error || response.statusText;
  } catch (e) {
    return response.status + ' ' + response.statusText;
  }
}

async function fetchBitmap(url) {
  const response = await fetch(url);
  if (!response.ok) throw new Error(await errorOf(response));
  return createImageBitmap(await response.blob(), { imageOrientation: 'from-image' });
}

async function show(result) {
  const [photo, maskImage, layerImage, zonesImage] = await Promise.all([fetchBitmap(result.links.photo),
    fetchBitmap(result.links.mask), result.links.layer ? fetchBitmap(result.links.layer) : null,
    result.links.zones ? fetchBitmap(result.links.zones) : null]);
  const w = result.width, h = result.height;
  if (photo.width !== w || photo.height !== h) {
    throw new Error('the browser shows the photo as ' + photo.width + 'x' + photo.height + ' but it was analysed as '
      + w + 'x' + h + ' (EXIF orientation?)');
  }
  const scratch = document.createElement('canvas');
  scratch.width = w; scratch.height = h;
  const sg = scratch.getContext('2d', { willReadFrequently: true });
  sg.drawImage(maskImage, 0, 0);
  const pixels = sg.getImageData(0, 0, w, h).data;
  const modelMask = new Uint8Array(w * h);
  for (let i = 0; i < modelMask.length; i++) modelMask[i] = pixels[4 * i] > 127 ? 1 : 0;
  // the reviewed area starts as where the analysis looked for pores: its zones (the skin), else everything
  const roi = new Uint8Array(w * h);
  if (zonesImage) {
    sg.clearRect(0, 0, w, h);
    sg.drawImage(zonesImage, 0, 0);
    const z = sg.getImageData(0, 0, w, h).data;
    for (let i = 0; i < roi.length; i++) roi[i] = z[4 * i] > 0 ? 1 : 0;
  } else {
    roi.fill(1);
  }
  let colors = null;
  if (layerImage) {
    sg.clearRect(0, 0, w, h);
    sg.drawImage(layerImage, 0, 0);
    colors = sg.getImageData(0, 0, w, h).data;
  }

  state.result = result;
  state.photo = photo;
  state.width = w; state.height = h;
  state.modelMask = modelMask;
  state.colors = colors;
  state.roi = roi;
  state.roiStart = roi.slice();
  state.mask = modelMask.slice();
  state.undo = [];
  state.added = 0;
  state.removed = 0;
  state.saved = null;
  state.layer = scratch;
  state.layerCtx = sg;
  sg.clearRect(0, 0, w, h);
  state.levels = await smallerLevels(photo);
  paintLayer(0, 0, w, h);
  showSummary(result);
  $('tools').hidden = false;
  document.body.classList.add('has-photo');
  $('save').disabled = false;
  updateEdits();
  fit();
}

// ------------------------------------------------------------------ the pore layer

/** Redraws the pore layer inside the rectangle (image px). */
function paintLayer(x0, y0, x1, y1) {
  x0 = Math.max(0, Math.floor(x0)); y0 = Math.max(0, Math.floor(y0));
  x1 = Math.min(state.width, Math.ceil(x1)); y1 = Math.min(state.height, Math.ceil(y1));
  if (x1 <= x0 || y1 <= y0) return;
  const part = state.layerCtx.createImageData(x1 - x0, y1 - y0);
  const d = part.data;
  const w = state.width;
  const colors = $('sizeColors').checked ? state.colors : null;
  const size = [0, 0, 0, SIZE_ALPHA];
  let k = 0;
  for (let y = y0; y < y1; y++) {
    for (let x = x0; x < x1; x++, k += 4) {
      const i = y * w + x;
      let c = null;
      const zoneEdge = colors && colors[4 * i + 3] && colors[4 * i] === 255 && colors[4 * i + 1] === 255
        && colors[4 * i + 2] === 255;
      if (state.mask[i]) {
        c = state.modelMask[i] ? MODEL_RGBA : colors ? ADDED_SIZE_RGBA : ADDED_RGBA;
        if (state.modelMask[i] && colors && colors[4 * i + 3] && !zoneEdge) {
          size[0] = colors[4 * i]; size[1] = colors[4 * i + 1]; size[2] = colors[4 * i + 2];
          c = size;
        }
      } else if (zoneEdge) {
        c = ZONE_RGBA;
      } else if (state.roi && !state.roi[i]) {
        c = OUTSIDE_ROI_RGBA;
      }
      if (!c) continue;
      d[k] = c[0]; d[k + 1] = c[1]; d[k + 2] = c[2]; d[k + 3] = c[3];
    }
  }
  state.layerCtx.putImageData(part, x0, y0);
  for (const level of state.levels) level.dirty = true;
}

/**
 * Copies of the photo at 1/2, 1/4, 1/8 of its size (a mipmap): zoomed out, a 12 MP photo is drawn
 * from the copy whose pixels are about one screen pixel, not scaled down whole on every frame.
 */
async function smallerLevels(photo) {
  const levels = [];
  for (const f of [2, 4, 8]) {
    const w = Math.round(photo.width / f), h = Math.round(photo.height / f);
    if (Math.min(w, h) < 256) break;
    const small = await createImageBitmap(photo, { resizeWidth: w, resizeHeight: h, resizeQuality: 'medium' });
    const layer = document.createElement('canvas');
    layer.width = w; layer.height = h;
    levels.push({ f, photo: small, layer, layerCtx: layer.getContext('2d'), dirty: true });
  }
  return levels;
}

/** The coarsest level still at least one screen pixel a level pixel; null = the full photo. */
function levelFor(scale) {
  let best = null;
  for (const level of state.levels) if (scale * level.f <= 1) best = level;
  return best;
}

// ------------------------------------------------------------------ view: zoom and pan at screen resolution

let frameRequested = false;
function redraw() {
  if (frameRequested) return;
  frameRequested = true;
  requestAnimationFrame(() => {
    frameRequested = false;
    draw();
  });
}

function draw() {
  const dpr = window.devicePixelRatio || 1;
  const cw = Math.round(view.clientWidth * dpr), ch = Math.round(view.clientHeight * dpr);
  if (view.width !== cw || view.height !== ch) { view.width = cw; view.height = ch; }
  g.setTransform(1, 0, 0, 1, 0, 0);
  g.fillStyle = '#111';
  g.fillRect(0, 0, cw, ch);
  if (!state.photo) return;
  // only the visible part of the photo is drawn, scaled by the GPU: smooth on 12 MP
  const s = state.scale * dpr;
  const level = levelFor(state.scale);
  const f = level ? level.f : 1;
  g.setTransform(s * f, 0, 0, s * f, -state.ox * s, -state.oy * s);
  g.imageSmoothingEnabled = state.scale < 2;
  g.drawImage(level ? level.photo : state.photo, 0, 0);
  if ($('showOverlay').checked) {
    if (level && level.dirty) {
      level.layerCtx.clearRect(0, 0, level.layer.width, level.layer.height);
      level.layerCtx.drawImage(state.layer, 0, 0, level.layer.width, level.layer.height);
      level.dirty = false;
    }
    g.drawImage(level ? level.layer : state.layer, 0, 0);
  }
  g.setTransform(1, 0, 0, 1, 0, 0);
  if ($('showOverlay').checked && $('sizeColors').checked) drawZoneNames(dpr);
  if (['brush', 'eraser', 'roiBrush', 'roiEraser'].includes(state.tool)) drawBrushCursor(dpr);
}

/** Each face zone's name at the centre of its pixels (the JSON's zones[].anchor), as on the overlay PNG. */
function drawZoneNames(dpr) {
  const zones = state.result && state.result.zones;
  if (!Array.isArray(zones)) return;
  g.font = Math.round(13 * dpr) + 'px sans-serif';
  g.textAlign = 'center';
  g.textBaseline = 'middle';
  g.lineWidth = 3 * dpr;
  g.strokeStyle = 'rgba(0, 0, 0, 0.75)';
  g.fillStyle = '#fff';
  for (const z of zones) {
    if (!z.anchor) continue;
    const p = toView(z.anchor.x, z.anchor.y);
    const text = z.name.replace('_', ' ');
    g.strokeText(text, p.x * dpr, p.y * dpr);
    g.fillText(text, p.x * dpr, p.y * dpr);
  }
  g.textAlign = 'start';
  g.textBaseline = 'alphabetic';
}

let pointer = null; // last pointer position over the view, CSS px
function drawBrushCursor(dpr) {
  if (!pointer) return;
  const r = brushRadius() * state.scale * dpr;
  g.strokeStyle = state.tool === 'brush' ? '#4f4' : state.tool === 'roiBrush' ? '#fd4' : state.tool === 'roiEraser' ? '#888' : '#fff';
  g.lineWidth = 1;
  g.beginPath();
  g.arc(pointer.x * dpr, pointer.y * dpr, Math.max(1, r), 0, 2 * Math.PI);
  g.stroke();
}

function fit() {
  if (!state.photo) return;
  const cw = view.clientWidth, ch = view.clientHeight;
  state.scale = Math.min(cw / state.width, ch / state.height) * 0.98;
  state.ox = -(cw / state.scale - state.width) / 2;
  state.oy = -(ch / state.scale - state.height) / 2;
  redraw();
}

/** Image coordinates (px, fractional) of a point in the view (CSS px). */
function toImage(cx, cy) {
  return { x: state.ox + cx / state.scale, y: state.oy + cy / state.scale };
}

/** View coordinates (CSS px, from the view's top-left) of the centre of image pixel (x, y). */
function toView(x, y) {
  return { x: (x + 0.5 - state.ox) * state.scale, y: (y + 0.5 - state.oy) * state.scale };
}

function zoomAt(cx, cy, factor) {
  const before = toImage(cx, cy);
  state.scale = Math.min(64, Math.max(0.01, state.scale * factor));
  state.ox = before.x - cx / state.scale;
  state.oy = before.y - cy / state.scale;
  redraw();
}

view.addEventListener('wheel', (e) => {
  e.preventDefault();
  const r = view.getBoundingClientRect();
  zoomAt(e.clientX - r.left, e.clientY - r.top, Math.exp(-e.deltaY * 0.0015));
}, { passive: false });

let drag = null;
view.addEventListener('contextmenu', (e) => e.preventDefault());
view.addEventListener('pointerdown', (e) => {
  if (!state.photo) return;
  try { view.setPointerCapture(e.pointerId); } catch (err) { /* a synthetic pointer: no capture needed */ }
  const r = view.getBoundingClientRect();
  const cx = e.clientX - r.left, cy = e.clientY - r.top;
  const panning = state.tool === 'pan' || e.button !== 0 || e.shiftKey;
  if (panning) {
    drag = { kind: 'pan', cx, cy, ox: state.ox, oy: state.oy };
  } else if (state.tool === 'remove') {
    const p = toImage(cx, cy);
    removePoreAt(Math.floor(p.x), Math.floor(p.y));
  } else {
    const roiTool = state.tool === 'roiBrush' || state.tool === 'roiEraser';
    drag = { kind: 'paint', stroke: newStroke(roiTool ? 'roi' : 'mask'), last: toImage(cx, cy),
      value: state.tool === 'brush' || state.tool === 'roiBrush' ? 1 : 0 };
    paintDisc(drag.stroke, drag.last.x, drag.last.y, drag.value);
  }
});
view.addEventListener('pointermove', (e) => {
  const r = view.getBoundingClientRect();
  const cx = e.clientX - r.left, cy = e.clientY - r.top;
  pointer = { x: cx, y: cy };
  if (drag && drag.kind === 'pan') {
    state.ox = drag.ox - (cx - drag.cx) / state.scale;
    state.oy = drag.oy - (cy - drag.cy) / state.scale;
  } else if (drag && drag.kind === 'paint') {
    const p = toImage(cx, cy);
    // a disc every half radius along the way, so fast strokes leave no gaps
    const dist = Math.hypot(p.x - drag.last.x, p.y - drag.last.y);
    const steps = Math.max(1, Math.ceil(dist / Math.max(0.5, brushRadius() / 2)));
    for (let k = 1; k <= steps; k++) {
      paintDisc(drag.stroke, drag.last.x + (p.x - drag.last.x) * k / steps,
        drag.last.y + (p.y - drag.last.y) * k / steps, drag.value);
    }
    drag.last = p;
  }
  redraw();
});
const endDrag = () => {
  if (drag && drag.kind === 'paint') pushUndo(drag.stroke);
  drag = null;
};
view.addEventListener('pointerup', endDrag);
view.addEventListener('pointercancel', endDrag);
view.addEventListener('pointerleave', () => { pointer = null; redraw(); });
window.addEventListener('resize', redraw);

// ------------------------------------------------------------------ review: remove, paint, undo

function brushRadius() { return Number($('brushSize').value) / 2; }

/** An edit in progress of the pore mask or of the ROI (target): the pixels it changed and their values before. */
function newStroke(target) {
  return { target: target || 'mask', index: [], old: [], seen: new Set(), box: [Infinity, Infinity, -Infinity, -Infinity] };
}

/** Sets pixel i of the mask, keeping the counts of pixels added and removed against the model's mask. */
function setPixel(i, value) {
  const m = state.modelMask[i];
  if (state.mask[i] !== m) { if (m) state.removed--; else state.added--; }
  state.mask[i] = value;
  if (value !== m) { if (m) state.removed++; else state.added++; }
}

function change(stroke, i, value) {
  const layer = stroke.target === 'roi' ? state.roi : state.mask;
  if (layer[i] === value) return;
  if (!stroke.seen.has(i)) { stroke.seen.add(i); stroke.index.push(i); stroke.old.push(layer[i]); }
  if (stroke.target === 'roi') state.roi[i] = value; else setPixel(i, value);
  const x = i % state.width, y = (i - x) / state.width, b = stroke.box;
  if (x < b[0]) b[0] = x; if (y < b[1]) b[1] = y; if (x > b[2]) b[2] = x; if (y > b[3]) b[3] = y;
}

/** Sets every pixel whose centre lies within the brush radius of (fx, fy) (image px). */
function paintDisc(stroke, fx, fy, value) {
  const r = brushRadius();
  const before = stroke.box.slice();
  const x0 = Math.max(0, Math.floor(fx - r)), x1 = Math.min(state.width - 1, Math.ceil(fx + r));
  const y0 = Math.max(0, Math.floor(fy - r)), y1 = Math.min(state.height - 1, Math.ceil(fy + r));
  for (let y = y0; y <= y1; y++) {
    for (let x = x0; x <= x1; x++) {
      const dx = x + 0.5 - fx, dy = y + 0.5 - fy;
      if (dx * dx + dy * dy <= r * r) change(stroke, y * state.width + x, value);
    }
  }
  if (stroke.index.length) paintLayer(x0, y0, x1 + 1, y1 + 1);
  updateEdits();
  redraw();
  return before;
}

/** Removes the pore (8-connected, like the server's pore extraction) at or next to pixel (x, y). */
function removePoreAt(x, y) {
  const w = state.width, h = state.height;
  const reach = Math.max(2, Math.ceil(6 / state.scale));
  let seed = -1, best = Infinity;
  for (let dy = -reach; dy <= reach; dy++) {
    for (let dx = -reach; dx <= reach; dx++) {
      const xx = x + dx, yy = y + dy;
      if (xx < 0 || yy < 0 || xx >= w || yy >= h || !state.mask[yy * w + xx]) continue;
      const d = dx * dx + dy * dy;
      if (d < best) { best = d; seed = yy * w + xx; }
    }
  }
  if (seed < 0) { setStatus('No pore there; click on a coloured pore to remove it.'); return; }
  const stroke = newStroke();
  const stack = [seed];
  change(stroke, seed, 0);
  while (stack.length) {
    const i = stack.pop();
    const px = i % w, py = (i - px) / w;
    for (let dy = -1; dy <= 1; dy++) {
      for (let dx = -1; dx <= 1; dx++) {
        const xx = px + dx, yy = py + dy;
        if (xx < 0 || yy < 0 || xx >= w || yy >= h) continue;
        const j = yy * w + xx;
        if (state.mask[j]) { change(stroke, j, 0); stack.push(j); }
      }
    }
  }
  const b = stroke.box;
  paintLayer(b[0], b[1], b[2] + 1, b[3] + 1);
  pushUndo(stroke);
  setStatus('Removed a pore of ' + stroke.index.length + ' px.');
  redraw();
}

function pushUndo(stroke) {
  if (!stroke.index.length) return;
  state.undo.push({ target: stroke.target, index: Int32Array.from(stroke.index), old: Uint8Array.from(stroke.old),
    box: stroke.box });
  updateEdits();
}

function undo() {
  const edit = state.undo.pop();
  if (!edit) return;
  for (let k = 0; k < edit.index.length; k++) {
    if (edit.target === 'roi') state.roi[edit.index[k]] = edit.old[k]; else setPixel(edit.index[k], edit.old[k]);
  }
  paintLayer(edit.box[0], edit.box[1], edit.box[2] + 1, edit.box[3] + 1);
  updateEdits();
  redraw();
}

function updateEdits() {
  $('undo').disabled = state.undo.length === 0;
  let roiChanged = 0;
  if (state.roi) for (let i = 0; i < state.roi.length; i++) if (state.roi[i] !== state.roiStart[i]) roiChanged++;
  $('edits').textContent = (state.undo.length === 0 ? 'No corrections yet.'
    : state.undo.length + ' corrections: ' + state.added + ' px added, ' + state.removed + ' px removed.')
    + (roiChanged ? ' Reviewed area changed by ' + roiChanged + ' px.' : '');
}

// ------------------------------------------------------------------ save

/** A 0/1 array as a black and white PNG (Blob). */
async function maskPng(bits) {
  const w = state.width, h = state.height;
  const canvas = document.createElement('canvas');
  canvas.width = w; canvas.height = h;
  const c = canvas.getContext('2d');
  const image = c.createImageData(w, h);
  const d = image.data;
  for (let i = 0; i < bits.length; i++) {
    const v = bits[i] ? 255 : 0;
    d[4 * i] = v; d[4 * i + 1] = v; d[4 * i + 2] = v; d[4 * i + 3] = 255;
  }
  c.putImageData(image, 0, 0);
  return new Promise((resolve) => canvas.toBlob(resolve, 'image/png'));
}

async function save() {
  const form = new FormData();
  form.append('mask', await maskPng(state.mask), 'mask.png');
  // training counts labels only inside the ROI: the area the user reviewed
  form.append('roi', await maskPng(state.roi), 'roi.png');
  setStatus('Saving ...', 'busy');
  const response = await fetch(state.result.links.review, { method: 'POST', body: form });
  if (!response.ok) throw new Error(await errorOf(response));
  const saved = await response.json();
  state.saved = saved;
  setStatus('Saved as ' + saved.name + ' (' + saved.files.join(', ') + ') in the data folder.', 'saved');
}

// ------------------------------------------------------------------ summary, zones, histogram

function fmt(v, digits) {
  if (v === null || v === undefined) return '-';
  return typeof v === 'number' ? v.toLocaleString('en', { maximumFractionDigits: digits ?? 2 }) : String(v);
}

function showSummary(r) {
  const s = r.summary;
  const unit = s.areaUnit === 'um^2' ? '\u00b5m\u00b2' : 'px\u00b2';
  const rows = [
    ['pores', fmt(s.count, 0)],
    ['per 100x100 px', fmt(s.per100x100)],
    ['per cm\u00b2', s.perCm2 == null ? '- (give a pixel size)' : fmt(s.perCm2, 0)],
    ['mean area', fmt(s.meanArea) + ' ' + unit],
    ['median area', fmt(s.medianArea) + ' ' + unit],
    ['pore cover', fmt(100 * s.poreFraction) + ' %'],
    ['photo', r.photo + ', ' + r.width + 'x' + r.height + ' px'],
    ['model', r.model_card && r.model_card.name ? r.model_card.name : r.model],
    ['threshold', fmt(r.threshold, 3)],
  ];
  $('summaryTable').innerHTML = '';
  for (const [k, v] of rows) {
    const tr = document.createElement('tr');
    tr.innerHTML = '<th></th><td class="num"></td>';
    tr.children[0].textContent = k;
    tr.children[1].textContent = v;
    $('summaryTable').appendChild(tr);
  }
  showZones(r.zones, r.zone_finder);
  showSizeLegend(r);
  drawHistogram(s.areaHistogram || [], unit);
  $('dlCsv').href = r.links.csv;
  $('dlJson').href = r.links.self;
  $('dlJson').download = (r.photo || 'pores').replace(/\.[^.]*$/, '') + '.json';
  $('dlMask').href = r.links.mask;
  $('dlOverlay').href = r.links.overlay;
  $('summary').hidden = false;
}

/** Per-zone table when the analysis has zones (analyze --json's "zones": one row per face zone). */
function showZones(zones, finder) {
  const box = $('zones');
  box.innerHTML = '';
  if (finder && finder.note) {
    const p = document.createElement('p');
    p.textContent = finder.note;
    box.appendChild(p);
  }
  if (!Array.isArray(zones) || !zones.length) return;
  const table = document.createElement('table');
  table.innerHTML = '<tr><th>zone</th><th class="num">pores</th><th class="num">per 100x100 px</th>'
    + '<th class="num">mean area</th><th class="num">score</th></tr>';
  for (const z of zones) {
    const tr = document.createElement('tr');
    tr.innerHTML = '<td></td><td class="num"></td><td class="num"></td><td class="num"></td><td class="num"></td>';
    tr.children[0].textContent = z.name;
    tr.children[1].textContent = fmt(z.pores, 0);
    tr.children[2].textContent = fmt(z.pores_per_100x100_px);
    tr.children[3].textContent = fmt(z.mean_area);
    tr.children[4].textContent = fmt(z.pore_score, 0);
    table.appendChild(tr);
  }
  const h = document.createElement('h3');
  h.textContent = 'By face zone';
  box.append(h, table);
}

/** The size colours' legend: the map's stops between the smallest and the largest pore (log scale). */
function showSizeLegend(r) {
  const box = $('sizeLegend');
  const stops = r.size_colors;
  const areas = Array.isArray(r.pores) ? r.pores.map((p) => p.area).filter((a) => a > 0) : [];
  if (!Array.isArray(stops) || !stops.length || !areas.length) { box.hidden = true; return; }
  let min = Infinity, max = 0;
  for (const a of areas) { if (a < min) min = a; if (a > max) max = a; }
  $('sizeBar').style.background = 'linear-gradient(to right, ' + stops.join(', ') + ')';
  $('sizeMin').textContent = fmt(min, 0) + ' px\u00b2';
  $('sizeMax').textContent = fmt(max, 0) + ' px\u00b2';
  box.hidden = false;
}

function drawHistogram(bins, unit) {
  const c = $('histogram');
  const hg = c.getContext('2d');
  hg.clearRect(0, 0, c.width, c.height);
  if (!bins.length) return;
  const short = (v) => v >= 1e6 ? fmt(v / 1e6, 1) + 'M' : v >= 1e4 ? fmt(v / 1e3, 0) + 'k' : fmt(v, 0);
  const max = Math.max(1, ...bins.map((b) => b.count));
  const left = 34, bottom = c.height - 44, top = 18, width = c.width - left - 6;
  const bw = width / bins.length;
  hg.font = '10px sans-serif';
  hg.fillStyle = '#444';
  hg.fillText('pores per area bin (' + unit + ')', left, 10);
  hg.fillText(String(max), 2, top + 8);
  hg.fillText('0', 2, bottom);
  bins.forEach((b, i) => {
    const bh = (bottom - top) * b.count / max;
    hg.fillStyle = '#3c6e8f';
    hg.fillRect(left + i * bw + 1, bottom - bh, bw - 2, bh);
    hg.save();
    hg.fillStyle = '#444';
    hg.translate(left + i * bw + bw / 2 - 3, bottom + 4);
    hg.rotate(Math.PI / 3);
    hg.fillText(short(b.from) + (b.to == null ? '+' : '-' + short(b.to)), 0, 0);
    hg.restore();
  });
}

// ------------------------------------------------------------------ wiring

function selectTool(tool) {
  state.tool = tool;
  document.querySelectorAll('.tool').forEach((b) => b.classList.toggle('active', b.dataset.tool === tool));
  view.style.cursor = tool === 'pan' ? 'grab' : tool === 'remove' ? 'pointer' : 'crosshair';
  redraw();
}

function run(promise) {
  promise.catch((e) => setStatus(String(e.message || e), 'error'));
}

function take(files) {
  if (!files || !files.length) return;
  run(analyze(files[0]));
}

document.querySelectorAll('.tool').forEach((b) => b.addEventListener('click', () => selectTool(b.dataset.tool)));
$('brushSize').addEventListener('input', () => { $('brushLabel').textContent = $('brushSize').value; redraw(); });
$('undo').addEventListener('click', undo);
$('fit').addEventListener('click', fit);
$('showOverlay').addEventListener('change', redraw);
$('sizeColors').addEventListener('change', () => { if (state.photo) { paintLayer(0, 0, state.width, state.height); redraw(); } });
$('save').addEventListener('click', () => run(save()));
$('file').addEventListener('change', (e) => take(e.target.files));
window.addEventListener('keydown', (e) => {
  if ((e.ctrlKey || e.metaKey) && e.key === 'z') { e.preventDefault(); undo(); }
});
window.addEventListener('dragover', (e) => { e.preventDefault(); document.body.classList.add('dragging'); });
window.addEventListener('dragleave', (e) => { if (!e.relatedTarget) document.body.classList.remove('dragging'); });
window.addEventListener('drop', (e) => {
  e.preventDefault();
  document.body.classList.remove('dragging');
  take(e.dataTransfer.files);
});
selectTool('pan');
redraw();

// /?result=ID shows a result the API made earlier (e.g. by curl)
const earlier = new URLSearchParams(location.search).get('result');
if (earlier && /^[0-9a-f]{16}$/.test(earlier)) {
  run((async () => {
    const response = await fetch('/api/results/' + earlier);
    if (!response.ok) throw new Error(await errorOf(response));
    const result = await response.json();
    await show(result);
    setStatus(result.photo + ': ' + result.summary.count + ' pores in ' + result.width + 'x' + result.height + ' px', 'ready');
  })());
}

// for scripts and the browser test: where an image pixel is on screen, and the state
window.porescope = { state, toView, toImage, fit, draw };
