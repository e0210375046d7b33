import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type { HtmlReportData } from './types.js';

/**
 * Chart.js (MIT) is inlined from its UMD build in node_modules at render time, so the report is a
 * single file that draws with no network. It covers all three chart kinds (line, doughnut, bar)
 * with tooltips and legends; uPlot is smaller but only does time series.
 */
let chartJsSource: string | null = null;
export function chartJsUmd(): string {
  if (chartJsSource === null) {
    const require = createRequire(import.meta.url);
    let main: string;
    try {
      main = require.resolve('chart.js');
    } catch {
      throw new Error('chart.js is not installed; run `npm install chart.js` in the ruvllm-mcp folder to render the HTML report');
    }
    const file = join(dirname(main), 'chart.umd.min.js');
    try {
      chartJsSource = readFileSync(file, 'utf8');
    } catch {
      chartJsSource = readFileSync(join(dirname(main), 'chart.umd.js'), 'utf8');
    }
  }
  return chartJsSource;
}

const esc = (s: unknown): string =>
  String(s).replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] as string);

const usd = (x: number): string => {
  const sign = x < 0 ? '-' : '';
  const a = Math.abs(x);
  return `${sign}$${a >= 1 ? a.toFixed(2) : a.toFixed(4)}`;
};

const ms = (x: number | null): string => (x === null ? '—' : x >= 1000 ? `${(x / 1000).toFixed(2)} s` : `${x.toFixed(0)} ms`);

/** Embeds JSON in a <script> element: '<' is escaped so no "</script>" can close it early. */
function jsonForScript(v: unknown): string {
  return JSON.stringify(v)
    .replace(/</g, '\\u003c')
    .replace(/\u2028/g, '\\u2028')
    .replace(/\u2029/g, '\\u2029');
}

function binLabels(edges: number[]): string[] {
  const f = (e: number) => (e >= 1000 ? `${e / 1000}s` : `${e}ms`);
  return edges.map((e, i) => (i === edges.length - 1 ? `≥${f(e)}` : `${f(e)}–${f(edges[i + 1])}`));
}

/**
 * One self-contained HTML file: summary, savings over time (cumulative gross and net), route mix,
 * latency distribution per backend, backend table. No network requests (a CSP forbids them).
 * When the charts have drawn, <body data-charts="drawn">; on a script error, data-charts="error: ...".
 */
