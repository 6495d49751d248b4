// <gk-directory>: the "Gemeinsam klappt's" directory as one dependency-free custom element.
// Every string from the API reaches the DOM through text nodes (h() below), never as markup.
const TAG = 'gk-directory';
const SVG = 'http' + '://www.w3.org/2000/svg'; // a namespace name, never fetched
const FILTERS = ['kind', 'regierungsbezirk', 'topic'];
// Without an api attribute the widget talks to the service that served this file.
const HOME = new URL('.', import.meta.url).href;

// The page's own words: one table per language in widget-i18n/<lang>.json, fetched when asked for.
// Plain strings with {placeholders} (see fill()): every table has the same keys, a test checks them.
const LANGS = ['de', 'en', 'ar', 'fa', 'uk', 'tr'];
const RTL = ['ar', 'fa'];
const T = {}; // lang -> its table, once fetched
const loading = {}; // lang -> promise of its table, fetched once per page

const CSS = `
:host{display:block;font:var(--gk-font,inherit);color:var(--gk-color,#1f2328);background:var(--gk-bg,transparent);
 --a:var(--gk-accent,#0b57d0);--m:var(--gk-muted,#57606a);--b:var(--gk-border,#8c959f);--r:var(--gk-radius,.4rem)}
:host([hidden]){display:none}
*{box-sizing:border-box}
form{display:grid;gap:.75rem;grid-template-columns:repeat(auto-fit,minmax(min(100%,11rem),1fr));margin-bottom:.75rem}
label{display:flex;flex-direction:column;gap:.25rem;font-weight:600;font-size:.9em;min-width:0}
.q{grid-column:1/-1}
input,select,button{font:inherit;font-weight:400;color:inherit;min-height:2.75rem;padding:.45rem .6rem;
 border:1px solid var(--b);border-radius:var(--r);background:var(--gk-field-bg,#fff);max-width:100%}
button{background:var(--a);color:var(--gk-accent-text,#fff);border-color:var(--a);cursor:pointer}
button.alt{background:transparent;color:var(--a)}
:focus-visible{outline:3px solid var(--gk-focus,#0b57d0);outline-offset:2px}
a{color:var(--a);text-underline-offset:.15em}
ul{list-style:none;margin:0;padding:0}
p,h2,h3,h4,h5,h6{margin:0}
.cards{display:grid;gap:1rem}
.card{border:1px solid var(--gk-card-border,#d0d7de);border-radius:var(--r);padding:1rem;background:var(--gk-card-bg,#fff);
 display:grid;gap:.6rem;overflow-wrap:anywhere}
.h0{font-size:1.15em}.h1{font-size:1.1em}.h2{font-size:1em}
.m{color:var(--m);font-size:.9em}
.office{border-top:1px solid var(--gk-card-border,#d0d7de);padding-top:.6rem;display:grid;gap:.35rem}
.contact{padding:.5rem .75rem;border-inline-start:3px solid var(--a);display:grid;gap:.2rem}
.who{font-weight:600}
.ch{display:flex;flex-wrap:wrap;gap:.15rem 1.1rem}
.ch li{padding:.2rem 0}
.status{margin:.25rem 0 .75rem;font-weight:600}
.error{border-inline-start:4px solid var(--gk-error,#b42318);background:var(--gk-error-bg,#fef3f2);padding:.75rem 1rem;
 margin-bottom:.75rem;display:grid;gap:.5rem;justify-items:start}
.peers{margin-bottom:1.25rem;display:grid;gap:.75rem}
.bar{display:flex;flex-wrap:wrap;gap:.5rem;align-items:center;justify-content:space-between}
.more{margin-top:1rem}
.stale{background:var(--gk-stale-bg,#f6f8fa);border-style:dashed;color:var(--m)}
.ck{font-size:.85em;color:var(--m)}
.card:focus{outline:3px solid var(--gk-focus,#0b57d0)}.sel{border-color:var(--a);box-shadow:0 0 0 2px var(--a)}
.views{display:flex;gap:.25rem}.views button[aria-pressed=true]{background:var(--a);color:var(--gk-accent-text,#fff)}
.map{position:relative;max-width:36rem;margin:0 auto 1rem}svg{display:block;width:100%;height:auto}
.k{fill:#eef1f4;stroke:#fff;stroke-width:.4}.r3{fill:#e3ecf6}.r5{fill:#eaf3e8}.r7{fill:#f6efe3}.r9{fill:#f1e8f3}
.ln{stroke:var(--a);stroke-width:.7}.lb{font:700 5px system-ui,sans-serif;fill:#1f2328;stroke:#fff;stroke-width:1.5px;paint-order:stroke;text-anchor:middle}
.pt{position:absolute;width:24px;height:24px;min-height:0;margin:-12px 0 0 -12px;padding:0;border:0;border-radius:50%;background:transparent}
.pt::after{content:'';position:absolute;inset:7px;border-radius:50%;background:var(--m);border:2px solid #fff}
.pt.peer::after{background:var(--a)}.pt[aria-current]::after{inset:3px;background:var(--gk-error,#b42318)}
.sr{position:absolute;width:1px;height:1px;overflow:hidden;clip-path:inset(50%);white-space:nowrap}
[hidden]{display:none!important}`;

