// The editing page for coordinating offices: one dependency-free module, no build step.
// The token comes from the URL fragment (never sent to a server) or is pasted, and is kept in
// sessionStorage only. Every string from the API reaches the DOM as text (h() below), never as markup.

const BASE = new URL('.', import.meta.url).href; // the API: this file is served by it
const KEY = 'gk-edit-token';
const LANG_KEY = 'gk-edit-lang';
const TOKEN = /^gk_[A-Za-z0-9_-]{43}$/;
const TOKEN_LENGTH = 46; // "gk_" and 43 characters, as TOKEN says

// First of all, before any request: the token leaves the address bar (and so every later URL).
const linkToken = takeFragmentToken();

function takeFragmentToken() {
  const fragment = new URLSearchParams(location.hash.slice(1));
  if (!fragment.has('token')) return null;
  history.replaceState(history.state, '', location.pathname + location.search);
  return fragment.get('token').trim();
}

// The page's own words: one table per language in edit-i18n/<lang>.json (served by the API, so
// 'self' under the CSP), fetched before the first render so the page never shows another language
// first. Plain strings with {placeholders} (see fill()); plural forms as key_<category> by
// Intl.PluralRules; a test checks that every table has every key and the same placeholders.
const LANGS = ['de', 'en', 'ar', 'fa', 'uk', 'tr'];
// Each language named in its own language, for the switch: readers find their own.
const NAMES = { de: 'Deutsch', en: 'English', ar: 'العربية', fa: 'فارسی', uk: 'Українська', tr: 'Türkçe' };
const RTL = ['ar', 'fa'];
const T = {}; // lang -> its table, once fetched

const CONTACT_FIELDS = [
  { key: 'title' }, { key: 'given_name', required: true }, { key: 'family_name', required: true },
  { key: 'function' }, { key: 'phone', type: 'tel', hint: 'phone' }, { key: 'fax', type: 'tel', hint: 'phone' },
  { key: 'email', type: 'email' }, { key: 'languages', list: true, hint: 'languages', ltr: true },
  { key: 'topics', list: true, hint: 'topics' }, { key: 'public', type: 'checkbox', hint: 'public' },
];
const OFFICE_FIELDS = [
  { key: 'name', required: true }, { key: 'role', hint: 'role' },
  { key: 'address.street' }, { key: 'address.postal_code', mode: 'numeric', ltr: true }, { key: 'address.locality' },
  { key: 'address.region', fallback: 'Nordrhein-Westfalen' }, { key: 'address.country', fallback: 'DE', hint: 'country', ltr: true },
  { key: 'address.note', type: 'textarea' },
  { key: 'phone', type: 'tel', hint: 'phone' }, { key: 'fax', type: 'tel', hint: 'phone' },
  { key: 'email', type: 'email' }, { key: 'website', type: 'url', hint: 'website' },
];
const ADDRESS_CONTENT = ['street', 'postal_code', 'locality', 'note'];

// ---- small helpers ---------------------------------------------------------------------------

let lang = initialLang();
const t = () => T[lang];

// The language chosen by the switch in this tab, else the first of the browser's preferences the
// page speaks ("fa-IR" is fa), else German.
function initialLang() {
  const chosen = sessionStorage.getItem(LANG_KEY);
  if (LANGS.includes(chosen)) return chosen;
  for (const l of navigator.languages || [navigator.language || '']) {
    const tag = String(l).toLowerCase().split('-')[0];
    if (LANGS.includes(tag)) return tag;
  }
  return 'de';
}

// <html lang dir> first, so the layout (logical CSS properties) mirrors for ar and fa.
function setDocumentLanguage() {
  document.documentElement.lang = lang;
  document.documentElement.dir = RTL.includes(lang) ? 'rtl' : 'ltr';
}

// The table of one language, fetched once; a failure leaves it to the caller.
async function loadTable(l) {
  if (T[l]) return T[l];
  const res = await fetch(`${BASE}edit-i18n/${l}.json`, { credentials: 'omit', headers: { Accept: 'application/json' } });
  if (!res.ok) throw new Error(`HTTP ${res.status}`);
  T[l] = await res.json();
  return T[l];
}

// Fills {placeholders}. In a right-to-left language each value is isolated (FSI … PDI), so a
// German name, a number or a label with punctuation keeps its own direction inside the sentence.
function fill(text, vars = {}) {
  const [open, close] = RTL.includes(lang) ? ['\u2068', '\u2069'] : ['', ''];
  return String(text ?? '').replace(/\{(\w+)\}/g, (_, k) => (vars[k] == null ? '' : open + vars[k] + close));
}

const say = (key, vars) => fill(t()[key], vars);
// A sentence with a count: the plural form the language has for n (Arabic has six, German two).
const sayCount = (key, n) => fill(t()[`${key}_${new Intl.PluralRules(lang).select(n)}`] ?? t()[`${key}_other`],
  { n: num(n) });
const num = (n) => new Intl.NumberFormat(lang).format(n);
const badToken = () => say('badToken', { length: num(TOKEN_LENGTH) });
const list = (items) => new Intl.ListFormat(lang, { type: 'conjunction' }).format(items);

// Creates an element: strings become text nodes; `on…` attributes given functions become listeners.
function h(tag, attrs, ...kids) {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (typeof v === 'function') el.addEventListener(k.slice(2), v);
    else if (v != null && v !== false) el.setAttribute(k, v === true ? '' : v);
  }
  el.append(...kids.flat(Infinity).filter((k) => k != null && k !== false && k !== ''));
  return el;
}

let serial = 0;
const nextId = (prefix) => `${prefix}${++serial}`;
const enc = encodeURIComponent;
const when = (iso) => {
  try {
    return new Intl.DateTimeFormat(lang, { dateStyle: 'medium', timeStyle: 'short' }).format(new Date(iso));
  } catch {
    return iso;
  }
};
const fullName = (c) => [c.title, c.given_name, c.family_name].filter(Boolean).join(' ');

function announce(text) {
  const status = document.getElementById('status');
  status.textContent = '';
  setTimeout(() => { status.textContent = text; }, 50); // a changed text is announced even when repeated
}

function focus(el) {
  if (!el) return;
  if (!el.matches('a,button,input,select,textarea,[tabindex]')) el.setAttribute('tabindex', '-1');
  el.focus();
}

// ---- the API ---------------------------------------------------------------------------------

