/* takeoff playground: plain JavaScript, uPlot charts (vendored), all state in the URL hash.
 *
 * Every number comes from this server's JSON API (/api/...); nothing is loaded from
 * elsewhere. The page keeps at most one single-scenario request in flight: a slider
 * that moves while a run is computing queues one more run with the latest values.
 */
(() => {
  "use strict";

  // Okabe-Ito, colour-blind safe: the same list as takeoff.report.palette.PALETTE (a test
  // checks); each built-in worldview's own colour comes with GET /api/scenarios.
  const PALETTE = ["#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00",
    "#000000", "#F0E442"];
  const COLORS = PALETTE;
  const UP = "#D55E00"; // a group that makes the metric later / higher (as in the report)
  const DOWN = "#0072B2";
  const MARKER_COLORS = ["#c2255c", "#e67700", "#2b8a3e", "#862e9c", "#0b7285", "#d9480f", "#495057"];
  // Views in files of their own (static/evidence.js: "Update on evidence") register
  // themselves in window.__takeoffViews before this file runs; see PLUGIN_LIB below.
  const PLUGINS = window.__takeoffViews || {};
  const VIEWS = ["explore", "mc", "compare", "cruxes", ...Object.keys(PLUGINS)];

  const EXPLORE_CHARTS = [
    { id: "automation", title: "Automation", unit: "% of tasks", pct: true, range: [0, 100],
      series: [["automated_share", "automated (adopted)"], ["automatable_share", "automatable"],
        ["cognitive_automated_share", "cognitive tasks automated"], ["rnd_automated_share", "AI R&D automated"]] },
    { id: "growth", title: "GWP growth", unit: "%/yr (asinh scale: linear below 10%)", pct: true, asinh: true,
      series: [["gwp_growth", "GWP growth"]] },
    { id: "compute", title: "AI compute and power", unit: "FLOP/s (left) · GW (right)", log: true,
      series: [["ai_compute", "AI compute, FLOP/s"], ["power_gw", "AI power, GW", "y2"]] },
    { id: "capex", title: "AI capex share", unit: "% of GWP", pct: true, zero: true,
      series: [["ai_capex_share", "AI capex"], ["ai_output_share", "AI share of output"]] },
    { id: "wages", title: "Wages", unit: "$ per worker per year", log: true,
      series: [["wage", "wage"], ["gwp_per_worker", "GWP per worker"]] },
    { id: "horizon", title: "Time horizon (METR, 50% success)", unit: "minutes", log: true,
      series: [["time_horizon_minutes", "time horizon"]] },
  ];
  const MC_CHARTS = [
    ["automated_share", "Tasks automated", "% of tasks", "pct"],
    ["gwp_growth", "GWP growth", "%/yr", "pct"],
    ["ai_compute", "AI compute", "FLOP/s", "log"],
    ["power_gw", "AI power", "GW", "log"],
    ["ai_capex_share", "AI capex share", "% of GWP", "pct"],
    ["wage", "Wages", "$ per worker per year", "log"],
    ["time_horizon_minutes", "Time horizon (METR)", "minutes", "log"],
  ];
  const CMP_SERIES = [
    ["automated_share", "Tasks automated", "% of tasks", "pct"],
    ["gwp_growth", "GWP growth", "%/yr", "pct"],
    ["ai_compute", "AI compute", "FLOP/s", "log"],
    ["power_gw", "AI power", "GW", "log"],
    ["ai_capex_share", "AI capex share", "% of GWP", "pct"],
    ["wage", "Wages", "$ per worker per year", "log"],
    ["time_horizon_minutes", "Time horizon (METR)", "minutes", "log"],
  ];

  const app = {
    meta: null,
    scenarios: [],
    params: [],
    spec: {},
    state: defaultState(),
    run: null,
    baseline: null,
    mc: null,
    mcKey: null,
    cmp: null,
    cmpKey: null,
    runKey: null,
    charts: Object.fromEntries(VIEWS.map((v) => [v, []])),
    cx: null,
    cxKey: null,
    cxBusy: false,
    renders: 0,
    inflight: false,
    pending: false,
    timers: {},
  };
  window.__takeoff = app; // for tests and for poking around in the console
  app.richText = (text) => richText(text); // tests render descriptions through it

  function defaultState() {
    return { view: "explore", scenario: "default", dt: 0.2, end: 2100, overrides: {},
      n: 1000, seed: 0, cmp: null, cmpApply: false,
      cxA: null, cxB: null, cxM: "automated_100pct", cxMetric: "median", cxArg: "", cxBy: "auto", cxN: 200,
      ...Object.assign({}, ...Object.values(PLUGINS).map((p) => p.defaults())) };
  }

  // ------------------------------------------------------------------ small helpers

  const $ = (sel) => document.querySelector(sel);

  function el(tag, attrs, ...children) {
    const node = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs || {})) {
      if (v === null || v === undefined || v === false) continue;
      if (k === "class") node.className = v;
      else if (k === "text") node.textContent = v;
      else if (k.startsWith("on")) node.addEventListener(k.slice(2), v);
      else node.setAttribute(k, v === true ? "" : v);
    }
    for (const child of children.flat()) {
      if (child === null || child === undefined) continue;
      node.append(child instanceof Node ? child : document.createTextNode(String(child)));
    }
    return node;
  }

  // Descriptions and sources are plain text with `inline code` spans (Markdown's
  // backticks). Only text nodes and textContent are used, so HTML in them stays inert.
  function codeSpans(text) {
    const parts = String(text ?? "").split("`");
    if (parts.length % 2 === 0) parts.splice(-2, 2, `${parts.at(-2)}\`${parts.at(-1)}`); // unpaired
    return parts;
  }

  function richText(text) {
    return codeSpans(text).flatMap((p, i) => (i % 2 ? (p ? [el("code", { text: p })] : []) : p ? [p] : []));
  }

  function plainText(text) {
    return codeSpans(text).join("");
  }

  function fmtNum(v, digits = 3) {
    if (v === null || v === undefined || !Number.isFinite(v)) return "–";
    const a = Math.abs(v);
    if (a !== 0 && (a >= 1e6 || a < 1e-3)) {
      const [m, e] = v.toExponential(digits - 1).split("e");
      return `${+m}e${+e}`;
    }
    return String(+v.toPrecision(digits));
  }

  function fmtYear(y, end) {
    if (y === null || y === undefined) return `not by ${end}`;
    return y.toFixed(1);
  }

  function prettyMilestone(name) {
    return name.replace(/_(\d+)pct/, " $1%").replace(/_/g, " ").replace(/\brnd\b/, "R&D")
      .replace(/^ai /, "AI ");
  }

  function prettyParam(name) {
    return name.replace(/_/g, " ");
  }

  function download(filename, href) {
    const a = el("a", { href, download: filename });
    document.body.append(a);
    a.click();
    a.remove();
  }

  function downloadText(filename, text, type) {
    const url = URL.createObjectURL(new Blob([text], { type }));
    download(filename, url);
    setTimeout(() => URL.revokeObjectURL(url), 5000);
  }

  function csvCell(v) {
    if (v === null || v === undefined) return "";
    const s = String(v);
    return /[",\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
  }

  function setStatus(state, text) {
    const node = $("#status");
    node.dataset.state = state;
    node.textContent = text;
  }

  class ApiError extends Error {}

  async function api(path, body) {
    const t0 = performance.now();
    const init = body === undefined ? {} : {
      method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body),
    };
    const res = await fetch(path, init);
    let data = null;
    try { data = await res.json(); } catch (_) { data = null; }
    if (!res.ok) {
      let msg = `${res.status}`;
      if (data && Array.isArray(data.detail)) {
        msg = data.detail.map((d) => `${(d.loc || []).filter((x) => x !== "body").join(".")}${d.loc && d.loc.length > 1 ? ": " : ""}${d.msg}`).join("; ");
      } else if (data && data.detail) msg = String(data.detail);
      throw new ApiError(msg);
    }
    if (data && typeof data === "object" && !Array.isArray(data)) data._rtt = performance.now() - t0;
    return data;
  }

  // ------------------------------------------------------------------ URL state

  function hashFromState(s) {
    const q = new URLSearchParams();
    q.set("view", s.view);
    q.set("scenario", s.scenario);
    q.set("dt", String(s.dt));
    q.set("end", String(s.end));
    for (const name of Object.keys(s.overrides).sort()) q.set(`p.${name}`, String(s.overrides[name]));
    q.set("n", String(s.n));
    q.set("seed", String(s.seed));
    if (s.cmp) q.set("cmp", s.cmp.join(","));
    if (s.cmpApply) q.set("apply", "1");
    if (s.view === "cruxes") {
      if (s.cxA) q.set("cxa", s.cxA);
      if (s.cxB) q.set("cxb", s.cxB);
      q.set("cxm", s.cxM);
      q.set("cxmetric", s.cxMetric);
      if (s.cxArg) q.set("cxarg", s.cxArg);
      q.set("cxby", s.cxBy);
      q.set("cxn", String(s.cxN));
    }
    if (PLUGINS[s.view]) PLUGINS[s.view].toHash(s, q);
    return "#" + q.toString();
  }

  function stateFromHash(hash) {
    const s = defaultState();
    const q = new URLSearchParams((hash || "").replace(/^#/, ""));
    if (VIEWS.includes(q.get("view"))) s.view = q.get("view");
    if (q.get("scenario")) s.scenario = q.get("scenario");
    const num = (key, lo, hi, fallback) => {
      const v = Number(q.get(key));
      return q.has(key) && Number.isFinite(v) && v >= lo && v <= hi ? v : fallback;
    };
    s.dt = num("dt", 0.05, 1, s.dt);
    s.end = num("end", 2030, 2200, s.end);
    s.n = Math.round(num("n", 10, 5000, s.n));
    s.seed = Math.round(num("seed", 0, 2 ** 32 - 1, s.seed));
    for (const [key, value] of q.entries()) {
      if (key.startsWith("p.")) {
        const v = Number(value);
        if (Number.isFinite(v)) s.overrides[key.slice(2)] = v;
      }
    }
    if (q.get("cmp")) s.cmp = q.get("cmp").split(",").filter(Boolean);
    s.cmpApply = q.get("apply") === "1";
    if (q.get("cxa")) s.cxA = q.get("cxa");
    if (q.get("cxb")) s.cxB = q.get("cxb");
    if (q.get("cxm")) s.cxM = q.get("cxm");
    if (["median", "prob-by", "mean-growth"].includes(q.get("cxmetric"))) s.cxMetric = q.get("cxmetric");
    if (q.get("cxarg")) s.cxArg = q.get("cxarg").slice(0, 20);
    if (["auto", "block", "parameter"].includes(q.get("cxby"))) s.cxBy = q.get("cxby");
    s.cxN = Math.round(num("cxn", 16, 2000, s.cxN));
    for (const p of Object.values(PLUGINS)) p.fromHash(q, s, num);
    return s;
  }

  function syncUrl() {
    const hash = hashFromState(app.state);
    if (location.hash !== hash) history.replaceState(null, "", hash);
    const share = $("#share-url");
    if (!share.hidden) share.value = location.href;
  }

  // ------------------------------------------------------------------ parameters

  function sliderFor(spec, value) {
    let lo = Math.min(spec.plausible[0], spec.value, value);
    let hi = Math.max(spec.plausible[1], spec.value, value);
    lo = Math.max(lo, spec.range[0]);
    hi = Math.min(hi, spec.range[1]);
    if (spec.log_scale && lo > 0) {
      return { log: true, min: Math.log10(lo), max: Math.log10(hi), step: (Math.log10(hi) - Math.log10(lo)) / 240 };
    }
    if (hi <= lo) hi = lo + 1;
    return { log: false, min: lo, max: hi, step: (hi - lo) / 240 };
  }

  function roundValue(spec, v) {
    let r = Number(v.toPrecision(spec.log_scale ? 3 : 4));
    if (Math.abs(r) < 1e-12) r = 0;
    return Math.min(spec.range[1], Math.max(spec.range[0], r));
  }

  function currentValue(name) {
    const s = app.state.overrides;
    return name in s ? s[name] : app.spec[name].value;
  }

  function sameValue(a, b) {
    return a === b || Math.abs(a - b) <= 1e-9 * Math.max(Math.abs(a), Math.abs(b));
  }

  function tooltip(spec) {
    const tip = el("span", { class: "tip", role: "tooltip" },
      el("div", {}, richText(spec.description)),
      el("div", {}, el("b", { text: "Unit: " }), spec.unit),
      el("div", {}, el("b", { text: "Allowed: " }), `[${fmtNum(spec.range[0])}, ${fmtNum(spec.range[1])}]`,
        el("b", { text: " · plausible: " }), `[${fmtNum(spec.plausible[0])}, ${fmtNum(spec.plausible[1])}]`),
      el("div", {}, el("b", { text: "Worldview value: " }), fmtNum(spec.value, 4)),
      el("div", {}, el("b", { text: "Source: " }), richText(spec.source)),
      spec.scenario_source ? el("div", {}, el("b", { text: "Worldview's source: " }), richText(spec.scenario_source)) : null);
    return el("span", { class: "info", tabindex: "0", "aria-label": `about ${spec.name}` }, el("span", { class: "i", text: "i" }), tip);
  }

  function paramRow(spec, compact) {
    const row = el("div", { class: "param", "data-param": spec.name,
      title: `${plainText(spec.description)}\nSource: ${plainText(spec.source)}` });
    const text = el("input", { type: "text", inputmode: "decimal", "aria-label": `${spec.name} value`,
      spellcheck: "false" });
    const err = el("div", { class: "err" });
    const undo = el("button", { type: "button", class: "undo", title: "Back to the worldview's value", text: "↺" });
    let slider = null;
    let bounds = null;
    if (!compact) {
      slider = el("input", { type: "range", "aria-label": spec.name });
    }
    const head = el("div", { class: "head" }, el("span", { class: "name", text: prettyParam(spec.name) }),
      tooltip(spec), el("span", { class: "unit", text: spec.unit }));
    const body = el("div", { class: "body" }, slider, text, undo);
    row.append(head, body);
    if (!compact) {
      row.append(el("div", { class: "range",
        text: `allowed ${fmtNum(spec.range[0])} … ${fmtNum(spec.range[1])} · plausible ${fmtNum(spec.plausible[0])} … ${fmtNum(spec.plausible[1])}` }));
    }
    row.append(err);

    const show = () => {
      const v = currentValue(spec.name);
      text.value = fmtNum(v, 4);
      text.classList.remove("invalid");
      err.textContent = "";
      row.classList.toggle("modified", spec.name in app.state.overrides);
      if (slider) {
        if (!bounds || (bounds.log ? Math.log10(v) : v) < bounds.min - 1e-12 || (bounds.log ? Math.log10(v) : v) > bounds.max + 1e-12) {
          bounds = sliderFor(spec, v);
          slider.min = bounds.min; slider.max = bounds.max; slider.step = bounds.step;
        }
        slider.value = bounds.log ? Math.log10(v) : v;
      }
    };
    const set = (v) => {
      v = roundValue(spec, v);
      if (sameValue(v, spec.value)) delete app.state.overrides[spec.name];
      else app.state.overrides[spec.name] = v;
      text.value = fmtNum(v, 4);
      row.classList.toggle("modified", spec.name in app.state.overrides);
      stateChanged("param");
    };
    if (slider) {
      slider.addEventListener("input", () => {
        const x = Number(slider.value);
        set(bounds.log ? 10 ** x : x);
      });
    }
    text.addEventListener("change", () => {
      const raw = text.value.trim();
      const v = Number(raw);
      if (raw === "" || !Number.isFinite(v)) {
        text.classList.add("invalid");
        err.textContent = `not a number; allowed ${fmtNum(spec.range[0])} … ${fmtNum(spec.range[1])} ${spec.unit}`;
        return;
      }
      if (v < spec.range[0] || v > spec.range[1]) {
        text.classList.add("invalid");
        err.textContent = `${fmtNum(v)} is outside the allowed range ${fmtNum(spec.range[0])} … ${fmtNum(spec.range[1])} ${spec.unit}`;
        return;
      }
      set(v);
      show();
    });
    undo.addEventListener("click", () => {
      delete app.state.overrides[spec.name];
      show();
      stateChanged("param");
    });
    row._show = show;
    show();
    return row;
  }

  function buildParamControls() {
    const keyBox = $("#key-params");
    const allBox = $("#all-params");
    keyBox.replaceChildren();
    allBox.replaceChildren();
    const keys = app.meta.key_parameters.filter((n) => n in app.spec);
    for (const name of keys) keyBox.append(paramRow(app.spec[name], false));
    let block = null;
    const box = el("div", { class: "compact" });
    for (const spec of app.params) {
      if (keys.includes(spec.name)) continue;
      if (spec.block !== block) {
        block = spec.block;
        box.append(el("div", { class: "block-title", text: block }));
      }
      box.append(paramRow(spec, true));
    }
    allBox.append(box);
    const hidden = Object.keys(app.state.overrides).filter((n) => !keys.includes(n));
    if (hidden.length) $("#more-params").open = true;
  }

  function refreshParamControls() {
    for (const row of document.querySelectorAll(".param")) row._show();
  }

  async function loadScenario(name) {
    const params = await api(`/api/parameters?scenario=${encodeURIComponent(name)}`);
    app.params = params;
    app.spec = Object.fromEntries(params.map((p) => [p.name, p]));
    const unknown = Object.keys(app.state.overrides).filter((n) => !(n in app.spec));
    for (const n of unknown) delete app.state.overrides[n];
    for (const [n, v] of Object.entries(app.state.overrides)) {
      const spec = app.spec[n];
      if (v < spec.range[0] || v > spec.range[1]) delete app.state.overrides[n];
      else if (sameValue(v, spec.value)) delete app.state.overrides[n];
    }
    const info = app.scenarios.find((s) => s.name === name);
    $("#scenario-desc").replaceChildren(...(info ? richText(info.description || info.title) : []));
    buildParamControls();
    return unknown;
  }

  // ------------------------------------------------------------------ charts

  function logSplits(u, axisIdx, min, max) {
    if (!(min > 0) || !(max > 0)) return [];
    const lo = Math.ceil(Math.log10(min) - 1e-9);
    const hi = Math.floor(Math.log10(max) + 1e-9);
    const step = Math.max(1, Math.ceil((hi - lo + 1) / 6));
    const out = [];
    for (let e = lo; e <= hi; e += step) out.push(10 ** e);
    return out;
  }

  function asinhSplits(u, axisIdx, min, max) {
    // 0, then 1 and 3 x powers of ten outwards, each at least 1/8 of the axis from the
    // last one kept (positions on the asinh scale with threshold 10)
    const pos = (v) => Math.asinh(v / 10);
    const gap = (pos(Math.max(max, 10)) - pos(Math.min(0, min))) / 8;
    const out = [0];
    for (const sign of [1, -1]) {
      let last = 0;
      for (let e = 1; e < 16; e++) {
        for (const m of [1, 3]) {
          const v = sign * m * 10 ** e;
          if (v > max || v < min) continue;
          if (Math.abs(pos(v) - pos(last)) >= gap) {
            out.push(v);
            last = v;
          }
        }
      }
    }
    return out.sort((a, b) => a - b);
  }

  function axisValues(kind) {
    if (kind === "log") return (u, splits) => splits.map((v) => fmtNum(v, 2));
    if (kind === "pct") {
      return (u, splits) => splits.map((v) => {
        if (Math.abs(v) >= 1e4) {
          const e = Math.round(Math.log10(Math.abs(v)));
          const m = +(v / 10 ** e).toPrecision(2);
          return `${m === 1 ? "" : m === -1 ? "-" : `${m}×`}1e${e}%`;
        }
        return `${fmtNum(v, 3)}%`;
      });
    }
    return (u, splits) => splits.map((v) => fmtNum(v, 3));
  }

  function drawMarkers(u, chart) {
    const markers = chart.markers || [];
    if (!markers.length) return;
    const ctx = u.ctx;
    const pr = uPlot.pxRatio || 1;
    const { left, top, width, height } = u.bbox;
    ctx.save();
    for (const m of markers) {
      const x = u.valToPos(m.year, "x", true);
      if (!(x >= left && x <= left + width)) continue;
      ctx.strokeStyle = m.color;
      ctx.lineWidth = 1.5 * pr;
      ctx.setLineDash([5 * pr, 4 * pr]);
      ctx.beginPath();
      ctx.moveTo(x, top);
      ctx.lineTo(x, top + height);
      ctx.stroke();
    }
    ctx.restore();
  }

  function chartCard(container, cfg) {
    const body = el("div", { class: "chart-body" });
    const png = el("button", { type: "button", class: "png", title: "Download this chart as PNG", text: "PNG" });
    const card = el("div", { class: "chart-card", "data-chart": cfg.id },
      el("div", { class: "chart-head" }, el("h3", { text: cfg.title }),
        el("span", { class: "chart-unit", text: cfg.unit }), png),
      body);
    container.append(card);
    const chart = { cfg, card, body, u: null, markers: [] };
    png.addEventListener("click", () => download(`takeoff-${cfg.id}.png`, chartPng(chart)));
    return chart;
  }

  function makePlot(chart, series, data, opts) {
    const cfg = chart.cfg;
    const kind = cfg.kind;
    const y = kind === "log" ? { distr: 3, log: 10 } : cfg.asinh ? { distr: 4, asinh: 10 } : {};
    if (cfg.range) y.range = cfg.range;
    else if (cfg.asinh) y.range = (u, lo, hi) => [Math.min(0, lo), Math.max(hi, 10)];
    else if (cfg.zero) y.range = (u, lo, hi) => [Math.min(0, lo), hi > 0 ? hi * 1.05 : 1];
    const scales = { x: { time: false }, y };
    const axes = [
      { values: (u, splits) => splits.map((v) => String(Math.round(v))) },
      { scale: "y", values: axisValues(kind), size: 62,
        splits: kind === "log" ? logSplits : cfg.asinh ? asinhSplits : undefined,
        filter: kind === "log" || cfg.asinh ? (u, splits) => splits : undefined },
    ];
    if (series.some((s) => s.scale === "y2")) {
      scales.y2 = kind === "log" ? { distr: 3, log: 10 } : {};
      axes.push({ scale: "y2", side: 1, values: axisValues(kind), size: 56, grid: { show: false },
        splits: kind === "log" ? logSplits : undefined, filter: (u, splits) => splits });
    }
    const width = Math.max(300, chart.body.clientWidth || 440);
    const options = {
      width, height: 250,
      cursor: { sync: { key: opts.sync } },
      scales, axes,
      legend: { live: true },
      series: [{ label: "year", value: (u, v) => (v === null || v === undefined ? "–" : v.toFixed(1)) },
        ...series.map((s) => ({
          label: s.label, stroke: s.color, width: s.width || 2, dash: s.dash, scale: s.scale || "y",
          fill: s.fill, points: { show: false }, show: s.show !== false,
          // a step line (a CDF on a year grid): flat from each year to the next
          paths: s.stepped ? uPlot.paths.stepped({ align: 1 }) : undefined,
          value: (u, v) => (v === null || v === undefined ? "–" : fmtNum(v, 3) + (kind === "pct" ? "%" : "")),
        }))],
      bands: opts.bands,
      hooks: { draw: [(u) => drawMarkers(u, chart)] },
    };
    if (chart.u) chart.u.destroy();
    chart.body.replaceChildren();
    chart.u = new uPlot(options, data, chart.body);
    chart.series = series;
  }

  function column(values, kind) {
    if (!values) return [];
    if (kind === "pct") return values.map((v) => (v === null ? null : 100 * v));
    if (kind === "log") return values.map((v) => (v === null || !(v > 0) ? null : v));
    return values;
  }

  function chartPng(chart) {
    const src = chart.u.ctx.canvas;
    const pr = uPlot.pxRatio || 1;
    const pad = 12 * pr;
    const line = 18 * pr;
    const labels = (chart.series || []).filter((s) => s.show !== false && !s.hideInPng)
      .map((s) => ({ text: s.label, color: s.color }));
    const marks = (chart.markers || []).map((m) => ({ text: `${m.label} ${m.year.toFixed(1)}`, color: m.color, dash: true }));
    const items = labels.concat(marks);
    const out = document.createElement("canvas");
    const ctx0 = out.getContext("2d");
    ctx0.font = `${12 * pr}px sans-serif`;
    // lay the legend out in rows
    const rows = [[]];
    let x = 0;
    for (const item of items) {
      const w = 24 * pr + ctx0.measureText(item.text).width + 14 * pr;
      if (x + w > src.width && rows[rows.length - 1].length) { rows.push([]); x = 0; }
      rows[rows.length - 1].push({ ...item, x, w });
      x += w;
    }
    out.width = src.width + 2 * pad;
    out.height = src.height + 2 * pad + 24 * pr + rows.length * line;
    const ctx = out.getContext("2d");
    ctx.fillStyle = "#ffffff";
    ctx.fillRect(0, 0, out.width, out.height);
    ctx.fillStyle = "#1d2330";
    ctx.font = `600 ${15 * pr}px sans-serif`;
    ctx.fillText(`${chart.cfg.title} (${chart.cfg.unit})`, pad, pad + 14 * pr);
    ctx.font = `${12 * pr}px sans-serif`;
    rows.forEach((row, i) => {
      const yy = pad + 24 * pr + i * line + 10 * pr;
      for (const item of row) {
        ctx.strokeStyle = item.color;
        ctx.lineWidth = 2 * pr;
        ctx.setLineDash(item.dash ? [4 * pr, 3 * pr] : []);
        ctx.beginPath();
        ctx.moveTo(pad + item.x, yy - 4 * pr);
        ctx.lineTo(pad + item.x + 18 * pr, yy - 4 * pr);
        ctx.stroke();
        ctx.fillStyle = "#1d2330";
        ctx.fillText(item.text, pad + item.x + 22 * pr, yy);
      }
    });
    ctx.setLineDash([]);
    ctx.drawImage(src, pad, pad + 24 * pr + rows.length * line);
    return out.toDataURL("image/png");
  }

  function resizeCharts() {
    for (const view of VIEWS) {
      for (const chart of app.charts[view]) {
        if (!chart.u) continue;
        const w = chart.body.clientWidth;
        if (w > 0 && Math.abs(w - chart.u.width) > 2) chart.u.setSize({ width: w, height: chart.u.height });
      }
    }
  }

  // ------------------------------------------------------------------ explore view

  function runKey() {
    const s = app.state;
    return JSON.stringify([s.scenario, Object.entries(s.overrides).sort(), s.dt, s.end]);
  }

  function scheduleRun(delay) {
    clearTimeout(app.timers.run);
    app.timers.run = setTimeout(runExplore, delay);
  }

  async function runExplore() {
    if (app.inflight) { app.pending = true; return; }
    const key = runKey();
    if (key === app.runKey) return;
    app.inflight = true;
    setStatus("busy", "computing…");
    const s = app.state;
    const body = { scenario: s.scenario, overrides: { ...s.overrides }, dt: s.dt, end_year: s.end };
    try {
      const modified = Object.keys(body.overrides).length > 0;
      const [run, base] = await Promise.all([
        api("/api/run", body),
        modified ? api("/api/run", { ...body, overrides: {} }) : Promise.resolve(null),
      ]);
      app.run = run;
      app.baseline = base;
      app.runKey = key;
      renderExplore();
      setStatus("ok", `server ${run.elapsed_ms.toFixed(0)} ms${run.cached ? " (cached)" : ""} · round trip ${run._rtt.toFixed(0)} ms · ${run.settings.start_year}–${run.settings.end_year} at dt = ${run.settings.dt} yr`);
    } catch (e) {
      app.runKey = null;
      setStatus("error", `error: ${e.message}`);
    } finally {
      app.inflight = false;
      if (app.pending) { app.pending = false; runExplore(); }
    }
  }

  function markerList(milestones) {
    return app.meta.marker_milestones.map((name, i) => ({
      name, label: prettyMilestone(name), year: milestones[name], color: MARKER_COLORS[i % MARKER_COLORS.length],
    })).filter((m) => m.year !== null && m.year !== undefined);
  }

  function renderExplore() {
    const run = app.run;
    if (!run) return;
    const container = $("#charts");
    const years = run.series.year;
    const base = app.baseline;
    const markers = markerList(run.milestones);
    if (!app.charts.explore.length) {
      for (const cfg0 of EXPLORE_CHARTS) {
        const cfg = { ...cfg0, kind: cfg0.log ? "log" : cfg0.pct ? "pct" : "lin" };
        app.charts.explore.push(chartCard(container, cfg));
      }
    }
    for (const chart of app.charts.explore) {
      const cfg = chart.cfg;
      const series = cfg.series.map(([name, label, scale], i) => ({
        name, label, scale, color: COLORS[i % COLORS.length],
      }));
      // the worldview's own run, dashed, for the first series (shown when a parameter is changed)
      const [name0, label0, scale0] = cfg.series[0];
      series.push({ name: name0, label: `${label0} (worldview)`, scale: scale0, color: "#98a2b3",
        dash: [6, 4], width: 1.5, show: !!base, hideInPng: !base, baseline: true });
      const data = [years, ...series.map((s) => column((s.baseline ? (base || run) : run).series[s.name], cfg.kind))];
      if (!chart.u) makePlot(chart, series, data, { sync: "explore" });
      else {
        chart.u.setData(data);
        const last = series.length;
        if (chart.u.series[last].show !== !!base) chart.u.setSeries(last, { show: !!base });
        chart.series = series;
      }
      const entries = chart.u.root.querySelectorAll(".u-legend .u-series");
      if (entries.length) entries[entries.length - 1].style.display = base ? "" : "none";
      chart.markers = markers;
      chart.u.redraw(false, false);
    }
    renderMarkerLegend(markers, run);
    renderMilestoneTable(run, base);
    app.renders += 1;
    container.dataset.renders = String(app.renders);
    document.body.dataset.state = "ready";
  }

  function renderMarkerLegend(markers, run) {
    const box = $("#marker-legend");
    box.replaceChildren(...app.meta.marker_milestones.map((name, i) => {
      const year = run.milestones[name];
      return el("span", { "data-marker": name },
        el("i", { style: `border-color:${MARKER_COLORS[i % MARKER_COLORS.length]}` }),
        `${prettyMilestone(name)}: ${fmtYear(year, run.settings.end_year)}`);
    }));
  }

  function renderMilestoneTable(run, base) {
    const info = Object.fromEntries(app.meta.milestones.map((m) => [m.name, m]));
    const head = el("tr", {}, el("th", { text: "Milestone" }), el("th", { class: "num", text: "Year" }),
      base ? el("th", { class: "num", text: "vs worldview" }) : null, el("th", { text: "Definition" }));
    const rows = Object.entries(run.milestones).map(([name, year]) => {
      let delta = null;
      if (base) {
        const b = base.milestones[name];
        let text = "–";
        let cls = "delta";
        if (year !== null && b !== null) {
          const d = year - b;
          text = Math.abs(d) < 0.05 ? "±0" : `${d > 0 ? "+" : ""}${d.toFixed(1)} yr`;
          cls += d < -0.05 ? " earlier" : d > 0.05 ? " later" : "";
        } else if (year !== b) text = year === null ? "now not reached" : `was ${fmtYear(b, run.settings.end_year)}`;
        delta = el("td", { class: `num ${cls}`, text });
      }
      return el("tr", { "data-milestone": name },
        el("td", { text: prettyMilestone(name), title: info[name] ? plainText(info[name].source || "") : "" }),
        el("td", { class: "num year", text: fmtYear(year, run.settings.end_year) }),
        delta,
        el("td", { class: "muted" }, info[name] ? richText(info[name].description) : ""));
    });
    $("#milestones").replaceChildren(el("thead", {}, head), el("tbody", {}, rows));
  }

  function exportExploreCsv() {
    if (!app.run) return;
    const series = app.run.series;
    const names = ["year", ...Object.keys(series).filter((n) => n !== "year")];
    const lines = [names.join(",")];
    for (let i = 0; i < series.year.length; i++) lines.push(names.map((n) => csvCell(series[n][i])).join(","));
    downloadText(`takeoff-${app.run.scenario}.csv`, lines.join("\n") + "\n", "text/csv");
  }

  function exportJson(name, payload) {
    const clean = JSON.parse(JSON.stringify(payload, (k, v) => (k === "_rtt" ? undefined : v)));
    downloadText(name, JSON.stringify({ url: location.href, state: app.state, result: clean }, null, 2), "application/json");
  }

  // ------------------------------------------------------------------ Monte Carlo view

  function mcKey() {
    const s = app.state;
    return JSON.stringify([s.scenario, Object.entries(s.overrides).sort(), s.dt, s.end, s.n, s.seed]);
  }

  async function runMC() {
    if (app.mcBusy) return;
    const s = app.state;
    const key = mcKey();
    app.mcBusy = true;
    $("#mc-run").disabled = true;
    setStatus("busy", `running ${s.n.toLocaleString()} samples…`);
    try {
      const mc = await api("/api/montecarlo", { scenario: s.scenario, overrides: { ...s.overrides },
        dt: s.dt, end_year: s.end, n_samples: s.n, seed: s.seed });
      app.mc = mc;
      app.mcKey = key;
      renderMC();
      setStatus("ok", `Monte Carlo: ${mc.n_samples.toLocaleString()} samples in ${(mc.elapsed_ms / 1000).toFixed(2)} s at the server${mc.cached ? " (cached)" : ""} · dt = ${mc.settings.dt} yr`);
    } catch (e) {
      setStatus("error", `error: ${e.message}`);
    } finally {
      app.mcBusy = false;
      $("#mc-run").disabled = false;
      updateMcNote();
    }
  }

  function updateMcNote() {
    const note = $("#mc-note");
    const mc = app.mc;
    const parts = [];
    if (mc) {
      if (!mc.sampled.length) {
        const withDist = app.scenarios.filter((s) => Object.keys(s.distributions).length).map((s) => s.name);
        parts.push(`This worldview has no parameter distributions, so every sample is the same.${withDist.length ? ` Worldviews with distributions: ${withDist.join(", ")}.` : ""}`);
      } else {
        parts.push(`Sampled: ${mc.sampled.join(", ")}. Parameters changed in the sidebar are fixed at their values. Bands: 5–95%, 10–90%, 25–75%; line: median.`);
      }
    }
    if (app.mcKey && app.mcKey !== mcKey()) parts.push("Settings changed since this run: press Run.");
    note.textContent = parts.join(" ");
  }

  function renderMC() {
    const mc = app.mc;
    const container = $("#mc-charts");
    for (const c of app.charts.mc) if (c.u) c.u.destroy();
    container.replaceChildren();
    app.charts.mc = [];
    const q = mc.quantiles;
    const idx = (p) => q.findIndex((x) => Math.abs(x - p) < 1e-9);
    const summary = Object.fromEntries(Object.entries(mc.milestones).map(([n, v]) => [n, v.p50]));
    const markers = markerList(summary);
    for (const [name, title, unit, kind] of MC_CHARTS) {
      if (!mc.fans[name]) continue;
      const asinh = name === "gwp_growth";
      const chart = chartCard(container, { id: `mc-${name}`, title, unit: `${unit}${asinh ? " (asinh scale)" : ""}, across samples`, kind, asinh });
      const order = [0.05, 0.1, 0.25, 0.5, 0.75, 0.9, 0.95].map(idx);
      const labels = ["5%", "10%", "25%", "median", "75%", "90%", "95%"];
      const series = order.map((k, i) => ({
        label: labels[i], color: i === 3 ? COLORS[0] : "rgba(0,114,178,0.35)", width: i === 3 ? 2 : 0.5,
        hideInPng: i !== 3,
      }));
      const data = [mc.years, ...order.map((k) => column(mc.fans[name][k], kind))];
      const bands = [
        { series: [7, 1], fill: "rgba(0,114,178,0.10)" },
        { series: [6, 2], fill: "rgba(0,114,178,0.14)" },
        { series: [5, 3], fill: "rgba(0,114,178,0.20)" },
      ];
      makePlot(chart, series, data, { sync: "mc", bands });
      chart.markers = markers;
      chart.u.redraw(false, false);
      app.charts.mc.push(chart);
    }
    // milestone CDFs
    const cdfChart = chartCard(container, { id: "mc-cdf", title: "Milestone CDFs", unit: "P(reached by year), %", kind: "pct", range: [0, 100] });
    const names = app.meta.marker_milestones.filter((n) => mc.cdf[n]);
    const series = names.map((n, i) => ({ label: prettyMilestone(n), color: MARKER_COLORS[app.meta.marker_milestones.indexOf(n) % MARKER_COLORS.length] }));
    makePlot(cdfChart, series, [mc.years, ...names.map((n) => column(mc.cdf[n], "pct"))], { sync: "mc" });
    app.charts.mc.push(cdfChart);
    // table
    const head = el("tr", {}, ["Milestone", "p10", "median", "p90", "P(by 2030)", "P(by 2040)", "P(by 2050)", `P(by ${mc.settings.end_year})`]
      .map((t, i) => el("th", { class: i ? "num" : "", text: t })));
    const rows = Object.entries(mc.milestones).map(([name, m]) => el("tr", { "data-milestone": name },
      el("td", { text: prettyMilestone(name) }),
      el("td", { class: "num", text: fmtYear(m.p10, mc.settings.end_year) }),
      el("td", { class: "num", text: fmtYear(m.p50, mc.settings.end_year) }),
      el("td", { class: "num", text: fmtYear(m.p90, mc.settings.end_year) }),
      ...["2030", "2040", "2050"].map((y) => el("td", { class: "num", text: y in m.prob_by ? `${(100 * m.prob_by[y]).toFixed(0)}%` : "–" })),
      el("td", { class: "num", text: `${(100 * m.prob_reached).toFixed(0)}%` })));
    $("#mc-table").replaceChildren(el("thead", {}, head), el("tbody", {}, rows));
    container.dataset.renders = String((Number(container.dataset.renders) || 0) + 1);
    updateMcNote();
  }

  function exportMcCsv() {
    const mc = app.mc;
    if (!mc) return;
    const cols = [];
    for (const name of Object.keys(mc.fans)) mc.quantiles.forEach((q, k) => cols.push([`${name}_q${Math.round(q * 100)}`, mc.fans[name][k]]));
    const lines = [["year", ...cols.map((c) => c[0])].join(",")];
    mc.years.forEach((y, i) => lines.push([y, ...cols.map((c) => csvCell(c[1][i]))].join(",")));
    downloadText(`takeoff-mc-${mc.scenario}-${mc.n_samples}.csv`, lines.join("\n") + "\n", "text/csv");
  }

  // ------------------------------------------------------------------ compare view

  // A worldview's colour: its own (GET /api/scenarios, as in the HTML report), else the palette's.
  function viewColour(name, i) {
    const info = app.scenarios.find((s) => s.name === name);
    return (info && info.colour) || PALETTE[i % PALETTE.length];
  }

  function compareNames() {
    const all = app.scenarios.map((s) => s.name);
    if (app.state.cmp) return app.state.cmp.filter((n) => all.includes(n)).slice(0, app.meta.limits.max_compare);
    return all.slice(0, app.meta.limits.max_compare);
  }

  function buildCompareChoices() {
    const box = $("#cmp-choices");
    const chosen = compareNames();
    box.replaceChildren(...app.scenarios.map((s) => {
      const input = el("input", { type: "checkbox", value: s.name, checked: chosen.includes(s.name) });
      input.addEventListener("change", () => {
        const picked = [...box.querySelectorAll("input:checked")].map((i) => i.value);
        if (!picked.length) { input.checked = true; return; }
        if (picked.length > app.meta.limits.max_compare) { input.checked = false; setStatus("error", `at most ${app.meta.limits.max_compare} worldviews at once`); return; }
        app.state.cmp = picked;
        stateChanged("cmp");
      });
      return el("label", { title: plainText(s.description) }, input, ` ${s.title || s.name}`);
    }));
    $("#cmp-apply").checked = app.state.cmpApply;
  }

  function cmpKey() {
    const s = app.state;
    return JSON.stringify([compareNames(), s.cmpApply ? Object.entries(s.overrides).sort() : [], s.dt, s.end]);
  }

  function scheduleCompare(delay) {
    clearTimeout(app.timers.cmp);
    app.timers.cmp = setTimeout(runCompare, delay);
  }

  async function runCompare() {
    if (app.cmpBusy) { app.cmpPending = true; return; }
    const key = cmpKey();
    if (key === app.cmpKey) return;
    const s = app.state;
    app.cmpBusy = true;
    setStatus("busy", "running worldviews…");
    try {
      const cmp = await api("/api/compare", { scenarios: compareNames(), dt: s.dt, end_year: s.end,
        overrides: s.cmpApply ? { ...s.overrides } : {} });
      app.cmp = cmp;
      app.cmpKey = key;
      renderCompare();
      setStatus("ok", `${cmp.runs.length} worldviews in ${cmp.elapsed_ms.toFixed(0)} ms at the server · dt = ${cmp.settings.dt} yr`);
    } catch (e) {
      app.cmpKey = null;
      setStatus("error", `error: ${e.message}`);
    } finally {
      app.cmpBusy = false;
      if (app.cmpPending) { app.cmpPending = false; runCompare(); }
    }
  }

  function renderCompare() {
    const cmp = app.cmp;
    const container = $("#cmp-charts");
    for (const c of app.charts.compare) if (c.u) c.u.destroy();
    container.replaceChildren();
    app.charts.compare = [];
    const years = cmp.runs[0].series.year;
    for (const [name, title, unit, kind] of CMP_SERIES) {
      const asinh = name === "gwp_growth";
      const chart = chartCard(container, { id: `cmp-${name}`, title, unit: `${unit}${asinh ? " (asinh scale)" : ""}`, kind, asinh,
        range: name === "automated_share" ? [0, 100] : null, zero: kind === "pct" });
      const series = cmp.runs.map((r, i) => ({ label: r.scenario, color: viewColour(r.scenario, i) }));
      makePlot(chart, series, [years, ...cmp.runs.map((r) => column(r.series[name], kind))], { sync: "cmp" });
      app.charts.compare.push(chart);
    }
    const end = cmp.settings.end_year;
    const head = el("tr", {}, el("th", { text: "Milestone" }),
      cmp.runs.map((r, i) => el("th", { class: "num", "data-scenario": r.scenario, style: `color:${viewColour(r.scenario, i)}`, text: r.title || r.scenario })));
    const names = Object.keys(cmp.runs[0].milestones);
    const rows = names.map((n) => el("tr", { "data-milestone": n }, el("td", { text: prettyMilestone(n) }),
      cmp.runs.map((r) => el("td", { class: "num", text: fmtYear(r.milestones[n], end) }))));
    $("#cmp-table").replaceChildren(el("thead", {}, head), el("tbody", {}, rows));
    container.dataset.renders = String((Number(container.dataset.renders) || 0) + 1);
  }

  function exportCmpCsv() {
    const cmp = app.cmp;
    if (!cmp) return;
    const names = Object.keys(cmp.runs[0].series).filter((n) => n !== "year");
    const lines = [["scenario", "year", ...names].join(",")];
    for (const r of cmp.runs) r.series.year.forEach((y, i) => lines.push([r.scenario, y, ...names.map((n) => csvCell(r.series[n][i]))].join(",")));
    downloadText("takeoff-compare.csv", lines.join("\n") + "\n", "text/csv");
  }

  // ------------------------------------------------------------------ "why they differ" view

  const CX_ARG = { "prob-by": ["by year", "2035"], "mean-growth": ["years", "2026-2050"] };

  function cxNames() {
    const names = app.scenarios.map((x) => x.name);
    const s = app.state;
    const pick = (want, fallback) => (want && names.includes(want) ? want : fallback);
    const a = pick(s.cxA, names.includes("amodei") ? "amodei" : names[0]);
    const b = pick(s.cxB, names.includes("besiroglu-erdil") && a !== "besiroglu-erdil" ? "besiroglu-erdil"
      : names.find((n) => n !== a) || a);
    return [a, b];
  }

  function cxMetric() {
    const s = app.state;
    if (s.cxMetric === "median") return "median";
    return `${s.cxMetric}:${(s.cxArg || CX_ARG[s.cxMetric][1]).trim()}`;
  }

  function cxRequest() {
    const [a, b] = cxNames();
    const s = app.state;
    return { a, b, milestone: s.cxM, metric: cxMetric(), by: s.cxBy, n_samples: s.cxN, seed: s.seed, dt: s.dt };
  }

  function cxKey() {
    return JSON.stringify(cxRequest());
  }

  function buildCruxesControls() {
    const options = () => app.scenarios.map((x) => el("option", { value: x.name, text: x.name }));
    const [a, b] = cxNames();
    $("#cx-a").replaceChildren(...options());
    $("#cx-b").replaceChildren(...options());
    $("#cx-a").value = a;
    $("#cx-b").value = b;
    const names = app.meta.milestones.map((m) => m.name);
    if (!names.includes(app.state.cxM)) app.state.cxM = names.includes("automated_100pct") ? "automated_100pct" : names[0];
    $("#cx-milestone").replaceChildren(...app.meta.milestones.map((m) => el("option", { value: m.name, text: prettyMilestone(m.name), title: plainText(m.description) })));
    $("#cx-milestone").value = app.state.cxM;
    $("#cx-metric").value = app.state.cxMetric;
    $("#cx-by").value = app.state.cxBy;
    $("#cx-n").value = app.state.cxN;
    showCxArg();
  }

  function showCxArg() {
    const kind = app.state.cxMetric;
    const label = $("#cx-arg-label");
    label.hidden = kind === "median";
    if (kind !== "median") {
      $("#cx-arg-name").textContent = CX_ARG[kind][0];
      $("#cx-arg").placeholder = CX_ARG[kind][1];
      $("#cx-arg").value = app.state.cxArg || CX_ARG[kind][1];
    }
    $("#cx-milestone").disabled = kind === "mean-growth"; // growth reads GWP, not a milestone
  }

  // The controls into the state; ``newMetric``: the measure changed, so its argument resets.
  function readCruxesControls(newMetric) {
    const s = app.state;
    s.cxA = $("#cx-a").value;
    s.cxB = $("#cx-b").value;
    s.cxM = $("#cx-milestone").value;
    s.cxMetric = $("#cx-metric").value;
    s.cxArg = s.cxMetric === "median" || newMetric ? "" : $("#cx-arg").value.trim().slice(0, 20);
    s.cxBy = $("#cx-by").value;
    s.cxN = Math.min(2000, Math.max(16, Math.round(Number($("#cx-n").value) || 200)));
    $("#cx-n").value = s.cxN;
  }

  function updateCxNote() {
    const parts = [];
    const [a, b] = cxNames();
    if (a === b) parts.push("Choose two different worldviews.");
    if (app.cxKey && app.cxKey !== cxKey()) parts.push("Settings changed since this result: press Explain.");
    $("#cx-note").textContent = parts.join(" ");
  }

  async function runCruxes() {
    if (app.cxBusy) return;
    const req = cxRequest();
    if (req.a === req.b) { updateCxNote(); return; }
    const key = cxKey();
    app.cxBusy = true;
    $("#cx-run").disabled = true;
    setStatus("busy", `attributing ${req.a} → ${req.b} (${req.n_samples} samples per hybrid worldview)…`);
    try {
      const cx = await api("/api/cruxes", req);
      app.cx = cx;
      app.cxKey = key;
      renderCruxes();
      setStatus("ok", `why they differ: ${cx.coalitions} hybrid worldviews × ${cx.n_samples} samples in ${(cx.elapsed_ms / 1000).toFixed(1)} s at the server${cx.cached ? " (cached)" : ""} · dt = ${req.dt ?? "scenario"} yr`);
    } catch (e) {
      setStatus("error", `error: ${e.message}`);
    } finally {
      app.cxBusy = false;
      $("#cx-run").disabled = false;
      updateCxNote();
    }
  }

  function fmtValue(cx, v) {
    if (cx.unit === "years") return v.toFixed(1);
    if (cx.unit === "pp") return `${v.toFixed(0)}%`;
    return `${v.toFixed(2)}%/yr`;
  }

  function fmtDelta(cx, v) {
    return `${v >= 0 ? "+" : ""}${v.toFixed(2)} ${cx.unit}`;
  }

  // The SVG namespace, from the HTML parser itself: this file names no URL at all (a test
  // checks that the page's script cannot reach another host).
  const SVG_NS = (() => {
    const box = document.createElement("div");
    box.innerHTML = "<svg></svg>";
    return box.firstChild.namespaceURI;
  })();

  function svgEl(tag, attrs, text) {
    const node = document.createElementNS(SVG_NS, tag);
    for (const [k, v] of Object.entries(attrs || {})) node.setAttribute(k, String(v));
    if (text !== undefined) node.textContent = text;
    return node;
  }

  // The Shapley waterfall, as takeoff.cruxes.charts.waterfall draws it: metric(a) on top, one
  // bar per group from the running total (vermilion: later/higher, blue: earlier/lower) with
  // ±1 SE, a circle at what the group adds alone into a, a cross at what it adds last out of b.
  function waterfallSvg(cx) {
    const rows = [{ label: cx.a, end: cx.value_a, colour: cx.colours.a }];
    let level = cx.value_a;
    const xs = [cx.value_a, cx.value_b];
    for (const g of cx.groups) {
      rows.push({ label: g.name, from: level, to: level + g.shapley, se: g.se, alone: level + g.alone, last: level + g.last });
      xs.push(level, level + g.shapley, level + g.alone, level + g.last, level + g.shapley - g.se, level + g.shapley + g.se);
      level += g.shapley;
    }
    rows.push({ label: cx.b, end: cx.value_b, colour: cx.colours.b });
    const lo0 = Math.min(...xs);
    const hi0 = Math.max(...xs);
    const pad = 0.08 * Math.max(hi0 - lo0, Math.abs(cx.total), 1e-9);
    const lo = lo0 - pad;
    const hi = hi0 + pad;
    const W = 860, left = 230, right = 20, rowH = 30, top = 10;
    const H = top + rows.length * rowH + 42;
    const x = (v) => left + ((v - lo) / (hi - lo)) * (W - left - right);
    const svg = svgEl("svg", { viewBox: `0 0 ${W} ${H}`, role: "img", "aria-label": `Shapley waterfall from ${cx.a} to ${cx.b}` });
    const ticks = svgEl("g", { class: "tick" });
    const step = niceStep((hi - lo) / 6);
    for (let t = Math.ceil(lo / step) * step; t <= hi; t += step) {
      const tx = x(t);
      ticks.append(svgEl("line", { x1: tx, x2: tx, y1: top, y2: top + rows.length * rowH, stroke: "#dde1e7" }));
      ticks.append(svgEl("text", { x: tx, y: top + rows.length * rowH + 16, "text-anchor": "middle" }, fmtNum(t, 4)));
    }
    svg.append(ticks);
    svg.append(svgEl("text", { x: (left + W - right) / 2, y: H - 6, "text-anchor": "middle" }, `${cx.metric} (${cx.unit})`));
    rows.forEach((r, i) => {
      const y = top + i * rowH;
      const mid = y + rowH / 2;
      const g = svgEl("g", { "data-row": r.label });
      g.append(svgEl("text", { x: left - 8, y: mid + 4, "text-anchor": "end" }, r.label.length > 34 ? `${r.label.slice(0, 33)}…` : r.label));
      if (r.end !== undefined) {
        g.append(svgEl("rect", { x: left, y: y + 6, width: Math.max(1, x(r.end) - left), height: rowH - 12, fill: "#7f7f7f" }));
        g.append(svgEl("rect", { x: left - 4, y: y + 6, width: 3, height: rowH - 12, fill: r.colour }));
        g.append(svgEl("text", { x: x(r.end) + 4, y: mid + 4 }, fmtValue(cx, r.end)));
      } else {
        const x0 = x(Math.min(r.from, r.to));
        const w = Math.max(1, Math.abs(x(r.to) - x(r.from)));
        g.append(svgEl("rect", { x: x0, y: y + 6, width: w, height: rowH - 12, fill: r.to >= r.from ? UP : DOWN, class: "bar" }));
        g.append(svgEl("line", { x1: x(r.to - r.se), x2: x(r.to + r.se), y1: mid, y2: mid, stroke: "#000" }));
        for (const e of [r.to - r.se, r.to + r.se]) g.append(svgEl("line", { x1: x(e), x2: x(e), y1: mid - 4, y2: mid + 4, stroke: "#000" }));
        g.append(svgEl("circle", { cx: x(r.alone), cy: mid, r: 4.5, fill: "#fff", stroke: "#000" }));
        const c = x(r.last);
        g.append(svgEl("path", { d: `M${c - 4},${mid - 4}L${c + 4},${mid + 4}M${c - 4},${mid + 4}L${c + 4},${mid - 4}`, stroke: "#000", "stroke-width": 1.5 }));
      }
      svg.append(g);
    });
    return svg;
  }

  function niceStep(raw) {
    const p = 10 ** Math.floor(Math.log10(raw || 1));
    for (const m of [1, 2, 2.5, 5, 10]) if (m * p >= raw) return m * p;
    return 10 * p;
  }

  function renderCruxes() {
    const cx = app.cx;
    const name = (key, who) => el("span", { class: "view-name", style: `color:${cx.colours[key]}`, title: cx.titles[key] }, who);
    const censored = cx.censored && (cx.censored.a || cx.censored.b)
      ? ` Never reached by the end year (counted as the end year): ${cx.a} ${(100 * cx.censored.a).toFixed(0)}%, ${cx.b} ${(100 * cx.censored.b).toFixed(0)}%.` : "";
    $("#cx-summary").replaceChildren(`${cx.metric}: `, name("a", cx.a), ` ${fmtValue(cx, cx.value_a)} → `, name("b", cx.b),
      ` ${fmtValue(cx, cx.value_b)}: `, el("b", { text: fmtDelta(cx, cx.total) }),
      ` (SE ${cx.se_total.toFixed(2)}); Shapley ${cx.exact ? "exact" : `from ${cx.orders} sampled orders`}, ${cx.coalitions} hybrid worldviews × ${cx.n_samples} samples.${censored}`);
    $("#cx-chart").replaceChildren(waterfallSvg(cx),
      el("div", { class: "muted small" }, "Bars: Shapley value ±1 SE (vermilion: later/higher, blue: earlier/lower) · ○ swapped alone into ",
        cx.a, " · × taken last out of ", cx.b));
    const head = el("tr", {}, ["Group", "Parameters", "Shapley", "SE", `Alone into ${cx.a}`, `Last out of ${cx.b}`]
      .map((t, i) => el("th", { class: i > 1 ? "num" : "", text: t })));
    const rows = cx.groups.map((g) => el("tr", { "data-group": g.name },
      el("td", { text: g.name }), el("td", { class: "muted", text: g.parameters.join(", ") }),
      el("td", { class: "num", text: fmtDelta(cx, g.shapley) }), el("td", { class: "num", text: g.se.toFixed(2) }),
      el("td", { class: "num", text: fmtDelta(cx, g.alone) }), el("td", { class: "num", text: fmtDelta(cx, g.last) })));
    $("#cx-table").replaceChildren(el("thead", {}, head), el("tbody", {}, rows));
    $("#cx-sentences").replaceChildren(...cx.sentences.map((t) => el("li", { text: t })));
    const chart = $("#cx-chart");
    chart.dataset.renders = String((Number(chart.dataset.renders) || 0) + 1);
    updateCxNote();
  }

  // ------------------------------------------------------------------ wiring

  function showView(view) {
    app.state.view = view;
    for (const v of VIEWS) {
      $(`#view-${v}`).hidden = v !== view;
      $(`#tab-${v}`).setAttribute("aria-selected", v === view ? "true" : "false");
    }
    syncUrl();
    requestAnimationFrame(resizeCharts);
    if (view === "explore") scheduleRun(0);
    if (view === "compare") scheduleCompare(0);
    if (view === "mc") {
      $("#mc-n").value = app.state.n;
      $("#mc-seed").value = app.state.seed;
      if (app.mcKey !== mcKey()) runMC();
    }
    if (PLUGINS[view]) PLUGINS[view].show();
    if (view === "cruxes") {
      buildCruxesControls();
      if (app.cxKey !== cxKey()) runCruxes();
    }
  }

  function stateChanged(kind) {
    syncUrl();
    const view = app.state.view;
    if (view === "explore") scheduleRun(kind === "param" ? 90 : 0);
    if (view === "compare" && (kind !== "param" || app.state.cmpApply)) scheduleCompare(kind === "param" ? 250 : 0);
    if (view === "mc") {
      // a new worldview, time step or end year reruns at once; slider moves wait for "Run"
      if (kind !== "param" && !app.mcBusy) runMC();
      else updateMcNote();
    }
    if (view === "cruxes") updateCxNote(); // an attribution takes seconds: it runs on "Explain"
    if (PLUGINS[view]) PLUGINS[view].stateChanged(kind);
  }

  async function changeScenario(name) {
    app.state.scenario = name;
    app.state.overrides = {};
    $("#scenario").value = name;
    await loadScenario(name);
    stateChanged("scenario");
  }

  async function applyHash() {
    const s = stateFromHash(location.hash);
    const names = app.scenarios.map((x) => x.name);
    const notes = [];
    if (!names.includes(s.scenario)) {
      notes.push(`unknown worldview ${s.scenario}; showing default`);
      s.scenario = names.includes("default") ? "default" : names[0];
    }
    app.state = s;
    $("#scenario").value = s.scenario;
    $("#dt").value = String(s.dt);
    if ($("#dt").value !== String(s.dt)) $("#dt").append(el("option", { value: String(s.dt), text: `${s.dt} yr` })), ($("#dt").value = String(s.dt));
    $("#end-year").value = s.end;
    const unknown = await loadScenario(s.scenario);
    if (unknown.length) notes.push(`ignored unknown parameters in the link: ${unknown.join(", ")}`);
    buildCompareChoices();
    showView(s.view);
    if (notes.length) setStatus("error", notes.join("; "));
  }

  // What app.js lends the views in files of their own (init(lib) of window.__takeoffViews).
  const PLUGIN_LIB = { app, el, api, setStatus, fmtNum, fmtYear, prettyMilestone, prettyParam,
    plainText, richText, syncUrl, exportJson, viewColour, svgEl, chartCard, makePlot, column };

  async function init() {
    try {
      const [meta, scenarios] = await Promise.all([api("/api/meta"), api("/api/scenarios")]);
      app.meta = meta;
      app.scenarios = scenarios;
      $("#scenario").replaceChildren(...scenarios.map((s) => el("option", { value: s.name, text: s.title && s.title !== s.name ? `${s.name} — ${s.title}` : s.name })));
      $("#mc-n").max = meta.limits.max_samples;
      for (const p of Object.values(PLUGINS)) p.init(PLUGIN_LIB);
      await applyHash();
    } catch (e) {
      setStatus("error", `could not start: ${e.message}`);
      return;
    }

    $("#scenario").addEventListener("change", (ev) => changeScenario(ev.target.value));
    $("#dt").addEventListener("change", (ev) => { app.state.dt = Number(ev.target.value); stateChanged("settings"); });
    $("#end-year").addEventListener("change", (ev) => {
      let v = Math.round(Number(ev.target.value));
      if (!Number.isFinite(v)) v = 2100;
      v = Math.min(app.meta.limits.max_end_year, Math.max(2030, v));
      ev.target.value = v;
      app.state.end = v;
      stateChanged("settings");
    });
    $("#reset").addEventListener("click", () => { app.state.overrides = {}; refreshParamControls(); stateChanged("param"); });
    for (const v of VIEWS) $(`#tab-${v}`).addEventListener("click", () => showView(v));
    $("#copy-link").addEventListener("click", async () => {
      syncUrl();
      const share = $("#share-url");
      share.hidden = false;
      share.value = location.href;
      share.select();
      try {
        await navigator.clipboard.writeText(location.href);
        setStatus("ok", "link copied: it reproduces this view");
      } catch (_) {
        setStatus("ok", "copy the selected link to reproduce this view");
      }
    });
    $("#export-csv").addEventListener("click", exportExploreCsv);
    $("#export-json").addEventListener("click", () => app.run && exportJson(`takeoff-${app.run.scenario}.json`, app.run));
    $("#mc-run").addEventListener("click", () => {
      app.state.n = Math.min(app.meta.limits.max_samples, Math.max(10, Math.round(Number($("#mc-n").value) || 1000)));
      app.state.seed = Math.max(0, Math.round(Number($("#mc-seed").value) || 0));
      $("#mc-n").value = app.state.n;
      $("#mc-seed").value = app.state.seed;
      syncUrl();
      runMC();
    });
    $("#mc-export-csv").addEventListener("click", exportMcCsv);
    $("#mc-export-json").addEventListener("click", () => app.mc && exportJson(`takeoff-mc-${app.mc.scenario}.json`, app.mc));
    $("#cmp-apply").addEventListener("change", (ev) => { app.state.cmpApply = ev.target.checked; stateChanged("cmp"); });
    $("#cmp-export-csv").addEventListener("click", exportCmpCsv);
    $("#cmp-export-json").addEventListener("click", () => app.cmp && exportJson("takeoff-compare.json", app.cmp));
    for (const id of ["#cx-a", "#cx-b", "#cx-milestone", "#cx-metric", "#cx-by", "#cx-n", "#cx-arg"]) {
      $(id).addEventListener("change", () => {
        readCruxesControls(id === "#cx-metric");
        showCxArg();
        syncUrl();
        updateCxNote();
      });
    }
    $("#cx-swap").addEventListener("click", () => {
      const [a, b] = cxNames();
      app.state.cxA = b;
      app.state.cxB = a;
      buildCruxesControls();
      syncUrl();
      updateCxNote();
    });
    $("#cx-run").addEventListener("click", () => { readCruxesControls(); syncUrl(); runCruxes(); });
    $("#cx-export-json").addEventListener("click", () => app.cx && exportJson(`takeoff-cruxes-${app.cx.a}-${app.cx.b}.json`, app.cx));
    window.addEventListener("hashchange", () => {
      if (location.hash !== hashFromState(app.state)) {
        app.runKey = null;
        applyHash();
      }
    });
    let resizeTimer = null;
    window.addEventListener("resize", () => { clearTimeout(resizeTimer); resizeTimer = setTimeout(resizeCharts, 100); });
  }

  init();
})();