// Creates an element; strings become text nodes, so data can never turn into markup.
function h(tag, attrs, ...kids) {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) if (v != null && v !== false) el.setAttribute(k, v === true ? '' : v);
  el.append(...kids.flat().filter((k) => k != null && k !== false && k !== ''));
  return el;
}

// Only http(s) URLs from data become links; anything else (javascript:, data:) is dropped.
function webUrl(value, base) {
  try {
    const u = new URL(value, base);
    return /^https?:$/.test(u.protocol) ? u : null;
  } catch {
    return null;
  }
}

// Fills {placeholders}; a missing value leaves none rather than "undefined".
const fill = (text = '', vars = {}) => text.replace(/\{(\w+)\}/g, (_, k) => vars[k] ?? '');

// Place-name order, as the API's: "Landeshauptstadt Düsseldorf" under D.
const place = (name) => name.replace(/^(landeshauptstadt|bundesstadt|hansestadt|städteregion|rhein-kreis|stadt|kreis|gemeinde) /i, '');
const byPlace = new Intl.Collator('de');

function svg(tag, attrs, ...kids) {
  const el = document.createElementNS(SVG, tag);
  for (const [k, v] of Object.entries(attrs)) el.setAttribute(k, v);
  el.append(...kids);
  return el;
}

export class GkDirectoryElement extends HTMLElement {
  static observedAttributes = ['api', 'lang', 'q', ...FILTERS, 'near', 'view', 'heading-level'];