class ApiError extends Error {
  constructor(status, error) {
    super(error?.message || `HTTP ${status}`);
    this.status = status;
    this.code = error?.code || '';
    this.details = error?.details || {};
  }
}

let token = null;

// Authenticated calls never touch the HTTP cache; the token travels in a header, never in a URL.
async function call(method, path, { body, etag } = {}) {
  const headers = { Accept: 'application/json', Authorization: `Bearer ${token}` };
  if (etag) headers['If-Match'] = etag;
  if (body !== undefined) headers['Content-Type'] = method === 'PATCH' ? 'application/merge-patch+json' : 'application/json';
  let res;
  try {
    res = await fetch(BASE + path, {
      method, headers, body: body === undefined ? undefined : JSON.stringify(body),
      cache: 'no-store', credentials: 'omit', referrerPolicy: 'no-referrer',
    });
  } catch {
    throw new ApiError(0);
  }
  const data = res.status === 204 ? null : await res.json().catch(() => null);
  if (!res.ok) throw new ApiError(res.status, data?.error);
  return { data, revision: Number(res.headers.get('X-Directory-Revision')) || 0 };
}

// What went wrong, in a sentence the user can act on.
function explain(e) {
  const tt = t();
  if (!(e instanceof ApiError)) throw e; // a bug in this file: let it surface
  if (e.status === 0) return tt.offline;
  if (e.status === 401) return tt.expired;
  if (e.status === 403) return tt.forbidden;
  if (e.status === 404) return tt.gone;
  if ([409, 429, 503].includes(e.status)) return tt.busy;
  return `${say('failed', { status: e.status })} ${e.message}`;
}

// ---- forms -----------------------------------------------------------------------------------

const valueAt = (entry, key) => key.split('.').reduce((o, k) => o?.[k], entry);

function toForm(entry, fields) {
  const values = {};
  for (const f of fields) {
    const raw = valueAt(entry, f.key);
    if (f.type === 'checkbox') values[f.key] = raw === true;
    else if (Array.isArray(raw)) values[f.key] = raw.join(', ');
    else values[f.key] = raw == null ? (f.fallback && !valueAt(entry, 'address') ? f.fallback : '') : String(raw);
  }
  return values;
}

// The form as a JSON merge patch: every field it shows, null where it is empty.
function fromForm(values, fields) {
  const body = {};
  for (const f of fields) {
    let value = values[f.key];
    if (f.type === 'checkbox') value = Boolean(value);
    else if (f.list) value = value.split(',').map((s) => s.trim()).filter(Boolean);
    else value = value.trim() || null;
    const [head, tail] = f.key.split('.');
    if (tail) (body[head] ||= {})[tail] = value;
    else body[head] = value;
  }
  if (body.address && ADDRESS_CONTENT.every((k) => body.address[k] == null)) body.address = null;
  return body;
}

// A PATCH: only the fields the person changed since `base` (what the form was loaded from), so a
// field someone else changed meanwhile is never written back. An address's parts travel one by
// one, except a new address (or an emptied one), which is sent whole.
function patchOf(values, base, fields, entry) {
  const full = fromForm(values, fields);
  const body = {};
  for (const f of fields) {
    if (same(values[f.key], base[f.key])) continue;
    const [head, tail] = f.key.split('.');
    if (!tail) body[head] = full[head];
    else if (full[head] === null || valueAt(entry, head) == null) body[head] = full[head];
    else (body[head] ||= {})[tail] = full[head][tail];
  }
  return body;
}

// A new entry is sent without its empty fields, so the API's defaults apply.
function compact(value) {
  if (Array.isArray(value) || value === null || typeof value !== 'object') return value;
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v != null).map(([k, v]) => [k, compact(v)]));
}

const same = (a, b) => JSON.stringify(a) === JSON.stringify(b);

// The field a 422 pointer ("/address/postal_code", "/languages/2") belongs to, if the form has it.
function fieldOf(pointer, fields) {
  const parts = pointer.split('/').slice(1).map((p) => p.replace(/~1/g, '/').replace(/~0/g, '~'));
  for (let n = parts.length; n > 0; n--) {
    const key = parts.slice(0, n).join('.');
    if (fields.some((f) => f.key === key)) return key;
  }
  return null;
}

function friendly(error, key) {
  const e = t().err;
  const name = (key || '').split('.').pop();
  if (error.type === 'missing' || error.type === 'string_too_short') return e.required;
  if (/too_long/.test(error.type)) return e.long;
  return { phone: e.phone, fax: e.phone, email: e.email, website: e.url, postal_code: e.postal,
    country: e.country, languages: e.language }[name] || e.invalid;
}

// The API's own message, without pydantic's prefix; always shown, marked as English.
const apiText = (error) => String(error.message || '').replace(/^Value error, /, '');

// ---- the confirmation dialog -----------------------------------------------------------------

function confirmDialog({ title, text, confirm, danger = false }) {
  return new Promise((resolve) => {
    const tt = t();
    const titleId = nextId('dlg-t');
    const textId = nextId('dlg-d');
    const cancel = h('button', { type: 'button', class: 'alt', onclick: () => dialog.close('cancel') }, tt.cancel);
    const dialog = h('dialog', { 'aria-labelledby': titleId, 'aria-describedby': textId },
      h('h2', { id: titleId }, title), h('p', { id: textId }, text),
      h('div', { class: 'actions' },
        h('button', { type: 'button', class: danger ? 'danger' : '', onclick: () => dialog.close('ok') }, confirm),
        cancel));
    const before = document.activeElement;
    dialog.addEventListener('close', () => {
      dialog.remove();
      resolve(dialog.returnValue === 'ok');
      if (before?.isConnected) before.focus();
    });
    document.body.append(dialog);
    dialog.showModal();
    cancel.focus(); // the safe choice has the focus; Escape cancels too
  });
}

// ---- entries: an office or a contact, shown or edited ------------------------------------------

const live = new Set(); // every entry on the page, to find unsaved input

class Entry {
  constructor(kind, entry, office = null) {
    this.kind = kind;
    this.entry = entry; // the editable representation, with its etag; null for a new one
    this.office = office;
    this.mode = entry ? 'view' : 'new';
    this.uid = nextId(kind[0]);
    this.el = h(kind === 'contact' ? 'li' : 'div', { class: kind === 'contact' ? 'contact' : 'office-main' });
    this.errors = [];
    live.add(this);
  }

