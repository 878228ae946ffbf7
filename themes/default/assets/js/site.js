// Progressive enhancement only: every page is complete without JavaScript
// (each chart has its data table and summary; tables are in a useful
// order). This script draws the charts, sorts and filters tables, and runs
// the search page.
(function () {
  "use strict";
  var script = document.currentScript;
  var assetsBase = script ? script.src.replace(/js\/site\.js(\?.*)?$/, "") : "assets/";

  // ---- charts -----------------------------------------------------------
  var charts = [];
  var echartsState = "none"; // none, loading, ready, failed
  var waiting = [];
  function drawCharts(root) {
    var els = Array.prototype.slice.call(root.querySelectorAll(".chart-canvas[data-option]"));
    if (!els.length) return;
    // Each canvas takes its chart's own height at once, before ECharts
    // loads, so that the page moves only now. The size classes are a
    // stand-in: a comparison of 150 departments needs far more than their
    // largest. (A style set from a script is allowed by the CSP; a style
    // attribute in the HTML is not.)
    els.forEach(sizeCanvas);
    // Charts whose elements left the page (the preview swaps content in
    // place) are released.
    charts = charts.filter(function (c) {
      if (document.contains(c.getDom())) return true;
      c.dispose();
      return false;
    });
    if (echartsState === "ready") {
      els.forEach(draw);
      return;
    }
    if (echartsState === "failed") {
      els.forEach(fail);
      return;
    }
    waiting = waiting.concat(els);
    if (echartsState === "loading") return;
    echartsState = "loading";
    var s = document.createElement("script");
    s.src = assetsBase + "vendor/echarts/echarts.min.js";
    s.onload = function () {
      echartsState = "ready";
      waiting.forEach(draw);
      waiting = [];
    };
    s.onerror = function () {
      echartsState = "failed";
      waiting.forEach(fail);
      waiting = [];
    };
    document.body.appendChild(s);
  }
  function sizeCanvas(el) {
    var h = parseInt(el.getAttribute("data-height"), 10);
    if (!(h > 0)) {
      // The size class's height, measured once: 大字 grows it from there.
      h = parseInt(el.getAttribute("data-base-height"), 10) || el.clientHeight;
      if (!(h > 0)) return;
      el.setAttribute("data-base-height", h);
    }
    el.style.height = Math.round(h * chartMode().scale) + "px";
  }
  function draw(el) {
    var data = document.getElementById(el.getAttribute("data-option"));
    try {
      var option = JSON.parse(data.textContent);
      var chart = window.echarts.init(el, null, { renderer: "svg", locale: "ZH" });
      chart.discloseOption = option;
      chart.setOption(modeOption(option, chartMode()));
      charts.push(chart);
    } catch (e) {
      fail(el);
      if (window.console) console.warn("chart " + el.getAttribute("data-option") + ": " + e.message);
    }
  }
  // A chart that cannot be drawn gives way to its data table.
  function fail(el) {
    el.classList.add("failed");
    var fig = el.closest("figure");
    var details = fig && fig.querySelector("details");
    if (details) details.open = true;
  }
  // ---- charts in 大字 and 高对比 ----------------------------------------------
  // The reading preferences (prefs.js) reach the charts too: 大字 enlarges
  // every chart text (and the chart's height, so that the larger labels
  // keep their room), 高对比 draws in black text and axes and a palette of
  // dark, distinct colours. Each chart is drawn from its page option
  // transformed for the mode, and redrawn when the reader switches.
  // The body text grows from 18 to 22 px in 大字, but chart text starts
  // smaller (14 px): it grows more, to about 20 px, to stay near the body.
  var LARGE_CHART_SCALE = 1.4;
  // Every colour has at least 6.5:1 against white (WCAG 1.4.11 asks 3:1 of
  // graphics), so that white labels drawn on them stay readable too; the
  // hues are far apart, and the series keep their decal patterns.
  var CONTRAST_PALETTE = ["#0b3d91", "#a33a00", "#1b5e20", "#6a1b9a", "#b71c1c", "#00574b", "#5d4037", "#000000"];
  function chartMode() {
    var cl = document.documentElement.classList;
    return { scale: cl.contains("pref-large") ? LARGE_CHART_SCALE : 1, contrast: cl.contains("pref-contrast") };
  }
  // modeOption returns option as the mode draws it; option itself, the
  // page's, is never changed.
  function modeOption(option, mode) {
    if (mode.scale === 1 && !mode.contrast) return option;
    var o = JSON.parse(JSON.stringify(option));
    var scale = mode.scale;
    var palette = {}; // page colour -> contrast colour, in order of use
    var used = 0;
    function swap(c) {
      if (typeof c !== "string") return c;
      if (!palette[c]) palette[c] = CONTRAST_PALETTE[used++ % CONTRAST_PALETTE.length];
      return palette[c];
    }
    if (mode.contrast && Array.isArray(o.color)) o.color = o.color.map(swap);
    var textKeys = { textStyle: 1, label: 1, axisLabel: 1, nameTextStyle: 1, upperLabel: 1 };
    // walk scales every font size and the widths labels are cut or wrapped
    // at (so that a larger label keeps all the characters it had), and in 高对比 recolours text black (white text on a fill stays
    // white: the fills become darker) and fills to the contrast palette.
    function walk(v, key, inText) {
      if (Array.isArray(v)) {
        for (var i = 0; i < v.length; i++) v[i] = walk(v[i], key, inText);
        return v;
      }
      if (!v || typeof v !== "object") return v;
      for (var k in v) {
        if (!Object.prototype.hasOwnProperty.call(v, k)) continue;
        var x = v[k];
        if (typeof x === "number" && scale !== 1 && (k === "fontSize" || k === "lineHeight" || (inText && k === "width") || k === "itemWidth" || k === "itemHeight")) {
          v[k] = Math.round(x * scale);
        } else if (k === "color" && typeof x === "string" && mode.contrast) {
          if (inText || key === "textStyle") v[k] = /^#fff(fff)?$/i.test(x) ? x : "#000000";
          else if (key === "decal") v[k] = "rgba(255, 255, 255, 0.55)";
          else if (key === "itemStyle") v[k] = swap(x);
        } else if (k === "borderColor" && typeof x === "string" && mode.contrast) {
          v[k] = "#ffffff"; // the edges between dark fills
        } else if (x && typeof x === "object") {
          walk(x, k, inText || !!textKeys[k]);
        }
      }
      return v;
    }
    walk(o, "", false);
    // The room the page left around the plot for labels outside it (the
    // figures at the end of horizontal bars) grows with their text.
    if (scale !== 1) {
      (Array.isArray(o.grid) ? o.grid : o.grid ? [o.grid] : []).forEach(function (g) {
        ["left", "right"].forEach(function (k) {
          var x = g[k];
          if (typeof x === "number") g[k] = Math.round(x * scale);
          else if (typeof x === "string" && /^\d+(px)?$/.test(x)) g[k] = Math.round(parseFloat(x) * scale);
        });
      });
    }
    // The text ECharts sizes by its own defaults (12 px) when the page's
    // option names no size.
    function ensure(parent, key) {
      if (!parent) return;
      var list = Array.isArray(parent[key]) ? parent[key] : parent[key] ? [parent[key]] : [];
      list.forEach(function (part) {
        ["axisLabel", "nameTextStyle"].forEach(function (k) {
          part[k] = part[k] || {};
          if (part[k].fontSize == null) part[k].fontSize = Math.round(12 * scale);
          if (mode.contrast && part[k].color == null) part[k].color = "#000000";
        });
        if (mode.contrast) {
          ["axisLine", "axisTick"].forEach(function (k) {
            part[k] = part[k] || {};
            part[k].lineStyle = part[k].lineStyle || {};
            part[k].lineStyle.color = "#000000";
            part[k].lineStyle.width = 2;
          });
          if (part.splitLine && part.splitLine.lineStyle) part.splitLine.lineStyle.color = "#595959";
        }
      });
    }
    ensure(o, "xAxis");
    ensure(o, "yAxis");
    ["legend", "tooltip", "title"].forEach(function (k) {
      var list = Array.isArray(o[k]) ? o[k] : o[k] ? [o[k]] : [];
      list.forEach(function (part) {
        part.textStyle = part.textStyle || {};
        if (part.textStyle.fontSize == null) part.textStyle.fontSize = Math.round(14 * scale);
        if (mode.contrast) part.textStyle.color = "#000000";
      });
    });
    (o.series || []).forEach(function (s) {
      if (s.label && s.label.fontSize == null) s.label.fontSize = Math.round(12 * scale);
      if (s.type === "pie" && scale !== 1) {
        // A pie's labels beside it get the room left at the sides:
        // larger, they wrap there instead of being cut; the pie keeps its
        // place in the taller chart.
        if (s.label && s.label.overflow == null) s.label.overflow = "break";
        if (Array.isArray(s.center) && typeof s.center[1] === "number") s.center[1] = Math.round(s.center[1] * scale);
      }
      if (mode.contrast && s.type === "pie") {
        s.labelLine = s.labelLine || {};
        s.labelLine.lineStyle = s.labelLine.lineStyle || {};
        s.labelLine.lineStyle.color = "#000000";
      }
    });
    return o;
  }
  // redrawCharts draws every chart again in the mode now chosen.
  function redrawCharts() {
    var mode = chartMode();
    charts.forEach(function (chart) {
      var el = chart.getDom();
      sizeCanvas(el);
      chart.setOption(modeOption(chart.discloseOption, mode), true);
      chart.resize();
    });
  }
  window.addEventListener("disclose-prefs", redrawCharts);

  var resizeTimer;
  window.addEventListener("resize", function () {
    clearTimeout(resizeTimer);
    resizeTimer = setTimeout(function () {
      for (var i = 0; i < charts.length; i++) charts[i].resize();
    }, 150);
  });
  // Printing: show every folded table and fit the charts to an A4 column.
  window.addEventListener("beforeprint", function () {
    var ds = document.querySelectorAll("details");
    for (var i = 0; i < ds.length; i++) {
      if (!ds[i].open) {
        ds[i].open = true;
        ds[i].setAttribute("data-print-opened", "");
      }
    }
    for (var j = 0; j < charts.length; j++) charts[j].resize({ width: 640 });
  });
  window.addEventListener("afterprint", function () {
    var ds = document.querySelectorAll("details[data-print-opened]");
    for (var i = 0; i < ds.length; i++) {
      ds[i].open = false;
      ds[i].removeAttribute("data-print-opened");
    }
    for (var j = 0; j < charts.length; j++) charts[j].resize();
  });

  // ---- sortable tables ----------------------------------------------------
  function cellValue(cell, numeric) {
    var text = (cell ? cell.textContent : "").trim();
    if (!numeric) return text;
    var m = text.replace(/,/g, "").match(/-?\d+(\.\d+)?/);
    return m ? parseFloat(m[0]) : null;
  }
  function makeSortable(table) {
    var heads = table.tHead ? table.tHead.rows[0].cells : [];
    var body = table.tBodies[0];
    if (!body) return;
    Array.prototype.forEach.call(heads, function (th, col) {
      var numeric = th.getAttribute("data-sort") === "num";
      var btn = document.createElement("button");
      btn.type = "button";
      btn.className = "sort";
      btn.setAttribute("aria-label", "按“" + th.textContent.trim() + "”排序");
      th.appendChild(btn);
      btn.addEventListener("click", function () {
        var asc = th.getAttribute("aria-sort") !== "ascending";
        Array.prototype.forEach.call(heads, function (h) { h.removeAttribute("aria-sort"); });
        th.setAttribute("aria-sort", asc ? "ascending" : "descending");
        var rows = Array.prototype.slice.call(body.rows);
        rows.forEach(function (r, i) { r._pos = i; });
        rows.sort(function (a, b) {
          var x = cellValue(a.cells[col], numeric), y = cellValue(b.cells[col], numeric);
          var c;
          if (x === null || y === null) {
            // Missing figures ("—") go last whichever the direction.
            c = x === null && y === null ? 0 : x === null ? 1 : -1;
            return c || a._pos - b._pos;
          }
          c = numeric ? x - y : String(x).localeCompare(String(y), "zh-CN");
          if (!asc) c = -c;
          return c || a._pos - b._pos;
        });
        rows.forEach(function (r) { body.appendChild(r); });
      });
    });
  }

  // ---- filters on the report list -----------------------------------------
  // Each <select name="x"> keeps the rows whose data-x is its value.
  function setupFilter(form) {
    var table = document.getElementById(form.getAttribute("data-filter"));
    if (!table) return;
    var status = form.querySelector(".filter-status");
    var rows = table.tBodies[0].rows;
    var selects = Array.prototype.slice.call(form.querySelectorAll("select[name]"));
    // A select under another (a city under its province) offers only
    // the choices within the one above, and lets go of one outside it.
    function narrow() {
      selects.forEach(function (s) {
        var above = s.getAttribute("data-under") && form.querySelector('select[name="' + s.getAttribute("data-under") + '"]');
        if (!above) return;
        Array.prototype.forEach.call(s.options, function (o) {
          var off = !!(o.value && above.value && o.getAttribute("data-in") !== above.value);
          o.hidden = off;
          o.disabled = off;
          if (off && o.selected) s.value = "";
        });
      });
    }
    function apply() {
      narrow();
      var shown = 0;
      for (var i = 0; i < rows.length; i++) {
        var row = rows[i];
        var ok = selects.every(function (s) { return !s.value || row.getAttribute("data-" + s.name) === s.value; });
        row.hidden = !ok;
        if (ok) shown++;
      }
      if (status) status.textContent = "显示 " + shown + " / " + rows.length + " 份报告";
    }
    form.addEventListener("change", apply);
    form.addEventListener("submit", function (e) { e.preventDefault(); apply(); });
    form.hidden = false;
  }

  // ---- search ---------------------------------------------------------------
  // The index is split so that a search downloads only what it needs:
  // assets/search-index.js names every department (and the category pages
  // and glossary), assets/search/<year>.js holds one year's reports with
  // their text. Each is a script, which unlike JSON loads from file:// too,
  // inserted when a search first needs it and kept for the next.
  var searchParts = {}; // "common" or a year -> {state: "loading" | "ready", entries, waiting}
  function loadSearchPart(key, done) {
    var part = searchParts[key];
    if (part && part.state === "ready") return done(true);
    if (part) return part.waiting.push(done);
    part = searchParts[key] = { state: "loading", entries: [], waiting: [done] };
    var s = document.createElement("script");
    s.src = assetsBase + (key === "common" ? "search-index.js" : "search/" + key + ".js");
    function finish(list) {
      var waiting = part.waiting;
      if (list) {
        part.state = "ready";
        part.entries = list;
        // What a term is matched against, lower-cased once, not at every
        // keystroke.
        list.forEach(function (e) { e.h = [e.t, e.d, e.r, e.y, e.x].join(" ").toLowerCase(); });
      } else {
        delete searchParts[key]; // the next search tries again
      }
      part.waiting = [];
      s.parentNode.removeChild(s);
      waiting.forEach(function (f) { f(!!list); });
    }
    s.onload = function () {
      finish(key === "common" ? window.discloseSearchIndex : (window.discloseSearchYears || {})[key]);
    };
    s.onerror = function () { finish(null); };
    document.head.appendChild(s);
  }
  // loadSearch calls done with the keys that failed to load, at once when
  // every part is loaded already.
  function loadSearch(keys, done) {
    var left = keys.length, failed = [];
    keys.forEach(function (k) {
      loadSearchPart(k, function (ok) {
        if (!ok) failed.push(k);
        if (--left === 0) done(failed);
      });
    });
  }
  function searchReady(key) { return searchParts[key] && searchParts[key].state === "ready"; }

  // searchPage is how many results are shown at once (the site's page
  // size, as its lists have): finding thousands takes a millisecond,
  // drawing them takes the phone a second.
  var searchPage = 200;
  // fewResults: below this many results in the newest year, the page
  // offers the other years too.
  var fewResults = 10;
  function setupSearch() {
    var list = document.getElementById("results");
    var input = document.getElementById("q");
    if (!list || !input || input.hasAttribute("data-search")) return;
    searchPage = parseInt(list.getAttribute("data-page-size"), 10) || searchPage;
    input.setAttribute("data-search", "");
    var status = document.querySelector(".search-status");
    var hint = document.getElementById("search-hint");
    var select = document.getElementById("search-year");
    var more = document.getElementById("search-more");
    var moreButton = more && more.querySelector("button");
    var pending = []; // results not shown yet
    var years = select ? Array.prototype.map.call(select.options, function (o) { return o.value; })
      .filter(function (v) { return /^\d+$/.test(v); }) : [];
    var params = new URLSearchParams(window.location.search);
    input.value = params.get("q") || "";
    // chosen is the year (or "all") the reader picked; without one, a
    // search looks in the years its terms name, else in the newest.
    var chosen = params.get("year");
    if (chosen !== "all" && years.indexOf(chosen) < 0) chosen = null;
    if (chosen && select) select.value = chosen;
    var generation = 0;

    function terms() { return input.value.trim().toLowerCase().split(/\s+/).filter(Boolean); }
    function scope(ts) {
      if (chosen === "all") return years.slice();
      if (chosen) return [chosen];
      var named = years.filter(function (y) {
        var re = new RegExp("(^|\\D)" + y + "(?!\\d)");
        return ts.some(function (t) { return re.test(t); });
      });
      return named.length ? named : years.slice(0, 1);
    }
    function scopeText(ys) {
      if (ys.length > 1 && ys.length === years.length) return "全部年度";
      return ys.map(function (y) { return y + "年度"; }).join("、");
    }
    function setURL() {
      var url = new URL(window.location.href);
      url.searchParams.set("q", input.value.trim());
      if (chosen) url.searchParams.set("year", chosen);
      else url.searchParams.delete("year");
      try { history.replaceState(null, "", url.toString()); } catch (err) { /* file:// may refuse */ }
    }
    function run() {
      var gen = ++generation;
      var ts = terms();
      var ys = scope(ts);
      if (select && !chosen && ys.length === 1) select.value = ys[0];
      list.textContent = "";
      pending = [];
      if (more) more.hidden = true;
      if (hint) hint.hidden = true;
      if (!ts.length) {
        status.textContent = "请输入关键词。";
        return;
      }
      var keys = ys.concat(["common"]);
      if (!keys.every(searchReady)) status.textContent = "正在载入" + (ys.length ? scopeText(ys) + "的" : "") + "搜索数据……";
      loadSearch(keys, function (failed) {
        if (gen === generation) show(ts, ys, failed);
      });
    }
    function show(ts, ys, failed) {
      var seen = {};
      var hits = [];
      ys.concat(["common"]).forEach(function (k) {
        if (!searchReady(k)) return;
        searchParts[k].entries.forEach(function (e) {
          // The common part names a department's only report too; its
          // year's part has the same page with the text.
          if (seen[e.u]) return;
          seen[e.u] = true;
          for (var i = 0; i < ts.length; i++) if (e.h.indexOf(ts[i]) < 0) return;
          hits.push(e);
        });
      });
      pending = hits.slice();
      showMore();
      var where = ys.length ? scopeText(ys) : "";
      var q = input.value.trim();
      var text = hits.length ? "找到 " + hits.length + " 项结果" + (where ? "（" + where + "）" : "") + "。"
        : (where ? "在" + where + "中" : "") + "没有找到与“" + q + "”相关的内容。";
      if (pending.length) text += "先显示前 " + searchPage + " 项。";
      if (failed.length === ys.length + 1) text = "搜索数据未能载入，请检查网络后再搜索一次。";
      else if (failed.length) text += "部分搜索数据未能载入，结果可能不全，请检查网络后再搜索一次。";
      status.textContent = text;
      // Few or no results in the year the page chose (the reader named
      // none): the other years are one click away. Searching them all at
      // once would load every year's part on every search.
      if (hint && (!hits.length || (!chosen && hits.length < fewResults)) && !failed.length && years.length > 1 && ys.length < years.length) {
        hint.textContent = hits.length ? "只搜索了" + where + "。" : "";
        var all = document.createElement("a");
        all.href = "?q=" + encodeURIComponent(q) + "&year=all";
        all.textContent = "在全部年度中搜索“" + q + "”";
        all.addEventListener("click", function (e) {
          e.preventDefault();
          chosen = "all";
          select.value = "all";
          setURL();
          input.focus();
          run();
        });
        hint.appendChild(all);
        hint.hidden = false;
      }
    }
    // showMore shows the next page of results and returns the first link.
    function showMore() {
      var first;
      pending.splice(0, more ? searchPage : pending.length).forEach(function (e) {
        var li = document.createElement("li");
        var a = document.createElement("a");
        a.href = e.u;
        a.textContent = e.t;
        li.appendChild(a);
        first = first || a;
        var meta = [e.d, e.r, e.y ? e.y + "年度" : ""].filter(Boolean).join(" · ");
        if (meta) {
          var span = document.createElement("span");
          span.className = "meta";
          span.textContent = meta;
          li.appendChild(span);
        }
        list.appendChild(li);
      });
      if (more) {
        more.hidden = !pending.length;
        moreButton.textContent = "显示更多结果（还有 " + pending.length + " 项）";
      }
      return first;
    }
    if (moreButton) {
      moreButton.addEventListener("click", function () {
        // Focus moves to the first new result, where reading goes on.
        var first = showMore();
        if (first) first.focus();
      });
    }
    var timer;
    input.addEventListener("input", function () {
      clearTimeout(timer);
      timer = setTimeout(run, 200);
    });
    // The data starts loading as soon as the reader is about to type.
    input.addEventListener("focus", function () {
      loadSearch(scope(terms()).concat(["common"]), function () {});
    });
    if (select) {
      select.addEventListener("change", function () {
        chosen = select.value;
        setURL();
        run();
      });
    }
    input.form.addEventListener("submit", function (e) {
      e.preventDefault();
      clearTimeout(timer);
      setURL();
      run();
    });
    if (input.value) run();
  }

  // ---- wide tables ---------------------------------------------------------
  // A table wider than its box scrolls inside it (.table-scroll). So that no
  // column is hidden without a sign, the box then gets the class
  // "overflowing" (site.css keeps the first column in view, shades the
  // side with more columns) and a cue above it says that more columns
  // are to the side; "at-end" once scrolled all the way.
  function markOverflow(box) {
    var over = box.scrollWidth > box.clientWidth + 1;
    box.classList.toggle("overflowing", over);
    box.classList.toggle("at-end", over && box.scrollLeft + box.clientWidth >= box.scrollWidth - 1);
    var cue = box.previousElementSibling;
    if (!cue || !cue.classList.contains("scroll-cue")) {
      if (!over) return;
      cue = document.createElement("p");
      cue.className = "scroll-cue";
      // For the eye only: a screen reader reads every column anyway.
      cue.setAttribute("aria-hidden", "true");
      cue.textContent = "左右滑动查看更多列 →";
      box.parentNode.insertBefore(cue, box);
      box.addEventListener("scroll", function () { markOverflow(box); }, { passive: true });
    }
    cue.hidden = !over;
  }
  function markTables() {
    Array.prototype.forEach.call(document.querySelectorAll(".table-scroll"), markOverflow);
  }
  var tablesTimer;
  function markTablesSoon() {
    clearTimeout(tablesTimer);
    tablesTimer = setTimeout(markTables, 100);
  }
  window.addEventListener("resize", markTablesSoon);
  window.addEventListener("disclose-prefs", markTables);
  // A table folded in <details> has its width only once opened.
  document.addEventListener("toggle", markTablesSoon, true);

  // enhance sets up everything under root; the preview calls it again on
  // content it swaps into the page.
  function enhance(root) {
    markTables();
    Array.prototype.forEach.call(root.querySelectorAll("table.sortable"), makeSortable);
    Array.prototype.forEach.call(root.querySelectorAll("form[data-filter]"), setupFilter);
    setupSearch();
    drawCharts(root);
  }
  window.discloseEnhance = enhance;
  function init() { enhance(document); }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
})();