  constructor() {
    super();
    const root = this.shadowRoot || this.attachShadow({ mode: 'open' });
    if ('adoptedStyleSheets' in root && window.CSSStyleSheet?.prototype.replaceSync) {
      const sheet = new CSSStyleSheet();
      sheet.replaceSync(CSS);
      root.adoptedStyleSheets = [sheet];
    } else {
      root.append(h('style', {}, CSS));
    }
    this._labels = [];
    const label = (key, control, cls) => {
      const span = h('span', {});
      this._labels.push([span, key]);
      return h('label', { class: cls, part: 'label' }, span, control);
    };
    this._q = h('input', { type: 'search', name: 'q', part: 'search', autocomplete: 'off', spellcheck: 'false', enterkeyhint: 'search' });
    this._sel = {};
    for (const f of FILTERS) this._sel[f] = h('select', { name: f, part: 'filter' }, h('option', { value: '' }));
    this._form = h('form', { role: 'search', part: 'form' }, label('search', this._q, 'q'), FILTERS.map((f) => label(f, this._sel[f])));
    this._retryBtn = h('button', { type: 'button' });
    this._errText = h('p', {});
    this._error = h('div', { class: 'error', role: 'alert', part: 'error', hidden: true }, this._errText, this._retryBtn);
    this._peersTitle = h('h2', {});
    this._closeBtn = h('button', { type: 'button', class: 'alt', part: 'close' });
    this._peerList = h('ul', { class: 'cards' });
    this._peers = h('section', { class: 'peers', part: 'peers', hidden: true },
      h('div', { class: 'bar' }, this._peersTitle, this._closeBtn), this._peerList);
    this._status = h('p', { class: 'status', role: 'status', 'aria-live': 'polite', part: 'status' });
    this._views = h('div', { class: 'views', role: 'group', part: 'views' },
      ['list', 'map'].map((v) => h('button', { type: 'button', class: 'alt', 'data-view': v })));
    this._empty = h('p', { class: 'm' });
    this._clearBtn = h('button', { type: 'button', class: 'alt', part: 'clear' });
    this._emptyBox = h('div', { class: 'error', part: 'empty', hidden: true }, this._empty, this._clearBtn);
    this._svg = svg('svg', { 'aria-hidden': 'true', focusable: 'false' });
    this._pts = h('div', {});
    // Geography does not mirror: the map keeps west on the left in right-to-left languages too.
    this._map = h('div', { class: 'map', part: 'map', dir: 'ltr', hidden: true }, this._svg, this._pts);
    this._list = h('ul', { class: 'cards', part: 'results' });
    this._moreBtn = h('button', { type: 'button', class: 'alt more', part: 'more', hidden: true });
    this._w = h('div', {}, this._form, this._error, this._peers, h('div', { class: 'bar' }, this._status, this._views),
      this._emptyBox, this._map, this._list, this._moreBtn);
    root.append(this._w);
    this._ctl = {}; // an AbortController per kind of request; a newer one cancels the older
    this._data = new WeakMap(); // link/button -> {municipality, office, contact, action}
    this._vocab = {};
    this.relabel();
  }

  // The element's or its nearest ancestor's lang, if the widget speaks it; German otherwise.
  get locale() {
    const tag = (this.closest('[lang]')?.lang || document.documentElement.lang || '').toLowerCase().split('-')[0];
    return LANGS.includes(tag) ? tag : 'de';
  }

  get t() {
    const lang = this.locale;
    if (T[lang]) return T[lang];
    if (!loading[lang]) {
      loading[lang] = fetch(new URL(`widget-i18n/${lang}.json`, HOME), { credentials: 'omit' })
        .then((r) => (r.ok ? r.json() : Promise.reject(r)))
        .then((table) => (T[lang] = table))
        .catch(() => (T[lang] = T.de || {})); // German labels, if there, rather than none
    }
    if (this._waiting !== lang) loading[lang].then(() => this._live !== false && this.relabel());
    this._waiting = lang;
    return T.de || {}; // blank labels for the moment it takes
  }

  tr(key, vars) {
    return fill(this.t[key], vars);
  }

  num(n) {
    return new Intl.NumberFormat(this.locale, { maximumFractionDigits: 0 }).format(n);
  }

  // "2018-10" as people say it: "Oktober 2018".
  date(value) {
    const [y, m, d] = String(value).split('-').map(Number);
    if (!y) return value;
    const opts = { year: 'numeric', month: m ? 'long' : undefined, day: d ? 'numeric' : undefined, timeZone: 'UTC' };
    return new Intl.DateTimeFormat(this.locale, opts).format(Date.UTC(y, (m || 1) - 1, d || 1));
  }

  count(n, q) {
    const t = this.t;
    const cat = new Intl.PluralRules(this.locale).select(n);
    const count = fill(t[`count_${cat}`] || t.count_other, { n: this.num(n) });
    return q ? fill(t.countFor, { count, q }) : count;
  }

