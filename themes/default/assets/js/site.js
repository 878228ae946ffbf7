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
  function draw(el) {
    var data = document.getElementById(el.getAttribute("data-option"));
    try {
      var option = JSON.parse(data.textContent);
      var chart = window.echarts.init(el, null, { renderer: "svg", locale: "ZH" });
      chart.setOption(option);
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
    function apply() {
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
  function setupSearch() {
    var list = document.getElementById("results");
    var input = document.getElementById("q");
    if (!list || !input) return;
    var status = document.querySelector(".search-status");
    var index = window.discloseSearchIndex || [];
    var params = new URLSearchParams(window.location.search);
    input.value = params.get("q") || "";
    function run() {
      var terms = input.value.trim().toLowerCase().split(/\s+/).filter(Boolean);
      list.textContent = "";
      if (!terms.length) {
        status.textContent = "请输入关键词。";
        return;
      }
      var hits = index.filter(function (e) {
        var hay = [e.t, e.d, e.r, e.y, e.x].join(" ").toLowerCase();
        return terms.every(function (t) { return hay.indexOf(t) >= 0; });
      });
      hits.forEach(function (e) {
        var li = document.createElement("li");
        var a = document.createElement("a");
        a.href = e.u;
        a.textContent = e.t;
        li.appendChild(a);
        var meta = [e.d, e.r, e.y ? e.y + "年度" : ""].filter(Boolean).join(" · ");
        if (meta) {
          var span = document.createElement("span");
          span.className = "meta";
          span.textContent = meta;
          li.appendChild(span);
        }
        list.appendChild(li);
      });
      status.textContent = hits.length ? "找到 " + hits.length + " 项结果。" : "没有找到与“" + input.value.trim() + "”相关的内容。";
    }
    var timer;
    input.addEventListener("input", function () {
      clearTimeout(timer);
      timer = setTimeout(run, 200);
    });
    input.form.addEventListener("submit", function (e) {
      e.preventDefault();
      var url = new URL(window.location.href);
      url.searchParams.set("q", input.value.trim());
      try { history.replaceState(null, "", url.toString()); } catch (err) { /* file:// may refuse */ }
      run();
    });
    if (input.value) run();
  }

  // enhance sets up everything under root; the preview calls it again on
  // content it swaps into the page.
  function enhance(root) {
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
