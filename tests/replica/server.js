// A LinkedIn replica served inside a Playwright browser context by route interception, at the real
// https://www.linkedin.com/... and https://static.licdn.com/... URLs. No real network is used.
//
// It behaves like LinkedIn, not kinder: a strict CSP without eval keywords (so no WebAssembly in the page or in
// content scripts), class names hashed per instance, switches rendered late by script, a server-side account
// state that only the page's own save requests change (with a CSRF token from the JSESSIONID cookie), saves that
// can fail and are then reverted by the page, sign-in redirects, region-missing pages and several languages.
//
// Usage:
//   const replica = createReplica({ account: { lang: 'de' } });
//   await replica.install(context);               // before any page loads
//   replica.account.settings.allowDataForGenerativeAI   // server state
//   replica.saves, replica.requests                // logs
//
// See tests/replica/README.md for the full API.

import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';

import {
  ALL_KEYS, AFFILIATES_PATHS, CATEGORY_PAGES, OTHER_PAGES, REGIONS_WITHOUT_AFFILIATES, RTL_LANGS, UI_STRINGS,
  categoryLinks, pick, resolveLang, settingsPageByPath, switchesByKey,
} from './catalog.js';

const HERE = dirname(fileURLToPath(import.meta.url));
const APP_SOURCE = readFileSync(join(HERE, 'page', 'settings-app.js'), 'utf8');

export const ORIGIN = 'https://www.linkedin.com';
export const STATIC_ORIGIN = 'https://static.licdn.com';
export const SETTINGS_PREFIXES = ['/mypreferences/', '/psettings/'];
export const SAVE_API_PREFIX = '/mypreferences/api/settings/';
export const LOGIN_SUBMIT_PATH = '/checkpoint/lg/login-submit';
/** Where a page's settings card is served on its own, for variant.container's frames: EMBED_PREFIX + page path. */
export const EMBED_PREFIX = '/mypreferences/embed';

/**
 * Default latencies in ms: small but non-zero, so that nothing can rely on instant pages. `state` is the page's
 * own state request (`GET /mypreferences/api/settings/<KEY>`), which a cache-first page makes after its paint.
 */
export const DEFAULT_LATENCY = Object.freeze({ page: 40, render: 250, save: 120, state: 120 });

/** The class-module names the page uses; each becomes `_<name>_<hash>` per replica instance. */
const CLASS_NAMES = [
  'appShell', 'globalNav', 'navLink', 'layout', 'sideNav', 'sideNavLink', 'main', 'card', 'heading',
  'description', 'switchRow', 'switchLabel', 'switchCheckbox', 'switchTrack', 'loading', 'toast', 'toastText',
  'toastDismiss', 'linkList', 'linkItem', 'settingLink', 'itemText', 'dialog', 'dialogText', 'dialogButton',
  'backLink', 'errorPage', 'loginForm', 'field', 'primaryButton', 'profile', 'feed', 'embedFrame',
];

const pageByPath = settingsPageByPath();
const switchByKey = switchesByKey();
const categoryByPath = new Map(CATEGORY_PAGES.map((c) => [c.path, c]));
const otherByPath = new Map(OTHER_PAGES.map((p) => [p.path, p]));

function b36hash(text, length) {
  const digest = createHash('sha256').update(text).digest();
  let out = '';
  for (const byte of digest) out += (byte % 36).toString(36);
  return out.slice(0, length);
}

function cspHash(source) {
  return `sha256-${createHash('sha256').update(source, 'utf8').digest('base64')}`;
}

/** LinkedIn's real-shaped page CSP: a hash for the inline bootstrap, host list, no eval keywords. */
export function contentSecurityPolicy(bootstrapSource) {
  return [
    "default-src 'self'",
    `script-src '${cspHash(bootstrapSource)}' 'report-sample' https://static.licdn.com https://static-exp1.licdn.com https://static-exp2.licdn.com https://static-exp3.licdn.com https://platform.linkedin.com https://www.linkedin.com`,
    "style-src 'unsafe-inline' 'self' https://static.licdn.com https://static-exp1.licdn.com https://static-exp2.licdn.com https://static-exp3.licdn.com",
    "connect-src 'self' https://www.linkedin.com https://static.licdn.com https://media.licdn.com wss://*.linkedin.com",
    "img-src data: blob: 'self' https://static.licdn.com https://media.licdn.com https://www.linkedin.com",
    "font-src data: https://static.licdn.com",
    "media-src blob: https://media.licdn.com",
    "object-src 'none'",
    "frame-src 'self' https://www.linkedin.com",
    "frame-ancestors 'self'",
    "base-uri 'self'",
    "form-action 'self' https://www.linkedin.com",
    'report-uri /security/csp?a=voyager-web',
  ].join('; ');
}

