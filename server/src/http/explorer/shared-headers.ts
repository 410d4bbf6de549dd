/**
 * One place for the credential and the company of every tab: a bar above GraphiQL with a token
 * field and a company field. The page's requests to /graphql carry them unless the tab's own
 * Headers editor sets `Authorization` or `X-Company-Id` (a tab can still act otherwise). A
 * successful login run in the explorer fills the token field. The values live in the page's
 * memory only: nothing is stored, so they are gone with the tab, like the editors' headers.
 */

const STYLE = `<style>
  #nokkel-shared { display: flex; gap: 12px; align-items: center; height: 44px; box-sizing: border-box;
    padding: 6px 12px; font: 14px system-ui, sans-serif; border-bottom: 1px solid #ccc; }
  #nokkel-shared label { display: flex; gap: 6px; align-items: center; }
  #nokkel-shared input { font: 13px ui-monospace, monospace; padding: 4px 6px; width: 22em; }
  .graphiql-container { height: calc(100vh - 44px) !important; }
</style>`;

const BAR = `<form id="nokkel-shared" autocomplete="off" onsubmit="return false" aria-label="Headers for every tab">
  <strong>Every tab:</strong>
  <label>Token <input id="nokkel-token" type="password" spellcheck="false"
    placeholder="run login, or paste a token or key secret"></label>
  <label>X-Company-Id <input id="nokkel-company" spellcheck="false" placeholder="empty: your own company"></label>
  <button type="button" id="nokkel-clear">Clear</button>
</form>`;

/** Browser code: wraps `fetch` so requests to /graphql carry the bar's values. */
const SCRIPT = `<script>(function () {
  var token = document.getElementById('nokkel-token');
  var company = document.getElementById('nokkel-company');
  document.getElementById('nokkel-clear').addEventListener('click', function () { token.value = ''; company.value = ''; });
  var original = window.fetch.bind(window);
  window.fetch = function (input, init) {
    var url = new URL(typeof input === 'string' ? input : input.url, location.href);
    if (url.origin !== location.origin || url.pathname !== '/graphql') return original(input, init);
    init = Object.assign({}, init);
    var headers = new Headers(init.headers || {});
    var secret = token.value.trim().replace(/^Bearer\\s+/i, '');
    if (!(headers.get('authorization') || '').trim() && secret) headers.set('authorization', 'Bearer ' + secret);
    if (!(headers.get('x-company-id') || '').trim() && company.value.trim()) headers.set('x-company-id', company.value.trim());
    init.headers = headers;
    var isLogin = typeof init.body === 'string' && /"operationName":"login"/.test(init.body);
    return original(input, init).then(function (response) {
      if (!isLogin) return response;
      response.clone().json().then(function (body) {
        var issued = body && body.data && body.data.login && body.data.login.token;
        if (issued) token.value = issued;
      }, function () {});
      return response;
    });
  };
})();</script>`;

/** Puts the bar and its script into GraphiQL's page, before GraphiQL starts. */
export function withSharedHeaders(page: string): string {
  const root = '<div id="root"></div>';
  if (!page.includes(root)) throw new Error('the explorer page has no root to put the shared headers above');
  return page.replace('</head>', () => `${STYLE}</head>`).replace(root, () => `${BAR}${root}${SCRIPT}`);
}
