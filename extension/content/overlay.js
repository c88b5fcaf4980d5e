// LinkedOut content script, part 5 (classic script; the order is in wait.js): the guided overlay's frame. A
// panel and the switches' highlights in an open shadow root, on a host element whose inline !important styles
// page CSS cannot override; buttons that act only on a trusted, unobstructed click. What the panel says is in
// cards.js. Registered on the isolated world's globalThis.__linkedout:
//
//   overlay.ensure(page) -> the overlay's state (drawn if need be; `page` is a snapshot reader, snapshot.js)
//   overlay.current()    -> the state, or null when none is drawn
//   overlay.remove(), overlay.owns(mutationRecord), overlay.reposition()
//   overlay.guard(state, button, action), overlay.h(tag, attrs, ...children), overlay.t(key, subs),
//   overlay.setStatus(entry, text, tone), overlay.prefersReducedMotion()
(() => {
  'use strict';

  const ns = (globalThis.__linkedout ??= {});
  if (ns.overlay) return;

  const STYLE = `
    :host { all: initial; }
    * { box-sizing: border-box; }
    .layer { position: fixed; inset: 0; pointer-events: none; }
    .hl { position: fixed; pointer-events: none; border: 3px solid #0a66c2; border-radius: 8px;
          box-shadow: 0 0 0 4px rgba(10,102,194,.3); }
    .hl.manual, .hl.bad { border-style: dashed; border-color: #b24020; box-shadow: 0 0 0 4px rgba(178,64,32,.25); }
    .hl.done, .hl.good { border-color: #057642; box-shadow: 0 0 0 4px rgba(5,118,66,.25); }
    .panel.left { right: auto; left: 16px; }
    .panel { position: fixed; right: 16px; bottom: 16px; width: min(400px, calc(100vw - 32px));
             max-height: calc(100vh - 32px); overflow: auto; pointer-events: auto;
             font: 15px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: #1d2226;
             background: #fff; border: 1px solid #c6c9cc; border-radius: 12px;
             box-shadow: 0 8px 28px rgba(0,0,0,.28); padding: 14px 16px; text-align: start; }
    header { display: flex; align-items: center; justify-content: space-between; gap: 8px; margin-bottom: 6px; }
    h2 { font-size: 1.05em; margin: 0; font-weight: 700; }
    h3 { font-size: 1em; margin: 0 0 4px; font-weight: 650; }
    p { margin: 0 0 8px; }
    .card { border-top: 1px solid #e0e2e4; padding-top: 10px; margin-top: 10px; }
    .card:first-of-type { border-top: 0; margin-top: 0; padding-top: 4px; }
    .muted { color: #56687a; }
    .status { font-weight: 600; }
    .status.good { color: #057642; } .status.bad { color: #b24020; }
    .row { display: flex; flex-wrap: wrap; gap: 8px; margin-top: 8px; }
    button { font: inherit; font-weight: 600; border-radius: 18px; padding: 6px 16px; cursor: pointer;
             border: 1px solid #0a66c2; background: #fff; color: #0a66c2; min-height: 36px; }
    button.primary { background: #0a66c2; color: #fff; }
    button.close { border-color: transparent; padding: 2px 10px; min-height: 32px; color: #56687a; }
    button:disabled { opacity: .55; cursor: default; }
    button:focus-visible { outline: 3px solid #e7a33e; outline-offset: 2px; }
    @media (prefers-reduced-motion: no-preference) {
      .panel { animation: in .18s ease-out; }
      @keyframes in { from { transform: translateY(8px); opacity: 0; } to { transform: none; opacity: 1; } }
    }
    @media (prefers-color-scheme: dark) {
      .panel { background: #1d2226; color: #e9e9e9; border-color: #4b5157; }
      .card { border-top-color: #3a3f44; }
      .muted { color: #b0b7be; }
      button { background: #1d2226; color: #70b5f9; border-color: #70b5f9; }
      button.primary { background: #70b5f9; color: #000; }
      button.close { color: #b0b7be; border-color: transparent; }
      .hl { border-color: #70b5f9; }
      .status.good { color: #7fc15e; } .status.bad { color: #f5987e; }
    }
    @media (forced-colors: active) {
      .hl { border-color: Highlight; } button { border-color: ButtonText; }
    }
  `;

  // {host, root, layer, panel, list, note, page, items: Map(id -> {card, status, buttons, hl, el, ...}), onMove}
  let overlay = null;

  function t(key, subs) {
    try {
      const text = chrome.i18n.getMessage(key, subs);
      if (text) return text;
    } catch {
      // extension context gone
    }
    return '';
  }

  function prefersReducedMotion() {
    return window.matchMedia?.('(prefers-reduced-motion: reduce)').matches ?? false;
  }

  function remove() {
    if (!overlay) return;
    window.removeEventListener('scroll', overlay.onMove, true);
    window.removeEventListener('resize', overlay.onMove);
    overlay.resizeObserver?.disconnect();
    overlay.host.remove();
    overlay = null;
  }

  function owns(record) {
    return overlay !== null && (record.target === overlay.host ||
      Array.from(record.addedNodes).includes(overlay.host) || Array.from(record.removedNodes).includes(overlay.host));
  }

  function h(tag, attrs = {}, ...children) {
    const el = document.createElement(tag);
    for (const [key, value] of Object.entries(attrs)) {
      if (value === null || value === undefined || value === false) continue;
      if (key === 'class') el.className = value;
      else if (key === 'text') el.textContent = value;
      else el.setAttribute(key, value === true ? '' : String(value));
    }
    for (const child of children) if (child) el.append(child);
    return el;
  }

  function ensure(page) {
    if (overlay && overlay.host.isConnected) {
      overlay.page = page;
      return overlay;
    }
    remove();
    const host = document.createElement('linkedout-overlay');
    host.setAttribute('style', [
      'all: initial !important', 'display: block !important', 'position: fixed !important',
      'top: 0 !important', 'left: 0 !important', 'width: 0 !important', 'height: 0 !important',
      'z-index: 2147483647 !important', 'visibility: visible !important', 'opacity: 1 !important',
    ].join('; '));
    const root = host.attachShadow({ mode: 'open' });
    const style = document.createElement('style');
    style.textContent = STYLE;
    const layer = h('div', { class: 'layer', 'aria-hidden': 'true' });
    const closeButton = h('button', { class: 'close', type: 'button', 'aria-label': t('ov_close'), text: '✕' });
    const list = h('div', { class: 'list' });
    const note = h('p', { class: 'muted note', role: 'status', 'aria-live': 'polite' });
    const panel = h('section', { class: 'panel', role: 'region', 'aria-label': t('ov_region_label') || 'LinkedOut' },
      h('header', {}, h('h2', { text: t('ov_title') || 'LinkedOut' }), closeButton), list, note);
    root.append(style, layer, panel);
    document.documentElement.append(host);
    const state = {
      host, root, layer, panel, list, note, page, items: new Map(), onMove: null, resizeObserver: null,
    };
    guard(state, closeButton, () => remove());
    panel.addEventListener('keydown', (event) => {
      if (event.key === 'Escape' && event.isTrusted) remove();
    });
    let frame = 0;
    state.onMove = () => {
      if (frame) return;
      frame = requestAnimationFrame(() => {
        frame = 0;
        reposition();
      });
    };
    window.addEventListener('scroll', state.onMove, { capture: true, passive: true });
    window.addEventListener('resize', state.onMove, { passive: true });
    if (typeof ResizeObserver === 'function') {
      state.resizeObserver = new ResizeObserver(state.onMove);
      state.resizeObserver.observe(document.documentElement);
    }
    overlay = state;
    return state;
  }

  /**
   * Anti-clickjacking: a button acts only on a trusted click, and only when the panel itself is the topmost
   * thing at the point that was clicked (for keyboard activation: at the button's centre).
   */
  function hitTestOk(state, button, event) {
    let x = event.clientX;
    let y = event.clientY;
    if (event.detail === 0 || (x === 0 && y === 0)) {
      const rect = button.getBoundingClientRect();
      x = rect.left + rect.width / 2;
      y = rect.top + rect.height / 2;
    }
    if (document.elementFromPoint(x, y) !== state.host) return false;
    const inner = state.root.elementFromPoint(x, y);
    return Boolean(inner) && (inner === button || button.contains(inner));
  }

  /**
   * Chromium's IntersectionObserver v2 (trackVisibility): is the button painted right now with nothing over it
   * (also nothing with pointer-events: none, which a hit test cannot see), not faded, not transformed?
   * Resolves true/false, or null where the browser cannot tell (then the hit test alone decides).
   */
  function paintedVisible(button) {
    return new Promise((resolve) => {
      let observer = null;
      let timer = 0;
      const done = (value) => {
        observer?.disconnect();
        clearTimeout(timer);
        resolve(value);
      };
      try {
        observer = new IntersectionObserver((entries) => {
          const entry = entries[entries.length - 1];
          done(entry && typeof entry.isVisible === 'boolean' ? entry.isVisible : null);
        }, { trackVisibility: true, delay: 100, threshold: [0, 1] });
      } catch {
        resolve(null);
        return;
      }
      timer = setTimeout(() => done(null), 1000);
      observer.observe(button);
    });
  }

  /**
   * Anti-clickjacking, twice: a trusted click only, the panel topmost at the clicked point (hit test), and the
   * button painted unoccluded (paintedVisible). A click that fails either is ignored and the member is told.
   */
  function guard(state, button, action) {
    let checking = false;
    button.addEventListener('click', async (event) => {
      if (!event.isTrusted || checking) return;
      if (!hitTestOk(state, button, event)) {
        state.note.textContent = t('ov_blocked');
        return;
      }
      checking = true;
      const visible = await paintedVisible(button);
      checking = false;
      if (visible === false || !button.isConnected) {
        state.note.textContent = t('ov_blocked');
        return;
      }
      if (state.note.textContent === t('ov_blocked')) state.note.textContent = '';
      action(event);
    });
  }

  function reposition() {
    if (!overlay) return;
    let rightSide = false; // a highlighted switch in the right half: keep the panel on the left, off the switch
    for (const entry of overlay.items.values()) {
      if (!entry.hl) continue;
      if (!entry.el || !entry.el.isConnected) entry.el = relocate(entry);
      const rect = entry.el?.isConnected ? overlay.page.rectOf(entry.el) : null;
      if (!rect || (rect.width === 0 && rect.height === 0)) {
        entry.hl.style.display = 'none';
        continue;
      }
      const pad = 6;
      Object.assign(entry.hl.style, {
        display: 'block',
        left: `${rect.left - pad}px`,
        top: `${rect.top - pad}px`,
        width: `${rect.width + pad * 2}px`,
        height: `${rect.height + pad * 2}px`,
      });
      if (rect.left + rect.width / 2 > window.innerWidth / 2) rightSide = true;
    }
    overlay.panel.classList.toggle('left', rightSide);
  }

  function relocate(entry) {
    // The page re-rendered the switch: find the element with the same structural identity again.
    const fp = entry.fingerprint;
    if (!fp) return null;
    return overlay.page.listSwitches().find((el) =>
      (fp.labelledby && el.getAttribute('aria-labelledby') === fp.labelledby) || (fp.id && el.id === fp.id)) ?? null;
  }

  function setStatus(entry, text, tone) {
    entry.status.textContent = text;
    entry.status.className = `status${tone ? ` ${tone}` : ''}`;
  }

  ns.overlay = Object.freeze({
    ensure, current: () => overlay, remove, owns, reposition, guard, h, t, setStatus, prefersReducedMotion,
  });
})();