function escapeHtml(text) {
  return String(text)
    .replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;')
    .replaceAll('"', '&quot;').replaceAll("'", '&#39;');
}

function normalisePath(pathname) {
  if (pathname.length > 1 && pathname.endsWith('/')) return pathname.replace(/\/+$/, '');
  return pathname;
}

function isSettingsPath(pathname) {
  return SETTINGS_PREFIXES.some((p) => pathname.startsWith(p));
}

function delay(ms) {
  return ms > 0 ? new Promise((resolve) => setTimeout(resolve, ms)) : Promise.resolve();
}

function defaultAccount() {
  return {
    signedIn: true,
    lang: 'en',
    region: 'us',
    settings: Object.fromEntries(ALL_KEYS.map((k) => [k, true])),
    // The signed-in member, as LinkedIn's pages embed them (a <code> element of JSON data).
    member: { publicIdentifier: 'alex-member-4711', firstName: 'Alex' },
    missingPaths: new Set(),
    failSaves: new Set(),
  };
}

function requestSource(request) {
  try {
    if (request.serviceWorker()) return { from: 'service_worker', frameUrl: null };
  } catch { /* not available for this request */ }
  let frame;
  try { frame = request.frame(); } catch { return { from: 'unknown', frameUrl: null }; }
  let frameUrl = null;
  try { frameUrl = frame.url(); } catch { /* detached */ }
  if (frameUrl && frameUrl.startsWith('chrome-extension://')) return { from: 'extension_page', frameUrl };
  return { from: 'page', frameUrl };
}

/**
 * Creates a replica. Options (all optional):
 *   seed:    string; names the "deploy": hashed class names, static asset hashes and the session token.
 *            Random by default, so every instance has different class names.
 *   account: partial account, merged over the defaults ({settings} merged key by key).
 *   latency: partial {page, render, save} in ms.
 *   variant: object handed to the page script (see tests/replica/README.md for the known fields).
 */
