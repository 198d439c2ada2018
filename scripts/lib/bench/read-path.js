// @ts-check
'use strict';
/**
 * The read-path benchmark: `GET /v1/customers` (a partner's customers by company name, keyset
 * pages, optionally only those associated with one indirect reseller) with 100,000 customers
 * under one indirect provider.
 *
 * Data: the indirect provider and its indirect resellers enroll through the API (identity holds
 * nothing else that the list reads); the relationships database gets, in bulk SQL
 * (`generate_series`), the provider's partnerships with its resellers, the customers, the
 * provider's reseller relationship with every customer (most associated with one of the resellers,
 * round-robin, the rest the provider's own) and each associated reseller's own relationship (with
 * delegated admin privileges), as `POST /v1/customers` on a reseller's behalf writes them; then
 * `VACUUM (ANALYZE)`, as autovacuum would soon after, and 10 s of walks as warm-up.
 *
 * Figures: from one client, sequentially, latency p50/p95/p99 of first pages and of seek pages
 * (following `links.next`), with and without the indirect reseller filter; then requests/s from
 * many connections (autocannon); and the plans of the list's queries (`EXPLAIN ANALYZE`).
 */
const autocannon = require('autocannon');
const http = require('node:http');
const { performance } = require('node:perf_hooks');
const { connect } = require('./bench-system');
const { startCpuMeter } = require('./cpu');
const { enrollPartner, mapLimit, signIn } = require('./partners');
const { monotonicUs } = require('./profile');
const { percentiles } = require('./stats');

/**
 * How long walks (a first page and its seek pages) are sent before measuring: until V8 has
 * optimized the list's code paths. After the 40 walks (200 requests) used before, the 2,000
 * measured requests were still partly run by code being optimized: p50 3.6-4.6 ms and p99
 * 12.3-15.7 ms in two runs, against 2.6 ms and 10.1 ms after 600 walks (about 10 s), same machine.
 */
const WARMUP_MS = 10_000;
/**
 * A page after `token`: `path` with `seek=<token>` added (our shorthand of Partner Center's
 * `seekOperation=Next` with the `MS-ContinuationToken` header).
 * @param {string} path @param {string} token
 */
function seekPath(path, token) {
  return `${path}${path.includes('?') ? '&' : '?'}seek=${encodeURIComponent(token)}`;
}

/**
 * @typedef {object} ReadPathOptions
 * @property {number} customers       customers under the provider
 * @property {number} resellers       indirect resellers the customers are spread across
 * @property {number} requests        sequential requests (half without, half with the filter)
 * @property {number} depth           pages per walk: the first page, then `depth - 1` seek pages
 * @property {number} pageSize        `size` of every page
 * @property {number} connections     autocannon connections
 * @property {number} duration        autocannon seconds
 */

/** The `sub` (user id) of an access token. @param {string} token */
function subjectOf(token) {
  return JSON.parse(Buffer.from(token.split('.')[1], 'base64url').toString('utf8')).sub;
}

/** A company name for customer `i`, spread over the alphabet. */
const NAME_SQL = `(array['Adatum','Alpine Ski House','Bellows College','Coho Winery','Contoso','Fabrikam','Fourth Coffee','Litware','Lucerne Publishing','Margie Travel','Northwind Traders','Proseware','Tailspin Toys','Wingtip Toys','Woodgrove Bank','Wide World Importers'])[1 + (i % 16)] || ' ' || substr(md5(i::text), 1, 10)`;
/** The default domain of customer i (the same on its relationships, issue 11's `Domain` filter). */
const DOMAIN_SQL = `'bench' || i || '-' || $1 || '.onmicrosoft.example'`;

/**
 * Seeds the relationships database.
 * @param {import('../system').Settings} settings
 * @param {{ provider: import('./partners').BenchPartner, resellers: (import('./partners').BenchPartner & { userId: string })[], customers: number, seed: string }} data
 */
