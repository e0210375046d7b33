/**
 * Reports: the cost report (JSON and CSV), savings over time, the latency histogram and everything the HTML report
 * shows, priced on the host model at report time.
 */
import { stringify } from 'csv-stringify/sync';
import { ESTIMATE_METHOD } from '../tokens.js';
import type {
  CostReport,
  CostReportRow,
  HtmlReportData,
  LatencyHistogram,
  Period,
  Price,
  ReportQuery,
  Timeseries,
  TimeseriesPoint,
} from './types.js';
import { LedgerStats } from './stats.js';
import { byKind, byteOrder, mergeCounts, round, DEFAULT_LATENCY_EDGES_MS, GROUP_BYS, type Sums } from './core.js';
import type { DecisionCountKind } from '../store/ledger-repo.js';

export class LedgerReports extends LedgerStats {
  protected methodSentence(p: Price, methods: Record<string, number>, overheadMethods: Record<string, number>): string {
    const list = (x: Record<string, number>) =>
      Object.entries(x)
        .map(([k, n]) => `${k} (${n})`)
        .join(', ');
    const m = list(methods);
    const om = list(overheadMethods);
    const local =
      this.local.effectiveUsdPerHour > 0
        ? `local compute at $${this.local.effectiveUsdPerHour}/hour of generation latency` +
          (this.local.watts > 0 ? ` (${this.local.usdPerHour} USD/h + ${this.local.watts} W x ${this.local.usdPerKwh} USD/kWh)` : '')
        : 'local compute counted as $0 (no localCost configured)';
    return (
      `Net savings = gross - delegation overhead - local cost, priced on ${p.model} (the host model the offloaded work replaced, ` +
      `$${p.input} input / $${p.output} output per million tokens, price table as of ${this.prices.asOf}). ` +
      `Gross = prompt + completion tokens of successful local completions priced as if ${p.model} had read and written them (failed calls save nothing). ` +
      `Overhead = tokens that still pass through ${p.model} for every call, failed or not: the tool result it reads (input price) and the tool-call arguments it writes (output price). ` +
      `Local cost: ${local}. ` +
      `Cloud-equivalent tokens are the local counts as recorded, by method: ${m || 'none recorded'}; ` +
      `overhead tokens counted by: ${om || 'none recorded'}; ` +
      `a Claude tokenizer may count the same text differently, so treat them as an estimate. ` +
      `Prices use standard uncached rates; prompt caching on the host would make gross (and overhead) smaller. ` +
      `Calls by reference (the server read the files) are shown apart from calls by value (the host wrote the material into the call) under byInputMode; ` +
      `the material a by-reference call spared the host from reading (avoidedHostInputTokens, ${ESTIMATE_METHOD} of the file text) is part of gross, not added to it, ` +
      `and a by-value call's overhead does not include the host's own reading of the material before it wrote it, so by-value net is an upper bound.`
    );
  }