  // Heading levels start where the host page says (heading-level="3"), two by default.
  heading(depth, text, attrs = {}) {
    const level = Math.min(6, Math.max(1, Number(this.getAttribute('heading-level')) || 2) + depth);
    return h(`h${level}`, { class: `h${depth}`, ...attrs }, text);
  }

  kind(value) {
    return this.t.kinds?.[value] || value;
  }

  get view() {
    return this.getAttribute('view') === 'map' ? 'map' : 'list';
  }

  get api() {
    return new URL(this.getAttribute('api') || HOME, document.baseURI).href.replace(/\/+$/, '');
  }

  // API links are paths relative to the API base unless they are already absolute.
  resolve(link) {
    return /^https?:\/\//i.test(link) ? link : this.api + link;
  }

  connectedCallback() {
    this._conn = new AbortController();
    this._live = true;
    const on = (el, type, fn) => el.addEventListener(type, fn, { signal: this._conn.signal });
    on(this._q, 'input', () => {
      clearTimeout(this._debounce);
      this._debounce = setTimeout(() => this._set('q', this._q.value), 250);
    });
    on(this._form, 'submit', (e) => {
      e.preventDefault();
      clearTimeout(this._debounce);
      if ((this.getAttribute('q') || '') === this._q.value) this.search();
      else this._set('q', this._q.value);
    });
    for (const f of FILTERS) on(this._sel[f], 'change', () => this._set(f, this._sel[f].value));
    on(this._retryBtn, 'click', () => this._retry?.());
    on(this._closeBtn, 'click', () => {
      this.removeAttribute('near');
      this._q.focus();
    });
    on(this._moreBtn, 'click', () => this.more());
    on(this._clearBtn, 'click', () => {
      for (const k of ['q', ...FILTERS]) this.removeAttribute(k);
      this._q.focus();
    });
    on(this._views, 'click', (e) => {
      const v = e.target.closest('[data-view]')?.dataset.view;
      if (v) this._set('view', v === 'map' && v);
    });
    // Escape from a card opened on the map goes back to its point.
    on(this.shadowRoot, 'keydown', (e) => {
      if (e.key !== 'Escape' || !this._back || this.view !== 'map') return;
      const pt = this._pts.querySelector(`[data-id="${this._back}"]`);
      this._open = null;
      if (pt && this._list.contains(e.target)) pt.focus();
    });
    on(this.shadowRoot, 'click', (e) => this._activate(e));
    this.relabel(); // the language may come from an ancestor's lang, known only now
    this.loadIndex();
    this.search();
    this.peers();
    this.showView();
  }

  disconnectedCallback() {
    this._live = false;
    this._conn?.abort();
    clearTimeout(this._debounce);
    for (const c of Object.values(this._ctl)) c.abort();
  }

  attributeChangedCallback(name, old, value) {
    if (old === value) return;
    if (name === 'q' && this._q.value !== (value || '')) this._q.value = value || '';
    if (FILTERS.includes(name)) this.fill(name);
    if (name === 'lang' || name === 'heading-level') return this.relabel();
    // An upgrade reports the attributes just before connectedCallback, which queries once with all.
    if (!this._live) return;
    if (name === 'view') this.showView();
    if (name === 'near') return this.peers();
    if (name === 'api') {
      this.loadIndex();
      this.peers();
    }
    // Several attributes set in one task cause one request, not several.
    if (!this._queued) {
      this._queued = true;
      queueMicrotask(() => {
        this._queued = false;
        this.search();
      });
    }
  }

  _set(name, value) {
    if (value) this.setAttribute(name, value);
    else this.removeAttribute(name);
  }

  emit(type, detail, cancelable = false) {
    return this.dispatchEvent(new CustomEvent(`${TAG}:${type}`, { bubbles: true, composed: true, cancelable, detail }));
  }

