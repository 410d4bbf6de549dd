#!/usr/bin/env bash
# The help article (../shared/seed/api-tilgang.no.txt) walked through the API with the demo data.
# Start the server first (`npm start`, demo data on), then: bash scripts/walkthrough.sh
# URL=http://127.0.0.1:4000/graphql by default. Needs curl and node.
set -euo pipefail
URL=${URL:-http://127.0.0.1:4000/graphql}

# gql <token or -> <company id or -> <query> [variables json]  — prints the JSON answer
gql() {
  local body
  body=$(node -e 'process.stdout.write(JSON.stringify({ query: process.argv[1], variables: JSON.parse(process.argv[2]) }))' "$3" "${4:-{\}}")
  curl -s "$URL" -H 'content-type: application/json' \
    ${1:+$([ "$1" != - ] && printf -- '-H\nauthorization: Bearer %s' "$1")} \
    ${2:+$([ "$2" != - ] && printf -- '-H\nx-company-id: %s' "$2")} \
    -d "$body"
}
# pick <json> <path.to.value>  — one value out of an answer
pick() { node -e 'let v = JSON.parse(process.argv[1]); for (const k of process.argv[2].split(".")) v = v?.[k]; process.stdout.write(typeof v === "string" ? v : JSON.stringify(v))' "$1" "$2"; }
step() { printf '\n\033[1m%s\033[0m\n' "$*"; }
# show <json>  — the data, and each error as its code and message
show() {
  node -e 'const r = JSON.parse(process.argv[1]);
    if (r.data) console.log(JSON.stringify(r.data, null, 2));
    for (const e of r.errors ?? []) console.log(`${e.extensions?.code}: ${e.message}`);' "$1"
}

IFS=$'\n'
LOGIN='mutation ($email: String!) { login(email: $email, password: "demo-password") { token employee { id name } } }'
KARI=$(pick "$(gql - - "$LOGIN" '{"email":"kari@regnskap.example"}')" data.login.token)
OLA_ID=$(pick "$(gql - - "$LOGIN" '{"email":"ola@regnskap.example"}')" data.login.employee.id)

step "1. The Integrations add-on (Regnskap AS has it already; activating again changes nothing)"
show "$(gql "$KARI" - 'mutation { activateIntegrations(acceptTerms: true) { name integrationsActive integrationsActivatedAt integrationsActivatedBy { name } } }')"

step "2–3. A user key on Ola with “Alle tilganger”: only what Ola has is effective, the rest is locked"
CREATED=$(gql "$KARI" - 'mutation ($i: CreateUserKeyInput!) { createUserKey(input: $i) { token userKey { id name applicationName tokenHint effectivePermissions permissionGrants { permission effective locked } } } }' \
  "{\"i\":{\"employeeId\":\"$OLA_ID\",\"customApplicationName\":\"Ola sin timeføring\",\"name\":\"Timer fra mobilen\",\"accessMode\":\"ALL_ACCESS\"}}")
KEY=$(pick "$CREATED" data.createUserKey.token)
KEY_ID=$(pick "$CREATED" data.createUserKey.userKey.id)
echo "the secret is shown once (here it is kept in \$KEY); the overview shows $(pick "$CREATED" data.createUserKey.userKey.tokenHint)"
echo "effective: $(pick "$CREATED" data.createUserKey.userKey.effectivePermissions)"

step "Using the key: registering hours works, reading customers does not (Ola cannot)"
show "$(gql "$KEY" - 'mutation { registerHours(input: { date: "2026-11-25", hours: 2.5, description: "Fra integrasjonen" }) { date hours employee { name } } }')"
show "$(gql "$KEY" - '{ customers { totalCount } }')"

step "FAQ: the key's access is edited; it cannot get anything Ola does not have"
SET_KEY='mutation ($id: ID!, $p: [Permission!]!) { setUserKeyPermissions(id: $id, permissions: $p) { permissions effectivePermissions } }'
show "$(gql "$KARI" - "$SET_KEY" "{\"id\":\"$KEY_ID\",\"p\":[\"LOGIN\",\"HOURS_REGISTER\"]}")"
show "$(gql "$KARI" - "$SET_KEY" "{\"id\":\"$KEY_ID\",\"p\":[\"LOGIN\",\"HOURS_REGISTER\",\"CUSTOMER_READ\"]}")"

step "FAQ: a lost key is restored: a new secret, and the old one stops working"
RESTORED=$(gql "$KARI" - 'mutation ($id: ID!) { restoreUserKey(id: $id) { token userKey { tokenHint } } }' "{\"id\":\"$KEY_ID\"}")
NEW_KEY=$(pick "$RESTORED" data.restoreUserKey.token)
echo "old secret: $(pick "$(gql "$KEY" - '{ viewer { employee { name } } }')" errors.0.extensions.code)"
echo "new secret: $(pick "$(gql "$NEW_KEY" - '{ viewer { employee { name } } }')" data.viewer.employee.name)"

step "Accounting office: an accountant key for Fiken Sync (accountant keys supported)"
FIKEN=$(pick "$(gql - - '{ applications(search: "Fiken") { edges { node { id } } } }')" data.applications.edges.0.node.id)
KARI_ID=$(pick "$(gql "$KARI" - '{ viewer { employee { id } } }')" data.viewer.employee.id)
ACC=$(gql "$KARI" - 'mutation ($i: CreateUserKeyInput!) { createUserKey(input: $i) { token userKey { id kind } } }' \
  "{\"i\":{\"employeeId\":\"$KARI_ID\",\"applicationId\":\"$FIKEN\",\"name\":\"Fiken for klientene\",\"accessMode\":\"COPY_EMPLOYEE\",\"accountantKey\":true}}")
ACC_KEY=$(pick "$ACC" data.createUserKey.token)
ACC_ID=$(pick "$ACC" data.createUserKey.userKey.id)

step "4.1 Link the key to several clients at once under the access template “Bokføring”"
CLIENTS=$(gql "$KARI" - '{ clients { edges { node { company { id name } } } } accessTemplates { id name } }')
BAKERI=$(pick "$CLIENTS" data.clients.edges.0.node.company.id)
FJORD=$(pick "$CLIENTS" data.clients.edges.1.node.company.id)
BOKFORING=$(pick "$CLIENTS" data.accessTemplates.0.id)
KUN_LESE=$(pick "$CLIENTS" data.accessTemplates.1.id)
show "$(gql "$KARI" - 'mutation ($i: BulkLinkClientsInput!) { bulkLinkClients(input: $i) { linkedCount links { client { name } template { name } } } }' \
  "{\"i\":{\"clientIds\":[\"$BAKERI\",\"$FJORD\"],\"userKeyId\":\"$ACC_ID\",\"accessTemplateId\":\"$BOKFORING\"}}")"

step "4.2 …or one client at a time (re-linking changes the template): Fjord Fisk under “Kun lese”"
show "$(gql "$KARI" - 'mutation ($i: LinkClientInput!) { linkClient(input: $i) { client { name } template { name permissions } } }' \
  "{\"i\":{\"clientId\":\"$FJORD\",\"userKeyId\":\"$ACC_ID\",\"accessTemplateId\":\"$KUN_LESE\"}}")"

step "5. The integration logs in with the key and names the client it acts at"
show "$(gql "$ACC_KEY" "$BAKERI" '{ viewer { company { name } effectivePermissions } customers(first: 3) { totalCount edges { node { name } } } }')"
echo "without X-Company-Id: $(pick "$(gql "$ACC_KEY" - '{ viewer { company { name } } }')" errors.0.message)"

step "6. API access in the client: Bakeri's administrator turns it off — the key stops there, and only there"
BAKERI_ADMIN=$(pick "$(gql - - "$LOGIN" '{"email":"admin@bakeri.example"}')" data.login.token)
OFFICE=$(pick "$(gql "$KARI" - '{ company { id } }')" data.company.id)
show "$(gql "$BAKERI_ADMIN" - 'mutation ($i: SetAccountantApiAccessInput!) { setAccountantApiAccess(input: $i) { company { name } apiAccess accountant { name } } }' \
  "{\"i\":{\"accountingOfficeId\":\"$OFFICE\",\"accountantEmployeeId\":\"$KARI_ID\",\"enabled\":false}}")"
echo "at Bakeri:    $(pick "$(gql "$ACC_KEY" "$BAKERI" '{ customers { totalCount } }')" errors.0.extensions.code)"
echo "at Fjord Fisk: $(pick "$(gql "$ACC_KEY" "$FJORD" '{ customers { totalCount } }')" data.customers.totalCount) customers"
gql "$BAKERI_ADMIN" - 'mutation ($i: SetAccountantApiAccessInput!) { setAccountantApiAccess(input: $i) { apiAccess } }' \
  "{\"i\":{\"accountingOfficeId\":\"$OFFICE\",\"enabled\":true}}" > /dev/null
echo "switched on again, at Bakeri: $(pick "$(gql "$ACC_KEY" "$BAKERI" '{ customers { totalCount } }')" data.customers.totalCount) customers"

step "Everything above is in the audit log"
show "$(gql "$KARI" - '{ auditEvents(first: 8) { edges { node { at action actorEmployee { name } actorUserKey { name } } } } }')"