  /** The cost report for a period or range, grouped, priced on the host model (the repository's Promise reads). */
  async report(q: ReportQuery = {}): Promise<CostReport> {
    const w = this.window(q);
    const groupBy = q.groupBy ?? 'none';
    if (!GROUP_BYS.includes(groupBy)) {
      throw new Error(`unknown groupBy ${JSON.stringify(groupBy)}; use one of ${GROUP_BYS.join(', ')}`);
    }
    const p = this.hostPrice(q.hostModel);
    const groups = this.mergeSums(await this.repo.completionSums(w, groupBy), await this.repo.dailySums(w, groupBy));
    // sums are linear: the totals are the sum of the groups (one query fewer)
    const totalSums: Sums = { calls: 0, okCalls: 0, pt: 0, ct: 0, oi: 0, oo: 0, ms: 0, ai: 0 };
    for (const g of groups) for (const k of Object.keys(totalSums) as (keyof Sums)[]) totalSums[k] += g[k];
    const methods: Record<string, number> = {};
    for (const r of await this.repo.tokenCountMethods(w)) methods[r.k] = r.n;
    const methodsAll = mergeCounts(methods, await this.repo.dailyTokenCountMethods(w));
    const overheadMethods: Record<string, number> = {};
    for (const r of await this.repo.overheadMethods(w)) overheadMethods[r.k] = r.n;
    const overheadMethodsAll = mergeCounts(overheadMethods, await this.repo.dailyOverheadMethods(w));
    const dRows = await this.repo.decisionsByRoute(w);
    const decisions = { total: 0, byRoute: {} as Record<string, number>, forced: 0, sensitive: 0, byReason: {} as Record<string, number> };
    for (const r of dRows) {
      decisions.total += r.n;
      decisions.byRoute[r.route] = r.n;
      decisions.forced += r.forced;
      decisions.sensitive += r.sensitive;
    }
    const kinds: DecisionCountKind[] = ['total', 'forced', 'sensitive', 'route', 'reason'];
    const rolled = byKind(await this.repo.dailyDecisionCounts(w, kinds), kinds);
    const reasons: Record<string, number> = {};
    for (const r of await this.repo.reasonCounts(w)) reasons[r.k] = r.n;
    decisions.byReason = mergeCounts(
      reasons,
      Object.entries(rolled.reason).map(([k, n]) => ({ k, n })),
    );
    decisions.total += rolled.total[''] ?? 0;
    decisions.forced += rolled.forced[''] ?? 0;
    decisions.sensitive += rolled.sensitive[''] ?? 0;
    decisions.byRoute = mergeCounts(
      decisions.byRoute,
      Object.entries(rolled.route).map(([k, n]) => ({ k, n })),
    );
    const totals = this.row('total', totalSums, p);
    const byInputMode: Record<string, CostReportRow> = {};
    for (const g of this.mergeSums(await this.repo.completionSums(w, 'inputMode'), await this.repo.dailySums(w, 'inputMode')))
      byInputMode[g.grp] = this.row(g.grp, g, p);
    return {
      currency: 'USD',
      period: w.period,
      from: w.fromMs === null ? null : new Date(w.fromMs).toISOString(),
      to: new Date(w.shownTo).toISOString(),
      groupBy,
      hostModel: p.model,
      hostPrice: p,
      pricesAsOf: this.prices.asOf,
      pricesSource: this.prices.source ?? null,
      method: this.methodSentence(p, methodsAll, overheadMethodsAll),
      tokenCountMethods: methodsAll,
      overheadTokenMethods: overheadMethodsAll,
      localCost: { ...this.local },
      totals,
      rows: groups.map((g) => this.row(String(g.grp), g, p)),
      decisions,
      byInputMode,
    };
  }

  /** CSV of a report: one line per group (plus a total line when grouped), each line self-describing. */
  toCsv(report: CostReport): string {
    const header = [
      'from',
      'to',
      'host_model',
      'group_by',
      'group',
      'calls',
      'ok_calls',
      'errors',
      'prompt_tokens',
      'completion_tokens',
      'overhead_tokens_in',
      'overhead_tokens_out',
      'local_ms',
      'gross_usd',
      'overhead_usd',
      'local_cost_usd',
      'net_usd',
      'avoided_host_input_tokens',
    ];
    const line = (r: CostReportRow) => [
      report.from ?? '',
      report.to,
      report.hostModel,
      report.groupBy,
      r.group,
      r.calls,
      r.okCalls,
      r.errors,
      r.promptTokens,
      r.completionTokens,
      r.overheadTokensIn,
      r.overheadTokensOut,
      r.localMs,
      r.grossUsd,
      r.overheadUsd,
      r.localCostUsd,
      r.netUsd,
      r.avoidedHostInputTokens,
    ];
    const rows = report.rows.map(line);
    if (report.groupBy !== 'none') rows.push(line(report.totals));
    // OWASP CSV injection: a text cell starting with = + - @ tab or CR gets a leading quote (numbers stay numbers)
    return stringify([header, ...rows], { escape_formulas: true });
  }

