package site

import (
	"crypto/sha256"
	"encoding/base64"
	"html/template"
)

// findRootJS is the 404 page's only script when the site has no base URL.
// The page is served at whatever address was missing, at any depth and
// under whatever sub-path the portal mounts the site, so no relative link
// written into it can be right everywhere. The script finds the site root
// by asking each directory above the address, deepest first, for the
// site's stylesheet (a portal that answers every address with a page is
// not fooled: the answer must be CSS), then loads the stylesheet, icon and
// scripts from there and points the page's links at it. Without scripts
// the page is still readable, unstyled. It is inline, allowed by its hash,
// because a script file would have the same problem as the links.
const findRootJS = `(function () {
  "use strict";
  var dirs = [];
  for (var p = location.pathname.replace(/[^\/]*$/, ""); p; p = p.replace(/[^\/]*\/$/, "")) {
    dirs.push(p);
    if (p === "/") break;
  }
  function relative(u) { return u && !/^([a-z][a-z0-9+.-]*:|\/|#|\?)/i.test(u); }
  function use(root) {
    var head = document.head;
    function add(tag, attrs) {
      var el = document.createElement(tag);
      for (var k in attrs) el.setAttribute(k, attrs[k]);
      head.appendChild(el);
    }
    add("link", { rel: "stylesheet", href: root + "assets/css/site.css" });
    add("link", { rel: "icon", type: "image/svg+xml", href: root + "assets/img/favicon.svg" });
    add("script", { src: root + "assets/js/prefs.js" });
    function links() {
      var as = document.querySelectorAll("a[href]");
      for (var i = 0; i < as.length; i++) {
        var h = as[i].getAttribute("href");
        if (relative(h)) as[i].setAttribute("href", root + h);
      }
      var s = document.createElement("script");
      s.src = root + "assets/js/site.js";
      document.body.appendChild(s);
    }
    if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", links);
    else links();
  }
  function probe(i) {
    if (i >= dirs.length) return;
    fetch(dirs[i] + "assets/css/site.css", { method: "HEAD", cache: "no-store" }).then(function (r) {
      if (r.ok && /css/.test(r.headers.get("Content-Type") || "")) use(dirs[i]);
      else probe(i + 1);
    }, function () { probe(i + 1); });
  }
  probe(0);
})();`

// findRootHash is findRootJS's entry for the Content-Security-Policy.
var findRootHash = func() string {
	sum := sha256.Sum256([]byte(findRootJS))
	return "sha256-" + base64.StdEncoding.EncodeToString(sum[:])
}()

// findRoot returns the script and its CSP source, as a template takes them.
func findRoot() (template.JS, string) { return template.JS(findRootJS), findRootHash }
