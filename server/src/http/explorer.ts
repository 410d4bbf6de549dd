import { gzipSync } from 'node:zlib';
import { renderGraphiQL } from '@graphql-yoga/render-graphiql';

/**
 * The in-browser explorer (GraphiQL) served to browsers on GET /graphql.
 *
 * The page is one self-contained HTML document: GraphiQL, its editor workers, styles and icons
 * are inlined by @graphql-yoga/render-graphiql, so nothing is fetched from a CDN and it works
 * offline and behind company proxies. Headers typed into the editor are not persisted, so a
 * pasted token does not outlive the tab.
 */

/** One tab of the explorer: a walk-through of a flow of the help article. */
export interface ExplorerTab {
  query: string;
  variables: Record<string, unknown>;
  headers: Record<string, string>;
}

const json = (value: unknown): string => JSON.stringify(value, null, 2);

/** The header hint: a session token (nks_…) or key secret (nkl_…), and the company to act in. */
const SIGNED_IN = {
  Authorization: 'Bearer <paste the token from Login, or a key secret>',
  'X-Company-Id': '',
};

/** Empty values are ignored by the server: no credential, the credential's own company. */
const ANONYMOUS = { Authorization: '', 'X-Company-Id': '' };

export const EXPLORER_TABS: readonly ExplorerTab[] = [
  {
    headers: ANONYMOUS,
    variables: { email: 'kari@regnskap.example', password: 'demo-password' },
    query: `# Welcome to the Nøkkel API explorer.
#
# Each request carries at most one credential, set in the
# Headers editor below:
#   "Authorization": "Bearer <token>"
#       a session token from Login (nks_…)
#       or a key secret (nkl_…)
#   "X-Company-Id": "<Company.id>"
#       the company to act in (a client of your accounting
#       office); empty: your own company
#
# 1. Run Login (password: demo-password; try ola@ or
#    per@regnskap.example and admin@bakeri.example too).
#    Copy "token" from the result.
# 2. Open the Viewer tab and paste the token into its
#    Authorization header.
# The other tabs follow the help article: create a key,
# restore it, link it to clients, API access at the client,
# and using the key at a client.

mutation Login($email: String!, $password: String!) {
  login(email: $email, password: $password) {
    token
    expiresAt
    employee {
      id
      name
      email
    }
  }
}
`,
  },
  {
    headers: SIGNED_IN,
    variables: {},
    query: `# Who is calling, in which company, with which effective
# permissions. In the Headers editor, set
#   "Authorization": "Bearer <token from Login>"
# then run.

query Viewer {
  viewer {
    employee {
      id
      name
      email
    }
    company {
      id
      name
      kind
      integrationsActive
    }
    userKey {
      id
      name
      kind
    }
    actingAtClient
    effectivePermissions
  }
}
`,
  },
  {
    headers: SIGNED_IN,
    variables: {
      input: {
        employeeId: '<Employee.id from KeyFormData>',
        applicationId: '<Application.id of Fiken Sync>',
        name: 'Fiken Sync for our clients',
        accessMode: 'COPY_EMPLOYEE',
        accountantKey: true,
      },
    },
    query: `# Create a key (brukernøkkel), logged in as
# kari@regnskap.example (an accounting office with the
# Integrations add-on active).
# 1. Run KeyFormData: your Employee.id and the applications
#    that support accountant keys.
# 2. Put the ids into the variables and run CreateKey.
#    Without accountantKey the key acts in your own company
#    only; accessMode CUSTOM takes a "permissions" list.
# The secret ("token") is shown this once: store it.

query KeyFormData {
  viewer {
    employee {
      id
      name
    }
    company {
      name
      kind
      integrationsActive
    }
  }
  applications(first: 20) {
    edges {
      node {
        id
        name
        supportsAccountantKeys
      }
    }
  }
}

mutation CreateKey($input: CreateUserKeyInput!) {
  createUserKey(input: $input) {
    token
    userKey {
      id
      name
      kind
      applicationName
      tokenHint
      permissionGrants {
        permission
        granted
        effective
        locked
      }
    }
  }
}
`,
  },
  {
    headers: SIGNED_IN,
    variables: { id: '<UserKey.id from MyKeys>' },
    query: `# Restore a key (gjenopprett): a new secret replaces the old
# one at once, and the old secret is refused from then on.
# Permissions, client links and history stay.
# 1. Run MyKeys and pick a key.
# 2. Put its id into the variables and run RestoreKey.

query MyKeys {
  userKeys(first: 20) {
    totalCount
    edges {
      node {
        id
        name
        applicationName
        kind
        status
        tokenHint
        owner {
          name
        }
        lastUsedAt
      }
    }
  }
}

mutation RestoreKey($id: ID!) {
  restoreUserKey(id: $id) {
    token
    userKey {
      id
      tokenHint
      restoredAt
    }
  }
}
`,
  },
  {
    headers: SIGNED_IN,
    variables: {
      input: {
        clientIds: ['<Company.id of a client>', '<Company.id of another client>'],
        userKeyId: '<UserKey.id of an accountant key>',
        accessTemplateId: '<AccessTemplate.id of Bokføring>',
      },
    },
    query: `# Link an accountant key to clients in bulk, under an access
# template (tilgangsmal). Needs CLIENT_ADMIN at the office.
# Every client is linked or none is: on failure the error's
# extensions.failures lists each client and why.
# 1. Run LinkFormData.
# 2. Put the ids into the variables and run LinkClients.

query LinkFormData {
  accessTemplates {
    id
    name
    permissions
  }
  clients(first: 50) {
    edges {
      node {
        company {
          id
          name
        }
        apiAccess
      }
    }
  }
  userKeys(filter: { kind: ACCOUNTANT, status: ACTIVE }) {
    edges {
      node {
        id
        name
        applicationName
      }
    }
  }
}

mutation LinkClients($input: BulkLinkClientsInput!) {
  bulkLinkClients(input: $input) {
    linkedCount
    links {
      client {
        name
      }
      template {
        name
        permissions
      }
    }
  }
}
`,
  },
  {
    headers: SIGNED_IN,
    variables: { input: { accountingOfficeId: '<Company.id of Regnskap AS>', enabled: true } },
    query: `# API access at the client: the client decides whether its
# accounting office's keys may call the API. Done in the
# client by someone with ACCOUNT_ADMIN there: log in as
# admin@bakeri.example (Login tab) and use that token here.
# 1. Run ClientCompany to see where you act.
# 2. Put the office's Company.id (from Viewer, as kari@)
#    into the variables and run SetApiAccess.
# With enabled: false, every key of the office stops working
# at this client on the next request.

query ClientCompany {
  company {
    id
    name
    kind
  }
}

mutation SetApiAccess($input: SetAccountantApiAccessInput!) {
  setAccountantApiAccess(input: $input) {
    company {
      name
    }
    office {
      id
      name
    }
    apiAccess
    apiAccessChangedAt
  }
}
`,
  },
  {
    headers: {
      Authorization: 'Bearer <the key secret (nkl_…) from CreateKey or RestoreKey>',
      'X-Company-Id': '<Company.id of a client the key is linked to>',
    },
    variables: {},
    query: `# Use an accountant key at a client: its secret in
# Authorization, the client's Company.id in X-Company-Id.
# There it may do what the key, its owner and the link's
# template all allow, and nothing while the client's API
# access is off.

query AtTheClient {
  viewer {
    company {
      name
    }
    userKey {
      name
      applicationName
    }
    actingAtClient
    accessTemplate {
      name
    }
    effectivePermissions
  }
  customers(first: 10) {
    totalCount
    edges {
      node {
        id
        name
        orgNumber
      }
    }
  }
}
`,
  },
  {
    headers: { Authorization: 'Bearer <an accountant key secret (nkl_…)>', 'X-Company-Id': '' },
    variables: { canAct: null },
    query: `# Where can this key act? An accountant key reads, without
# X-Company-Id, every client it is linked to: what it may
# do there and, where it cannot act, why (the client's API
# switch is off, the client blocked it, its owner is
# deactivated, nothing is left of key ∩ owner ∩ template…).
# Set canAct to true or false to see only one side.

query WhereCanThisKeyAct($canAct: Boolean) {
  viewer {
    userKey {
      name
      reach(first: 50, canAct: $canAct) {
        totalCount
        edges {
          node {
            client {
              id
              name
            }
            template {
              name
            }
            effectivePermissions
            canAct
            blockedReason
          }
        }
      }
    }
  }
}
`,
  },
  {
    headers: SIGNED_IN,
    variables: { input: { officeId: '<Company.id of the office>', userKeyId: '<UserKey.id>', blocked: true } },
    query: `# Who acts in my books? Log in as the client's account
# administrator (admin@bakeri.example) and run WhoActsInMyBooks:
# every accounting office keeping your books, and each of its
# keys and people that can act here, with what they may do.
# BlockOne stops one key, one application (applicationId) or
# one person (employeeId) here only, from their next request;
# blocked: false lifts it. SensitiveReads lists every salary
# or employee read made with a key in your books.

query WhoActsInMyBooks {
  company {
    accountingOffices {
      office {
        id
        name
      }
      apiAccess
      access(first: 50) {
        edges {
          node {
            userKey {
              id
              name
            }
            employee {
              id
              name
            }
            application {
              id
              name
            }
            template {
              name
            }
            effectivePermissions
            lastUsedAt
            blockedByClient
          }
        }
      }
    }
  }
}

mutation BlockOne($input: SetClientBlockInput!) {
  setClientBlock(input: $input)
}

query SensitiveReads {
  sensitiveReads(first: 20) {
    edges {
      node {
        at
        field
        userKey {
          name
        }
      }
    }
  }
}
`,
  },
  {
    headers: SIGNED_IN,
    variables: { first: 20, types: ['client.api_access_changed', 'user_key.permissions_reduced'] },
    query: `# Access events: every change of access to your company's
# keys and clients (a key created, restored or revoked, its
# permissions reduced, a client's API switch, a link), oldest
# first. Poll with "after" set to the last endCursor, or leave
# "types" out for every type. Needs ACCOUNT_ADMIN or
# USER_ADMIN; webhooks deliver the same events.

query AccessEvents($first: Int, $after: String, $types: [String!]) {
  accessEvents(first: $first, after: $after, types: $types) {
    pageInfo {
      hasNextPage
      endCursor
    }
    edges {
      node {
        id
        type
        at
        data
      }
    }
  }
}
`,
  },
];

