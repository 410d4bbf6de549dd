import { loadSdkOperations } from './sdk-operations';

/** One tab of the explorer: a walk-through of a flow of the help article. */
export interface ExplorerTab {
  query: string;
  variables: Record<string, unknown>;
  headers: Record<string, string>;
}

/** A tab as written here: what it is for, and the SDK operations it runs (the first names the tab). */
interface TabSpec {
  intro: string;
  operations: readonly string[];
  variables?: Record<string, unknown>;
  headers?: Record<string, string>;
}

/** Empty values are ignored by the server, and leave the bar's token and company in force. */
const SHARED = { Authorization: '', 'X-Company-Id': '' };

const TABS: readonly TabSpec[] = [
  {
    operations: ['login'],
    variables: { email: 'kari@regnskap.example', password: 'demo-password' },
    intro: `Welcome to the Nøkkel API explorer. Every tab runs the
SDK's operations of the same name (client-sdk/operations).

Each request carries at most one credential. Set it once,
for every tab, in the bar at the top:
  Token: a session token from login (nks_…)
         or a key secret (nkl_…)
  X-Company-Id: the company to act in (a client of your
         accounting office); empty: your own company
A tab's own Headers editor ("Authorization": "Bearer …",
"X-Company-Id": "…") wins over the bar for that tab.

1. Run login (password: demo-password; try ola@ or
   per@regnskap.example and admin@bakeri.example too).
   Its token goes into the bar by itself.
2. Open the viewer tab and run it.
The other tabs follow the help article: create a key,
restore it, link it to clients, API access at the client,
and using the key at a client.`,
  },
  {
    operations: ['viewer'],
    intro: `Who is calling, in which company, with which effective
permissions, with the token in the bar at the top (run
login first).`,
  },
  {
    operations: ['createUserKey', 'applications'],
    variables: {
      search: 'Fiken Sync',
      input: {
        employeeId: '<Employee.id from viewer>',
        applicationId: '<Application.id of Fiken Sync>',
        name: 'Fiken Sync for our clients',
        accessMode: 'COPY_EMPLOYEE',
        accountantKey: true,
      },
    },
    intro: `Create a key (brukernøkkel), logged in as
kari@regnskap.example (an accounting office with the
Integrations add-on active).
1. Run applications (the run button offers each operation):
   the catalog; take Fiken Sync's id. Your Employee.id is in
   the viewer tab.
2. Put the ids into the variables and run createUserKey.
   Without accountantKey the key acts in your own company
   only; accessMode CUSTOM takes a "permissions" list.
The secret ("token") is shown this once: store it.`,
  },
  {
    operations: ['restoreUserKey', 'userKeys'],
    variables: { id: '<UserKey.id from userKeys>', compromised: false, keepPreviousSecretFor: 0 },
    intro: `Restore a key (gjenopprett): a new secret replaces the old
one, and the old secret is refused from then on. Permissions,
client links and history stay.
Rotate without an outage: keepPreviousSecretFor keeps the old
secret working that many seconds (at most 604800, a week),
until previousSecretExpiresAt. A secret that leaked is
restored with compromised: true instead, which never keeps
the old one and revokes what it created.
1. Run userKeys and pick a key.
2. Put its id into the variables and run restoreUserKey.`,
  },
  {
    operations: ['bulkLinkClients', 'clients', 'accessTemplates'],
    variables: {
      input: {
        clientIds: ['<Client.company.id from clients>'],
        userKeyId: '<UserKey.id of the accountant key>',
        accessTemplateId: '<AccessTemplate.id from accessTemplates>',
      },
    },
    intro: `Link an accountant key to clients in bulk, under an access
template (tilgangsmal). Needs CLIENT_ADMIN at the office.
Every client is linked or none is: on failure the error's
extensions.failures lists each client and why.
1. Run clients and accessTemplates.
2. Put the ids into the variables and run bulkLinkClients.`,
  },
  {
    operations: ['setAccountantApiAccess', 'companyAccountingOffices'],
    variables: { input: { accountingOfficeId: '<Company.id of the accounting office>', enabled: false } },
    intro: `API access at the client: the client decides whether its
accounting office's keys may call the API. Done in the
client by someone with ACCOUNT_ADMIN there: log in as
admin@bakeri.example (login tab: the bar takes its token).
1. Run companyAccountingOffices: the offices keeping your
   books, with their ids.
2. Put the office's id into the variables and run
   setAccountantApiAccess.
With enabled: false, every key of the office stops working
at this client on the next request.`,
  },
  {
    operations: ['customers'],
    variables: { first: 20 },
    intro: `Use an accountant key at a client: its secret as the
token in the bar (or this tab's Authorization header), the
client's Company.id as X-Company-Id.
There it may do what the key, its owner and the link's
template all allow, and nothing while the client's API
access is off.`,
  },
  {
    operations: ['setUserKeyAllowedNetworks', 'userKey'],
    variables: { id: '<UserKey.id from userKeys>', cidrs: ['127.0.0.1/32'] },
    intro: `Where a key may be used from. userKey shows
recentNetworks, the networks (/24, /64) it was used from in
the last 30 days; copy them into cidrs (IPv4 and IPv6 CIDRs,
at most 50; an empty list means anywhere). A request from
elsewhere is refused with NETWORK_NOT_ALLOWED.`,
  },
  {
    operations: ['setKeyPolicy', 'company'],
    variables: { input: { requireExpiry: true, maxLifetimeDays: 365, expireUnusedAfterDays: 90 } },
    intro: `The company's key policy (needs ACCOUNT_ADMIN): every key
with an expiry, at most maxLifetimeDays ahead, and keys
unused for expireUnusedAfterDays expire by themselves.
Creating, restoring or changing a key outside it is refused
with KEY_POLICY_VIOLATION, naming the limit. company shows
the policy in force.`,
  },
  {
    operations: ['reportLeakedSecrets'],
    variables: { secrets: ['nkl_paste-a-secret-found-in-public'] },
    intro: `Found a Nøkkel key secret (nkl_…) somewhere public? Report
it: no login needed. Every active key among the strings is
revoked, with the keys it created or restored. The answer is
always true, whatever the strings were.`,
  },
  {
    operations: ['viewerReach'],
    variables: { first: 50, canAct: null },
    intro: `Where can this key act? An accountant key (its secret as
the token in the bar) reads, without X-Company-Id, every client it is linked to: what it may
do there and, where it cannot act, why (the client's API
switch is off, the client blocked it, its owner is
deactivated, nothing is left of key ∩ owner ∩ template…).
Set canAct to true or false to see only one side.`,
  },
  {
    operations: ['companyAccountingOffices', 'setClientBlock', 'sensitiveReads'],
    variables: {
      accessFirst: 50,
      input: { officeId: '<Company.id of the office>', userKeyId: '<UserKey.id>', blocked: true },
      first: 20,
    },
    intro: `Who acts in my books? Log in as the client's account
administrator (admin@bakeri.example) and run
companyAccountingOffices: every accounting office keeping
your books, and each of its keys and people that can act
here, with what they may do.
setClientBlock stops one key, one application
(applicationId) or one person (employeeId) here only, from
their next request; blocked: false lifts it. sensitiveReads
lists every salary or employee read made with a key in your
books.`,
  },
  {
    operations: ['accessEvents'],
    variables: { first: 20, types: null },
    intro: `Access events: every change of access to your company's
keys and clients (a key created, restored or revoked, its
permissions reduced, a client's API switch, a link), oldest
first. Poll with "after" set to the last endCursor, or leave
"types" out for every type. Needs ACCOUNT_ADMIN or
USER_ADMIN; webhooks deliver the same events.`,
  },
];

const comment = (text: string) =>
  text
    .split('\n')
    .map((line) => (line ? `# ${line}` : '#'))
    .join('\n');

let tabs: readonly ExplorerTab[] | null = null;

/** The explorer's tabs, built from the SDK's operations the first time they are asked for. */
export function explorerTabs(): readonly ExplorerTab[] {
  if (tabs) return tabs;
  const sdk = loadSdkOperations();
  tabs = TABS.map((tab) => ({
    query: `${comment(tab.intro)}\n\n${sdk.document(tab.operations)}`,
    variables: tab.variables ?? {},
    headers: tab.headers ?? SHARED,
  }));
  return tabs;
}

/** The SDK operations of each tab, in order (tests compare them with the SDK's). */
export const EXPLORER_TAB_OPERATIONS: readonly (readonly string[])[] = TABS.map((tab) => tab.operations);
