/* Officer tests: the countdown beside a question. The server keeps the real time limit; when
   the clock reaches zero the page reloads and shows the result it scored. */
(function () {
  "use strict";
  var clock = document.querySelector("[data-countdown]");
  if (!clock) { return; }
  var left = parseInt(clock.getAttribute("data-countdown"), 10) || 0;
  var ends = Date.now() + left * 1000;
  function show() {
    var seconds = Math.max(0, Math.round((ends - Date.now()) / 1000));
    var minutes = Math.floor(seconds / 60);
    var rest = seconds % 60;
    clock.textContent = minutes + ":" + (rest < 10 ? "0" : "") + rest;
    if (seconds === 0) {
      window.clearInterval(timer);
      window.setTimeout(function () { window.location.reload(); }, 1500);
    }
  }
  var timer = window.setInterval(show, 1000);
  show();
})();
