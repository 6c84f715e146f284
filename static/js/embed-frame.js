// Inside a partner's frame: tell the page around it how tall this list is, so its optional
// script (embed.js) can size the frame. The list shows and works without this.
(function () {
  "use strict";
  if (window.parent === window) return;
  var sent = 0;
  function send() {
    var height = Math.ceil(document.documentElement.getBoundingClientRect().height);
    if (height === sent) return;
    sent = height;
    // Only a height is sent: nothing about the page or the visitor.
    window.parent.postMessage({ type: "moray-embed-height", height: height }, "*");
  }
  window.addEventListener("load", send);
  window.addEventListener("resize", send);
  if (window.ResizeObserver) new ResizeObserver(send).observe(document.documentElement);
  send();
})();