export function renderHtmlReport(data: HtmlReportData): string {
  const r = data.report;
  const t = r.totals;
  const rowsHtml = r.rows
    .map(
      (x) =>
        `<tr><td>${esc(x.group)}</td><td>${x.calls}</td><td>${x.errors}</td><td>${x.promptTokens + x.completionTokens}</td>` +
        `<td>${x.overheadTokensIn + x.overheadTokensOut}</td><td>${usd(x.grossUsd)}</td><td>${usd(x.overheadUsd)}</td>` +
        `<td>${usd(x.localCostUsd)}</td><td><b>${usd(x.netUsd)}</b></td></tr>`,
    )
    .join('');
  const backendHtml = data.backendStats
    .map(
      (b) =>
        `<tr><td>${esc(b.backend)}</td><td>${esc(b.model)}</td><td>${b.calls}</td><td>${b.errors}</td><td>${ms(b.latencyP50)}</td>` +
        `<td>${ms(b.latencyP95)}</td><td>${ms(b.latencyP99)}</td><td>${ms(b.ttftP50)}</td>` +
        `<td>${b.tokensPerSecondP50 === null ? '—' : b.tokensPerSecondP50.toFixed(1)}</td></tr>`,
    )
    .join('');
  const ds = data.decisions;
  const kv = (m: Record<string, number>) =>
    Object.entries(m)
      .sort((a, b) => b[1] - a[1])
      .map(([k, n]) => `${esc(k)} ${n}`)
      .join(' · ') || '—';
  const decisionsHtml = ds
    ? `<h2>Routing decisions</h2><table><tbody>
<tr><td>decisions</td><td>${ds.total} (${ds.forced} forced by the caller)</td></tr>
<tr><td>by complexity</td><td>${kv(ds.byComplexity)}</td></tr>
<tr><td>by strategy</td><td>${kv(ds.byStrategy)}</td></tr>
<tr><td>privacy catches</td><td>${ds.privacyCatches.total}${ds.privacyCatches.total ? ` (${kv(ds.privacyCatches.byCategory)})` : ''}</td></tr>
<tr><td>top reasons</td><td>${ds.byReason.map((x) => `${esc(x.code)} ${x.count}`).join(' · ') || '—'}</td></tr>
</tbody></table>`
    : '';
  const chartData = {
    savings: {
      labels: data.timeseries.points.map((p) => p.t),
      gross: data.timeseries.points.map((p) => p.cumulativeGrossUsd),
      net: data.timeseries.points.map((p) => p.cumulativeNetUsd),
    },
    routes: { labels: Object.keys(data.routeMix), counts: Object.values(data.routeMix) },
    latency: { labels: binLabels(data.latency.edges), backends: data.latency.backends },
  };
  const span = r.from ? `${r.from} to ${r.to}` : `everything up to ${r.to}`;
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; img-src data:">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${esc(data.title)}</title>
<style>
body{font:14px/1.45 system-ui,-apple-system,Segoe UI,Roboto,sans-serif;margin:24px auto;max-width:1000px;color:#1d2330;padding:0 16px}
h1{font-size:22px;margin:0 0 4px}h2{font-size:17px;margin:28px 0 8px}
.muted{color:#5b6475}.cards{display:flex;gap:12px;flex-wrap:wrap;margin:16px 0}
.card{border:1px solid #d9dee8;border-radius:8px;padding:10px 14px;min-width:150px}.card b{display:block;font-size:20px}
table{border-collapse:collapse;width:100%;font-size:13px}th,td{border-bottom:1px solid #e6e9f0;padding:4px 8px;text-align:right}
th:first-child,td:first-child{text-align:left}canvas{max-width:100%;border:1px solid #eef0f5;border-radius:6px}
.empty{color:#8a93a5;font-style:italic}p.method{font-size:12.5px;color:#3d4556;background:#f6f7fa;padding:10px;border-radius:6px}
</style>
</head>
<body data-charts="pending">
<h1>${esc(data.title)}</h1>
<div class="muted">${esc(span)} · generated ${esc(data.generatedAt)} · host model ${esc(r.hostModel)} · prices as of ${esc(r.pricesAsOf)}</div>
<div class="cards">
<div class="card">Net saved<b>${usd(t.netUsd)}</b></div>
<div class="card">Gross<b>${usd(t.grossUsd)}</b></div>
<div class="card">Delegation overhead<b>${usd(t.overheadUsd)}</b></div>
<div class="card">Local cost<b>${usd(t.localCostUsd)}</b></div>
<div class="card">Local calls<b>${t.calls}</b><span class="muted">${t.errors} failed</span></div>
<div class="card">Routing decisions<b>${r.decisions.total}</b><span class="muted">${r.decisions.sensitive} private</span></div>
</div>
<p class="method">${esc(r.method)}</p>
<h2>Savings over time (cumulative)</h2>
<canvas id="chart-savings" width="960" height="320"></canvas>
<h2>Route mix</h2>
<canvas id="chart-routes" width="960" height="300"></canvas>
<h2>Latency distribution per backend (successful calls)</h2>
<canvas id="chart-latency" width="960" height="320"></canvas>
<h2>By ${esc(r.groupBy)}</h2>
<table><thead><tr><th>${esc(r.groupBy)}</th><th>calls</th><th>failed</th><th>tokens</th><th>overhead tokens</th><th>gross</th><th>overhead</th><th>local cost</th><th>net</th></tr></thead>
<tbody>${rowsHtml || '<tr><td class="empty" colspan="9">no local completions in this period</td></tr>'}</tbody></table>
<h2>Backends</h2>
<table><thead><tr><th>backend</th><th>model</th><th>calls</th><th>errors</th><th>p50</th><th>p95</th><th>p99</th><th>TTFT p50</th><th>tokens/s p50</th></tr></thead>
<tbody>${backendHtml || '<tr><td class="empty" colspan="9">no local completions in this period</td></tr>'}</tbody></table>
${decisionsHtml}
<h2>By how the input came</h2>
<table><thead><tr><th>input</th><th>calls</th><th>failed</th><th>host input avoided (tokens)</th><th>gross</th><th>overhead</th><th>net</th></tr></thead>
<tbody>${
    Object.values(r.byInputMode ?? {})
      .map(
        (m) =>
          `<tr><td>${esc(m.group)}</td><td>${m.calls}</td><td>${m.errors}</td><td>${m.avoidedHostInputTokens}</td><td>${usd(m.grossUsd)}</td><td>${usd(m.overheadUsd)}</td><td>${usd(m.netUsd)}</td></tr>`,
      )
      .join('') || '<tr><td class="empty" colspan="7">no local completions in this period</td></tr>'
  }</tbody></table>
<script id="report-data" type="application/json">${jsonForScript(chartData)}</script>
<script>${chartJsUmd().replace(/<\/script/gi, '<\\/script')}</script>
<script>
(function () {
  var PALETTE = ['#2563eb', '#16a34a', '#dc2626', '#d97706', '#7c3aed', '#0891b2', '#db2777', '#4b5563'];
  function note(id, text) {
    var c = document.getElementById(id);
    var p = document.createElement('p');
    p.className = 'empty';
    p.textContent = text;
    c.parentNode.insertBefore(p, c.nextSibling);
  }
  try {
    var d = JSON.parse(document.getElementById('report-data').textContent);
    var common = { animation: false, responsive: false, plugins: { legend: { position: 'bottom' } } };
    window.__charts = {};
    window.__charts.savings = new Chart(document.getElementById('chart-savings'), {
      type: 'line',
      data: { labels: d.savings.labels, datasets: [
        { label: 'gross saved (USD)', data: d.savings.gross, borderColor: PALETTE[0], backgroundColor: PALETTE[0], pointRadius: 2 },
        { label: 'net saved (USD)', data: d.savings.net, borderColor: PALETTE[1], backgroundColor: PALETTE[1], pointRadius: 2 }
      ] },
      options: Object.assign({}, common, { scales: { y: { title: { display: true, text: 'USD' } } } })
    });
    if (!d.savings.labels.length) note('chart-savings', 'no local completions in this period');
    window.__charts.routes = new Chart(document.getElementById('chart-routes'), {
      type: 'doughnut',
      data: { labels: d.routes.labels, datasets: [ { label: 'decisions', data: d.routes.counts,
        backgroundColor: d.routes.labels.map(function (_, i) { return PALETTE[i % PALETTE.length]; }) } ] },
      options: Object.assign({}, common, { plugins: { legend: { position: 'right' } } })
    });
    if (!d.routes.labels.length) note('chart-routes', 'no routing decisions in this period');
    window.__charts.latency = new Chart(document.getElementById('chart-latency'), {
      type: 'bar',
      data: { labels: d.latency.labels, datasets: d.latency.backends.map(function (b, i) {
        return { label: b.backend, data: b.counts, backgroundColor: PALETTE[i % PALETTE.length] };
      }) },
      options: Object.assign({}, common, { scales: { y: { beginAtZero: true, title: { display: true, text: 'calls' } } } })
    });
    if (!d.latency.backends.length) note('chart-latency', 'no successful local completions in this period');
    document.body.setAttribute('data-charts', 'drawn');
  } catch (e) {
    document.body.setAttribute('data-charts', 'error: ' + (e && e.message ? e.message : String(e)));
  }
})();
</script>
</body>
</html>
`;
}