  get fields() { return this.kind === 'contact' ? CONTACT_FIELDS : OFFICE_FIELDS; }
  get name() { return this.kind === 'contact' ? fullName(this.entry || {}) : this.entry?.name || ''; }
  get vcardUrl() { return this.entry && `${BASE}${this.kind}s/${enc(this.entry.id)}/vcard`; }
  fid(key) { return `${this.uid}-${key.replace('.', '-')}`; }

  capture() {
    if (this.form?.isConnected) {
      for (const f of this.fields) {
        const el = this.form.elements.namedItem(f.key);
        this.draft[f.key] = f.type === 'checkbox' ? el.checked : el.value;
      }
    }
    return this.draft;
  }

  dirty() { return this.mode !== 'view' && !same(this.capture(), this.base); }

  // The form, filled from the entry (or empty for a new one); render() shows it.
  prepare() {
    this.base = toForm(this.entry || {}, this.fields);
    this.draft = { ...this.base };
    this.mode = this.entry ? 'edit' : 'new';
    this.errors = [];
    this.conflict = null;
    this.note = this.alert = null;
  }

  open() {
    this.prepare();
    this.render();
    this.form.elements[0].focus();
  }

  close(note) {
    this.mode = 'view';
    this.form = this.draft = this.conflict = null;
    this.note = note || null;
    this.render();
  }

  render() {
    if (this.mode === 'view') return this.el.replaceChildren(...this.view().filter(Boolean));
    this.capture(); // a re-rendered form keeps what was typed into it
    this.el.replaceChildren(this.editor());
  }

  heading(text) {
    const level = this.kind === 'contact' ? 'h4' : 'h2';
    this.headingEl = h(level, { id: `${this.uid}-h`, tabindex: '-1' }, text);
    return this.headingEl;
  }

  noteEl() {
    if (!this.note) return null;
    this.noteNode = h('p', { class: `note${this.note.warn ? ' warn' : ''}`, tabindex: '-1' }, this.note.text);
    return this.noteNode;
  }

  // [label, value, ltr]: numbers, addresses of mail and web read left to right in every language.
  facts(pairs) {
    const shown = pairs.filter(([, v]) => v);
    return shown.length ? h('dl', { class: 'facts' }, shown.map(([k, v, ltr]) => [h('dt', {}, k),
      h('dd', {}, ltr ? h('span', { dir: 'ltr' }, v) : v)])) : null;
  }

  changed() {
    const e = this.entry;
    return e.updated_at ? h('p', { class: 'm' }, say(e.updated_by ? 'changedBy' : 'changed', { at: when(e.updated_at), by: e.updated_by })) : null;
  }

  // ---- the form
  editor() {
    const tt = t();
    const titleText = this.mode === 'new' ? (this.kind === 'contact' ? tt.newContact : tt.newOffice) : this.name;
    const byKey = {};
    for (const e of this.errors) (byKey[e.key] ||= []).push(e);
    const field = (f) => this.field(f, byKey[f.key] || []);
    const address = this.fields.filter((f) => f.key.startsWith('address.'));
    const body = this.kind === 'contact'
      ? [h('div', { class: 'grid' }, this.fields.filter((f) => f.type !== 'checkbox').map(field)),
        field(this.fields.find((f) => f.key === 'public'))]
      : [field(this.fields[0]), field(this.fields[1]),
        h('fieldset', {}, h('legend', {}, tt.address), h('div', { class: 'grid' }, address.map(field))),
        h('div', { class: 'grid' }, this.fields.slice(2 + address.length).map(field))];
    this.alertEl = h('div', { class: 'alert', role: 'alert', tabindex: '-1' }, this.alert || null);
    this.form = h('form', { class: 'entry', novalidate: true, 'aria-labelledby': `${this.uid}-h`,
      onsubmit: (ev) => { ev.preventDefault(); this.save(); } },
    this.heading(titleText), this.alertEl, this.conflictEl(), body,
    h('div', { class: 'actions' },
      h('button', { type: 'submit', disabled: this.busy }, tt.save),
      h('button', { type: 'button', class: 'alt', onclick: () => this.cancel() }, tt.cancel),
      this.gone && this.kind === 'contact'
        ? h('button', { type: 'button', class: 'alt', onclick: () => this.recreate() }, tt.recreate) : null));
    return this.form;
  }

  field(f, errors) {
    const tt = t();
    const id = this.fid(f.key);
    const hintId = f.hint ? `${id}-hint` : null;
    const errId = errors.length ? `${id}-err` : null;
    const describedBy = [errId, hintId].filter(Boolean).join(' ') || null;
    const value = this.draft[f.key];
    const attrs = { id, name: f.key, 'aria-describedby': describedBy, 'aria-invalid': errors.length ? 'true' : null };
    const label = h('label', { for: id }, tt.f[f.key], f.required ? h('span', { class: 'req' }, ` (${tt.required})`) : null);
    const hint = f.hint && h('p', { class: 'hint', id: hintId }, tt.hint[f.hint]);
    const error = errors.length > 0 && h('p', { class: 'error', id: errId },
      errors.map((e) => [friendly(e, f.key), ' ', h('span', { class: 'api', lang: 'en' }, apiText(e))]));
    if (f.type === 'checkbox') {
      const box = h('input', { ...attrs, type: 'checkbox', checked: value });
      return h('div', { class: 'field' }, h('div', { class: 'check' }, box, label), hint, error);
    }
    const control = f.type === 'textarea'
      ? h('textarea', { ...attrs, rows: '3', dir: 'auto' })
      : h('input', { ...attrs, type: f.type || 'text', required: f.required, inputmode: f.mode,
        dir: f.type || f.ltr ? 'ltr' : 'auto',
        autocomplete: 'off', // the people entered here are not the person at the keyboard
        spellcheck: f.type ? 'false' : null });
    control.value = value;
    return h('div', { class: 'field' }, label, hint, error, control);
  }

  // A three-way merge after a 412: base (what the form was loaded from), mine (the form), theirs
  // (stored now). What only they changed is in the form already; what only I changed stays; what
  // we both changed, differently, is listed here for the person to decide field by field.
  merge(current, etag, mine) {
    const theirs = toForm(current, this.fields);
    const draft = {};
    const conflicts = [];
    const kept = [];
    for (const { key } of this.fields) {
      const iChanged = !same(mine[key], this.base[key]);
      const theyChanged = !same(theirs[key], this.base[key]);
      if (iChanged && theyChanged && !same(mine[key], theirs[key])) conflicts.push(key);
      else if (!iChanged && theyChanged) kept.push(key);
      draft[key] = iChanged ? mine[key] : theirs[key];
    }
    this.entry = { ...current, etag };
    this.base = theirs; // the next save sends what differs from the stored version, with its ETag
    this.draft = draft;
    this.fill(draft);
    this.conflict = { by: current.updated_by, conflicts, kept, mine: { ...mine }, theirs, pick: {} };
  }