  /** Savings per hour or day bucket (UTC) with running totals, and decisions per bucket and route. */
  async timeseries(
    q: { period?: Period; from?: string; to?: string; bucket?: 'hour' | 'day'; hostModel?: string } = {},
  ): Promise<Timeseries> {
    const w = this.window(q);
    const p = this.hostPrice(q.hostModel);
    let bucket = q.bucket;
    if (bucket !== undefined && bucket !== 'hour' && bucket !== 'day') {
      throw new Error(`unknown bucket ${JSON.stringify(bucket)}; use hour or day`);
    }
    if (!bucket) {
      let span: number;
      if (w.fromMs !== null) span = w.toMs - w.fromMs;
      else {
        const r = await this.repo.timeSpan();
        span = r.first === null || r.last === null ? 0 : r.last - r.first;
      }
      bucket = span <= 48 * 3_600_000 ? 'hour' : 'day';
    }
    const points: TimeseriesPoint[] = [];
    let cg = 0;
    let cn = 0;
    for (const g of this.mergeSums(await this.sums(w, bucket), await this.dailySums(w, bucket))) {
      const r = this.row(String(g.grp), g, p);
      cg += r.grossUsd;
      cn += r.netUsd;
      points.push({
        t: r.group,
        calls: r.calls,
        grossUsd: r.grossUsd,
        overheadUsd: r.overheadUsd,
        localCostUsd: r.localCostUsd,
        netUsd: r.netUsd,
        cumulativeGrossUsd: round(cg),
        cumulativeNetUsd: round(cn),
      });
    }
    const routes = new Map<string, Record<string, number>>();
    for (const r of await this.repo.decisionsByBucket(w, bucket)) {
      const m = routes.get(r.t) ?? {};
      m[r.route] = r.n;
      routes.set(r.t, m);
    }
    for (const r of await this.repo.dailyDecisionsByBucket(w, bucket)) {
      const m = routes.get(r.t) ?? {};
      m[r.route] = (m[r.route] ?? 0) + r.n;
      routes.set(r.t, m);
    }
    const routeList = [...routes]
      .sort(([a], [b]) => byteOrder(a, b))
      .map(([t, counts]) => ({
        t,
        counts: mergeCounts(
          {},
          Object.entries(counts).map(([k, n]) => ({ k, n })),
        ),
      }));
    return { bucket, hostModel: p.model, points, routes: routeList };
  }

  /** Latency histogram of successful completions per backend. */
  async latencyHistogram(q: { period?: Period; from?: string; to?: string; edges?: number[] } = {}): Promise<LatencyHistogram> {
    const edges = q.edges ?? DEFAULT_LATENCY_EDGES_MS;
    if (edges.length < 2 || edges.some((e, i) => !Number.isFinite(e) || (i > 0 && e <= edges[i - 1]))) {
      throw new Error('latency edges must be at least two strictly increasing finite numbers of ms');
    }
    const w = this.window(q);
    const rows = await this.repo.okLatencies(w);
    const by = new Map<string, number[]>();
    for (const r of rows) {
      let counts = by.get(r.backend);
      if (!counts) by.set(r.backend, (counts = new Array(edges.length).fill(0)));
      let b = edges.length - 1;
      for (let i = 1; i < edges.length; i++) {
        if (r.latencyMs < edges[i]) {
          b = i - 1;
          break;
        }
      }
      counts[b]++;
    }
    return { edges: [...edges], backends: [...by].map(([backend, counts]) => ({ backend, counts })) };
  }

  /** Everything renderHtmlReport needs, for one period or range. */
  async reportData(q: ReportQuery & { title?: string } = {}): Promise<HtmlReportData> {
    const win = { period: q.period, from: q.from, to: q.to };
    const report = await this.report(q);
    const ds = await this.decisionStats(win);
    return {
      title: q.title ?? 'ruvllm-mcp cost and routing report',
      generatedAt: new Date(this.now()).toISOString(),
      report,
      timeseries: await this.timeseries({ ...win, hostModel: q.hostModel }),
      routeMix: ds.byRoute,
      latency: await this.latencyHistogram(win),
      backendStats: await this.backendStats(win),
      decisions: ds,
    };
  }
}