export function createReplica(options = {}) {
  const seed = options.seed ?? Math.random().toString(36).slice(2, 10);
  const classes = Object.fromEntries(CLASS_NAMES.map((n) => [n, `_${n}_${b36hash(`${seed}:${n}`, 6)}`]));
  const appHash = b36hash(`${seed}:app:${APP_SOURCE}`, 25);
  const cssHash = b36hash(`${seed}:css`, 25);
  const appPath = `/sc/h/${appHash}/settings-app.js`;
  const cssPath = `/sc/h/${cssHash}/settings.css`;
  const sessionToken = `ajax:${BigInt(`0x${createHash('sha256').update(`${seed}:session`).digest('hex').slice(0, 15)}`).toString().padStart(19, '0').slice(0, 19)}`;
  const css = buildCss(classes);
  // variant.classSeed: another "deploy" of the same app (class names hashed with another seed).
  const classSets = new Map([[seed, { classes, cssPath, css }]]);
  function classSet() {
    const other = replica.variant?.classSeed;
    if (typeof other !== 'string' || other === '' || other === seed) return classSets.get(seed);
    if (!classSets.has(other)) {
      const cls = Object.fromEntries(CLASS_NAMES.map((n) => [n, `_${n}_${b36hash(`${other}:${n}`, 6)}`]));
      classSets.set(other, { classes: cls, cssPath: `/sc/h/${b36hash(`${other}:css`, 25)}/settings.css`, css: buildCss(cls) });
    }
    return classSets.get(other);
  }
  let revertTimers = [];

  const replica = {
    seed,
    classes,
    sessionToken,
    appUrl: STATIC_ORIGIN + appPath,
    cssUrl: STATIC_ORIGIN + cssPath,
    account: defaultAccount(),
    latency: { ...DEFAULT_LATENCY },
    variant: {},
    /** Every request the replica saw: {url, method, resourceType, host, path, from, frameUrl, status, blocked, at}. */
    requests: [],
    /** Every save request: {key, value, result: 'applied'|'failed'|'csrf_failed'|'signed_out'|'unknown_key'|'bad_request', at}. */
    saves: [],
    /** Every state request a page made: {key, value, at} (value: the server state it answered, null if refused). */
    stateReads: [],
    contexts: [],

    /** Full URL for a LinkedIn path. */
    url(path) { return ORIGIN + path; },

    /** Server-side state of a switch key (true = on). */
    stateOf(key) {
      const value = replica.account.settings[key];
      return value === undefined ? true : value;
    },

    /** Back to the defaults (plus the constructor options), keeping the same objects and the same seed. */
    reset() {
      for (const timer of revertTimers) clearTimeout(timer);
      revertTimers = [];
      applyOptions(replica, options);
      replica.requests.length = 0;
      replica.saves.length = 0;
      replica.stateReads.length = 0;
    },

    /** Routes https://www.linkedin.com/**, https://static.licdn.com/** and blocks every other http(s) host. */
    async install(context) {
      replica.contexts.push(context);
      await context.addCookies([
        { name: 'JSESSIONID', value: `"${sessionToken}"`, domain: '.www.linkedin.com', path: '/', secure: true, sameSite: 'None' },
        { name: 'lang', value: `v=2&lang=${String(replica.account.lang).toLowerCase()}`, domain: '.linkedin.com', path: '/', secure: true, sameSite: 'None' },
      ]);
      await context.route((url) => url.protocol === 'http:' || url.protocol === 'https:', (route) => handle(route));
    },
  };

  applyOptions(replica, options);

  async function handle(route) {
    const request = route.request();
    const url = new URL(request.url());
    const entry = {
      url: request.url(),
      method: request.method(),
      resourceType: request.resourceType(),
      host: url.host,
      path: url.pathname,
      ...requestSource(request),
      status: null,
      blocked: false,
      at: Date.now(),
    };
    replica.requests.push(entry);
    try {
      let response;
      if (url.origin === ORIGIN) response = await serveLinkedIn(request, url);
      else if (url.origin === STATIC_ORIGIN) response = serveStatic(url);
      else {
        entry.blocked = true;
        await route.abort('internetdisconnected');
        return;
      }
      entry.status = response.status;
      if (response.redirectTo) entry.redirectTo = response.redirectTo;
      const { redirectTo: _unused, ...fulfill } = response;
      await route.fulfill(fulfill);
    } catch (error) {
      // The page navigated away or the context closed while we were answering.
      entry.error = String(error?.message ?? error);
      try { await route.abort('failed'); } catch { /* already handled */ }
    }
  }

  function serveStatic(url) {
    if (url.pathname === appPath) {
      return { status: 200, contentType: 'application/javascript; charset=utf-8', body: APP_SOURCE, headers: { 'cache-control': 'max-age=31536000' } };
    }
    for (const set of classSets.values()) {
      if (url.pathname === set.cssPath) {
        return { status: 200, contentType: 'text/css; charset=utf-8', body: set.css, headers: { 'cache-control': 'max-age=31536000' } };
      }
    }
    return { status: 404, contentType: 'text/plain', body: 'Not Found' };
  }

  async function serveLinkedIn(request, url) {
    const path = normalisePath(url.pathname);
    const method = request.method();
    const account = replica.account;

    if (path.startsWith(SAVE_API_PREFIX)) {
      const key = decodeURIComponent(path.slice(SAVE_API_PREFIX.length));
      return method === 'GET' ? handleStateRead(key) : handleSave(request, key);
    }
    if (path === '/security/csp') return { status: 204, body: '' };
    if (path === '/favicon.ico') return { status: 404, contentType: 'text/plain', body: '' };
    if (path === LOGIN_SUBMIT_PATH && method === 'POST') return handleLogin(request);

    await delay(replica.latency.page);

    if (path === '/login' || path === '/uas/login') {
      return htmlResponse(loginConfig(url), 200);
    }
    if (path === '/') {
      return redirect(account.signedIn ? '/feed/' : '/login');
    }
    if (isSettingsPath(url.pathname)) {
      if (!account.signedIn) return redirectToLogin(url);
      if (path.startsWith(`${EMBED_PREFIX}/`)) {
        const inner = path.slice(EMBED_PREFIX.length);
        const embedded = pageByPath.get(inner);
        if (!embedded || pathIsMissing(inner)) return htmlResponse(notFoundConfig(), 404);
        return htmlResponse({ ...settingConfig(embedded, inner), kind: 'embed' }, 200);
      }
      const gone = replica.variant?.gone?.[path];
      if (gone && pathIsMissing(path)) {
        // LinkedIn answers a page that is not there for this account in other ways than a 404: a redirect from
        // the server (here the redirect document, since Playwright cannot route what follows a 302), or the app
        // loading, asking its API, and replacing the location from script.
        if (gone.how === 'script') return htmlResponse(goneConfig(gone.to), 200);
        return redirect(gone.to);
      }
      if (pathIsMissing(path)) return htmlResponse(notFoundConfig(), 404);
      const moved = replica.variant?.moved ?? {};
      if (typeof moved[path] === 'string') return redirect(moved[path]);
      const movedFrom = Object.keys(moved).find((from) => moved[from] === path && pageByPath.has(from));
      if (movedFrom) return htmlResponse(settingConfig(pageByPath.get(movedFrom), path), 200);
      const page = pageByPath.get(path);
      if (page) return htmlResponse(settingConfig(page, path), 200);
      const category = categoryByPath.get(path);
      if (category) return htmlResponse(categoryConfig(category), 200);
      return htmlResponse(notFoundConfig(), 404);
    }
    const other = otherByPath.get(path) ?? otherByPath.get(`${path}/`);
    if (other) {
      if (other.requiresSignIn && !account.signedIn) return redirectToLogin(url);
      return htmlResponse(otherConfig(other), 200);
    }
    return htmlResponse(notFoundConfig(), 404);
  }

  function pathIsMissing(path) {
    const missing = replica.account.missingPaths;
    if (missing.has(path) || missing.has(`${path}/`)) return true;
    return AFFILIATES_PATHS.includes(path) && REGIONS_WITHOUT_AFFILIATES.includes(String(replica.account.region).toLowerCase());
  }

  /** Whether at least one page carrying `key` exists for this account. */
  function keyIsOffered(key) {
    const found = switchByKey.get(key);
    if (!found) return false;
    const paths = [found.page.path, ...(found.page.aliases ?? [])];
    return paths.some((p) => !pathIsMissing(p));
  }

  async function handleSave(request, key) {
    const record = { key, value: null, result: null, page: savePage(request), at: Date.now() };
    replica.saves.push(record);
    if (request.method() !== 'POST') {
      record.result = 'bad_request';
      return json(405, { status: 405, message: 'Method not allowed' });
    }
    let body = null;
    try { body = JSON.parse(request.postData() ?? ''); } catch { /* not JSON */ }
    record.value = body?.value ?? null;
    if (!replica.account.signedIn) {
      record.result = 'signed_out';
      return json(401, { status: 401, message: 'Unauthorized' });
    }
    const headers = await request.allHeaders();
    const cookie = headers.cookie ?? '';
    const cookieToken = /(?:^|;\s*)JSESSIONID="?([^";]+)"?/.exec(cookie)?.[1];
    if (headers['csrf-token'] !== sessionToken || cookieToken !== sessionToken) {
      record.result = 'csrf_failed';
      return json(403, { status: 403, message: 'CSRF check failed' });
    }
    if (typeof body?.value !== 'boolean') {
      record.result = 'bad_request';
      return json(400, { status: 400, message: 'Bad request' });
    }
    if (!keyIsOffered(key)) {
      record.result = 'unknown_key';
      return json(404, { status: 404, message: 'Not found' });
    }
    await delay(replica.latency.save);
    if (replica.account.failSaves.has(key)) {
      record.result = 'failed';
      return json(500, { status: 500, message: 'Internal server error' });
    }
    replica.account.settings[key] = body.value;
    record.result = 'applied';
    const revertMs = replica.variant?.revertAfter?.[key];
    if (Number.isFinite(revertMs)) {
      const before = !body.value;
      revertTimers.push(setTimeout(() => { replica.account.settings[key] = before; }, revertMs));
    }
    const signOutAfter = replica.variant?.signOutAfterSaves;
    if (Number.isFinite(signOutAfter) && replica.saves.filter((x) => x.result === 'applied').length >= signOutAfter) {
      replica.account.signedIn = false;
    }
    return json(200, { key, value: body.value });
  }

  /** A page's own state request: the server state of `key` (a cache-first page corrects its paint from it). */
  async function handleStateRead(key) {
    const record = { key, value: null, at: Date.now() };
    replica.stateReads.push(record);
    if (!replica.account.signedIn) return json(401, { status: 401, message: 'Unauthorized' });
    if (!keyIsOffered(key)) return json(404, { status: 404, message: 'Not found' });
    await delay(replica.latency.state);
    record.value = replica.stateOf(key);
    return json(200, { key, value: record.value });
  }

  /** Path of the page that sent a save (its frame, else its Referer), or null. */
  function savePage(request) {
    for (const source of [() => request.frame().url(), () => request.headers().referer]) {
      try {
        const value = source();
        if (value) return normalisePath(new URL(value).pathname);
      } catch { /* not available */ }
    }
    return null;
  }

  async function handleLogin(request) {
    const form = new URLSearchParams(request.postData() ?? '');
    if (!form.get('session_password')) {
      return redirect(`/login?session_redirect=${encodeURIComponent(form.get('session_redirect') ?? '')}&error=1`);
    }
    replica.account.signedIn = true;
    const target = form.get('session_redirect');
    let location = '/feed/';
    if (target) {
      try {
        const t = new URL(target, ORIGIN);
        if (t.origin === ORIGIN) location = t.pathname + t.search;
      } catch { /* keep the feed */ }
    }
    return redirect(location);
  }

  function redirectToLogin(url) {
    return redirect(`/login?session_redirect=${encodeURIComponent(url.href)}`);
  }

  // Playwright never routes the request that follows an HTTP redirect (it continues it to the real network,
  // which does not exist here), so a 302 answered by route.fulfill would end in ERR_NAME_NOT_RESOLVED.
  // The replica therefore redirects the way LinkedIn's authwall does: a tiny document whose hash-allowed inline
  // script replaces the location at once (no content, no switches, voyager keys cleared).
  function redirect(location) {
    const target = new URL(location, ORIGIN).href;
    const script = `try{for(var i=localStorage.length-1;i>=0;i--){var k=localStorage.key(i);if(k&&k.indexOf('voyager')===0&&${JSON.stringify(!replica.account.signedIn)})localStorage.removeItem(k);}}catch(e){}location.replace(${JSON.stringify(target).replaceAll('<', '\\u003c')});`;
    const html = `<!DOCTYPE html><html lang="${escapeHtml(replica.account.lang || 'en')}"><head><meta charset="utf-8">`
      + `<script>${script}</script><meta http-equiv="refresh" content="0;url=${escapeHtml(target)}"></head><body></body></html>`;
    return {
      status: 200,
      redirectTo: target,
      contentType: 'text/html; charset=utf-8',
      body: html,
      headers: { 'content-security-policy': contentSecurityPolicy(script), 'cache-control': 'no-cache, no-store' },
    };
  }

  function json(status, value) {
    return { status, contentType: 'application/json; charset=utf-8', body: JSON.stringify(value), headers: { 'cache-control': 'no-cache, no-store' } };
  }

  function baseConfig(kind) {
    const lang = resolveLang(replica.account.lang);
    return {
      kind,
      lang,
      htmlLang: replica.account.lang || 'en',
      signedIn: Boolean(replica.account.signedIn),
      classes: classSet().classes,
      renderDelay: replica.latency.render,
      saveApi: SAVE_API_PREFIX,
      embedPrefix: EMBED_PREFIX,
      cssHref: STATIC_ORIGIN + classSet().cssPath,
      csrfCookie: 'JSESSIONID',
      strings: Object.fromEntries(Object.entries(UI_STRINGS).map(([k, v]) => [k, pick(v, lang)])),
      categories: CATEGORY_PAGES.map((c) => ({ path: c.path, title: pick(c.title, lang) })),
      variant: structuredClone(replica.variant ?? {}),
    };
  }

  function settingConfig(page, path) {
    const config = baseConfig('setting');
    const lang = config.lang;
    config.title = pick(page.title, lang);
    config.page = {
      path,
      category: CATEGORY_PAGES.find((c) => c.slug === page.category)?.path ?? null,
      title: config.title,
      description: pick(page.description, lang),
      switches: page.switches.map((sw) => ({
        key: sw.key,
        kind: sw.kind,
        label: pick(sw.label, lang),
        checked: replica.stateOf(sw.key),
      })),
    };
    return config;
  }

  function categoryConfig(category) {
    const config = baseConfig('category');
    const lang = config.lang;
    config.title = pick(category.title, lang);
    const links = categoryLinks(category).map((p) => {
      const page = pageByPath.get(p);
      return { href: p, text: page ? pick(page.title, lang) : p };
    });
    for (const extra of replica.variant?.extraLinks?.[category.slug] ?? []) {
      links.push(typeof extra === 'string' ? { href: extra, text: extra } : extra);
    }
    config.page = {
      path: category.path,
      slug: category.slug,
      title: config.title,
      links,
      items: category.items.map((i) => pick(i, lang)),
    };
    return config;
  }

  function otherConfig(other) {
    const config = baseConfig('other');
    config.title = pick(other.title, config.lang);
    config.page = { path: other.path, title: config.title };
    return config;
  }

  /** A settings page the account does not have, whose app finds out from its API and replaces the location. */
  function goneConfig(to) {
    const config = baseConfig('gone');
    config.title = config.strings.loading;
    config.goneTo = new URL(to, ORIGIN).href;
    return config;
  }

  function notFoundConfig() {
    const config = baseConfig('not_found');
    config.title = config.strings.notFoundTitle;
    return config;
  }

  function loginConfig(url) {
    const config = baseConfig('login');
    config.signedIn = false;
    config.title = config.strings.signIn;
    config.sessionRedirect = url.searchParams.get('session_redirect') ?? '';
    return config;
  }

  function htmlResponse(config, status) {
    const bootstrap = `window.__LI_BOOTSTRAP__=${JSON.stringify(config).replaceAll('<', '\\u003c')};`;
    const { classes: c, cssPath: currentCssPath } = classSet();
    const s = config.strings;
    let body;
    if (config.kind === 'not_found') {
      body = `<main class="${c.errorPage}" role="main"><h1 class="${c.heading}">${escapeHtml(s.notFoundTitle)}</h1>`
        + `<p class="${c.description}">${escapeHtml(s.notFoundBody)}</p><a class="${c.backLink}" href="/feed/">${escapeHtml(s.back)}</a></main>`;
    } else if (config.kind === 'login') {
      body = `<main class="${c.main}" role="main"><h1 class="${c.heading}">${escapeHtml(s.signIn)}</h1>`
        + `<form class="${c.loginForm}" method="post" action="${LOGIN_SUBMIT_PATH}">`
        + `<input type="hidden" name="session_redirect" value="${escapeHtml(config.sessionRedirect)}">`
        + `<div class="${c.field}"><label for="username">${escapeHtml(s.emailOrPhone)}</label><input id="username" name="session_key" type="text" autocomplete="username"></div>`
        + `<div class="${c.field}"><label for="password">${escapeHtml(s.password)}</label><input id="password" name="session_password" type="password" autocomplete="current-password"></div>`
        + `<button class="${c.primaryButton}" type="submit">${escapeHtml(s.signIn)}</button></form></main>`;
    } else {
      body = `<div id="app" class="${c.appShell}"><div class="${c.loading}" aria-busy="true">${escapeHtml(s.loading)}</div></div>`;
    }
    const nav = config.kind === 'embed' ? '' : config.signedIn
      ? `<header class="${c.globalNav}"><a class="${c.navLink}" href="/feed/">LinkedIn</a> <a class="${c.navLink}" href="/jobs/">${escapeHtml(pick(OTHER_PAGES[2].title, config.lang))}</a></header>`
      : `<header class="${c.globalNav}"><a class="${c.navLink}" href="/">LinkedIn</a></header>`;
    // LinkedIn embeds the signed-in member's profile data as JSON in a hidden <code> element (as Brave's PSST
    // reads it); a signed-out page has none.
    const member = config.signedIn && replica.account.member;
    const memberData = member
      ? `<code style="display: none" id="bpr-guid-1">${escapeHtml(JSON.stringify({
        data: { '*elements': ['urn:li:fs_contactinfo:1'] },
        included: [{ $type: 'com.linkedin.voyager.identity.shared.PublicContactInfo', ...member }],
      }))}</code>`
      : '';
    const html = '<!DOCTYPE html>'
      + `<html lang="${escapeHtml(config.htmlLang)}"${RTL_LANGS.includes(config.lang) ? ' dir="rtl"' : ''}><head><meta charset="utf-8">`
      + `<title>${escapeHtml(config.title)} | LinkedIn</title>`
      + `<link rel="stylesheet" href="${STATIC_ORIGIN}${currentCssPath}">`
      + `<script>${bootstrap}</script>`
      + `<script src="${STATIC_ORIGIN}${appPath}" defer></script>`
      + `</head><body>${nav}${body}${memberData}</body></html>`;
    return {
      status,
      contentType: 'text/html; charset=utf-8',
      body: html,
      headers: {
        'content-security-policy': contentSecurityPolicy(bootstrap),
        'x-frame-options': 'sameorigin',
        'x-content-type-options': 'nosniff',
        'cache-control': 'no-cache, no-store',
        'set-cookie': `JSESSIONID="${sessionToken}"; Path=/; Domain=.www.linkedin.com; Secure; SameSite=None`,
      },
    };
  }

  return replica;
}

