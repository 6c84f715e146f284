// Quick exit: leave for a neutral page without leaving this one in the back button.
(function () {
  "use strict";
  var exit = document.querySelector("[data-quick-exit]");
  if (!exit) return;
  function leave(event) {
    if (event) event.preventDefault();
    document.body.textContent = "";
    document.title = "Weather";
    window.location.replace(exit.href);
  }
  exit.addEventListener("click", leave);
  var lastEscape = 0;
  document.addEventListener("keydown", function (event) {
    if (event.key !== "Escape") return;
    var now = Date.now();
    if (now - lastEscape < 1000) leave(event);
    lastEscape = now;
  });
})();