  // Puts values into the form's controls (render() re-reads the form before it redraws).
  fill(values) {
    if (!this.form?.isConnected) return;
    for (const f of this.fields) {
      const el = this.form.elements.namedItem(f.key);
      if (f.type === 'checkbox') el.checked = Boolean(values[f.key]);
      else el.value = values[f.key];
    }
  }

  pick(key, side) {
    const c = this.conflict;
    c.pick[key] = side;
    this.capture();
    this.draft[key] = side === 'mine' ? c.mine[key] : c.theirs[key];
    this.fill(this.draft);
  }

  conflictEl() {
    const c = this.conflict;
    if (!c) return null;
    const tt = t();
    const show = (f, v) => (f.type === 'checkbox' ? (v ? tt.yes : tt.no) : v || tt.empty);
    const choices = c.conflicts.map((key) => {
      const f = this.fields.find((x) => x.key === key);
      const name = `${this.uid}-pick-${key}`;
      const option = (side, label, value) => h('label', { class: 'pick' },
        h('input', { type: 'radio', name, value: side, checked: c.pick[key] === side,
          onchange: () => this.pick(key, side) }),
        `${label}: `, h('span', { class: 'value' }, show(f, value)));
      return h('fieldset', { class: 'choice' }, h('legend', {}, tt.f[key]),
        option('mine', tt.mine, c.mine[key]), option('theirs', tt.theirs, c.theirs[key]));
    });
    const titleId = `${this.uid}-c`;
    this.conflictTitle = h('h5', { id: titleId, tabindex: '-1' }, tt.conflict);
    return h('section', { class: 'conflict', 'aria-labelledby': titleId },
      this.conflictTitle,
      h('p', {}, say(c.by ? 'conflictTextBy' : 'conflictText', { by: c.by })),
      c.kept.length ? h('p', {}, say('conflictKept', { fields: list(c.kept.map((k) => tt.f[k])) })) : null,
      choices.length ? [h('p', {}, tt.conflictPick), ...choices] : h('p', {}, tt.conflictNone),
      h('div', { class: 'actions' },
        h('button', { type: 'button', onclick: () => this.save() }, tt.keepMine),
        h('button', { type: 'button', class: 'alt', onclick: () => this.takeTheirs() }, tt.takeTheirs)));
  }

  cancel() {
    if (this.mode === 'new') return this.office ? this.office.dropNew(this) : workspace.dropNew(this);
    this.close();
    this.editButton?.focus();
  }

  takeTheirs() {
    this.close({ text: t().tookTheirs });
    announce(t().tookTheirs);
    focus(this.headingEl);
  }

  recreate() {
    this.capture();
    this.mode = 'new';
    this.entry = null;
    this.gone = false;
    this.save();
  }

  // ---- saving
  async save() {
    const tt = t();
    const values = { ...this.capture() };
    const undecided = this.conflict?.conflicts.find((key) => !this.conflict.pick[key]);
    if (undecided) {
      this.alert = tt.undecided;
      this.render();
      return focus(this.form.querySelector(`input[name="${this.uid}-pick-${undecided}"]`));
    }
    if (this.mode === 'edit' && same(values, this.base)) {
      this.close({ text: tt.unchanged });
      return focus(this.headingEl);
    }
    const creating = this.mode === 'new';
    let body = fromForm(values, this.fields);
    this.busy = true;
    this.form.querySelectorAll('button').forEach((b) => { b.disabled = true; });
    try {
      let written;
      if (creating) {
        body = compact(body);
        const path = this.kind === 'contact'
          ? `offices/${enc(this.office.entry.id)}/contacts` : `municipalities/${enc(workspace.municipality.id)}/offices`;
        // '*': a new entry conflicts with nothing; the parent only has to exist.
        written = await call('POST', path, { body, etag: '*' });
      } else {
        body = patchOf(values, this.base, this.fields, this.entry);
        written = await call('PATCH', `${this.kind}s/${enc(this.entry.id)}`, { body, etag: this.entry.etag });
      }
      this.busy = false;
      this.entry = written.data;
      this.gone = false;
      const said = creating ? say('created', { name: this.name }) : tt.saved;
      this.close({ text: said });
      announce(said);
      if (creating) (this.office || workspace).adopt(this);
      focus(this.headingEl);
      workspace.refreshPublic(written.revision, [this.vcardUrl]);
    } catch (e) {
      this.busy = false;
      this.failed(e, values);
    }
  }

  failed(e, values) {
    if (!(e instanceof ApiError)) throw e;
    this.draft = values;
    this.errors = [];
    this.conflict = null;
    this.alert = null;
    if (e.status === 412 && e.details.current) {
      this.merge(e.details.current, e.details.etag, values);
    } else if (e.status === 422 && Array.isArray(e.details.errors)) {
      const loose = [];
      for (const err of e.details.errors) {
        const key = fieldOf(String(err.pointer || ''), this.fields);
        if (key) this.errors.push({ ...err, key });
        else loose.push(apiText(err));
      }
      this.alert = [sayCount('fix', e.details.errors.length), ...loose.map((m) => h('span', { lang: 'en' }, m))];
    } else {
      this.gone = e.status === 404 && this.mode === 'edit';
      this.alert = explain(e);
    }
    this.render();
    if (this.conflict) return focus(this.conflictTitle);
    const invalid = this.form.querySelector('[aria-invalid="true"]');
    focus(invalid || this.alertEl);
  }
}

class Contact extends Entry {
  constructor(entry, office) { super('contact', entry, office); }