  relabel() {
    const t = this.t;
    this._w.dir = RTL.includes(this.locale) ? 'rtl' : 'ltr';
    for (const [el, key] of this._labels) el.textContent = t[key];
    this._q.placeholder = t.hint ?? '';
    this._retryBtn.textContent = t.retry;
    this._closeBtn.textContent = t.close;
    this._moreBtn.textContent = t.more;
    this._clearBtn.textContent = t.clear;
    this._views.setAttribute('aria-label', t.view ?? '');
    for (const b of this._views.children) b.textContent = t[b.dataset.view];
    for (const f of FILTERS) this.fill(f);
    if (this._page) this.render();
    if (this._near) this.renderPeers();
  }

  fill(name) {
    const sel = this._sel[name];
    const current = this.getAttribute(name) || '';
    const values = [...(this._vocab[name] || [])];
    if (current && !values.includes(current)) values.push(current);
    const text = (v) => (name === 'kind' ? this.kind(v) : v);
    sel.replaceChildren(h('option', { value: '' }, this.t.all), ...values.map((v) => h('option', { value: v }, text(v))));
    sel.value = current;
  }

  async get(key, url) {
    this._ctl[key]?.abort();
    const ctl = (this._ctl[key] = new AbortController());
    let res;
    try {
      // The browser revalidates with the ETags by itself. No credentials: no cookies.
      res = await fetch(url, { signal: ctl.signal, credentials: 'omit', headers: { Accept: 'application/json' } });
    } catch (e) {
      throw ctl.signal.aborted ? e : { url };
    }
    const body = await res.json().catch(() => null);
    if (!res.ok || !body) throw { url, status: res.status, message: body?.error?.message };
    return body;
  }

  fail(err, retry) {
    if (err?.name === 'AbortError') return;
    if (!err?.url) throw err; // a bug in this file, not a network problem: let it surface
    // Only the page's language on the page: the API's own (English) words go to the event.
    const message = err.status ? this.tr('failed', { status: err.status }) : this.t.down;
    this._errText.textContent = message;
    this._error.hidden = false;
    this._retry = () => {
      this._error.hidden = true;
      retry();
    };
    this.emit('error', { message, status: err.status || 0, url: err.url, detail: err.message || null });
  }

  async loadIndex() {
    try {
      const body = await this.get('index', this.api + '/');
      this._vocab = body.filters || {};
      for (const f of FILTERS) this.fill(f);
    } catch (e) {
      // The selects still offer "all" and any preset value, so searching keeps working.
      if (e?.name !== 'AbortError' && !e?.url) throw e;
    }
  }

  query() {
    const p = new URLSearchParams();
    // The API rejects unknown parameters and empty values mean "no filter": send only what is set.
    for (const k of ['q', ...FILTERS]) {
      const v = (this.getAttribute(k) || '').trim();
      if (v) p.set(k, v);
    }
    if (this.view === 'map') p.set('limit', 100); // the map shows every participant the filters leave
    return p;
  }

  async search() {
    const p = this.query();
    const qs = String(p).replace(/\+/g, '%20');
    this._list.setAttribute('aria-busy', 'true');
    try {
      const body = await this.get('list', `${this.api}/municipalities${qs ? '?' + qs : ''}`);
      this._page = { q: p.get('q') || '', items: body.items || [], total: body.total ?? 0, next: this.nextUrl(body, p), p };
      this._error.hidden = true;
      this.render();
      p.delete('limit');
      this.emit('results', { total: this._page.total, items: this._page.items, query: Object.fromEntries(p) });
    } catch (e) {
      if (e?.name === 'AbortError') return;
      this._page = null;
      this._list.replaceChildren();
      this._status.textContent = '';
      this._moreBtn.hidden = true;
      this._emptyBox.hidden = true;
      this._list.removeAttribute('aria-busy');
      this.fail(e, () => this.search());
    }
  }

