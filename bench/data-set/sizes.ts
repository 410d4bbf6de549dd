/** How much data to build. The bench uses BENCH_SIZES, the load script LOAD_SIZES. */
export interface DataSizes {
  clients: number;
  /** More client companies of the office, without links or customers: targets of bulkLinkClients only. */
  bulkOnlyClients: number;
  employees: number;
  /** Employees with every permission (the first ones); accountant keys belong to them. */
  fullEmployees: number;
  /** User keys shown in the overview: every other one is an ACCOUNTANT key. */
  userKeys: number;
  /** Client links per accountant key: links = userKeys / 2 × this. */
  linksPerAccountantKey: number;
  customers: number;
  /** Share of the customers at the main client (the partner and deep-page scenarios read there). */
  mainClientShare: number;
  /** Accountant keys whose secrets are kept, each linked to the main client under a read template. */
  partnerKeys: number;
  /** Fresh accountant keys without links, for bulkLinkClients (API and raw insert). */
  bulkKeys: number;
  /** Keys reserved for restoreUserKey. */
  restoreKeys: number;
  /** Accountant keys reserved for linkClient / unlinkClients. */
  linkEditKeys: number;
  /** Rows per INSERT statement. */
  chunkRows: number;
}

export const BENCH_SIZES: DataSizes = {
  clients: 2000,
  bulkOnlyClients: 3000,
  employees: 100,
  fullEmployees: 10,
  userKeys: 1000,
  linksPerAccountantKey: 40,
  customers: 100_000,
  mainClientShare: 0.95,
  partnerKeys: 4,
  bulkKeys: 12,
  restoreKeys: 0,
  linkEditKeys: 0,
  chunkRows: 2000,
};

/** The load script's data set: smaller, with keys reserved for restores and link edits. */
export const LOAD_SIZES: DataSizes = {
  ...BENCH_SIZES,
  clients: 300,
  bulkOnlyClients: 0,
  employees: 30,
  fullEmployees: 5,
  userKeys: 300,
  linksPerAccountantKey: 10,
  customers: 20_000,
  mainClientShare: 0.5,
  partnerKeys: 8,
  bulkKeys: 0,
  restoreKeys: 600,
  linkEditKeys: 10,
};

export interface PartnerKey {
  keyId: string;
  /** The key's secret; kept in memory only, never printed. */
  token: string;
  clientId: string;
  /** Whether the key carries the network allowlist (all partner keys but the last). */
  allowlisted: boolean;
}

export interface BenchData {
  officeId: string;
  mainClientId: string;
  clientIds: string[];
  /** Every client of the office: clientIds, then the bulk-only clients. */
  allClientIds: string[];
  templates: { bookkeeping: string; readOnly: string; payroll: string };
  /** An office employee with every permission: logs in through the API. */
  admin: { id: string; email: string; password: string };
  partners: PartnerKey[];
  bulkKeyIds: string[];
  restoreKeyIds: string[];
  linkEditKeyIds: string[];
  /** The main client's customers in id order: the first page, and the id after which the last page starts. */
  mainCustomers: { count: number; firstIds: string[]; lastIds: string[]; deepAfterId: string };
}