const KEY_LOGO =
  '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 24 24" width="28" height="28" aria-hidden="true">' +
  '<circle cx="7" cy="12" r="4.5" fill="none" stroke="currentColor" stroke-width="2"/>' +
  '<path d="M11.5 12H22M18 12v4M21 12v3" fill="none" stroke="currentColor" stroke-width="2"/></svg>';

type ExplorerOptions = NonNullable<Parameters<typeof renderGraphiQL>[0]>;

let page: string | null = null;

/** The GraphiQL page: one self-contained HTML document (no CDN), so it works offline. */
export function explorerPage(): string {
  if (page !== null) return page;
  const [first] = EXPLORER_TABS;
  // GraphiQL takes the first tab's query from defaultTabs but its variables and headers only from
  // the initial values: give them too, or Login starts with empty variables.
  const options: ExplorerOptions & { variables: string } = {
    title: 'Nøkkel API explorer',
    logo: KEY_LOGO,
    endpoint: '/graphql',
    defaultTabs: EXPLORER_TABS.map((tab) => ({
      query: tab.query,
      variables: json(tab.variables),
      headers: json(tab.headers),
    })),
    variables: json(first.variables),
    headers: json(first.headers),
    isHeadersEditorEnabled: true,
    defaultEditorToolsVisibility: 'headers',
    shouldPersistHeaders: false,
    credentials: 'omit',
  };
  page = renderGraphiQL(options);
  return page;
}

