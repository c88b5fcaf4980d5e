// LinkedOut content script, part 3 (classic script; the order is in wait.js): reading the page. Lists its
// switches, dialogs and links to settings pages, fingerprints a switch, and takes the snapshot the engine plans
// from (ARCHITECTURE.md, "Snapshot"). What counts as a switch, a dialog, a button or a settings link, what says
// the member is signed in or out, what marks a save under way, and how much text a snapshot carries, are the
// site's facts from the worker's answer to `hello`, so a reader exists only once that answer is in:
//
//   snapshot.reader(site) -> {listSwitches, listDialogs, dialogButtons, fingerprintOf, sameFingerprint,
//                             settingsLinks, navigationStatus, loginFormShows, isBusy(el), isDisabled(el),
//                             checkedOf(el), stableFor(el), take(waited), watch(observer, options, onLoad),
//                             rectOf(el) (in the top page's viewport, also for a switch in a frame)}
//
// A switch may sit in the document, in an open shadow root (a web component) or in a same-origin frame, at any
// depth: the reader lists them all, in that order per scope, and resolves a switch's labels in its own root (ARIA
// does not cross those boundaries). What it cannot read, it counts: closed shadow roots and frames of another
// origin (or sandboxed ones), so that a switch not found there is reported as such, never guessed.
//
// The reader also keeps, per switch, since when it has shown the same state (checked, disabled, busy), as far as it
// has looked: a page may set a switch's `checked` without any mutation, so each look compares. A snapshot says of
// each switch whether it is busy and how long it has been stable; the engine decides whether that read counts.
(() => {
  'use strict';

  const ns = (globalThis.__linkedout ??= {});
  if (ns.snapshot) return;

  const collapse = (text) => String(text ?? '').replace(/\s+/g, ' ').trim();

  function isVisible(el) {
    if (!el || !el.isConnected) return false;
    if (el.getClientRects().length === 0) return false;
    // The element's own window: a switch in a frame is styled by the frame's document.
    const view = el.ownerDocument.defaultView ?? window;
    const style = view.getComputedStyle(el);
    if (style.visibility === 'hidden' || style.visibility === 'collapse') return false;
    if (typeof el.checkVisibility === 'function' &&
        !el.checkVisibility({ visibilityProperty: true, contentVisibilityAuto: true })) return false;
    return true;
  }

  function checkedOf(el) {
    if (el.tagName === 'INPUT' && el.type === 'checkbox') return Boolean(el.checked);
    const aria = el.getAttribute('aria-checked');
    if (aria === 'true') return true;
    if (aria === 'false') return false;
    return null;
  }

  function disabledOf(el) {
    return Boolean(el.disabled) || el.getAttribute('aria-disabled') === 'true';
  }

  function fingerprintOf(el) {
    return {
      labelledby: el.getAttribute('aria-labelledby'),
      id: el.id || null,
      checked: checkedOf(el),
    };
  }

  function sameFingerprint(el, fp) {
    if (!fp || typeof fp !== 'object') return false;
    const now = fingerprintOf(el);
    return (fp.labelledby ?? null) === now.labelledby &&
      (fp.id ?? null) === now.id &&
      (fp.checked ?? null) === now.checked;
  }

  function navigationStatus() {
    try {
      const nav = performance.getEntriesByType('navigation')[0];
      if (!nav || typeof nav.responseStatus !== 'number' || nav.responseStatus <= 0) return null;
      // After an in-page (SPA) navigation the entry belongs to the first document: then it is not known.
      if (nav.name && new URL(nav.name).pathname !== location.pathname) return null;
      return nav.responseStatus;
    } catch {
      return null;
    }
  }

  /** The shadow root of `el` whether open or closed (extensions only; null where the browser has no such API). */
  function anyShadowRoot(el) {
    try {
      if (globalThis.chrome?.dom?.openOrClosedShadowRoot) return chrome.dom.openOrClosedShadowRoot(el) ?? null;
      return el.openOrClosedShadowRoot ?? null; // Firefox's content scripts
    } catch {
      return null;
    }
  }

  /** The document of a same-origin frame element, or null when it is of another origin (or sandboxed). */
  function frameDocument(el) {
    try {
      return el.contentDocument ?? null;
    } catch {
      return null;
    }
  }

  /**
   * Every scope a switch can be in: the document, then each open shadow root and each same-origin frame found in
   * it, depth first. `skip` is an element not to look into (LinkedOut's own overlay). With `count`, also how many
   * closed shadow roots and unreadable frames there are (a browser call per element, so only for a snapshot).
   * A frame's scope is visible only if its frame element is.
   */
  function scopes(skip, count) {
    const found = [];
    let closedRoots = 0;
    let closedFrames = 0;
    const visit = (root, kind, frame) => {
      found.push({ root, kind, frame });
      for (const el of root.querySelectorAll('*')) {
        if (el === skip) continue;
        const open = el.shadowRoot;
        if (open) visit(open, kind === 'frame' ? 'frame' : 'shadow', frame);
        else if (count && anyShadowRoot(el)) closedRoots += 1;
        if (el.tagName === 'IFRAME' || el.tagName === 'FRAME') {
          const doc = frameDocument(el);
          if (doc) visit(doc, 'frame', el);
          else closedFrames += 1;
        }
      }
    };
    visit(document, 'document', null);
    return { found, closedRoots, closedFrames };
  }

  /** What `node` sits in, one level up: its shadow root's host, its frame element, or null in the top document. */
  function container(node) {
    const root = node.getRootNode();
    // By node type, not by a `host` property: a document's named properties (an <img name="host">) could pose as one.
    if (root.nodeType === Node.DOCUMENT_FRAGMENT_NODE) return root.host ?? null;
    if (root.nodeType !== Node.DOCUMENT_NODE) return null;
    try {
      return root.defaultView?.frameElement ?? null;
    } catch {
      return null;
    }
  }

  function reader(site) {
    const { selectors } = site;
    const clip = (text) => (text.length > site.max_text ? text.slice(0, site.max_text) : text);
    const isSettingsPath = (path) => site.settings_prefixes.some((prefix) => path.startsWith(prefix));
    const busySelector = `[${site.busy_attribute}="true"]`;

    const loginFormShows = () => Boolean(document.querySelector(selectors.signed_out));

    function signedIn() {
      try {
        for (let i = 0; i < localStorage.length; i += 1) {
          if (String(localStorage.key(i)).startsWith(site.signed_in_storage_prefix)) return true;
        }
      } catch {
        // storage blocked: unknown
      }
      return loginFormShows() ? false : null;
    }

    /**
     * The signed-in member as LinkedIn's embedded profile data names them: a childless <code> element whose JSON
     * mentions the marker, `included[0]` with `publicIdentifier` (and `firstName`). Null when the page names no one.
     */
    function account() {
      for (const code of document.querySelectorAll('code')) {
        const text = code.childElementCount === 0 ? code.textContent : '';
        if (!text.includes(site.account_marker) || text.length > 100000) continue;
        try {
          const me = JSON.parse(text)?.included?.[0];
          const id = typeof me?.publicIdentifier === 'string' ? me.publicIdentifier : '';
          if (!id) continue;
          const name = typeof me.firstName === 'string' && me.firstName ? me.firstName : id;
          return { id: clip(id), name: clip(name) };
        } catch {
          // not JSON: not the element
        }
      }
      return null;
    }

    /**
     * Whether the page marks the switch (or a container of it) as being updated, as ARIA's aria-busy says: across
     * shadow roots and frames too, since a row marked busy around a component or a frame covers what is in it.
     */
    function isBusy(el) {
      if (!el?.isConnected) return false;
      for (let node = el; node; node = container(node)) {
        if (node.closest(busySelector)) return true;
      }
      return false;
    }

    const ownHost = () => globalThis.__linkedout?.overlay?.current?.()?.host ?? null;

    /** Every switch with the scope it is in, in scope order; `count` also counts what cannot be read. */
    function collect(count) {
      const { found, closedRoots, closedFrames } = scopes(ownHost(), count);
      const switches = [];
      for (const scope of found) {
        for (const el of scope.root.querySelectorAll(selectors.switch)) switches.push({ el, scope });
      }
      return { switches, closedRoots, closedFrames };
    }

    const listSwitches = () => collect(false).switches.map((x) => x.el);

    /**
     * Observes every scope (the document, open shadow roots, same-origin frames) with `observer`, and calls
     * `onLoad` when a frame loads (a new document, which no observer of the old one sees). Called again after a
     * change, it adds the scopes that appeared. Returns a function that stops the load listening.
     */
    function watch(observer, options, onLoad) {
      const targets = new Set();
      const add = () => {
        for (const { root } of scopes(ownHost(), false).found) {
          observer.observe(root, options);
          if (!targets.has(root)) {
            targets.add(root);
            root.addEventListener('load', onLoad, true);
          }
        }
      };
      add();
      return {
        again: add,
        stop: () => {
          for (const node of targets) node.removeEventListener('load', onLoad, true);
          targets.clear();
        },
      };
    }

    // Per switch: the state last seen and since when (performance.now()).
    const seen = new WeakMap();
    const stateKey = (el) => `${checkedOf(el)}|${disabledOf(el)}|${isBusy(el)}`;
    function look() {
      const now = performance.now();
      for (const el of listSwitches()) {
        const key = stateKey(el);
        const was = seen.get(el);
        if (!was || was.key !== key) seen.set(el, { key, since: now });
      }
    }
    /** How long (ms) `el` has shown the state it shows now, as far as this reader has looked; 0 if just seen. */
    function stableFor(el) {
      look();
      const was = seen.get(el);
      return was ? Math.max(0, Math.min(0x7fffffff, Math.round(performance.now() - was.since))) : 0;
    }
    const listDialogs = () => Array.from(document.querySelectorAll(selectors.dialog)).filter(isVisible);
    const dialogButtons = (dialog) => Array.from(dialog.querySelectorAll(selectors.button)).filter(isVisible);

    /** The elements `el`'s aria-labelledby names in its own root (document, shadow root or frame). */
    function labelTargets(el) {
      const ids = (el.getAttribute('aria-labelledby') || '').split(/\s+/).filter(Boolean);
      const root = el.getRootNode();
      return ids.map((id) => (typeof root.getElementById === 'function' ? root.getElementById(id) : null));
    }

    /** Whether every id of `el`'s aria-labelledby names an element in its own root; null without one. */
    function labelledbyResolves(el) {
      const targets = labelTargets(el);
      return targets.length === 0 ? null : targets.every(Boolean);
    }

    function labelOf(el) {
      if (el.getAttribute('aria-labelledby')) {
        const text = collapse(labelTargets(el).map((target) => target?.textContent ?? '').join(' '));
        if (text) return clip(text);
      }
      const labels = el.labels && el.labels.length ? Array.from(el.labels) : [el.closest('label')].filter(Boolean);
      const fromLabel = collapse(labels.map((label) => label.textContent).join(' '));
      if (fromLabel) return clip(fromLabel);
      return clip(collapse(el.getAttribute('aria-label')));
    }

    function buttonLabel(button) {
      return clip(collapse(button.getAttribute('aria-label') || button.textContent || button.value || ''));
    }

    function settingsLinks() {
      const seen = new Set();
      if (site.max_links === 0) return [];
      for (const a of document.querySelectorAll(selectors.link)) {
        let url;
        try {
          url = new URL(a.getAttribute('href'), location.href);
        } catch {
          continue;
        }
        if (url.origin !== site.origin || !isSettingsPath(url.pathname)) continue;
        seen.add(url.pathname);
        if (seen.size >= site.max_links) break;
      }
      return Array.from(seen);
    }

    /**
     * `el`'s bounding rectangle in the top page's viewport: a switch in a frame is measured in the frame's own
     * viewport, so each frame element's position (and border) up to the top is added.
     */
    function rectOf(el) {
      const r = el.getBoundingClientRect();
      let { left, top } = r;
      for (let node = container(el); node; node = container(node)) {
        if (node.tagName !== 'IFRAME' && node.tagName !== 'FRAME') continue;
        const f = node.getBoundingClientRect();
        left += f.left + node.clientLeft;
        top += f.top + node.clientTop;
      }
      return new DOMRect(left, top, r.width, r.height);
    }

    /** Whether the frame elements around a scope, up to the top document, are visible (a hidden frame hides all). */
    function framesVisible(scope) {
      for (let node = scope.frame; node; node = container(node)) {
        if ((node.tagName === 'IFRAME' || node.tagName === 'FRAME') && !isVisible(node)) return false;
      }
      return true;
    }

    function take(waited) {
      look();
      const seenNow = collect(true);
      const switches = seenNow.switches.map(({ el, scope }, index) => {
        const fp = fingerprintOf(el);
        return {
          index,
          id: fp.id,
          labelledby: fp.labelledby,
          label: labelOf(el),
          checked: fp.checked,
          disabled: disabledOf(el),
          visible: isVisible(el) && framesVisible(scope),
          busy: isBusy(el),
          stable_ms: stableFor(el),
          root: scope.kind,
          labelledby_resolves: labelledbyResolves(el),
        };
      });
      const dialogs = listDialogs().map((dialog, index) => ({
        index,
        text: clip(collapse(dialog.textContent)),
        buttons: dialogButtons(dialog).map((button, i) => ({ index: i, label: buttonLabel(button) })),
      }));
      return {
        url: location.href,
        lang: document.documentElement.getAttribute('lang') || '',
        status: navigationStatus(),
        signed_in: signedIn(),
        waited,
        switches,
        links: settingsLinks(),
        dialogs,
        account: account(),
        closed_shadow_roots: seenNow.closedRoots,
        cross_origin_frames: seenNow.closedFrames,
      };
    }

    return Object.freeze({
      listSwitches, listDialogs, dialogButtons, fingerprintOf, sameFingerprint, settingsLinks, navigationStatus,
      loginFormShows, isBusy, isDisabled: disabledOf, checkedOf, stableFor, take, watch, rectOf,
    });
  }

  ns.snapshot = Object.freeze({ reader });
})();
