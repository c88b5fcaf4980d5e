// Serves the LinkedIn replica (tests/replica/server.js, written for Playwright's context.route) to Firefox driven
// by puppeteer-core over WebDriver BiDi: a small adapter gives the replica the Playwright-shaped context, route
// and request objects it expects, on top of Puppeteer's per-page request interception.

/** A Playwright-like request over a Puppeteer HTTPRequest. */
function requestOf(request, postData) {
  return {
    url: () => request.url(),
    method: () => request.method(),
    // BiDi has no resource type: a navigation is a document, anything else "other" (the replica only logs it).
    resourceType: () => {
      try { return request.resourceType(); } catch { return request.isNavigationRequest() ? 'document' : 'other'; }
    },
    postData: () => postData ?? null,
    headers: () => request.headers(),
    allHeaders: async () => request.headers(),
    frame: () => request.frame(),
    serviceWorker: () => null,
  };
}

/** A Playwright-like route over a Puppeteer HTTPRequest. */
function routeOf(request, postData) {
  return {
    request: () => requestOf(request, postData),
    async fulfill({ status, contentType, body, headers = {} }) {
      await request.respond({ status, contentType, body, headers });
    },
    async abort(reason) {
      await request.abort(reason === 'internetdisconnected' ? 'internetdisconnected' : 'failed');
    },
  };
}

/**
 * A context the replica can `install` into: cookies go to the browser, routes to every page opened with
 * `newPage` (Puppeteer intercepts per page). Returns {context, newPage}.
 */
export function replicaContext(browser) {
  const routes = [];
  const pages = [];

  async function attach(page) {
    await page.setRequestInterception(true);
    page.on('request', (request) => {
      if (request.isInterceptResolutionHandled()) return;
      let url;
      try { url = new URL(request.url()); } catch { url = null; }
      const route = url && routes.find(({ match }) => match(url));
      if (!route) {
        request.continue().catch(() => {});
        return;
      }
      // BiDi gives the body only asynchronously; the replica reads it synchronously, so fetch it first.
      const body = request.hasPostData() ? request.fetchPostData().catch(() => undefined) : Promise.resolve(undefined);
      body.then((postData) => route.handler(routeOf(request, postData)));
    });
  }

  const context = {
    async addCookies(cookies) {
      await browser.setCookie(...cookies.map((c) => ({
        name: c.name, value: c.value, domain: c.domain, path: c.path, secure: c.secure, sameSite: c.sameSite,
      })));
    },
    async route(match, handler) {
      routes.push({ match, handler });
      for (const page of pages) await attach(page);
    },
  };

  return {
    context,
    async newPage() {
      const page = await browser.newPage();
      pages.push(page);
      if (routes.length) await attach(page);
      return page;
    },
  };
}