  view() {
    const tt = t();
    const c = this.entry;
    const pub = c.public === true;
    const sr = (text) => [text, h('span', { class: 'sr' }, ` ${this.name}`)];
    this.editButton = h('button', { type: 'button', class: 'alt', onclick: () => this.open() }, sr(tt.edit));
    this.deleteButton = h('button', { type: 'button', class: 'danger alt', onclick: () => this.remove() }, sr(tt.del));
    return [
      h('div', { class: 'head' }, this.heading(this.name), h('span', { class: `badge ${pub ? 'on' : 'off'}` }, pub ? tt.on : tt.off)),
      this.noteEl(),
      c.function && h('p', {}, c.function),
      this.facts([[tt.f.phone, c.phone_display || c.phone, true], [tt.f.fax, c.fax_display || c.fax, true],
        [tt.f.email, c.email, true],
        [tt.f.languages, (c.languages || []).join(', '), true], [tt.f.topics, (c.topics || []).join(', ')]]),
      this.changed(),
      h('div', { class: 'actions' }, this.editButton, this.deleteButton,
        pub ? h('a', { class: 'button alt', href: this.vcardUrl, download: '' }, sr(tt.vcard))
          : h('span', { class: 'm' }, tt.noVcard)),
    ];
  }

  async remove() {
    const tt = t();
    const name = this.name;
    const ok = await confirmDialog({ title: tt.delTitle, text: say('delText', { name }), confirm: tt.delConfirm, danger: true });
    if (!ok) return;
    try {
      const done = await call('DELETE', `contacts/${enc(this.entry.id)}`, { etag: this.entry.etag });
      this.office.dropContact(this, say('deleted', { name }));
      workspace.refreshPublic(done.revision, [this.vcardUrl]);
    } catch (e) {
      if (!(e instanceof ApiError)) throw e;
      if (e.status === 404) return this.office.dropContact(this, say('deleted', { name }));
      if (e.status === 412 && e.details.current) this.entry = e.details.current;
      this.note = { text: e.status === 412 ? tt.delConflict : explain(e), warn: true };
      this.render();
      focus(this.noteNode);
    }
  }
}

class Office extends Entry {
  constructor(entry) {
    super('office', entry);
    this.contacts = (entry?.contacts || []).map((c) => new Contact(c, this));
    this.article = h('article', { class: 'card office' }, this.el);
  }

  view() {
    const tt = t();
    const o = this.entry;
    const a = o.address || {};
    const place = [a.street, [a.postal_code, a.locality].filter(Boolean).join(' '), a.note].filter(Boolean).join(', ');
    // aria-label: the visible words first, then which office (a hidden span would read as a separate phrase).
    this.editButton = h('button', { type: 'button', class: 'alt', 'aria-label': `${tt.editOffice}: ${o.name}`,
      onclick: () => this.open() }, tt.editOffice);
    return [
      this.heading(o.name), this.noteEl(),
      this.facts([[tt.f.role, o.role], [tt.address, place], [tt.f.phone, o.phone_display || o.phone, true],
        [tt.f.fax, o.fax_display || o.fax, true], [tt.f.email, o.email, true], [tt.f.website, o.website, true]]),
      this.changed(),
      h('div', { class: 'actions' }, this.editButton,
        h('a', { class: 'button alt', href: this.vcardUrl, download: '', 'aria-label': `${tt.officeVcard}: ${o.name}` },
          tt.officeVcard)),
    ];
  }

  // The office part and its contact persons; `deep` re-renders the persons too (a new language).
  renderAll(deep = false) {
    this.render();
    if (!this.entry) return this.article.replaceChildren(this.el);
    const tt = t();
    if (deep) for (const c of [...this.contacts, this.fresh].filter(Boolean)) c.render();
    this.contactsTitle = h('h3', { id: `${this.uid}-ch`, tabindex: '-1' }, tt.contacts);
    this.addButton = h('button', { type: 'button', class: 'alt', 'aria-label': `${tt.addContact}: ${this.entry.name}`,
      onclick: () => this.addContact() }, tt.addContact);
    const items = this.contacts.map((c) => c.el);
    this.article.replaceChildren(this.el, h('section', { class: 'contacts', 'aria-labelledby': `${this.uid}-ch` },
      this.contactsTitle,
      items.length ? h('ul', { class: 'contacts' }, items) : h('p', { class: 'm' }, tt.noContacts),
      this.fresh ? h('ul', { class: 'contacts' }, this.fresh.el) : null,
      this.fresh ? null : h('div', {}, this.addButton)));
  }

  addContact() {
    this.fresh = new Contact(null, this);
    this.fresh.prepare();
    this.renderAll(true);
    this.fresh.form.elements[0].focus();
  }

  adopt(contact) {
    if (!this.contacts.includes(contact)) this.contacts.push(contact); // a re-created one is there already
    this.fresh = null;
    this.renderAll();
  }

  dropNew(contact) {
    live.delete(contact);
    this.fresh = null;
    this.renderAll();
    this.addButton.focus();
  }

  dropContact(contact, said) {
    live.delete(contact);
    this.contacts = this.contacts.filter((c) => c !== contact);
    this.renderAll();
    announce(said);
    focus(this.contactsTitle);
  }

  close(note) {
    super.close(note);
    this.renderAll(); // a renamed office names its contacts' section anew
  }
}

// ---- the page --------------------------------------------------------------------------------

const main = document.getElementById('main');