  nextUrl(body, p) {
    if (body.links?.next) return this.resolve(body.links.next);
    if (!body.next_cursor) return null;
    p.set('cursor', body.next_cursor);
    return `${this.api}/municipalities?${String(p).replace(/\+/g, '%20')}`;
  }

  async more() {
    const page = this._page;
    if (!page?.next) return;
    try {
      const body = await this.get('list', page.next);
      page.items = page.items.concat(body.items || []);
      page.next = this.nextUrl(body, this.query());
      this.render();
    } catch (e) {
      this.fail(e, () => this.more());
    }
  }

  // The card a point opened keeps focus while the list is drawn anew around it.
  focusCard() {
    const id = this._open;
    if (id) (this._list.querySelector(`[data-id="${id}"]`) || this._peerList.querySelector(`[data-id="${id}"]`))?.focus();
  }

  render() {
    const { items, total, q, next, p } = this._page;
    this._list.replaceChildren(...items.map((m) => this.card(m, false)));
    this._list.removeAttribute('aria-busy');
    this._status.textContent = this.count(total, q);
    this._moreBtn.hidden = !next;
    // No hits with filters set: say which, and offer to clear them.
    const active = [...p].filter(([k]) => k !== 'limit').map(([k, v]) => `${this.t[k]}: ${k === 'kind' ? this.kind(v) : v}`);
    this._emptyBox.hidden = total > 0 || !active.length;
    this._empty.textContent = this.tr('empty', { filters: active.join('; ') });
    this.drawMap();
    this.focusCard();
  }

  async peers() {
    const id = (this.getAttribute('near') || '').trim();
    if (!id) {
      this._ctl.peers?.abort();
      this._near = null;
      this._peers.hidden = true;
      this.drawMap();
      return;
    }
    try {
      this._near = await this.get('peers', `${this.api}/municipalities/${encodeURIComponent(id)}/peers?limit=5`);
      this.renderPeers();
      this._open = null;
      if (this._focusPeers) this._peersTitle.focus();
      this._focusPeers = false;
      this.emit('peers', { municipality: this._near.municipality, items: this._near.items });
    } catch (e) {
      this._peers.hidden = true;
      this.fail(e, () => this.peers());
    }
  }

  renderPeers() {
    const title = this.heading(0, this.tr('peersOf', { name: this._near.municipality?.name || '' }), { tabindex: '-1' });
    this._peersTitle.replaceWith(title);
    this._peersTitle = title;
    this._peerList.replaceChildren(...(this._near.items || []).map((m) => this.card(m, true)));
    this._peers.hidden = false;
    if (this._page) this.render(); // marks the selected card
  }

  async showView() {
    const map = this.view === 'map';
    for (const b of this._views.children) b.setAttribute('aria-pressed', String(b.dataset.view === this.view));
    this._map.hidden = !map;
    if (map && !this._geo) {
      try {
        const res = await fetch(new URL('widget-map.json', HOME), { credentials: 'omit' });
        this._geo = await res.json();
      } catch {
        return; // no outline: the list says it all
      }
    }
    this.drawMap();
  }

  // xy of a coordinate in the outline's projection (devtools/nrw_map.py).
  xy(c) {
    const { lon0, lat0, lat1, scale } = this._geo.projection;
    return [(c.lon - lon0) * Math.cos((lat0 * Math.PI) / 180) * scale, (lat1 - c.lat) * scale];
  }

