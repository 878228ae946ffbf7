// Reading preferences (large text, high contrast). Loaded in <head> so the
// page is drawn in the reader's chosen mode from the first paint; the
// choice is kept in localStorage and so holds on every page of the site.
(function () {
  "use strict";
  var KEY = "disclose-prefs";
  var root = document.documentElement;
  // Scripts run: the charts will be drawn, so their boxes may take room
  // (without scripts, site.css hides them and the data tables remain).
  root.classList.remove("no-js");
  function load() {
    try {
      return JSON.parse(localStorage.getItem(KEY)) || {};
    } catch (e) {
      return {};
    }
  }
  function save(p) {
    try {
      localStorage.setItem(KEY, JSON.stringify(p));
    } catch (e) {
      // Private browsing may refuse storage; the mode still applies to this page.
    }
  }
  var prefs = load();
  function apply() {
    root.classList.toggle("pref-large", !!prefs.large);
    root.classList.toggle("pref-contrast", !!prefs.contrast);
  }
  apply();
  // The 404 page may load this file after the document is parsed.
  function setup() {
    var group = document.querySelector(".prefs");
    if (!group) return;
    var buttons = group.querySelectorAll("button[data-pref]");
    function sync() {
      for (var i = 0; i < buttons.length; i++) {
        buttons[i].setAttribute("aria-pressed", prefs[buttons[i].getAttribute("data-pref")] ? "true" : "false");
      }
    }
    for (var i = 0; i < buttons.length; i++) {
      buttons[i].addEventListener("click", function (ev) {
        var name = ev.currentTarget.getAttribute("data-pref");
        prefs[name] = !prefs[name];
        save(prefs);
        apply();
        sync();
        window.dispatchEvent(new Event("resize")); // charts re-measure their text
        // site.js redraws the charts in the new mode (larger text, contrast colours).
        window.dispatchEvent(new Event("disclose-prefs"));
      });
    }
    sync();
    group.hidden = false;
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", setup);
  else setup();
})();