const workspace = {
  session: null, municipality: null, offices: [], list: null, fresh: null, revision: 0,
  report: null, sort: null, confirmNote: null,

  async start() {
    if (linkToken !== null) {
      if (!TOKEN.test(linkToken)) return signInView(badToken());
      sessionStorage.setItem(KEY, linkToken);
    }
    return this.resume();
  },

  // With the token this tab keeps, if any.
  resume() {
    token = sessionStorage.getItem(KEY);
    return token ? this.openSession() : signInView();
  },

  async openSession() {
    loadingView();
    try {
      this.session = (await call('GET', 'edit/session')).data;
    } catch (e) {
      if (e.status === 401) return signOut(t().rejected);
      return signInView(explain(e), () => this.resume());
    }
    chrome();
    if (this.session.municipality) return this.open(this.session.municipality);
    try {
      this.list = await municipalityList();
    } catch (e) {
      return signInView(explain(e), () => this.resume());
    }
    await this.loadReport();
    this.render();
  },

  // The admins' overview (GET /edit/report); a failure leaves the picker usable.
  async loadReport() {
    try {
      this.report = (await call('GET', 'edit/report')).data.municipalities;
    } catch (e) {
      if (e.status === 401) return signOut(t().rejected);
      this.report = { error: explain(e) };
    }
  },

  async overview() {
    if (!(await leaveOk())) return;
    this.municipality = null;
    live.clear();
    loadingView();
    await this.loadReport();
    this.render();
    focus(main.querySelector('h1'));
  },

  async open(id) {
    loadingView();
    this.confirmNote = null;
    let error = null;
    try {
      const { data } = await call('GET', `municipalities/${enc(id)}`);
      this.municipality = data;
      live.clear();
      this.fresh = null;
      this.offices = (data.offices || []).map((o) => new Office(o));
    } catch (e) {
      if (e.status === 401) return signOut(t().rejected);
      this.failedWith = e.status;
      error = { 403: t().notYours, 404: t().notFound }[e.status] || explain(e);
      this.municipality = null;
    }
    this.render(error, error && ![403, 404].includes(this.failedWith) ? () => this.open(id) : null);
    focus(main.querySelector('h1'));
  },

  render(error = null, retry = null) {
    const tt = t();
    document.title = `${this.municipality ? this.municipality.name + ' – ' : ''}${tt.title} – Gemeinsam klappt's`;
    const parts = [];
    if (this.list) parts.push(picker(this.list, this.municipality?.id));
    if (error) parts.push(alertBox(error, retry));
    const m = this.municipality;
    if (!m) return main.replaceChildren(h('h1', {}, tt.title), ...parts, ...(this.report ? [reportView(this.report)] : []));
    if (this.list) parts.push(h('p', {}, h('button', { type: 'button', class: 'alt', id: 'overview',
      onclick: () => this.overview() }, tt.overview)));
    for (const o of [...this.offices, this.fresh].filter(Boolean)) o.renderAll(true);
    this.addOfficeButton = h('button', { type: 'button', class: 'alt', onclick: () => this.addOffice() }, tt.addOffice);
    this.previewBox = h('div', {});
    parts.push(
      h('section', { class: 'intro', 'aria-labelledby': 'm-title' },
        h('h1', { id: 'm-title' }, m.name),
        h('p', { class: 'm' }, [tt.kinds[m.kind] || m.kind, say('regbez', { name: m.regierungsbezirk }), say('ags', { ags: m.id })].join(' · '))),
      this.confirmBox = h('section', { class: 'confirm card', 'aria-labelledby': 'c-title' }),
      h('section', { class: 'offices', 'aria-labelledby': 'o-title' },
        h('h2', { id: 'o-title', class: 'sr' }, tt.offices),
        h('div', { class: 'contacts' }, this.offices.length ? this.offices.map((o) => o.article) : h('p', { class: 'm' }, tt.noOffices)),
        this.fresh ? h('div', { class: 'card' }, this.fresh.el) : h('div', {}, this.addOfficeButton)),
      h('section', { class: 'preview card', 'aria-labelledby': 'p-title' },
        h('h2', { id: 'p-title' }, tt.preview), h('p', { class: 'm' }, tt.previewText),
        h('p', { class: 'actions' },
          h('a', { href: `${BASE}municipalities/${enc(m.id)}` }, tt.publicJson),
          h('a', { href: `${BASE}municipalities/${enc(m.id)}/vcard`, download: '' }, tt.allVcards)),
        this.previewBox));
    main.replaceChildren(...parts);
    this.renderConfirm();
    this.showPreview();
  },

  // "Alles korrekt": when it was last confirmed, and the button that confirms it as it is.
  renderConfirm() {
    const tt = t();
    const m = this.municipality;
    const note = this.confirmNote;
    this.confirmButton = h('button', { type: 'button', id: 'confirm', 'aria-describedby': 'c-hint',
      onclick: () => this.confirm() }, tt.confirm);
    const state = m.confirmed_at
      ? say(m.confirmed_by ? 'confirmedAtBy' : 'confirmedAt', { at: when(m.confirmed_at), by: m.confirmed_by })
      : tt.neverConfirmed;
    // Filtered: replaceChildren() would write a missing note as the text "null".
    this.confirmBox.replaceChildren(...[
      h('h2', { id: 'c-title' }, tt.confirmTitle),
      h('p', { id: 'c-state' }, state),
      note && h('p', { class: `note${note.warn ? ' warn' : ''}`, id: 'c-note', tabindex: '-1' }, note.text),
      h('p', { class: 'hint', id: 'c-hint' }, tt.confirmHint),
      h('div', { class: 'actions' }, this.confirmButton)].filter(Boolean));
  },

  // Every office and contact as this page shows them: the state an office confirms.
  shown() {
    return JSON.stringify(this.offices.filter((o) => o.entry).map((o) => [o.entry.id, o.entry.etag,
      o.contacts.filter((c) => c.entry).map((c) => [c.entry.id, c.entry.etag])]));
  },

  async confirm() {
    const tt = t();
    const m = this.municipality;
    this.confirmButton.disabled = true;
    try {
      // The municipality's ETag moves with every write, this page's own too: confirm with the
      // current one only while every office and contact is still as shown here.
      const { data: now } = await call('GET', `municipalities/${enc(m.id)}`);
      const stored = JSON.stringify((now.offices || []).map((o) => [o.id, o.etag,
        (o.contacts || []).map((c) => [c.id, c.etag])]));
      if (stored !== this.shown()) {
        if (!(await leaveOk())) return this.renderConfirm();
        await this.open(m.id);
        this.confirmNote = { text: tt.confirmChanged, warn: true };
        this.renderConfirm();
        return focus(document.getElementById('c-note'));
      }
      const { data, revision } = await call('POST', `municipalities/${enc(m.id)}/confirmation`, { etag: now.etag });
      this.municipality = { ...m, confirmed_at: data.confirmed_at, confirmed_by: data.confirmed_by, etag: data.etag };
      this.confirmNote = { text: tt.confirmedNow };
      this.renderConfirm();
      focus(document.getElementById('c-note'));
      this.refreshPublic(revision);
    } catch (e) {
      if (e.status === 401) return signOut(t().rejected);
      this.confirmNote = { text: e.status === 412 ? tt.confirmChanged : explain(e), warn: true };
      this.renderConfirm();
      focus(document.getElementById('c-note'));
    }
  },

  addOffice() {
    this.fresh = new Office(null);
    this.fresh.prepare();
    this.render();
    this.fresh.form.elements[0].focus();
  },

  adopt(office) {
    this.offices.push(office);
    this.fresh = null;
    this.render();
  },

  dropNew(office) {
    live.delete(office);
    this.fresh = null;
    this.render();
    this.addOfficeButton.focus();
  },

  // The widget's own query, as the widget sends it.
  get widgetQuery() {
    return `${BASE}municipalities?${String(new URLSearchParams({ q: this.municipality.name })).replace(/\+/g, '%20')}`;
  },

  // After a write, this browser's cached public answers are fetched anew (they may be kept for a
  // minute), so the preview and the downloads show the change at once. Until a reload shows the
  // write's revision it is retried: another API container may not have loaded it yet.
  async refreshPublic(revision, extra = []) {
    const m = this.municipality;
    const again = (url, init = {}) => fetch(url, { ...init, cache: 'reload' })
      .then(async (r) => { await r.arrayBuffer(); return Number(r.headers.get('X-Directory-Revision')) || 0; })
      .catch(() => revision);
    const urls = [`${BASE}municipalities/${enc(m.id)}`, `${BASE}municipalities/${enc(m.id)}/vcard`, ...extra.filter(Boolean)];
    for (let attempt = 0; attempt < 5; attempt++) {
      const [seen] = await Promise.all([
        again(this.widgetQuery, { credentials: 'omit', headers: { Accept: 'application/json' } }),
        ...urls.map((u) => again(u)),
      ]);
      if (seen >= revision) break;
      await new Promise((r) => setTimeout(r, 1000));
    }
    if (this.municipality === m) this.showPreview();
  },

  showPreview() {
    if (!this.previewBox?.isConnected) return;
    this.previewBox.replaceChildren(h('gk-directory', { q: this.municipality.name }));
  },
};