  drawMap() {
    const geo = this._geo;
    if (!geo || this._map.hidden || !this._page) return;
    const [, , w, hgt] = geo.viewBox;
    this._svg.setAttribute('viewBox', geo.viewBox.join(' '));
    const near = this._near;
    const sel = near && (this._page.items.find((m) => m.id === near.municipality?.id) || near.municipality);
    const peers = near?.items || [];
    const lines = [];
    if (sel?.coordinates) {
      const [x1, y1] = this.xy(sel.coordinates);
      for (const m of peers) {
        if (!m.coordinates) continue;
        const [x2, y2] = this.xy(m.coordinates);
        lines.push(svg('line', { class: 'ln', x1, y1, x2, y2 }),
          svg('text', { class: 'lb', x: (x1 + x2) / 2, y: (y1 + y2) / 2 + 2 }, this.tr('km', { km: this.num(m.distance_km) })));
      }
    }
    this._svg.replaceChildren(...geo.kreise.map(([id, d]) => svg('path', { d, class: `k r${id[2]}` })), ...lines);
    // Points: buttons in place-name order, so Tab walks them alphabetically.
    const items = new Map(this._page.items.map((m) => [m.id, m]));
    for (const m of [sel, ...peers]) if (m && !items.has(m.id)) items.set(m.id, m);
    const peerIds = new Set(peers.map((m) => m.id));
    const pts = [...items.values()].filter((m) => m.coordinates)
      .sort((a, b) => byPlace.compare(place(a.name), place(b.name)))
      .map((m) => {
        const [x, y] = this.xy(m.coordinates);
        const km = peerIds.has(m.id) ? peers.find((p) => p.id === m.id).distance_km : null;
        const b = h('button', {
          type: 'button', class: peerIds.has(m.id) ? 'pt peer' : 'pt', part: 'point', 'data-id': m.id,
          style: `left:${((x / w) * 100).toFixed(2)}%;top:${((y / hgt) * 100).toFixed(2)}%`,
          'aria-current': sel?.id === m.id ? 'true' : null,
          'aria-label': km == null ? m.name : `${m.name}, ${this.tr('km', { km: this.num(km) })}`,
        });
        this._data.set(b, { municipality: m, action: 'point' });
        return b;
      });
    const was = this.shadowRoot.activeElement?.dataset.id; // a point keeps focus through a redraw
    this._pts.replaceChildren(...pts);
    if (was) this._pts.querySelector(`[data-id="${was}"]`)?.focus();
  }

  _activate(e) {
    const el = e.target.closest?.('a,button');
    const detail = el && this._data.get(el);
    if (!detail) return;
    // Host pages may cancel the select event to handle the action themselves.
    if (!this.emit('select', detail, true)) return e.preventDefault();
    const id = detail.municipality.id;
    if (detail.action === 'point') {
      // A point opens its card: selected, its peers drawn, its card focused.
      this._back = this._open = id;
      this._set('near', id);
      this.focusCard();
    }
    if (detail.action === 'peers') {
      this._focusPeers = true;
      if (this.getAttribute('near') === id) this.peers();
      else this.setAttribute('near', id);
    }
  }

  card(m, isPeer) {
    const t = this.t;
    const meta = [this.kind(m.kind), `${t.regierungsbezirk} ${m.regierungsbezirk}`];
    if (m.seat && !m.name.includes(m.seat)) meta.push(`${t.seat}: ${m.seat}`);
    if (m.participation?.since) meta.push(this.tr('since', { date: this.date(m.participation.since) }));
    if (typeof m.distance_km === 'number') {
      meta.push(this.tr('km', { km: this.num(m.distance_km) }) + (isPeer && m.same_regierungsbezirk ? ` (${t.same})` : ''));
    }
    const offices = m.offices || [];
    const depth = isPeer ? 1 : 0;
    let peersBtn = null;
    if (!isPeer) {
      peersBtn = h('button', { type: 'button', class: 'alt', part: 'peers-button' }, t.peers, h('span', { class: 'sr' }, `: ${m.name}`));
      this._data.set(peersBtn, { municipality: m, action: 'peers' });
    }
    const ck = this.checked(m.confirmed_at);
    const selected = !isPeer && this._near?.municipality?.id === m.id;
    return h('li', { class: `card${selected ? ' sel' : ''}${ck?.stale ? ' stale' : ''}`, part: ck?.stale ? 'card stale' : 'card', 'data-id': m.id, tabindex: '-1' },
      this.heading(depth, m.name, { part: 'name' }),
      h('p', { class: 'm' }, meta.join(' · ')),
      ck && h('p', { class: 'ck', part: 'checked' }, ck.text),
      offices.length ? offices.map((o) => this.office(m, o, depth + 1)) : h('p', { class: 'm' }, t.noOffice),
      peersBtn && h('div', {}, peersBtn));
  }