/**
 * The browser may load nothing from elsewhere: everything the page needs is inline (GraphiQL's
 * bundle, styles, the logo) and it talks only to this server.
 */
export const EXPLORER_CSP = [
  "default-src 'none'",
  "script-src 'self' 'unsafe-inline' 'unsafe-eval' blob:",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data: blob:",
  "font-src 'self' data:",
  "connect-src 'self'",
  "worker-src 'self' blob:",
  "frame-ancestors 'none'",
  "base-uri 'none'",
  "form-action 'none'",
].join('; ');

let gzipped: Buffer | null = null;

/** The explorer page as an HTTP body: gzip when the browser accepts it (the page is ~9 MB, ~2 MB gzipped). */
export function explorerBody(acceptEncoding: string | undefined): { body: Buffer; headers: Record<string, string> } {
  const headers = {
    'content-type': 'text/html; charset=utf-8',
    'content-security-policy': EXPLORER_CSP,
    vary: 'accept-encoding',
  };
  if (/\bgzip\b/.test(acceptEncoding ?? '')) {
    gzipped ??= gzipSync(explorerPage(), { level: 9 });
    return { body: gzipped, headers: { ...headers, 'content-encoding': 'gzip' } };
  }
  return { body: Buffer.from(explorerPage(), 'utf8'), headers };
}