// ---- the admins' overview: a sortable table, each row opening its municipality ------------------

const REPORT_COLUMNS = [
  { key: 'name', value: (r) => r.name },
  { key: 'offices', value: (r) => r.offices, text: (r) => (r.offices || !r.via ? num(r.offices) : say('via', { id: r.via })) },
  { key: 'contacts', value: (r) => r.public_contacts * 1000 + r.other_contacts,
    text: (r) => `${num(r.public_contacts)}/${num(r.other_contacts)}` },
  { key: 'details', value: (r) => (r.offices ? (r.offices_with_address + r.offices_with_phone + r.offices_with_email) / r.offices : -1),
    text: (r, tt) => (r.offices ? [r.offices_with_address, r.offices_with_phone, r.offices_with_email].map(num).join('/') : tt.none) },
  { key: 'last_change', value: (r) => r.last_change || '', text: (r, tt) => day(r.last_change, tt) },
  { key: 'confirmed_at', value: (r) => r.confirmed_at || '', text: (r, tt) => day(r.confirmed_at, tt) },
  { key: 'token', value: (r) => (r.token_live ? r.token_expires || '9' : ''),
    text: (r, tt) => (r.token_live ? (r.token_expires ? day(r.token_expires, tt) : tt.live) : tt.none) },
  { key: 'token_last_used', value: (r) => r.token_last_used || '', text: (r, tt) => day(r.token_last_used, tt) },
  { key: 'missing', value: (r) => r.rank, text: (r, tt) => (r.missing.length ? list(r.missing.map((k) => tt.missing[k] || k)) : tt.nothing) },
];

function day(iso, tt) {
  if (!iso) return tt.none;
  try {
    return new Intl.DateTimeFormat(lang, { dateStyle: 'medium' }).format(new Date(iso));
  } catch {
    return iso.slice(0, 10);
  }
}

function reportView(report) {
  const tt = t();
  // A plain div: the scrolling table below is the region its heading names (one landmark, not two).
  const section = (...kids) => h('div', { class: 'report card' },
    h('h2', { id: 'r-title' }, tt.report), ...kids);
  if (report.error) return section(alertBox(`${tt.reportFailed} ${report.error}`, () => workspace.overview()));
  const rows = report.map((r, rank) => ({ ...r, rank })); // the API's order: what needs attention first
  const sort = workspace.sort || { key: 'missing', dir: 1 };
  const column = REPORT_COLUMNS.find((c) => c.key === sort.key);
  rows.sort((a, b) => {
    const x = column.value(a);
    const y = column.value(b);
    const order = typeof x === 'number' ? x - y : String(x).localeCompare(String(y), 'de');
    return (order || a.rank - b.rank) * sort.dir;
  });
  const head = REPORT_COLUMNS.map((c) => {
    const sorted = c.key === sort.key;
    return h('th', { scope: 'col', 'aria-sort': sorted ? (sort.dir > 0 ? 'ascending' : 'descending') : null },
      h('button', { type: 'button', class: 'sort', 'data-key': c.key, onclick: () => {
        workspace.sort = { key: c.key, dir: sorted ? -sort.dir : 1 };
        workspace.render();
        focus(main.querySelector(`button.sort[data-key="${c.key}"]`));
      } }, tt.col[c.key], h('span', { class: 'sr' }, ` – ${say('sortBy', { column: tt.col[c.key] })}`),
      h('span', { 'aria-hidden': 'true', class: 'arrow' }, sorted ? (sort.dir > 0 ? ' ▲' : ' ▼') : '')));
  });
  const body = rows.map((r) => h('tr', { 'data-id': r.id, class: r.missing.includes('office') ? 'attention' : null },
    h('th', { scope: 'row' }, h('button', { type: 'button', class: 'link', onclick: async () => {
      if (await leaveOk()) workspace.open(r.id);
    } }, r.name), h('span', { class: 'm' }, ` ${r.id}`)),
    REPORT_COLUMNS.slice(1).map((c) => h('td', {}, c.text(r, tt)))));
  return section(h('p', { class: 'm' }, tt.reportText),
    h('div', { class: 'scroll', tabindex: '0', role: 'region', 'aria-labelledby': 'r-title' },
      h('table', { class: 'report-table' }, h('thead', {}, h('tr', {}, head)), h('tbody', {}, body))));
}

async function municipalityList() {
  const items = [];
  let url = `${BASE}municipalities?limit=100`;
  while (url) {
    let res;
    try {
      res = await fetch(url, { credentials: 'omit', headers: { Accept: 'application/json' } });
    } catch {
      throw new ApiError(0);
    }
    const body = await res.json().catch(() => null);
    if (!res.ok || !body) throw new ApiError(res.status, body?.error);
    items.push(...body.items.map((m) => ({ id: m.id, name: m.name })));
    const next = body.links?.next;
    url = next ? (/^https?:/i.test(next) ? next : BASE.replace(/\/$/, '') + next) : null;
  }
  return items; // in the API's order: by place, "Landeshauptstadt Düsseldorf" under D
}