  // "Stand: März 2027"; dimmed, with a note, after a year
  checked(iso) {
    const at = new Date(iso || NaN);
    if (isNaN(at)) return null;
    const old = new Date();
    old.setMonth(old.getMonth() - 12);
    const stale = at < old;
    const month = new Intl.DateTimeFormat(this.locale, { month: 'long', year: 'numeric' }).format(at);
    return { stale, text: this.tr('checked', { date: month }) + (stale ? ` – ${this.t.stale}` : '') };
  }

  office(m, o, depth) {
    const a = o.address;
    const where = a && [a.street, [a.postal_code, a.locality].filter(Boolean).join(' ')].filter(Boolean).join(', ');
    return h('section', { class: 'office', part: 'office' },
      this.heading(depth, o.name),
      o.role && h('p', { class: 'm' }, o.role),
      where && h('p', {}, where),
      a?.note && h('p', { class: 'm' }, a.note),
      this.channels({ municipality: m, office: o, contact: null }, o, o.name),
      o.contacts?.length > 0 && h('ul', { class: 'contacts' }, o.contacts.map((c) => this.contact(m, o, c))));
  }

  contact(m, o, c) {
    const t = this.t;
    const name = c.name || [c.title, c.given_name, c.family_name].filter(Boolean).join(' ');
    let langs = c.languages || [];
    try {
      const names = new Intl.DisplayNames([this.locale], { type: 'language' });
      langs = langs.map((l) => names.of(l));
    } catch {
      // an unusual tag: show the tags as they are
    }
    return h('li', { class: 'contact', part: 'contact' },
      h('p', { class: 'who' }, name),
      c.function && h('p', { class: 'm' }, c.function),
      this.channels({ municipality: m, office: o, contact: c }, c, name),
      langs.length > 0 && h('p', { class: 'm' }, `${t.languages}: ${langs.join(', ')}`),
      c.topics?.length > 0 && h('p', { class: 'm' }, `${t.topics}: ${c.topics.join(', ')}`));
  }

  // Phone, fax, e-mail, web, vCard; `who` names the vCard link for screen readers.
  channels(ref, x, who) {
    const t = this.t;
    const items = [];
    const link = (href, action, text, attrs) => {
      const a = h('a', { href, part: 'link', ...attrs }, text);
      this._data.set(a, { ...ref, action });
      return a;
    };
    // Numbers read left to right in every language ("+49 2551 692743", not "692743 2551 49+").
    if (x.phone) items.push([t.tel, link(`tel:${x.phone}`, 'tel', x.phone_display || x.phone, { dir: 'ltr' })]);
    if (x.fax) items.push([t.fax, h('span', { dir: 'ltr' }, x.fax_display || x.fax)]);
    if (x.email) items.push([t.mail, link(`mailto:${x.email}`, 'mailto', x.email)]);
    const web = x.website && webUrl(x.website);
    if (web) items.push([t.web, link(web.href, 'website', web.hostname)]);
    const vcard = x.links?.vcard && webUrl(this.resolve(x.links.vcard));
    if (vcard) {
      items.push([null, link(vcard.href, 'vcard', ['vCard', h('span', { class: 'sr' }, ` ${who}`)], { download: '', part: 'link vcard' })]);
    }
    if (!items.length) return null;
    return h('ul', { class: 'ch' }, items.map(([k, v]) => h('li', {}, k && `${k} `, v)));
  }
}

if (!customElements.get(TAG)) customElements.define(TAG, GkDirectoryElement);
