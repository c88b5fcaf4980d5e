// LinkedOut content script, part 3 (classic script; the order is in wait.js): reading the page. Lists its
// switches, dialogs and links to settings pages, fingerprints a switch, and takes the snapshot the engine plans
// from (ARCHITECTURE.md, "Snapshot"). What counts as a switch, a dialog, a button or a settings link, what says
// the member is signed in or out, what marks a save under way, and how much text a snapshot carries, are the
// site's facts from the worker's answer to `hello`, so a reader exists only once that answer is in:
//
//   snapshot.reader(site) -> {listSwitches, listDialogs, dialogButtons, fingerprintOf, sameFingerprint,
//                             settingsLinks, navigationStatus, loginFormShows, isBusy(el), isDisabled(el),
//                             checkedOf(el), stableFor(el), take(waited)}
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
    const style = getComputedStyle(el);
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

    /** Whether the page marks the switch (or a container of it) as being updated, as ARIA's aria-busy says. */
    const isBusy = (el) => Boolean(el?.isConnected && el.closest(busySelector));

    const listSwitches = () => Array.from(document.querySelectorAll(selectors.switch));

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

    function labelOf(el) {
      const labelledby = el.getAttribute('aria-labelledby');
      if (labelledby) {
        const text = collapse(labelledby.split(/\s+/)
          .map((id) => document.getElementById(id)?.textContent ?? '')
          .join(' '));
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

    function take(waited) {
      look();
      const switches = listSwitches().map((el, index) => {
        const fp = fingerprintOf(el);
        return {
          index,
          id: fp.id,
          labelledby: fp.labelledby,
          label: labelOf(el),
          checked: fp.checked,
          disabled: disabledOf(el),
          visible: isVisible(el),
          busy: isBusy(el),
          stable_ms: stableFor(el),
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
      };
    }

    return Object.freeze({
      listSwitches, listDialogs, dialogButtons, fingerprintOf, sameFingerprint, settingsLinks, navigationStatus,
      loginFormShows, isBusy, isDisabled: disabledOf, checkedOf, stableFor, take,
    });
  }

  ns.snapshot = Object.freeze({ reader });
})();
