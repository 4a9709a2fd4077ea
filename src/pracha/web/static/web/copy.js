// Copy buttons beside read-only fields (the report number, the private link). Without
// JavaScript the buttons stay hidden and the text can still be selected and copied by hand.
(function () {
  "use strict";

  function say(field, text) {
    var status = document.getElementById(field.id + "-status");
    if (status) status.textContent = text || "";
  }

  function copyByHand(field) {
    // Older phones (or a page served without https) lack navigator.clipboard.
    field.focus();
    field.select();
    try {
      return document.execCommand("copy");
    } catch (e) {
      return false;
    }
  }

  function copy(button, field) {
    var done = function () { say(field, button.getAttribute("data-copied")); };
    var failed = function () { field.select(); say(field, button.getAttribute("data-copy-failed")); };
    if (navigator.clipboard && window.isSecureContext) {
      navigator.clipboard.writeText(field.value).then(done, function () {
        (copyByHand(field) ? done : failed)();
      });
    } else {
      (copyByHand(field) ? done : failed)();
    }
  }

  document.querySelectorAll("[data-copy]").forEach(function (button) {
    var field = document.getElementById(button.getAttribute("data-copy"));
    if (!field) return;
    button.hidden = false;
    button.addEventListener("click", function () { copy(button, field); });
    // One tap selects the whole value, ready for the phone's own "Copy".
    field.addEventListener("focus", function () { field.select(); });
  });
})();
