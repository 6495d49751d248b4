// <gk-directory>: the "Gemeinsam klappt's" directory as one dependency-free custom element.
// Every string from the API reaches the DOM through text nodes (h() below), never as markup.
const TAG = 'gk-directory';
const FILTERS = ['kind', 'regierungsbezirk', 'topic'];
// Without an api attribute the widget talks to the service that served this file.
const HOME = new URL('.', import.meta.url).href;

const KIND_EN = {
  'kreisfreie Stadt': 'independent city', Kreis: 'district', 'StädteRegion': 'city region',
  'kreisangehörige Stadt': 'town in a district', Gemeinde: 'municipality',
};
const T = {
  de: {
    search: 'Suche im Verzeichnis', hint: 'Kommune, Stelle oder Person', kind: 'Art',
    regierungsbezirk: 'Regierungsbezirk', topic: 'Thema', all: 'Alle',
    count: (n, q) => (n === 1 ? '1 Ergebnis' : `${n} Ergebnisse`) + (q ? ` für „${q}“` : ''),
    more: 'Weitere laden', seat: 'Sitz', since: 'dabei seit', noOffice: 'Noch keine Kontaktstelle eingetragen.',
    tel: 'Tel.', fax: 'Fax', mail: 'E-Mail', web: 'Web', languages: 'Sprachen', topics: 'Themen',
    peers: 'Kommunen in der Nähe', peersOf: (n) => `In der Nähe von ${n}`, close: 'Schließen',
    same: 'gleicher Regierungsbezirk', retry: 'Erneut versuchen',
    down: 'Das Verzeichnis ist gerade nicht erreichbar. Bitte versuchen Sie es später erneut.',
    failed: (s) => `Das Verzeichnis hat mit einem Fehler geantwortet (HTTP ${s}).`,
    checked: (d) => `Stand: ${d}`, stale: 'Angaben möglicherweise veraltet',
  },
  en: {
    search: 'Search the directory', hint: 'Municipality, office or person', kind: 'Kind',
    regierungsbezirk: 'Administrative region', topic: 'Topic', all: 'All',
    count: (n, q) => (n === 1 ? '1 result' : `${n} results`) + (q ? ` for “${q}”` : ''),
    more: 'Load more', seat: 'Seat', since: 'taking part since', noOffice: 'No contact office listed yet.',
    tel: 'Phone', fax: 'Fax', mail: 'Email', web: 'Web', languages: 'Languages', topics: 'Topics',
    peers: 'Nearby municipalities', peersOf: (n) => `Near ${n}`, close: 'Close',
    same: 'same region', retry: 'Try again',
    down: 'The directory cannot be reached right now. Please try again later.',
    failed: (s) => `The directory answered with an error (HTTP ${s}).`,
    checked: (d) => `Checked ${d}`, stale: 'Details may be out of date',
  },
};

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
p,h2,h3,h4{margin:0}
.cards{display:grid;gap:1rem}
.card{border:1px solid var(--gk-card-border,#d0d7de);border-radius:var(--r);padding:1rem;background:var(--gk-card-bg,#fff);
 display:grid;gap:.6rem;overflow-wrap:anywhere}
h2{font-size:1.15em}h3{font-size:1.1em}h4{font-size:1em}
.m{color:var(--m);font-size:.9em}
.office{border-top:1px solid var(--gk-card-border,#d0d7de);padding-top:.6rem;display:grid;gap:.35rem}
.contact{padding:.5rem .75rem;border-left:3px solid var(--a);display:grid;gap:.2rem}
.who{font-weight:600}
.ch{display:flex;flex-wrap:wrap;gap:.15rem 1.1rem}
.ch li{padding:.2rem 0}
.status{margin:.25rem 0 .75rem;font-weight:600}
.error{border-left:4px solid var(--gk-error,#b42318);background:var(--gk-error-bg,#fef3f2);padding:.75rem 1rem;
 margin-bottom:.75rem;display:grid;gap:.5rem;justify-items:start}
.peers{margin-bottom:1.25rem;display:grid;gap:.75rem}
.bar{display:flex;flex-wrap:wrap;gap:.5rem;align-items:center;justify-content:space-between}
.more{margin-top:1rem}
.stale{background:var(--gk-stale-bg,#f6f8fa);border-style:dashed;color:var(--m)}
.ck{font-size:.85em;color:var(--m)}
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

export class GkDirectoryElement extends HTMLElement {
  static observedAttributes = ['api', 'lang', 'q', ...FILTERS, 'near'];

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
    this._peersTitle = h('h2', { tabindex: '-1' });
    this._closeBtn = h('button', { type: 'button', class: 'alt', part: 'close' });
    this._peerList = h('ul', { class: 'cards' });
    this._peers = h('section', { class: 'peers', part: 'peers', hidden: true },
      h('div', { class: 'bar' }, this._peersTitle, this._closeBtn), this._peerList);
    this._status = h('p', { class: 'status', role: 'status', 'aria-live': 'polite', part: 'status' });
    this._list = h('ul', { class: 'cards', part: 'results' });
    this._moreBtn = h('button', { type: 'button', class: 'alt more', part: 'more', hidden: true });
    root.append(this._form, this._error, this._peers, this._status, this._list, this._moreBtn);
    this._ctl = {}; // one AbortController per kind of request; a newer request cancels the older one
    this._data = new WeakMap(); // link/button -> {municipality, office, contact, action}
    this._vocab = {};
    this.relabel();
  }

  // English when the element or its nearest ancestor with a lang says so; German otherwise.
  get locale() {
    return /^en\b/i.test(this.closest('[lang]')?.lang || document.documentElement.lang) ? 'en' : 'de';
  }

  get t() {
    return T[this.locale];
  }

  kind(value) {
    return (this.locale === 'en' && KIND_EN[value]) || value;
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
    on(this.shadowRoot, 'click', (e) => this._activate(e));
    this.relabel(); // the language may come from an ancestor's lang, known only now
    this.loadIndex();
    this.search();
    this.peers();
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
    if (name === 'lang') return this.relabel();
    // Not isConnected: an upgrade reports the attributes while already in the document, just before
    // connectedCallback, which queries once with all of them.
    if (!this._live) return;
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
    for (const [el, key] of this._labels) el.textContent = t[key];
    this._q.placeholder = t.hint;
    this._retryBtn.textContent = t.retry;
    this._closeBtn.textContent = t.close;
    this._moreBtn.textContent = t.more;
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
      // Default cache mode: the browser revalidates with the API's ETags by itself. No credentials: no cookies.
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
    const t = this.t;
    const message = err.status ? t.failed(err.status) : t.down;
    this._errText.textContent = err.message ? `${message} ${err.message}` : message;
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
    return p;
  }

  async search() {
    const p = this.query();
    const qs = String(p).replace(/\+/g, '%20');
    this._list.setAttribute('aria-busy', 'true');
    try {
      const body = await this.get('list', `${this.api}/municipalities${qs ? '?' + qs : ''}`);
      this._page = { q: p.get('q') || '', items: body.items || [], total: body.total ?? 0, next: this.nextUrl(body, p) };
      this._error.hidden = true;
      this.render();
      this.emit('results', { total: this._page.total, items: this._page.items, query: Object.fromEntries(p) });
    } catch (e) {
      if (e?.name === 'AbortError') return;
      this._page = null;
      this._list.replaceChildren();
      this._status.textContent = '';
      this._moreBtn.hidden = true;
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

  render() {
    const { items, total, q, next } = this._page;
    this._list.replaceChildren(...items.map((m) => this.card(m, false)));
    this._list.removeAttribute('aria-busy');
    this._status.textContent = this.t.count(total, q);
    this._moreBtn.hidden = !next;
  }

  async peers() {
    const id = (this.getAttribute('near') || '').trim();
    if (!id) {
      this._ctl.peers?.abort();
      this._near = null;
      this._peers.hidden = true;
      return;
    }
    try {
      this._near = await this.get('peers', `${this.api}/municipalities/${encodeURIComponent(id)}/peers?limit=5`);
      this.renderPeers();
      if (this._focusPeers) this._peersTitle.focus();
      this._focusPeers = false;
      this.emit('peers', { municipality: this._near.municipality, items: this._near.items });
    } catch (e) {
      this._peers.hidden = true;
      this.fail(e, () => this.peers());
    }
  }

  renderPeers() {
    this._peersTitle.textContent = this.t.peersOf(this._near.municipality?.name || '');
    this._peerList.replaceChildren(...(this._near.items || []).map((m) => this.card(m, true)));
    this._peers.hidden = false;
  }

  _activate(e) {
    const el = e.target.closest?.('a,button');
    const detail = el && this._data.get(el);
    if (!detail) return;
    // Host pages may cancel the select event to handle the action themselves.
    if (!this.emit('select', detail, true)) return e.preventDefault();
    if (detail.action === 'peers') {
      this._focusPeers = true;
      if (this.getAttribute('near') === detail.municipality.id) this.peers();
      else this.setAttribute('near', detail.municipality.id);
    }
  }

  card(m, isPeer) {
    const t = this.t;
    const meta = [this.kind(m.kind), `${t.regierungsbezirk} ${m.regierungsbezirk}`];
    if (m.seat && !m.name.includes(m.seat)) meta.push(`${t.seat}: ${m.seat}`);
    if (m.participation?.since) meta.push(`${t.since} ${m.participation.since}`);
    if (typeof m.distance_km === 'number') {
      const km = new Intl.NumberFormat(this.locale, { maximumFractionDigits: 0 }).format(m.distance_km);
      meta.push(`${km} km` + (isPeer && m.same_regierungsbezirk ? ` (${t.same})` : ''));
    }
    const offices = m.offices || [];
    let peersBtn = null;
    if (!isPeer) {
      peersBtn = h('button', { type: 'button', class: 'alt', part: 'peers-button' }, t.peers, h('span', { class: 'sr' }, `: ${m.name}`));
      this._data.set(peersBtn, { municipality: m, action: 'peers' });
    }
    const ck = this.checked(m.confirmed_at);
    const cls = ck?.stale ? 'card stale' : 'card';
    return h('li', { class: cls, part: cls },
      h('h3', { part: 'name' }, m.name),
      h('p', { class: 'm' }, meta.join(' · ')),
      ck && h('p', { class: 'ck', part: 'checked' }, ck.text),
      offices.length ? offices.map((o) => this.office(m, o)) : h('p', { class: 'm' }, t.noOffice),
      peersBtn && h('div', {}, peersBtn));
  }

  // "Stand: März 2027"; dimmed, with a note, after a year
  checked(iso) {
    const at = new Date(iso || NaN);
    if (isNaN(at)) return null;
    const t = { ...T.en, ...this.t };
    const old = new Date();
    old.setMonth(old.getMonth() - 12);
    const stale = at < old;
    const month = new Intl.DateTimeFormat(this.locale, { month: 'long', year: 'numeric' }).format(at);
    return { stale, text: t.checked(month) + (stale ? ` – ${t.stale}` : '') };
  }

  office(m, o) {
    const a = o.address;
    const place = a && [a.street, [a.postal_code, a.locality].filter(Boolean).join(' ')].filter(Boolean).join(', ');
    return h('section', { class: 'office', part: 'office' },
      h('h4', {}, o.name),
      o.role && h('p', { class: 'm' }, o.role),
      place && h('p', {}, place),
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

  // Phone, fax, e-mail, website and vCard of an office or a contact; `who` names the vCard link for screen readers.
  channels(ref, x, who) {
    const t = this.t;
    const items = [];
    const link = (href, action, text, attrs) => {
      const a = h('a', { href, part: 'link', ...attrs }, text);
      this._data.set(a, { ...ref, action });
      return a;
    };
    if (x.phone) items.push([t.tel, link(`tel:${x.phone}`, 'tel', x.phone_display || x.phone)]);
    if (x.fax) items.push([t.fax, x.fax_display || x.fax]);
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