function applyOptions(replica, options) {
  const account = replica.account;
  const fresh = defaultAccount();
  for (const key of Object.keys(account)) delete account[key];
  Object.assign(account, fresh, options.account ?? {});
  account.settings = { ...fresh.settings, ...(options.account?.settings ?? {}) };
  account.missingPaths = new Set(options.account?.missingPaths ?? []);
  account.failSaves = new Set(options.account?.failSaves ?? []);
  for (const key of Object.keys(replica.latency)) delete replica.latency[key];
  Object.assign(replica.latency, DEFAULT_LATENCY, options.latency ?? {});
  for (const key of Object.keys(replica.variant)) delete replica.variant[key];
  Object.assign(replica.variant, structuredClone(options.variant ?? {}));
}

function buildCss(c) {
  return `
body{margin:0;font:14px/1.4 -apple-system,system-ui,"Segoe UI",Roboto,sans-serif;background:#f4f2ee;color:rgba(0,0,0,.9)}
.${c.globalNav}{background:#fff;padding:8px 24px;border-bottom:1px solid #e0dfdc}
.${c.navLink}{color:#0a66c2;text-decoration:none;font-weight:600;margin-right:16px}
.${c.layout}{display:flex;gap:24px;max-width:1128px;margin:24px auto;padding:0 16px}
.${c.sideNav}{width:240px;background:#fff;border-radius:8px;padding:12px 0}
.${c.sideNavLink}{display:block;padding:8px 16px;color:rgba(0,0,0,.75);text-decoration:none}
.${c.main}{flex:1;min-width:0}
.${c.card}{background:#fff;border-radius:8px;padding:16px 24px;margin-bottom:16px}
.${c.heading}{font-size:20px;font-weight:600;margin:0 0 8px}
.${c.description}{color:rgba(0,0,0,.6);margin:0 0 16px}
.${c.switchRow}{display:flex;align-items:center;justify-content:space-between;gap:16px;padding:12px 0;border-top:1px solid #e8e8e8}
.${c.switchCheckbox}{appearance:none;width:40px;height:24px;border-radius:12px;background:#8c8c8c;position:relative;cursor:pointer;flex:none}
.${c.switchCheckbox}:checked{background:#01754f}
.${c.switchCheckbox}::after{content:"";position:absolute;top:2px;left:2px;width:20px;height:20px;border-radius:50%;background:#fff;transition:left .1s}
.${c.switchCheckbox}:checked::after{left:18px}
.${c.switchCheckbox}:disabled{opacity:.4;cursor:not-allowed}
.${c.toast}{position:fixed;left:24px;bottom:24px;background:#fff;border-left:4px solid #cc1016;box-shadow:0 4px 12px rgba(0,0,0,.2);padding:12px 16px;display:flex;gap:12px;align-items:center}
.${c.linkList}{list-style:none;margin:0;padding:0}
.${c.linkItem}{border-top:1px solid #e8e8e8}
.${c.settingLink}{display:block;padding:12px 0;color:rgba(0,0,0,.9);text-decoration:none}
.${c.dialog}{position:fixed;inset:30% auto auto 50%;transform:translateX(-50%);background:#fff;border-radius:8px;padding:24px;box-shadow:0 8px 24px rgba(0,0,0,.3);max-width:480px}
.${c.primaryButton},.${c.dialogButton}{background:#0a66c2;color:#fff;border:0;border-radius:16px;padding:6px 16px;font-weight:600;cursor:pointer;margin-right:8px}
.${c.embedFrame}{display:block;width:100%;height:480px;border:0;background:#fff;border-radius:8px}
.${c.errorPage}{max-width:600px;margin:64px auto;text-align:center}
.${c.loginForm} .${c.field}{display:flex;flex-direction:column;margin:12px 0}
@media (max-width:767px){.${c.layout}{display:block;margin:8px auto;padding:0 8px}.${c.sideNav}{display:none}.${c.card}{padding:12px 16px}}
`;
}