async function seed(settings, data) {
  const db = await connect(settings, settings.databases.relationships);
  try {
    await db.query('BEGIN');
    for (const reseller of data.resellers) {
      await db.query(
        `INSERT INTO partnership (id, provider_tenant_id, reseller_tenant_id, provider_name, provider_mpn_id,
           provider_country, reseller_name, reseller_mpn_id, reseller_country, status, established_at,
           authorized_by_user_id, created_at, updated_at)
         VALUES (gen_random_uuid(), $1, $2, $3, $4, 'US', $5, $6, 'US', 'active', now(), $7, now(), now())`,
        [
          data.provider.tenantId,
          reseller.tenantId,
          data.provider.name,
          data.provider.mpnId,
          reseller.name,
          reseller.mpnId,
          reseller.userId,
        ],
      );
    }
    const groups = data.resellers.length + 1;
    const resellerIds = data.resellers.map((r) => r.tenantId);
    await db.query(
      `INSERT INTO customer (id, company_name, domain, country, cloud, created_at, updated_at)
       SELECT md5($1 || i)::uuid, ${NAME_SQL}, ${DOMAIN_SQL},
              'US', 'public', now(), now()
         FROM generate_series(1, $2::int) AS i`,
      [data.seed, data.customers],
    );
    // The provider's relationship with every customer; customer i is associated with reseller
    // i mod (resellers + 1) (0: none, the provider's own customer).
    await db.query(
      `INSERT INTO reseller_relationship (id, partner_tenant_id, partner_type, customer_id, customer_name,
         customer_domain, indirect_reseller_id, status, established_at, delegated_admin_status,
         delegated_admin_granted_at, created_at, updated_at)
       SELECT gen_random_uuid(), $2, 'indirect_provider', md5($1 || i)::uuid, ${NAME_SQL},
              ${DOMAIN_SQL},
              CASE WHEN i % $4::int = 0 THEN NULL ELSE ($5::uuid[])[i % $4::int] END,
              'active', now(), 'active', now(), now(), now()
         FROM generate_series(1, $3::int) AS i`,
      [data.seed, data.provider.tenantId, data.customers, groups, resellerIds],
    );
    // Each associated reseller's own relationship, with delegated admin privileges.
    await db.query(
      `INSERT INTO reseller_relationship (id, partner_tenant_id, partner_type, customer_id, customer_name,
         customer_domain, indirect_reseller_id, status, established_at, delegated_admin_status,
         delegated_admin_granted_at, created_at, updated_at)
       SELECT gen_random_uuid(), ($4::uuid[])[i % $3::int], 'indirect_reseller', md5($1 || i)::uuid,
              ${NAME_SQL}, ${DOMAIN_SQL}, NULL, 'active', now(), 'active', now(), now(), now()
         FROM generate_series(1, $2::int) AS i
        WHERE i % $3::int <> 0`,
      [data.seed, data.customers, groups, resellerIds],
    );
    await db.query('COMMIT');
    // Vacuumed and analyzed now, as autovacuum would soon after such an insert: otherwise its
    // insert-triggered vacuum of 200,000 new rows runs during the measurement, on the same cores.
    await db.query('VACUUM (ANALYZE) customer');
    await db.query('VACUUM (ANALYZE) reseller_relationship');
    await db.query('VACUUM (ANALYZE) partnership');
    const { rows } = await db.query(
      `SELECT count(*)::int AS n FROM reseller_relationship WHERE partner_tenant_id = $1 AND status = 'active'`,
      [data.provider.tenantId],
    );
    return { providerCustomers: rows[0].n };
  } catch (error) {
    await db.query('ROLLBACK').catch(() => undefined);
    throw error;
  } finally {
    await db.end();
  }
}

/**
 * One GET over a keep-alive agent; the time is from the request to the last byte of the answer.
 * @param {http.Agent} agent @param {string} base @param {string} path @param {string} token
 * @returns {Promise<{ status: number, ms: number, body: any }>}
 */
function get(agent, base, path, token) {
  const url = new URL(path, base);
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const req = http.request(
      url,
      { method: 'GET', agent, headers: { authorization: `Bearer ${token}` } },
      (res) => {
        /** @type {Buffer[]} */
        const chunks = [];
        res.on('data', (chunk) => chunks.push(chunk));
        res.on('end', () => {
          const ms = performance.now() - started;
          let body;
          try {
            body = JSON.parse(Buffer.concat(chunks).toString('utf8'));
          } catch {
            body = undefined;
          }
          resolve({ status: res.statusCode ?? 0, ms, body });
        });
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end();
  });
}

/**
 * The plan of the list's query as the service sends it (CustomersService.list: one statement, the
 * page of relationships joined to their customers): the first page and a seek page, with and
 * without the indirect reseller filter.
 * @param {import('../system').Settings} settings
 * @param {{ provider: string, reseller: string, pageSize: number, cursor: { name: string, id: string } | null }} q
 */
