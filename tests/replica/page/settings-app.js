// The replica's page application, served from https://static.licdn.com/sc/h/<hash>/settings-app.js.
// Runs in the page (browser context, classic script). Reads the config that the inline bootstrap set,
// waits `renderDelay` ms (LinkedIn renders its settings after the document has loaded), then renders.
// Switch changes are saved by POST to /mypreferences/api/settings/<key>; a failed save reverts the switch
// and shows an error toast.
//
// Variant fields honoured here (config.variant, from replica.variant):
//   hideSwitches: [key]                 the switch is not rendered at all
//   disabledSwitches: [key]             rendered disabled
//   hiddenSwitches: [key]               rendered but not visible (display: none)
//   renameLabelledby: {key: newId}      aria-labelledby/label id renamed (saves still go to the old key)
//   labels: {key: text}                 label text replaced
//   confirm: {key: true | {text, confirmLabel, cancelLabel}}
//                                       turning the switch off first opens a confirmation dialog
//   dropLabelledby: [key]               no aria-labelledby: the switch sits inside a <label> with the text only
//   decoys: {key: {position: 'before'|'after', labelledby: bool}}
//                                       an extra switch with the same label text (saves go to `<key>Decoy`)
//   duplicates: [key]                   a second switch with the same aria-labelledby (saves go to `<key>Duplicate`)
//   wrap: n                             every switch row wrapped in n extra <div>s
//   reorder: true                       switches in reverse order, the input before its label, main before the nav
//   revertAfter: {key: ms}              after a successful save the switch flips back after ms (the server too)
//   reloadAfterSave: [key]              after a successful save the page reloads itself at once, as some pages do
//   cacheFirst: {keys?: [key], busy?}   stale-while-revalidate: the switch is painted from the page's own cache of
//                                       what it last knew (localStorage), then corrected from the server's answer to
//                                       a state request made after the paint (latency.state); with busy: true the
//                                       row is marked aria-busy while that request is out. keys absent: every switch
//   noBusy: [key]                       the save is not marked aria-busy (some pages show nothing while saving)
//   hydrateMs: ms                       every switch is rendered disabled and enabled ms later (hydration)
//   lazy: {key: ms}                     that switch's section renders ms after the rest of the page
//   container: 'open-shadow' | 'closed-shadow' | 'frame' | 'sandboxed-frame'
//                                       the settings card is rendered inside a web component's shadow root (open
//                                       or closed), or in an embedded page (/mypreferences/embed<path>) in an
//                                       iframe: same-origin, or sandboxed (an opaque origin: cross-origin to the
//                                       page, the only kind LinkedIn's frame-src lets a frame be)
// A page of kind 'gone' (server variant gone: {path: {how: 'script'}}) is a settings page the account does not
// have: its app starts, finds out, and replaces the location with config.goneTo after the render delay.
(function main() {
  'use strict';
  const config = window.__LI_BOOTSTRAP__;
  if (!config) return;
  const c = config.classes;
  const s = config.strings;
  const variant = config.variant || {};

  function el(tag, attrs, children) {
    const node = document.createElement(tag);
    for (const [name, value] of Object.entries(attrs || {})) {
      if (value === null || value === undefined || value === false) continue;
      if (name === 'className') node.className = value;
      else if (name === 'text') node.textContent = value;
      else node.setAttribute(name, value === true ? '' : String(value));
    }
    for (const child of children || []) if (child) node.append(child);
    return node;
  }

  function has(list, key) {
    return Array.isArray(list) && list.includes(key);
  }

  if (config.kind === 'login') {
    for (let i = localStorage.length - 1; i >= 0; i -= 1) {
      const k = localStorage.key(i);
      if (k && k.startsWith('voyager')) localStorage.removeItem(k);
    }
    return;
  }
  // An embedded page (variant container) leaves the session to its parent: a sandboxed one may not touch storage.
  if (config.signedIn && config.kind !== 'embed') {
    localStorage.setItem('voyager-web:session', JSON.stringify({ at: Date.now() }));
    localStorage.setItem('voyager-web:lang', config.lang);
  }
  if (config.kind === 'not_found') return;
  if (config.kind === 'gone') {
    setTimeout(() => location.replace(config.goneTo), Math.max(0, Number(config.renderDelay) || 0));
    return;
  }

  const CACHE_PREFIX = 'voyager-web:cache:';
  function cacheFirst(key) {
    const spec = variant.cacheFirst;
    if (!spec) return false;
    return !Array.isArray(spec.keys) || spec.keys.includes(key);
  }
  function cached(key) {
    const value = localStorage.getItem(CACHE_PREFIX + key);
    return value === null ? null : value === 'true';
  }
  function remember(key, value) {
    if (cacheFirst(key)) localStorage.setItem(CACHE_PREFIX + key, String(value));
  }

  /** Stale-while-revalidate: after painting what the cache said, ask the server and correct the switch. */
  function revalidate(input, key, row) {
    const busy = Boolean(variant.cacheFirst && variant.cacheFirst.busy);
    if (busy) row.setAttribute('aria-busy', 'true');
    fetch(config.saveApi + encodeURIComponent(key), { credentials: 'same-origin', headers: { accept: 'application/json' } })
      .then((response) => (response.ok ? response.json() : null))
      .then((answer) => {
        if (answer && typeof answer.value === 'boolean') {
          input.checked = answer.value;
          remember(key, answer.value);
        }
      }, () => {})
      .finally(() => {
        if (busy) row.removeAttribute('aria-busy');
      });
  }

  function csrfToken() {
    let cookie = '';
    try { cookie = document.cookie; } catch { /* a sandboxed frame has no cookies */ }
    const match = /(?:^|;\s*)JSESSIONID=("?)([^";]*)\1/.exec(cookie);
    return match ? match[2] : '';
  }

  let toastNode = null;
  function showToast(text, isError) {
    if (toastNode) toastNode.remove();
    const dismiss = el('button', { className: c.toastDismiss, type: 'button', 'aria-label': s.dismiss, text: '\u00d7' });
    toastNode = el('div', { className: c.toast, role: isError ? 'alert' : 'status', 'data-kind': isError ? 'error' : 'success' }, [
      el('p', { className: c.toastText, text }),
      dismiss,
    ]);
    dismiss.addEventListener('click', () => { toastNode.remove(); toastNode = null; });
    document.body.append(toastNode);
  }

  async function save(key, value) {
    const response = await fetch(config.saveApi + encodeURIComponent(key), {
      method: 'POST',
      credentials: 'same-origin',
      headers: { 'content-type': 'application/json', 'csrf-token': csrfToken(), accept: 'application/json' },
      body: JSON.stringify({ value }),
    });
    if (!response.ok) throw new Error(`save failed: ${response.status}`);
  }

  function persist(input, key, value) {
    input.checked = value;
    const marks = !has(variant.noBusy, key);
    if (marks) input.setAttribute('aria-busy', 'true');
    save(key, value).then(() => {
      remember(key, value);
      if (has(variant.reloadAfterSave, key)) {
        location.reload();
        return;
      }
      if (marks) input.removeAttribute('aria-busy');
      showToast(s.saved, false);
      const revert = variant.revertAfter && variant.revertAfter[key];
      if (Number.isFinite(revert)) setTimeout(() => { input.checked = !value; }, revert);
    }, () => {
      if (marks) input.removeAttribute('aria-busy');
      input.checked = !value;
      showToast(s.saveError, true);
    });
  }

  function openConfirm(input, key, spec) {
    const text = (spec && spec.text) || s.saved;
    const titleId = `confirm-${key}-title`;
    const cancel = el('button', { className: c.dialogButton, type: 'button', text: (spec && spec.cancelLabel) || 'Cancel' });
    const confirm = el('button', { className: c.dialogButton, type: 'button', text: (spec && spec.confirmLabel) || 'Turn off' });
    const dialog = el('div', { className: c.dialog, role: 'dialog', 'aria-modal': 'true', 'aria-labelledby': titleId }, [
      el('p', { className: c.dialogText, id: titleId, text }),
      cancel,
      confirm,
    ]);
    cancel.addEventListener('click', () => dialog.remove());
    confirm.addEventListener('click', () => {
      dialog.remove();
      persist(input, key, false);
    });
    document.body.append(dialog);
  }

  function wrapRow(row) {
    let node = row;
    for (let i = 0; i < (Number(variant.wrap) || 0); i += 1) node = el('div', { 'data-depth': i }, [node]);
    return node;
  }

  function renderDecoy(sw, saveKey, labelId) {
    const input = el('input', {
      type: 'checkbox', role: 'switch', className: c.switchCheckbox,
      'aria-labelledby': labelId,
    });
    input.checked = Boolean(sw.checked);
    const label = el('span', { className: c.switchLabel, id: labelId, text: (variant.labels && variant.labels[sw.key]) || sw.label });
    input.addEventListener('change', () => persist(input, saveKey, input.checked));
    const row = labelId
      ? el('div', { className: c.switchRow }, [label, input])
      : el('label', { className: c.switchRow }, [label, input]);
    if (!labelId) label.removeAttribute('id');
    return wrapRow(row);
  }

  function renderSwitchWithExtras(sw) {
    const rows = [renderSwitch(sw)];
    const decoy = variant.decoys && variant.decoys[sw.key];
    if (decoy) {
      const node = renderDecoy(sw, `${sw.key}Decoy`, decoy.labelledby === false ? null : `${sw.key}Decoy`);
      if (decoy.position === 'after') rows.push(node);
      else rows.unshift(node);
    }
    if (has(variant.duplicates, sw.key)) {
      const labelId = (variant.renameLabelledby && variant.renameLabelledby[sw.key]) || sw.key;
      const input = el('input', { type: 'checkbox', role: 'switch', className: c.switchCheckbox, 'aria-labelledby': labelId });
      input.checked = Boolean(sw.checked);
      input.addEventListener('change', () => persist(input, `${sw.key}Duplicate`, input.checked));
      rows.push(wrapRow(el('div', { className: c.switchRow }, [el('span', { className: c.switchLabel, text: sw.label }), input])));
    }
    return rows;
  }

  function renderSwitch(sw) {
    if (has(variant.hideSwitches, sw.key)) return null;
    if (has(variant.dropLabelledby, sw.key)) return renderTextOnlySwitch(sw);
    const labelId = (variant.renameLabelledby && variant.renameLabelledby[sw.key]) || sw.key;
    const labelText = (variant.labels && variant.labels[sw.key]) || sw.label;
    const input = el('input', {
      type: 'checkbox',
      role: 'switch',
      className: c.switchCheckbox,
      id: sw.kind === 'id' ? sw.key : null,
      'aria-labelledby': sw.kind === 'labelledby' ? labelId : null,
      'aria-label': sw.kind === 'id' ? labelText : null,
      disabled: has(variant.disabledSwitches, sw.key) || Number(variant.hydrateMs) > 0,
    });
    const fromCache = cacheFirst(sw.key) ? cached(sw.key) : null;
    input.checked = fromCache === null ? Boolean(sw.checked) : fromCache;
    const label = el('span', { className: c.switchLabel, id: sw.kind === 'labelledby' ? labelId : null, text: labelText });
    const row = el('div', { className: c.switchRow }, variant.reorder ? [input, label] : [label, input]);
    if (has(variant.hiddenSwitches, sw.key)) row.style.display = 'none';
    if (cacheFirst(sw.key)) {
      if (fromCache === null) remember(sw.key, Boolean(sw.checked));
      revalidate(input, sw.key, row);
    }
    if (Number(variant.hydrateMs) > 0 && !has(variant.disabledSwitches, sw.key)) {
      setTimeout(() => { input.disabled = false; }, Number(variant.hydrateMs));
    }
    input.addEventListener('change', () => {
      const value = input.checked;
      const confirmSpec = variant.confirm && variant.confirm[sw.key];
      if (confirmSpec && value === false) {
        input.checked = true;
        openConfirm(input, sw.key, typeof confirmSpec === 'object' ? confirmSpec : null);
        return;
      }
      persist(input, sw.key, value);
    });
    return wrapRow(row);
  }

  function renderTextOnlySwitch(sw) {
    const labelText = (variant.labels && variant.labels[sw.key]) || sw.label;
    const input = el('input', { type: 'checkbox', role: 'switch', className: c.switchCheckbox, disabled: has(variant.disabledSwitches, sw.key) });
    input.checked = Boolean(sw.checked);
    input.addEventListener('change', () => persist(input, sw.key, input.checked));
    return wrapRow(el('label', { className: c.switchRow }, [el('span', { className: c.switchLabel, text: labelText }), input]));
  }

  function sideNav() {
    return el('nav', { className: c.sideNav, 'aria-label': s.settings },
      config.categories.map((cat) => el('a', { className: c.sideNavLink, href: cat.path, text: cat.title })));
  }

  function renderSetting(page) {
    const lazy = variant.lazy || {};
    const ordered = variant.reorder ? [...page.switches].reverse() : page.switches;
    const card = el('section', { className: c.card }, [
      page.category ? el('a', { className: c.backLink, href: page.category, text: s.back }) : null,
      el('h1', { className: c.heading, text: page.title }),
      el('p', { className: c.description, text: page.description }),
      ...ordered.filter((sw) => !Number.isFinite(lazy[sw.key])).flatMap(renderSwitchWithExtras),
    ]);
    // A section that renders later than its neighbours (its data comes from another request).
    for (const sw of ordered.filter((x) => Number.isFinite(lazy[x.key]))) {
      setTimeout(() => card.append(el('section', { className: c.card }, renderSwitchWithExtras(sw))), lazy[sw.key]);
    }
    if (config.kind === 'embed') return card;
    const main = el('main', { className: c.main }, [contained(card, page)]);
    return el('div', { className: c.layout }, variant.reorder ? [main, sideNav()] : [sideNav(), main]);
  }

  /** The card as variant.container has it: as it is, in a shadow root, or in a frame showing the embedded page. */
  function contained(card, page) {
    const kind = variant.container;
    if (kind === 'open-shadow' || kind === 'closed-shadow') {
      const host = el('li-settings-card', {});
      const root = host.attachShadow({ mode: kind === 'open-shadow' ? 'open' : 'closed' });
      root.append(el('link', { rel: 'stylesheet', href: config.cssHref }), card);
      return host;
    }
    if (kind === 'frame' || kind === 'sandboxed-frame') {
      return el('iframe', {
        className: c.embedFrame,
        title: page.title,
        src: config.embedPrefix + page.path,
        sandbox: kind === 'sandboxed-frame' ? 'allow-scripts' : null,
      });
    }
    return card;
  }

  function renderCategory(page) {
    const list = el('ul', { className: c.linkList }, [
      ...page.links.map((link) => el('li', { className: c.linkItem }, [
        el('a', { className: c.settingLink, href: link.href, text: link.text }),
      ])),
      ...page.items.map((text) => el('li', { className: c.linkItem }, [el('span', { className: c.itemText, text })])),
    ]);
    const card = el('section', { className: c.card }, [el('h1', { className: c.heading, text: page.title }), list]);
    return el('div', { className: c.layout }, [sideNav(), el('main', { className: c.main }, [card])]);
  }

  function renderOther(page) {
    return el('main', { className: c.main }, [
      el('section', { className: c.card }, [el('h1', { className: c.heading, text: page.title })]),
    ]);
  }

  function render() {
    const root = document.getElementById('app');
    if (!root) return;
    let view;
    if (config.kind === 'setting' || config.kind === 'embed') view = renderSetting(config.page);
    else if (config.kind === 'category') view = renderCategory(config.page);
    else view = renderOther(config.page);
    root.replaceChildren(view);
  }

  setTimeout(render, Math.max(0, Number(config.renderDelay) || 0));
})();
