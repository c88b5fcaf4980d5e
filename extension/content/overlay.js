// LinkedOut content script, part 5 (classic script; the order is in wait.js): the guided overlay's frame. A
// popover beside the highlighted switch, with an arrow pointing at it and never over it, and the switches'
// highlights, in an open shadow root on a host element whose inline !important styles page CSS cannot override;
// buttons that act only on a trusted, unobstructed click. It speaks the UI's language and direction, not the page's
// (an English overlay on an Arabic page stays left to right). Esc or ✕ folds it into a small chip that opens it
// again. What the cards say is in cards.js. Registered on the isolated world's globalThis.__linkedout:
//
//   overlay.prepare(overlayCommand) -> before cards.draw: the tour step and "a run works in another tab" for the
//                                      overlay drawn next (state.runElsewhere)
//   overlay.present()    -> after cards.draw: the tour step shown, the popover placed, focus on its heading
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
    [hidden] { display: none !important; }
    .panel { position: fixed; inset-inline-end: 16px; bottom: 16px; width: min(400px, calc(100vw - 16px));
             max-height: calc(100vh - 16px); overflow: auto; pointer-events: auto;
             font: 15px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: #1d2226;
             background: #fff; border: 1px solid #c6c9cc; border-radius: 12px;
             box-shadow: 0 8px 28px rgba(0,0,0,.28); padding: 14px 16px; text-align: start; }
    .panel.placed { inset: auto; }
    .arrow { position: fixed; width: 20px; height: 10px; pointer-events: none; overflow: visible; }
    .arrow path { fill: #fff; stroke: #c6c9cc; stroke-width: 1px; }
    .chip { position: fixed; inset-inline-end: 16px; bottom: 16px; pointer-events: auto; min-height: 36px;
            font: 600 14px/1.2 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif;
            box-shadow: 0 4px 14px rgba(0,0,0,.25); }
    header { display: flex; align-items: center; justify-content: space-between; gap: 8px; margin-bottom: 6px; }
    h2 { font-size: 1.05em; margin: 0; font-weight: 700; }
    h2:focus { outline: none; }
    h2:focus-visible { outline: 3px solid #e7a33e; outline-offset: 2px; }
    .step { margin: 0 0 8px; color: #56687a; font-size: .93em; }
    .step span + span::before { content: " · "; }
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
      .arrow path { fill: #1d2226; stroke: #4b5157; }
      .step { color: #b0b7be; }
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
      .arrow path { fill: Canvas; stroke: CanvasText; }
    }
  `;

  // {host, root, layer, panel, arrow, chip, heading, step, list, note, page, runElsewhere, tour, texts,
  //  items: Map(id -> {card, status, buttons, hl, el, ...}), onMove}
  let overlay = null;
  // What the next overlay command said beyond its plan (prepare), for the overlay it draws.
  let prepared = null;

  // The popover's geometry, in CSS pixels: its distance from the viewport's edges, its gap to the switch (the
  // highlight ring and the arrow sit in it), and its widest.
  const MARGIN = 8;
  const GAP = 20;
  const WIDTH = 400;
  const SVG = 'http://www.w3.org/2000/svg';

  function t(key, subs) {
    try {
      const text = chrome.i18n.getMessage(key, subs);
      if (text) return text;
    } catch {
      // extension context gone
    }
    return '';
  }

  /**
   * The language and direction of the words the overlay shows: those of the locale chrome.i18n resolves its
   * messages from (its own ui_lang and ui_dir), never the page's.
   */
  function uiLocale() {
    const lang = t('ui_lang');
    return {
      lang: /^[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})*$/.test(lang) ? lang : 'en',
      dir: t('ui_dir') === 'rtl' ? 'rtl' : 'ltr',
    };
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
    const context = prepared ?? {};
    prepared = null;
    const host = document.createElement('linkedout-overlay');
    host.setAttribute('style', [
      'all: initial !important', 'display: block !important', 'position: fixed !important',
      'top: 0 !important', 'left: 0 !important', 'width: 0 !important', 'height: 0 !important',
      'z-index: 2147483647 !important', 'visibility: visible !important', 'opacity: 1 !important',
    ].join('; '));
    const root = host.attachShadow({ mode: 'open' });
    const style = document.createElement('style');
    style.textContent = STYLE;
    const { lang, dir } = uiLocale();
    const layer = h('div', { class: 'layer', 'aria-hidden': 'true' });
    const closeButton = h('button', { class: 'close', type: 'button', 'aria-label': t('ov_close'), text: '✕' });
    const heading = h('h2', { id: 'lo-title', tabindex: '-1', text: t('ov_title') || 'LinkedOut' });
    const step = h('p', { class: 'step', id: 'lo-step', hidden: true });
    const list = h('div', { class: 'list' });
    const note = h('p', { class: 'muted note', role: 'status', 'aria-live': 'polite' });
    const panel = h('section', { class: 'panel', role: 'region', 'aria-label': t('ov_region_label') || 'LinkedOut', lang, dir },
      h('header', {}, heading, closeButton), step, list, note);
    const arrow = document.createElementNS(SVG, 'svg');
    arrow.setAttribute('class', 'arrow');
    arrow.setAttribute('viewBox', '0 0 20 10');
    arrow.setAttribute('aria-hidden', 'true');
    const tip = document.createElementNS(SVG, 'path');
    tip.setAttribute('d', 'M0 10.5 L10 0.5 L20 10.5');
    arrow.append(tip);
    const chip = h('button', {
      class: 'chip', type: 'button', lang, dir, hidden: true, 'aria-label': t('ov_reopen') || 'Open LinkedOut again',
      text: t('ov_title') || 'LinkedOut',
    });
    root.append(style, layer, panel, arrow, chip);
    document.documentElement.append(host);
    const state = {
      host, root, layer, panel, arrow, chip, heading, step, list, note, page, items: new Map(), onMove: null,
      resizeObserver: null, runElsewhere: context.runElsewhere === true, tour: context.tour ?? null,
      texts: context.texts ?? {},
    };
    guard(state, closeButton, () => fold(state));
    guard(state, chip, () => unfold(state));
    panel.addEventListener('keydown', (event) => {
      if (event.key === 'Escape' && event.isTrusted) fold(state);
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
      state.resizeObserver.observe(panel);
    }
    overlay = state;
    return state;
  }

  /** Esc or ✕: the popover folds into the chip, which keeps focus so that Enter opens it again. */
  function fold(state) {
    if (state !== overlay || state.panel.hidden) return;
    state.panel.hidden = true;
    state.arrow.style.display = 'none';
    state.chip.hidden = false;
    state.chip.focus({ preventScroll: true });
  }

  function unfold(state) {
    if (state !== overlay) return;
    state.chip.hidden = true;
    state.panel.hidden = false;
    reposition();
    state.heading.focus({ preventScroll: true });
  }

  function prepare(command) {
    prepared = {
      runElsewhere: command?.run_elsewhere === true,
      tour: command?.tour ?? null,
      texts: command?.texts ?? {},
    };
  }

  /** A setting's name in the member's words (the build's locale messages), else the worker's fallback text. */
  function settingName(id, texts) {
    const name = t(`setting_${id}_name`) || texts?.[id]?.name;
    return typeof name === 'string' && name ? name : id;
  }

  /** "2 of 11" and "Next: Ads beyond LinkedIn" (or that this is the last one, and what a "Not now" holds back). */
  function showStep(state) {
    const tour = state.tour;
    state.step.replaceChildren();
    if (!tour || !Number.isSafeInteger(tour.position) || !Number.isSafeInteger(tour.total)) {
      state.step.hidden = true;
      return;
    }
    const parts = [t('ov_step', [String(tour.position), String(tour.total)])];
    if (typeof tour.next === 'string') {
      parts.push(t('ov_next_name', [settingName(tour.next, state.texts)]));
    } else if (Number.isSafeInteger(tour.held_back) && tour.held_back > 0 && Number.isSafeInteger(tour.again_in_days)) {
      const back = new Date(Date.now() + tour.again_in_days * 86400000);
      let when = back.toISOString().slice(0, 10);
      try {
        when = back.toLocaleDateString(uiLocale().lang, { day: 'numeric', month: 'long' });
      } catch {
        // an unknown locale: the ISO date
      }
      parts.push(t('ov_step_last_held', [String(tour.held_back), when]));
    } else {
      parts.push(t('ov_step_last'));
    }
    for (const text of parts.filter(Boolean)) state.step.append(h('span', { text }));
    state.step.hidden = state.step.childElementCount === 0;
  }

  /** The switch the popover is about: the first still highlighted, in the plan's order. */
  function anchorOf(state) {
    for (const entry of state.items.values()) {
      if (!entry.hl || !entry.el?.isConnected) continue;
      const rect = entry.el.getBoundingClientRect();
      if (rect.width > 0 || rect.height > 0) return rect;
    }
    return null;
  }

  /** How much room the popover has on each side of the switch. */
  function roomAround(rect, vw, vh) {
    return {
      right: vw - rect.right - GAP - MARGIN,
      left: rect.left - GAP - MARGIN,
      below: vh - rect.bottom - GAP - MARGIN,
      above: rect.top - GAP - MARGIN,
    };
  }

  /** Which side of the switch the popover goes: the reading direction's end, below, above, start; or none fits. */
  function sideFor(rect, width, height, vw, vh, dir) {
    const room = roomAround(rect, vw, vh);
    const order = dir === 'rtl' ? ['left', 'below', 'above', 'right'] : ['right', 'below', 'above', 'left'];
    const side = order.find((s) => (s === 'left' || s === 'right'
      ? room[s] >= width && height <= vh - 2 * MARGIN
      : room[s] >= height));
    return { side: side ?? null, room };
  }

  const clamp = (value, low, high) => Math.max(low, Math.min(value, Math.max(low, high)));

  /**
   * Places the popover beside the switch (never over it: when it fits on no side, it takes the roomier of below
   * and above and scrolls within), and its arrow on the edge facing the switch. No switch: docked in a corner.
   */
  function place(state, rect) {
    const { panel, arrow } = state;
    if (panel.hidden) return;
    const vw = document.documentElement.clientWidth || window.innerWidth;
    const vh = document.documentElement.clientHeight || window.innerHeight;
    const width = Math.min(WIDTH, vw - 2 * MARGIN);
    panel.style.width = `${width}px`;
    panel.style.maxHeight = '';
    if (!rect) {
      panel.classList.remove('placed');
      Object.assign(panel.style, { left: '', top: '' });
      arrow.style.display = 'none';
      return;
    }
    panel.classList.add('placed');
    const natural = Math.min(panel.scrollHeight + 2, vh - 2 * MARGIN);
    const { side: fits, room } = sideFor(rect, width, natural, vw, vh, panel.dir);
    const side = fits ?? (room.below >= room.above ? 'below' : 'above');
    const height = fits ? natural : Math.max(Math.min(natural, room[side]), 0);
    if (!fits) panel.style.maxHeight = `${height}px`;
    const cx = rect.left + rect.width / 2;
    const cy = rect.top + rect.height / 2;
    let left;
    let top;
    if (side === 'below' || side === 'above') {
      left = clamp(cx - width / 2, MARGIN, vw - width - MARGIN);
      top = side === 'below' ? rect.bottom + GAP : rect.top - GAP - height;
      top = clamp(top, MARGIN, vh - height - MARGIN);
    } else {
      left = side === 'right' ? rect.right + GAP : rect.left - GAP - width;
      top = clamp(cy - height / 2, MARGIN, vh - height - MARGIN);
    }
    Object.assign(panel.style, { left: `${left}px`, top: `${top}px` });
    // The arrow: its base on the popover's edge, its tip towards the switch's middle (kept off the rounded corners).
    const rotate = { below: 0, above: 180, right: -90, left: 90 }[side];
    let ax;
    let ay;
    if (side === 'below' || side === 'above') {
      ax = clamp(cx, left + 18, left + width - 18) - 10;
      ay = side === 'below' ? top - 10 : top + height;
    } else {
      ay = clamp(cy, top + 18, top + height - 18) - 5;
      ax = side === 'right' ? left - 15 : left + width - 5;
    }
    Object.assign(arrow.style, {
      display: 'block', left: `${ax}px`, top: `${ay}px`, transform: `rotate(${rotate}deg)`,
    });
    arrow.dataset.side = side;
  }

  /** After cards.draw: the step shown, the popover placed beside its switch, focus on its heading. */
  function present() {
    // What prepare() said is for the overlay cards.draw just drew, or for none when the plan had nothing to show.
    prepared = null;
    const state = overlay;
    if (!state) return;
    showStep(state);
    reposition();
    // At a narrow width the popover may fit on no side of the switch: the page is scrolled so that the switch sits
    // high, below LinkedIn's top bar, and the popover below it.
    const rect = anchorOf(state);
    if (rect) {
      const vw = document.documentElement.clientWidth || window.innerWidth;
      const vh = document.documentElement.clientHeight || window.innerHeight;
      const width = Math.min(WIDTH, vw - 2 * MARGIN);
      const natural = Math.min(state.panel.scrollHeight + 2, vh - 2 * MARGIN);
      if (!sideFor(rect, width, natural, vw, vh, state.panel.dir).side) {
        window.scrollBy({ top: rect.top - Math.round(vh * 0.15), behavior: 'instant' });
        reposition();
      }
    }
    state.heading.focus({ preventScroll: true });
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
    }
    place(overlay, anchorOf(overlay));
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
    prepare, present, ensure, current: () => overlay, remove, owns, reposition, guard, h, t, setStatus,
    prefersReducedMotion,
  });
})();