async function explain(settings, q) {
  const db = await connect(settings, settings.databases.relationships);
  /** @param {string} filters */
  const listSql = (filters) =>
    `select r.customer_id, r.customer_name, r.indirect_reseller_id, r.delegated_admin_status,
            coalesce(c.company_name, r.customer_name) as company_name,
            coalesce(c.domain, '') as domain, coalesce(c.country, '') as country
       from reseller_relationship r
       left join customer c on c.id = r.customer_id
      where r.partner_tenant_id = $1 and r.status = 'active'${filters}
      order by r.customer_name asc, r.customer_id asc
      limit ${q.pageSize + 1}`;
  /** @type {[string, string, unknown[]][]} */
  const queries = [
    ['first page', listSql(''), [q.provider]],
    [
      'first page, by indirect reseller',
      listSql(' and r.indirect_reseller_id = $2'),
      [q.provider, q.reseller],
    ],
  ];
  if (q.cursor) {
    queries.push(
      [
        'seek page',
        listSql(' and (r.customer_name, r.customer_id) > ($2, $3::uuid)'),
        [q.provider, q.cursor.name, q.cursor.id],
      ],
      [
        'seek page, by indirect reseller',
        listSql(
          ' and r.indirect_reseller_id = $2 and (r.customer_name, r.customer_id) > ($3, $4::uuid)',
        ),
        [q.provider, q.reseller, q.cursor.name, q.cursor.id],
      ],
    );
  }
  try {
    const plans = [];
    for (const [name, sql, params] of queries) {
      const { rows } = await db.query(`EXPLAIN (ANALYZE, BUFFERS, FORMAT JSON) ${sql}`, params);
      const plan = rows[0]['QUERY PLAN'][0];
      plans.push({ name, executionMs: plan['Execution Time'], plan: planLine(plan.Plan) });
    }
    return plans;
  } finally {
    await db.end();
  }
}

/**
 * A plan tree in one line, children in brackets:
 * `Limit → Nested Loop Left Join [Index Scan using x (101); Index Scan using customer_pkey (1×101)]`.
 * @param {any} node
 */
function planLine(node) {
  const loops =
    node['Actual Loops'] > 1
      ? `${node['Actual Rows']}×${node['Actual Loops']}`
      : node['Actual Rows'];
  const self = `${node['Node Type']}${node['Index Name'] ? ` using ${node['Index Name']}` : ''} (${loops})`;
  /** @type {any[]} */
  const children = node.Plans ?? [];
  if (children.length === 0) return self;
  if (children.length === 1) return `${self} → ${planLine(children[0])}`;
  return `${self} [${children.map(planLine).join('; ')}]`;
}

/**
 * @param {{ runId: string, settings: import('../system').Settings, urls: { identity: string, relationships: string }, sink: import('./sink').Sink, processes: () => Promise<Record<string, number[]>>, track: (instance: { stop: () => void } | null) => void, say: (line: string) => void }} ctx
 * @param {ReadPathOptions} options
 */