function picker(list, selected) {
  const tt = t();
  const select = h('select', { id: 'pick', name: 'municipality', 'aria-describedby': 'pick-hint' },
    h('option', { value: '' }, tt.choose),
    list.map((m) => h('option', { value: m.id, selected: m.id === selected }, `${m.name} (${m.id})`)));
  return h('form', { class: 'picker card', onsubmit: async (ev) => {
    ev.preventDefault();
    if (select.value && (await leaveOk())) workspace.open(select.value);
  } },
  h('div', { class: 'field' }, h('label', { for: 'pick' }, tt.pick), h('p', { class: 'hint', id: 'pick-hint' }, tt.pickText), select),
  h('button', { type: 'submit' }, tt.open));
}

async function leaveOk() {
  const tt = t();
  if (![...live].some((e) => e.dirty())) return true;
  return confirmDialog({ title: tt.leaveTitle, text: tt.leaveText, confirm: tt.leave, danger: true });
}

function loadingView() {
  main.setAttribute('aria-busy', 'true');
  main.replaceChildren(h('p', {}, t().loading));
  queueMicrotask(() => main.removeAttribute('aria-busy'));
}

// A message that something failed, with a way to try again where that can help.
function alertBox(message, retry, id = null) {
  return h('div', { class: 'alert', role: 'alert', id },
    h('p', {}, message), retry && h('div', {}, h('button', { type: 'button', class: 'alt', onclick: retry }, t().retry)));
}

function signInView(message, retry = null) {
  const tt = t();
  token = null;
  workspace.session = workspace.municipality = workspace.list = null;
  live.clear();
  chrome();
  document.title = `${tt.title} – Gemeinsam klappt's`;
  const input = h('input', { id: 'token', name: 'token', type: 'password', autocomplete: 'off', spellcheck: 'false', dir: 'ltr',
    'aria-describedby': message ? 'token-msg token-hint' : 'token-hint', 'aria-invalid': message ? 'true' : null });
  const alert = message ? alertBox(message, retry, 'token-msg') : null;
  main.replaceChildren(h('section', { class: 'card', 'aria-labelledby': 's-title' },
    h('h1', { id: 's-title' }, tt.title),
    h('p', {}, tt.signInText),
    alert,
    h('form', { class: 'entry', onsubmit: (ev) => {
      ev.preventDefault();
      // The whole link works too: only the token after "#token=" is kept.
      const pasted = input.value.trim();
      const value = new URLSearchParams(pasted.split('#')[1] || '').get('token') || pasted;
      input.value = '';
      if (!TOKEN.test(value)) return signInView(badToken());
      sessionStorage.setItem(KEY, value);
      token = value;
      workspace.openSession();
    } },
    h('div', { class: 'field' }, h('label', { for: 'token' }, tt.tokenLabel), h('p', { class: 'hint', id: 'token-hint' }, tt.tokenHint), input),
    h('div', { class: 'actions' }, h('button', { type: 'submit' }, tt.signIn)))));
  if (message) input.focus();
}

function signOut(message) {
  sessionStorage.clear();
  signInView(message);
  if (message) return; // an alert already: said once, not twice
  announce(t().signedOut);
  focus(document.getElementById('s-title')); // the button that had the focus is gone
}

// The bar at the top: who is signed in, the other language, signing out.
function chrome() {
  const tt = t();
  setDocumentLanguage();
  document.getElementById('brand').textContent = tt.brand;
  const s = workspace.session;
  const signedIn = Boolean(s && token);
  document.getElementById('tools').replaceChildren(...[
    signedIn && h('span', { class: 'who' }, s.scope === 'admin' ? say('whoAdmin', { label: s.label })
      : say('whoMunicipality', { label: s.label, ags: s.scope.split(':')[1] })),
    // Every language by its own name, in its own language and direction; the current one is pressed.
    h('div', { class: 'langs', role: 'group', 'aria-label': tt.language }, LANGS.map((l) => h('button', {
      type: 'button', class: 'alt', id: `lang-${l}`, lang: l, dir: RTL.includes(l) ? 'rtl' : 'ltr',
      'aria-pressed': String(l === lang), onclick: () => switchLanguage(l) }, NAMES[l]))),
    signedIn && h('button', { type: 'button', class: 'alt', id: 'sign-out', onclick: async () => {
      if (await leaveOk()) signOut();
    } }, tt.signOut),
  ].filter(Boolean));
}

// A new language re-renders everything; open forms keep what was typed into them. Its table is
// fetched first: until it is there the page stays as it is, and if it cannot come, says so.
async function switchLanguage(to) {
  if (to === lang) return;
  try {
    await loadTable(to);
  } catch {
    return announce(t().offline);
  }
  for (const e of live) e.capture();
  lang = to;
  sessionStorage.setItem(LANG_KEY, to);
  chrome();
  if (workspace.municipality || workspace.list) workspace.render();
  else if (!token) {
    const typed = document.getElementById('token')?.value || '';
    signInView();
    document.getElementById('token').value = typed;
  }
  document.getElementById(`lang-${to}`).focus();
}

// A new sign-in link pasted into the address bar of an open page.
addEventListener('hashchange', async () => {
  const fresh = takeFragmentToken();
  if (fresh === null || !(await leaveOk())) return;
  if (!TOKEN.test(fresh)) return signInView(badToken());
  sessionStorage.setItem(KEY, fresh);
  token = fresh;
  workspace.openSession();
});

addEventListener('beforeunload', (ev) => {
  if ([...live].some((e) => e.dirty())) ev.preventDefault();
});

// The first render waits for the table of the page's language (German if that one cannot come):
// the person never sees the page in another language first. Without any table there are no words
// to say it in, so the one message that needs none of them says it in both.
setDocumentLanguage();
const ready = await loadTable(lang)
  .catch(() => {
    lang = 'de';
    return loadTable(lang);
  })
  .then(() => true, () => false);
if (ready) {
  chrome();
  workspace.start();
} else {
  setDocumentLanguage();
  main.replaceChildren(h('div', { class: 'alert', role: 'alert' },
    h('p', {}, 'Das Verzeichnis ist gerade nicht erreichbar. ', h('span', { lang: 'en' }, 'The directory cannot be reached right now.')),
    h('div', {}, h('button', { type: 'button', class: 'alt', onclick: () => location.reload() },
      'Erneut versuchen · ', h('span', { lang: 'en' }, 'Try again')))));
}
