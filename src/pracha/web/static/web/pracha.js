/* On every page. A photo that cannot be loaded (an imported photo gone from its host) is
 * hidden instead of showing a broken-image icon: images marked data-hide-if-broken. The
 * Content-Security-Policy refuses inline onerror= handlers, so this listens for the error
 * events of the whole document (they do not bubble; capture sees them), and checks the images
 * that failed before this script ran. */
(function () {
  "use strict";
  function hide(img) { img.classList.add("is-broken"); }
  document.addEventListener("error", function (event) {
    var target = event.target;
    if (target && target.tagName === "IMG" && target.hasAttribute("data-hide-if-broken")) {
      hide(target);
    }
  }, true);
  function sweep() {
    document.querySelectorAll("img[data-hide-if-broken]").forEach(function (img) {
      if (img.complete && img.naturalWidth === 0 && img.getAttribute("src")) { hide(img); }
    });
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", sweep);
  } else {
    sweep();
  }
})();