async function runReadPath(ctx, options) {
  ctx.say(`  enrolling an indirect provider and ${options.resellers} indirect resellers …`);
  const provider = await enrollPartner(ctx.urls, ctx.sink, {
    name: 'Bench Distribution',
    partnerType: 'indirect_provider',
    runId: ctx.runId,
  });
  const resellers = await mapLimit(
    Array.from({ length: options.resellers }, (_, i) => `Bench Read Reseller ${i + 1}`),
    4,
    async (name) => {
      const reseller = await enrollPartner(ctx.urls, ctx.sink, {
        name,
        partnerType: 'indirect_reseller',
        runId: ctx.runId,
      });
      return { ...reseller, userId: subjectOf(await signIn(ctx.urls, reseller)) };
    },
  );
  ctx.say(`  seeding ${options.customers.toLocaleString('en-US')} customers (bulk SQL) …`);
  const seeded = await seed(ctx.settings, {
    provider,
    resellers,
    customers: options.customers,
    seed: ctx.runId,
  });
  const token = await signIn(ctx.urls, provider);
  const base = ctx.urls.relationships;
  const firstPage = (/** @type {string | null} */ reseller) =>
    `/v1/customers?size=${options.pageSize}${
      reseller
        ? `&filter=${encodeURIComponent(JSON.stringify({ Field: 'IndirectReseller', Value: reseller, Operator: 'starts_with' }))}`
        : ''
    }`;

  ctx.say(`  ${options.requests} sequential requests from one client …`);
  const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
  /** @type {Record<string, number[]>} */
  const latencies = {
    'all, first page': [],
    'all, seek page': [],
    'by reseller, first page': [],
    'by reseller, seek page': [],
  };
  /** Every `links.next` followed (or seen), for the load phase. @type {Set<string>} */
  const seekPaths = new Set();
  /** @type {Record<number, number>} */
  const statuses = {};
  let items = 0;
  let sent = 0;
  let walk = 0;
  /** The reseller walk `n` filters by: every other walk, the resellers in turn; null: none. */
  const resellerOf = (/** @type {number} */ n) =>
    n % 2 === 1 ? resellers[(n >> 1) % resellers.length].tenantId : null;
  /**
   * One walk: the first page of `reseller`, then its seek pages (up to `options.depth` pages in
   * all) while `more()`, each answer shown to `visit` with its depth and the next page's path;
   * stops at an answer other than 200.
   * @param {string | null} reseller @param {() => boolean} more
   * @param {(res: any, depth: number, next: string | null) => void} visit
   */
  const walkPages = async (reseller, more, visit) => {
    /** @type {string | null} */
    let path = firstPage(reseller);
    for (let depth = 0; depth < options.depth && path && more(); depth += 1) {
      const res = await get(agent, base, path, token);
      // The next page by its continuation token, as `seek=<token>` (the shorthand of
      // `seekOperation=Next` with `MS-ContinuationToken`, so that autocannon replays it as a path).
      const continuation = res.status === 200 ? res.body.continuationToken : null;
      path = continuation ? seekPath(firstPage(reseller), continuation) : null;
      visit(res, depth, path);
      if (res.status !== 200) break;
    }
  };
  // Warm the connection and the service's code paths (V8 optimizes a function after some
  // hundreds of calls) before measuring, over both variants and their seek pages.
  const warmUntil = performance.now() + WARMUP_MS;
  for (let i = 0; performance.now() < warmUntil; i += 1)
    await walkPages(
      resellerOf(i),
      () => true,
      () => {},
    );
  while (sent < options.requests) {
    const reseller = resellerOf(walk);
    const variant = reseller ? 'by reseller' : 'all';
    await walkPages(
      reseller,
      () => sent < options.requests,
      (res, depth, next) => {
        sent += 1;
        statuses[res.status] = (statuses[res.status] ?? 0) + 1;
        if (res.status !== 200) return;
        latencies[`${variant}, ${depth === 0 ? 'first page' : 'seek page'}`].push(res.ms);
        items += res.body.items.length;
        if (next) seekPaths.add(next);
      },
    );
    walk += 1;
  }
  agent.destroy();
  const sequential = Object.fromEntries(
    Object.entries(latencies).map(([name, values]) => [
      name,
      { requests: values.length, ...percentiles(values, [50, 95, 99]) },
    ]),
  );
  const all = Object.values(latencies).flat();
  const overall = { requests: all.length, ...percentiles(all, [50, 95, 99]) };

  const someSeek = [...seekPaths][0];
  const cursorPath = someSeek ? new URL(someSeek, base).searchParams.get('seek') : null;
  const cursor = cursorPath
    ? JSON.parse(Buffer.from(cursorPath, 'base64url').toString('utf8'))
    : null;
  const plans = await explain(ctx.settings, {
    provider: provider.tenantId,
    reseller: resellers[0]?.tenantId ?? provider.tenantId,
    pageSize: options.pageSize,
    cursor: cursor ? { name: cursor.k, id: cursor.id } : null,
  });

  ctx.say(
    `  ${options.duration} s of load from ${options.connections} connections (first and seek pages, both variants) …`,
  );
  const paths = [firstPage(null), ...resellers.map((r) => firstPage(r.tenantId)), ...seekPaths];
  let next = 0;
  /** @type {Record<number, number>} */
  const loadStatuses = {};
  const meter = startCpuMeter(ctx.processes);
  const fromUs = monotonicUs();
  const instance = autocannon({
    url: base,
    connections: options.connections,
    duration: options.duration,
    headers: { authorization: `Bearer ${token}` },
    requests: [
      {
        method: 'GET',
        setupRequest(/** @type {any} */ req) {
          req.path = paths[next % paths.length];
          next += 1;
          return req;
        },
        onResponse(/** @type {number} */ status) {
          loadStatuses[status] = (loadStatuses[status] ?? 0) + 1;
        },
      },
    ],
  });
  ctx.track(instance);
  /** @type {any} */
  const result = await instance;
  ctx.track(null);
  const toUs = monotonicUs();
  const cpu = await meter.stop();

  return {
    customers: options.customers,
    providerCustomers: seeded.providerCustomers,
    resellers: options.resellers,
    pageSize: options.pageSize,
    sequential: { ...sequential, overall, statuses, itemsRead: items },
    plans,
    load: {
      connections: options.connections,
      durationSeconds: result.duration,
      requestsPerSec2xx: result['2xx'] / result.duration,
      non2xx: result.non2xx,
      errors: result.errors,
      statuses: loadStatuses,
      latencyMs: { p50: result.latency.p50, p99: result.latency.p99 },
      requests: result.requests.total,
      cpu,
      window: { fromUs, toUs },
    },
  };
}

module.exports = { runReadPath };
