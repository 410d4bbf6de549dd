import { renderGraphiQL } from '@graphql-yoga/render-graphiql';

const DEFAULT_HEADERS = JSON.stringify(
  {
    Authorization: 'Bearer <paste the token from the login mutation or a key secret>',
    'X-Company-Id': '<optional: a client Company.id to act in>',
  },
  null,
  2,
);

const EXAMPLE = `# Welcome to the Nøkkel explorer.
#
# 1. Run "Login" below (demo password: demo-password).
# 2. Put the token in the Headers tab: { "Authorization": "Bearer nks_…" }
# 3. Run "Viewer", then try the other operations.
#    To act at a client, add "X-Company-Id": "<client Company.id>".

mutation Login {
  login(email: "kari@regnskap.example", password: "demo-password") {
    token
    employee { name }
  }
}

query Viewer {
  viewer {
    company { id name kind integrationsActive }
    employee { name }
    effectivePermissions
  }
}

query Keys {
  userKeys(first: 20) {
    totalCount
    edges { node { id name applicationName kind status tokenHint owner { name } effectivePermissions } }
  }
}

query Clients {
  clients(first: 20) {
    edges { node { company { id name } apiAccess } }
  }
}
`;

let page: string | null = null;

/** The GraphiQL page: one self-contained HTML document (no CDN), so it works offline. */
export function explorerPage(): string {
  page ??= renderGraphiQL({
    title: 'Nøkkel API explorer',
    endpoint: '/graphql',
    defaultQuery: EXAMPLE,
    headers: DEFAULT_HEADERS,
    isHeadersEditorEnabled: true,
    shouldPersistHeaders: false,
  });
  return page;
}
