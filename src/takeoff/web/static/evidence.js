/* takeoff playground: the "Update on evidence" view (POST /api/update, docs/evidence.md).
 *
 * A view in its own file: it registers itself in window.__takeoffViews before app.js runs,
 * and app.js calls its hooks (defaults, toHash, fromHash, init, show, stateChanged) and
 * lends it its helpers (el, api, setStatus, fmtNum, ...) through init(lib). Everything it
 * shows comes from this server's JSON API.
 */
(() => {
  "use strict";

  // One example observation per worldview, mild enough to leave a large effective sample
  // size at the default 2,000 samples (docs/evidence.md; the what-if cases of
  // takeoff.evidence.whatif are more).
  const EXAMPLES = {
    "besiroglu-erdil": "openai_revenue=500B@2030±25%",
    amodei: "ai_revenue_growth=4@2027",
    "software-explosion": "time_horizon_minutes=1300@2028",
    ftm: "ai_revenue=300B@2028",
    "baumol-skeptic": "gwp_growth=0.05@2035",
  };
  const FALLBACK_EXAMPLE = "ai_revenue=300B@2028";
  // Each worldview's headline milestone, as in takeoff.evidence.whatif.WHAT_IFS (the
  // what-if table names it too, and wins when present).
  const HEADLINE = {
    "besiroglu-erdil": "remote_work_automated",
    amodei: "country_of_geniuses",
    "software-explosion": "automated_coder",
    ftm: "automated_100pct",
    "baumol-skeptic": "automated_50pct",
  };
  // The milestones in the chart (as `takeoff update` prints them), plus the headline.
  const CHARTED = ["automated_coder", "country_of_geniuses", "automated_20pct",
    "remote_work_automated", "automated_100pct", "explosive_growth"];
  const PRIOR_COLOUR = "#98a2b3";
  const POSTERIOR_COLOUR = "#0072B2";
  const MAX_PARAMETERS = 8;
  const MAX_TEXT = 2400; // characters of observations kept in the link

  let lib = null; // app.js's helpers, from init()
  let app = null;
  const view = {
    result: null, // the last answer of POST /api/update
    key: null, // the request it answers
    lines: [], // textarea line number (1-based) of each observation sent
    busy: false,
    observables: null,
    timer: null,
  };

  const $ = (sel) => document.querySelector(sel);

  // ---------------------------------------------------------------- state and link

  function defaults() {
    return { upS: null, upObs: null, upN: 2000, upWhatIf: false, upM: null };
  }

  function toHash(s, q) {
    if (s.upS) q.set("ups", s.upS);
    if (s.upObs !== null) q.set("upo", s.upObs);
    q.set("upn", String(s.upN));
    if (s.upWhatIf) q.set("upw", "1");
    if (s.upM) q.set("upm", s.upM);
  }

  function fromHash(q, s, num) {
    if (q.get("ups")) s.upS = q.get("ups").slice(0, 64);
    if (q.has("upo")) s.upObs = q.get("upo").slice(0, MAX_TEXT);
    s.upN = Math.round(num("upn", 100, 5000, s.upN));
    s.upWhatIf = q.get("upw") === "1";
    if (q.get("upm")) s.upM = q.get("upm").slice(0, 64);
  }

  function hasDistributions(name) {
    const info = app.scenarios.find((x) => x.name === name);
    return !!(info && Object.keys(info.distributions || {}).length);
  }

  // The chosen worldview: the link's, else the sidebar's when it has distributions, else
  // besiroglu-erdil (takeoff update's default), else the first with distributions.
  function scenario() {
    const names = app.scenarios.map((x) => x.name);
    const s = app.state;
    if (s.upS && names.includes(s.upS)) return s.upS;
    if (hasDistributions(s.scenario)) return s.scenario;
    if (names.includes("besiroglu-erdil")) return "besiroglu-erdil";
    return names.find(hasDistributions) || names[0];
  }

  function example(name) {
    return EXAMPLES[name] || FALLBACK_EXAMPLE;
  }

  function observationsText() {
    const s = app.state;
    return s.upObs === null ? example(scenario()) : s.upObs;
  }

  // The non-empty lines of the box, and where each one is (for error messages).
  function parseLines(text) {
    const out = [];
    const lines = [];
    text.split("\n").forEach((line, i) => {
      const t = line.trim();
      if (t && !t.startsWith("#")) {
        out.push(t);
        lines.push(i + 1);
      }
    });
    return [out, lines];
  }

  function request() {
    const s = app.state;
    const [observations, lines] = parseLines(observationsText());
    return [{ scenario: scenario(), observations, what_if: s.upWhatIf, n_samples: s.upN, seed: s.seed }, lines];
  }

  function requestKey() {
    return JSON.stringify(request()[0]);
  }

  // ---------------------------------------------------------------- controls

  function buildControls() {
    const chosen = scenario();
    $("#up-scenario").replaceChildren(...app.scenarios.map((x) => lib.el("option", {
      value: x.name,
      text: hasDistributions(x.name) ? x.name : `${x.name} (no distributions)`,
      title: lib.plainText(x.description || x.title || ""),
    })));
    $("#up-scenario").value = chosen;
    $("#up-obs").value = observationsText();
    $("#up-obs").placeholder = example(chosen);
    $("#up-n").value = app.state.upN;
    $("#up-n").max = app.meta.limits.max_samples;
    $("#up-whatif").checked = app.state.upWhatIf;
    $("#up-example").textContent = example(chosen);
  }

  function readControls() {
    const s = app.state;
    const before = scenario();
    const text = $("#up-obs").value.slice(0, MAX_TEXT);
    s.upS = $("#up-scenario").value;
    // an untouched example follows the worldview; typed observations (or none) stay
    const untouched = text.trim() === example(before);
    if (untouched && s.upS !== before) {
      s.upObs = null;
      $("#up-obs").value = example(s.upS);
    } else s.upObs = text.trim() === example(s.upS) ? null : text;
    s.upN = Math.min(app.meta.limits.max_samples, Math.max(100, Math.round(Number($("#up-n").value) || 2000)));
    $("#up-n").value = s.upN;
    s.upWhatIf = $("#up-whatif").checked;
    $("#up-example").textContent = example(s.upS);
    $("#up-obs").placeholder = example(s.upS);
  }

  function showError(text) {
    const box = $("#up-error");
    box.textContent = text;
    box.hidden = !text;
    $("#up-obs").classList.toggle("invalid", !!text);
  }

  // The API's message, with "observations.3" said as the line of the box it came from.
  function explain(message, lines) {
    return message.replace(/\bobservations\.(\d+)(: )?/g, (_, i, colon) => {
      const line = lines[Number(i)];
      return line ? `line ${line}${colon ? ": " : ""}` : `observation ${Number(i) + 1}${colon ? ": " : ""}`;
    }).replace(/^observations: /, "");
  }

  function updateNote() {
    const parts = [];
    const s = app.state;
    if (!hasDistributions(scenario())) {
      parts.push(`${scenario()} has no parameter distributions: every sample is the same run, so there is nothing to update.`);
    }
    if (view.key && view.key !== requestKey()) parts.push("Settings changed since this result: press Update.");
    if (Object.keys(s.overrides).length) parts.push("Parameter changes in the sidebar do not apply here.");
    $("#up-note").textContent = parts.join(" ");
  }

  function insertSeries(name) {
    const box = $("#up-obs");
    const text = box.value.replace(/\s+$/, "");
    box.value = `${text}${text ? "\n" : ""}${name}=`;
    box.focus();
    box.setSelectionRange(box.value.length, box.value.length);
    readControls();
    lib.syncUrl();
    updateNote();
  }

  async function loadObservables() {
    if (view.observables) return;
    try {
      view.observables = await lib.api("/api/observables");
    } catch (e) {
      $("#up-series").replaceChildren(lib.el("p", { class: "muted", text: `could not list the series: ${e.message}` }));
      return;
    }
    const head = lib.el("tr", {}, ["Series", "Unit", "Default SD", "Error", "What it is"].map((t) => lib.el("th", { text: t })));
    const rows = view.observables.map((o) => lib.el("tr", { "data-series": o.name },
      lib.el("td", {}, lib.el("button", { type: "button", class: "link-btn", title: `Add a line for ${o.name}`,
        onclick: () => insertSeries(o.name) }, lib.el("code", { text: o.name }))),
      lib.el("td", { text: o.unit }),
      lib.el("td", { class: "num", text: `±${o.default_sd}` }),
      lib.el("td", { class: "muted", text: o.scale === "log" ? "log-normal" : "normal" }),
      lib.el("td", { class: "muted", text: o.description })));
    $("#up-series").replaceChildren(lib.el("table", { class: "table" }, lib.el("thead", {}, head), lib.el("tbody", {}, rows)));
  }

  // ---------------------------------------------------------------- running

  async function run() {
    if (view.busy) return;
    const [req, lines] = request();
    const key = JSON.stringify(req);
    if (!req.observations.length && !req.what_if) {
      showError("Type at least one observation (SERIES=VALUE@YEAR[±SD], one a line), or tick “What would change this view's mind”.");
      lib.setStatus("error", "error: no observations");
      return;
    }
    view.busy = true;
    $("#up-run").disabled = true;
    $("#view-update").setAttribute("aria-busy", "true");
    const what = [req.observations.length ? `${req.observations.length} observation${req.observations.length > 1 ? "s" : ""}` : "",
      req.what_if ? "what would change its mind" : ""].filter(Boolean).join(" and ");
    const t0 = performance.now();
    const tick = () => lib.setStatus("busy", `updating ${req.scenario} on ${what} (${req.n_samples.toLocaleString()} prior samples; `
      + `the first update of a worldview runs its Monte Carlo, later ones reuse it)… ${((performance.now() - t0) / 1000).toFixed(0)} s`);
    tick();
    view.timer = setInterval(tick, 1000);
    try {
      const result = await lib.api("/api/update", req);
      view.result = result;
      view.key = key;
      view.lines = lines;
      showError("");
      render();
      lib.setStatus("ok", `update on evidence: ${result.samples.toLocaleString()} prior samples in ${(result.elapsed_ms / 1000).toFixed(1)} s at the server${result.cached ? " (prior Monte Carlo cached)" : ""} · seed ${req.seed}`);
    } catch (e) {
      const msg = explain(e.message, lines);
      showError(msg);
      lib.setStatus("error", `error: ${msg}`);
    } finally {
      clearInterval(view.timer);
      view.busy = false;
      $("#up-run").disabled = false;
      $("#view-update").removeAttribute("aria-busy");
      updateNote();
    }
  }

  // ---------------------------------------------------------------- formatting

  function endYear(name) {
    const info = app.scenarios.find((x) => x.name === name);
    return (info && info.settings && info.settings.end_year) || app.state.end;
  }

  function band(summary, end) {
    if (!summary) return "–";
    if (summary.p10 === null) return lib.fmtYear(null, end);
    return `${lib.fmtYear(summary.p50, end)} [${summary.p10.toFixed(1)}–${summary.p90 === null ? `>${end}` : summary.p90.toFixed(1)}]`;
  }

  // The median's move, as the explore view's milestone table says it.
  function shiftCell(prior, post, end) {
    const a = prior ? prior.p50 : null;
    const b = post ? post.p50 : null;
    let text = "–";
    let cls = "num delta";
    if (a !== null && b !== null) {
      const d = b - a;
      text = Math.abs(d) < 0.05 ? "±0" : `${d > 0 ? "+" : ""}${d.toFixed(1)} yr`;
      cls += d < -0.05 ? " earlier" : d > 0.05 ? " later" : "";
    } else if (a !== b) text = b === null ? "now not by " + end : `was not by ${end}`;
    return lib.el("td", { class: cls, text });
  }

  function pct(p) {
    return p === null || p === undefined ? "–" : `${(100 * p).toFixed(0)}%`;
  }

  // A quantity in its unit: dollars with k/M/B/T, shares and growth as they are typed.
  function quantity(v, unit) {
    if (v === null || v === undefined) return "–";
    if (unit.startsWith("$")) {
      const a = Math.abs(v);
      const [div, suffix] = a >= 1e12 ? [1e12, "T"] : a >= 1e9 ? [1e9, "B"] : a >= 1e6 ? [1e6, "M"] : a >= 1e3 ? [1e3, "k"] : [1, ""];
      return `$${lib.fmtNum(v / div, 3)}${suffix}${unit.slice(1)}`;
    }
    return `${lib.fmtNum(v, 3)} ${unit}`;
  }

  function errorText(row) {
    if (row.scale === "log") return `±${(100 * Math.expm1(row.sd)).toFixed(0)}%`;
    return `±${lib.fmtNum(row.sd, 2)}`;
  }

  function triple(values, unit) {
    if (!values) return "–";
    const [lo, mid, hi] = values;
    const f = (v) => (unit.startsWith("$") ? quantity(v, unit).replace(unit.slice(1), "") : lib.fmtNum(v, 3));
    return `${f(mid)} [${f(lo)}–${f(hi)}]`;
  }

  // ---------------------------------------------------------------- the chart

  // Prior and posterior 10-90% bands of the milestones, with their medians, on one
  // year axis (SVG, like the waterfall of "Why they differ"). A band that runs past the
  // end year ends in an arrow; a milestone not reached by the end year in most samples
  // has no median mark.
  function bandsSvg(result, names, end, headline) {
    const m = result.update.milestones;
    const years = [];
    for (const n of names) {
      for (const key of ["prior", "posterior"]) {
        const s = m[n][key];
        for (const v of [s.p10, s.p50, s.p90]) if (v !== null) years.push(v);
      }
    }
    const lo0 = years.length ? Math.min(...years) : 2026;
    const anyOpen = names.some((n) => m[n].prior.p90 === null || m[n].posterior.p90 === null);
    const hi0 = anyOpen ? end : years.length ? Math.max(...years) : end;
    const pad = 0.04 * Math.max(hi0 - lo0, 2);
    const lo = Math.max(2026, Math.floor(lo0 - pad));
    const hi = Math.min(end, Math.ceil(hi0 + pad));
    const W = 860, left = 190, right = 70, rowH = 34, top = 8;
    const H = top + names.length * rowH + 40;
    const x = (v) => left + ((Math.min(Math.max(v, lo), hi) - lo) / Math.max(hi - lo, 1e-9)) * (W - left - right);
    const svg = lib.svgEl("svg", { viewBox: `0 0 ${W} ${H}`, role: "img",
      "aria-label": `Milestone years before and after the evidence, ${result.scenario}` });
    const ticks = lib.svgEl("g", { class: "tick" });
    const step = [1, 2, 5, 10, 20, 25, 50].find((k) => k >= (hi - lo) / 8) || 50;
    for (let t = Math.ceil(lo / step) * step; t <= hi; t += step) {
      ticks.append(lib.svgEl("line", { x1: x(t), x2: x(t), y1: top, y2: top + names.length * rowH, stroke: "#dde1e7" }));
      ticks.append(lib.svgEl("text", { x: x(t), y: top + names.length * rowH + 16, "text-anchor": "middle" }, String(t)));
    }
    svg.append(ticks);
    svg.append(lib.svgEl("text", { x: (left + W - right) / 2, y: H - 4, "text-anchor": "middle" },
      "year: 10–90% band, median ● (grey: prior, blue: after the evidence)"));
    names.forEach((n, i) => {
      const y = top + i * rowH;
      const g = lib.svgEl("g", { "data-milestone": n });
      g.append(lib.svgEl("text", { x: left - 8, y: y + rowH / 2 + 4, "text-anchor": "end", "font-weight": n === headline ? 700 : 400 },
        lib.prettyMilestone(n)));
      [["prior", PRIOR_COLOUR, y + 10], ["posterior", POSTERIOR_COLOUR, y + 22]].forEach(([key, colour, yy]) => {
        const s = m[n][key];
        if (s.p10 === null) {
          g.append(lib.svgEl("text", { x: W - right + 4, y: yy + 4, class: "tick", fill: colour }, `not by ${end}`));
          return;
        }
        const open = s.p90 === null;
        const x1 = x(s.p10);
        const x2 = open ? x(hi) : x(s.p90);
        g.append(lib.svgEl("line", { x1, x2, y1: yy, y2: yy, stroke: colour, "stroke-width": 6, class: `band ${key}` }));
        if (open) {
          g.append(lib.svgEl("path", { d: `M${x2},${yy - 6}L${x2 + 8},${yy}L${x2},${yy + 6}Z`, fill: colour }));
          g.append(lib.svgEl("text", { x: x2 + 12, y: yy + 4, class: "tick" }, `>${end}`));
        }
        if (s.p50 !== null) g.append(lib.svgEl("circle", { cx: x(s.p50), cy: yy, r: 4.5, fill: "#fff", stroke: colour, "stroke-width": 2.5, class: `median ${key}` }));
      });
      svg.append(g);
    });
    return svg;
  }

  // The milestone whose CDF is drawn: the one picked (link or menu) when the result has
  // it, else the headline one.
  function cdfMilestone(u, headline) {
    const pick = app.state.upM;
    if (pick && u.cdf.milestones[pick]) return pick;
    return u.cdf.milestones[headline] ? headline : Object.keys(u.cdf.milestones)[0];
  }

  // The grid years [i0, i1] shown: where either CDF moves, two years either side, at least
  // 13 years in all (the whole run when neither ever leaves 0). Outside it both CDFs are
  // flat (0 before, their last value after), so nothing is hidden.
  function cdfWindow(years, pair) {
    const n = years.length;
    const moving = (i) => pair.prior[i] !== pair.prior[n - 1] || pair.posterior[i] !== pair.posterior[n - 1];
    let first = -1;
    let last = -1;
    for (let i = 0; i < n; i++) {
      if (pair.prior[i] > 0 || pair.posterior[i] > 0) { first = i; break; }
    }
    if (first < 0) return [0, n - 1];
    for (let i = n - 1; i >= 0; i--) {
      if (moving(i)) { last = i; break; }
    }
    let i0 = Math.max(0, first - 2);
    let i1 = Math.min(n - 1, Math.max(last + 1, first) + 2);
    while (i1 - i0 < 12 && (i0 > 0 || i1 < n - 1)) {
      if (i1 < n - 1) i1++;
      if (i1 - i0 < 12 && i0 > 0) i0--;
    }
    return [i0, i1];
  }

  // P(reached by year) of one milestone before (equal weights) and after (the posterior
  // weights) the evidence, as two step lines in the Monte Carlo view's "Milestone CDFs"
  // style; the dashed lines are the two medians. The values are the API's weighted CDFs
  // (update.cdf): samples that never reach the milestone count as not reached, so a line
  // can end below 100%.
  function renderCdf(u, headline) {
    const charts = app.charts.update;
    for (const c of charts) if (c.u) c.u.destroy();
    charts.length = 0;
    const box = $("#up-cdf");
    box.replaceChildren();
    const name = cdfMilestone(u, headline);
    if (!name) return;
    const pair = u.cdf.milestones[name];
    const chart = lib.chartCard(box, { id: "up-cdf", title: `${lib.prettyMilestone(name)}: before and after the evidence`,
      unit: "P(reached by year), %", kind: "pct", range: [0, 100] });
    chart.card.dataset.milestone = name;
    const series = [
      { label: "prior", color: PRIOR_COLOUR, stepped: true },
      { label: "after the evidence", color: POSTERIOR_COLOUR, stepped: true },
    ];
    const [i0, i1] = cdfWindow(u.cdf.years, pair);
    const cut = (values) => values.slice(i0, i1 + 1);
    lib.makePlot(chart, series, [cut(u.cdf.years), lib.column(cut(pair.prior), "pct"), lib.column(cut(pair.posterior), "pct")], { sync: "up" });
    const m = u.milestones[name];
    chart.markers = [["prior", PRIOR_COLOUR], ["posterior", POSTERIOR_COLOUR]]
      .filter(([key]) => m && m[key].p50 !== null)
      .map(([key, color]) => ({ year: m[key].p50, color, label: `${key === "prior" ? "prior" : "after"} median` }));
    chart.u.redraw(false, false);
    charts.push(chart);
    const menu = $("#up-cdf-milestone");
    const names = Object.keys(u.cdf.milestones);
    menu.replaceChildren(...names.map((n) => lib.el("option", { value: n,
      text: `${lib.prettyMilestone(n)}${n === headline ? " (headline)" : ""}` })));
    menu.value = name;
    box.dataset.renders = String((Number(box.dataset.renders) || 0) + 1);
  }

  // ---------------------------------------------------------------- rendering

  function headlineOf(r) {
    return (r.what_if && r.what_if.milestone) || HEADLINE[r.scenario] || "automated_100pct";
  }

  function render() {
    const r = view.result;
    const end = endYear(r.scenario);
    const headline = headlineOf(r);
    const u = r.update;
    $("#up-results").hidden = !u;
    $("#up-whatif-box").hidden = !r.what_if;
    if (u) {
      const ess = u.effective_sample_size;
      $("#up-summary").replaceChildren(
        lib.el("span", { class: "view-name", style: `color:${lib.viewColour(r.scenario, 0)}` }, r.scenario),
        ` after ${u.observations.length} observation${u.observations.length > 1 ? "s" : ""}: effective sample size `,
        lib.el("b", { id: "up-ess", "data-ess": String(ess), text: Math.round(ess).toLocaleString() }),
        ` of ${u.samples.toLocaleString()} prior samples (${(100 * ess / u.samples).toFixed(0)}%).`);
      const names = CHARTED.filter((n) => n in u.milestones);
      if (!names.includes(headline) && headline in u.milestones) names.unshift(headline);
      $("#up-chart").replaceChildren(bandsSvg(r, names, end, headline));
      renderCdf(u, headline);
      // milestones
      const mHead = lib.el("tr", {}, ["Milestone", "Prior p50 [p10–p90]", "After the evidence", "Shift of the median", `Reached by ${end}`]
        .map((t, i) => lib.el("th", { class: i ? "num" : "", text: t })));
      const info = Object.fromEntries(app.meta.milestones.map((x) => [x.name, x]));
      const mRows = Object.entries(u.milestones).map(([n, v]) => lib.el("tr", { "data-milestone": n, class: n === headline ? "headline" : null },
        lib.el("td", { text: lib.prettyMilestone(n), title: info[n] ? lib.plainText(info[n].description) : "" }),
        lib.el("td", { class: "num prior", text: band(v.prior, end) }),
        lib.el("td", { class: "num posterior", text: band(v.posterior, end) }),
        shiftCell(v.prior, v.posterior, end),
        lib.el("td", { class: "num", text: `${pct(v.prior.prob_reached)} → ${pct(v.posterior.prob_reached)}` })));
      $("#up-milestones").replaceChildren(lib.el("thead", {}, mHead), lib.el("tbody", {}, mRows));
      // observations
      const oHead = lib.el("tr", {}, ["Observation", "Observed", "Error (1 SD)", "Model before: p50 [p10–p90]", "Model after"]
        .map((t, i) => lib.el("th", { class: i ? "num" : "", text: t })));
      const oRows = u.observations.map((o) => lib.el("tr", { "data-observation": o.observation },
        lib.el("td", {}, lib.el("code", { text: o.observation })),
        lib.el("td", { class: "num", text: quantity(o.observed, o.unit) }),
        lib.el("td", { class: "num", text: errorText(o) }),
        lib.el("td", { class: "num", text: triple(o.prior, o.unit) }),
        lib.el("td", { class: "num", text: triple(o.posterior, o.unit) })));
      $("#up-observations").replaceChildren(lib.el("thead", {}, oHead), lib.el("tbody", {}, oRows));
      // parameters
      const pHead = lib.el("tr", {}, ["Parameter", "Unit", "Prior p50 [p10–p90]", "After the evidence", "Shift"]
        .map((t, i) => lib.el("th", { class: i > 1 ? "num" : "", text: t })));
      const pRows = u.parameters.slice(0, MAX_PARAMETERS).map((p) => {
        const spec = app.spec[p.parameter];
        const at = Math.round(100 * (0.5 + p.shift));
        return lib.el("tr", { "data-parameter": p.parameter },
          lib.el("td", { text: lib.prettyParam(p.parameter), title: spec ? lib.plainText(spec.description) : "" }),
          lib.el("td", { class: "muted", text: spec ? spec.unit : "" }),
          lib.el("td", { class: "num", text: triple(p.prior, "") }),
          lib.el("td", { class: "num", text: triple(p.posterior, "") }),
          lib.el("td", { class: "num", title: `the median after the evidence sits at the prior's ${at}th percentile`,
            text: `${p.shift >= 0 ? "+" : ""}${p.shift.toFixed(2)}` }));
      });
      $("#up-parameters").replaceChildren(lib.el("thead", {}, pHead), lib.el("tbody", {}, pRows));
    }
    if (r.what_if) renderWhatIf(r.what_if, end);
    const box = $("#up-results-all");
    box.dataset.renders = String((Number(box.dataset.renders) || 0) + 1);
    updateNote();
  }

  function renderWhatIf(w, end) {
    $("#up-whatif-title").replaceChildren(`What would change ${w.scenario}'s mind about `,
      lib.el("b", { text: lib.prettyMilestone(w.milestone) }), ` (prior ${band(w.prior, end)}; ${w.samples.toLocaleString()} samples)`);
    $("#up-whatif-source").textContent = w.source ? `Source: ${w.source}` : "";
    const head = lib.el("tr", {}, ["If we observe", "After: p50 [p10–p90]", "Shift of the median", "ESS", ""]
      .map((t, i) => lib.el("th", { class: i && i < 4 ? "num" : "", text: t })));
    const rows = w.cases.map((c) => {
      const use = lib.el("button", { type: "button", class: "small-btn", title: "Put these observations in the box above",
        onclick: () => {
          $("#up-obs").value = c.observations.join("\n");
          readControls();
          lib.syncUrl();
          updateNote();
          $("#up-obs").focus();
        } }, "use");
      const label = lib.el("td", {}, c.label, " ", lib.el("span", { class: "muted small" }, c.observations.map((o) => lib.el("code", { text: o }))));
      if (c.posterior === null) {
        return lib.el("tr", { "data-case": c.label, class: "tail" }, label,
          lib.el("td", { class: "num muted", colspan: "2", title: c.note || "", text: "too far in the prior's tail" }),
          lib.el("td", { class: "num", text: "< min" }), lib.el("td", {}, use));
      }
      return lib.el("tr", { "data-case": c.label }, label,
        lib.el("td", { class: "num", text: band(c.posterior, end) }),
        shiftCell(w.prior, c.posterior, end),
        lib.el("td", { class: "num", text: Math.round(c.ess).toLocaleString() }),
        lib.el("td", {}, use));
    });
    $("#up-whatif-table").replaceChildren(lib.el("thead", {}, head), lib.el("tbody", {}, rows));
  }

  // ---------------------------------------------------------------- hooks for app.js

  function init(helpers) {
    lib = helpers;
    app = helpers.app;
    for (const id of ["#up-scenario", "#up-n", "#up-whatif", "#up-obs"]) {
      $(id).addEventListener(id === "#up-obs" ? "input" : "change", () => {
        readControls();
        lib.syncUrl();
        updateNote();
      });
    }
    $("#up-obs").addEventListener("keydown", (ev) => {
      if (ev.key === "Enter" && (ev.ctrlKey || ev.metaKey)) {
        ev.preventDefault();
        run();
      }
    });
    $("#up-run").addEventListener("click", () => { readControls(); lib.syncUrl(); run(); });
    $("#up-export-json").addEventListener("click", () => view.result
      && lib.exportJson(`takeoff-update-${view.result.scenario}.json`, view.result));
    $("#up-series-box").addEventListener("toggle", () => { if ($("#up-series-box").open) loadObservables(); });
    $("#up-cdf-milestone").addEventListener("change", (ev) => {
      app.state.upM = ev.target.value;
      lib.syncUrl();
      const r = view.result;
      if (r && r.update) renderCdf(r.update, headlineOf(r));
    });
  }

  // Opening the view runs its request (the example, or the link's) unless there is
  // nothing to run or this result already answers it.
  function show() {
    buildControls();
    const [req] = request();
    if (view.key !== requestKey() && (req.observations.length || req.what_if)) run();
    else updateNote();
  }

  function stateChanged(kind) {
    if (kind === "scenario") buildControls(); // the worldview may follow the sidebar's
    updateNote(); // an update takes seconds: it runs on "Update"
  }

  window.__takeoffViews = window.__takeoffViews || {};
  window.__takeoffViews.update = { defaults, toHash, fromHash, init, show, stateChanged, view };
})();
