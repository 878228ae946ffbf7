// Live reload for `disclose serve`. The preview server adds this script to
// every page it serves; `disclose build` output never contains it.
(function () {
  "use strict";
  var base = "/_disclose/";
  var scrollKey = "disclose-scroll:" + location.pathname;
  var overlay = null;

  // Keep the reader's place across reloads.
  var saved = sessionStorage.getItem(scrollKey);
  if (saved !== null) {
    sessionStorage.removeItem(scrollKey);
    var y = parseInt(saved, 10) || 0;
    var restore = function () { window.scrollTo(0, y); };
    window.addEventListener("load", function () {
      restore();
      // Charts draw after load and may change the page's height.
      setTimeout(restore, 300);
    });
  }

  var css = document.createElement("link");
  css.rel = "stylesheet";
  css.href = base + "live.css";
  document.head.appendChild(css);

  function currentPath() {
    var p = decodeURIComponent(location.pathname).replace(/^\//, "");
    if (p === "" || p.charAt(p.length - 1) === "/") p += "index.html";
    return p;
  }

  function reload() {
    sessionStorage.setItem(scrollKey, String(window.scrollY));
    location.reload();
  }

  // refresh swaps the page's new <main> into place: no reload of scripts
  // and styles, and the reader stays where they were. Anything unusual
  // (scripts inside main, a failed fetch) falls back to a reload.
  function refresh() {
    fetch(location.href, { cache: "no-store" })
      .then(function (r) {
        if (!r.ok) throw new Error("HTTP " + r.status);
        return r.text();
      })
      .then(function (html) {
        var doc = new DOMParser().parseFromString(html, "text/html");
        var fresh = doc.querySelector("main");
        var old = document.querySelector("main");
        if (!fresh || !old || !window.discloseEnhance || fresh.querySelector("script[src]")) {
          throw new Error("cannot swap");
        }
        document.title = doc.title;
        var y = window.scrollY;
        old.replaceWith(document.adoptNode(fresh));
        window.scrollTo(0, y);
        window.discloseEnhance(fresh);
      })
      .catch(reload);
  }

  function swapStyles(paths) {
    var links = document.querySelectorAll('link[rel="stylesheet"]');
    for (var i = 0; i < links.length; i++) {
      var link = links[i];
      var url = new URL(link.href, location.href);
      var p = url.pathname.replace(/^\//, "");
      if (paths.indexOf(p) < 0) continue;
      url.searchParams.set("disclose-reload", String(Date.now()));
      var fresh = link.cloneNode();
      fresh.href = url.toString();
      // The old sheet goes only when the new one has loaded: no flash of
      // unstyled page.
      fresh.onload = (function (old) { return function () { old.remove(); }; })(link);
      link.parentNode.insertBefore(fresh, link.nextSibling);
    }
  }

  function showErrors(items) {
    clearOverlay();
    overlay = document.createElement("section");
    overlay.id = "disclose-overlay";
    overlay.setAttribute("role", "alert");
    var h = document.createElement("h2");
    h.textContent = "内容有错误，预览显示的仍是上一次成功生成的网站";
    overlay.appendChild(h);
    var p = document.createElement("p");
    p.textContent = "改正下列问题并保存，页面会自动刷新。";
    overlay.appendChild(p);
    var ol = document.createElement("ol");
    items.forEach(function (d) {
      var li = document.createElement("li");
      if (d.location) {
        var loc = document.createElement("code");
        loc.className = "where";
        loc.textContent = d.location;
        li.appendChild(loc);
      }
      var msg = document.createElement("span");
      msg.className = "message";
      msg.textContent = d.message;
      li.appendChild(msg);
      if (d.hint) {
        var hint = document.createElement("span");
        hint.className = "hint";
        hint.textContent = "提示：" + d.hint;
        li.appendChild(hint);
      }
      ol.appendChild(li);
    });
    overlay.appendChild(ol);
    var close = document.createElement("button");
    close.type = "button";
    close.textContent = "暂时隐藏";
    close.addEventListener("click", clearOverlay);
    overlay.appendChild(close);
    document.body.appendChild(overlay);
  }

  function clearOverlay() {
    if (overlay) {
      overlay.remove();
      overlay = null;
    }
  }

  var hadErrors = false;
  var es = new EventSource(base + "events");
  es.addEventListener("errors", function (e) {
    hadErrors = true;
    showErrors(JSON.parse(e.data));
  });
  es.addEventListener("reload", function (e) {
    var d = JSON.parse(e.data);
    var paths = d.paths || [];
    var me = currentPath();
    var others = paths.filter(function (p) { return !/\.css$/.test(p); });
    if (d.all || others.some(function (p) { return /\.js$/.test(p); })) {
      reload();
      return;
    }
    if (paths.indexOf(me) >= 0) refresh();
    swapStyles(paths.filter(function (p) { return /\.css$/.test(p); }));
  });
  es.addEventListener("ok", function () {
    clearOverlay();
    if (hadErrors) {
      hadErrors = false;
      reload();
    }
  });
})();
