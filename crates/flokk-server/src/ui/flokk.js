// flokk's storefront snippet (/js/flokk.js). One tag on every page of the
// shop:
//
//   <script src="https://YOUR-FLOKK/js/flokk.js" data-key="flokk_..." async></script>
//
// data-key: a token with the ingest scope (a publishable key: it can only
// send); the shop's origin must be in flokk's storefront_origins setting.
//
// Consent: nothing is sent, and no cookie is set, before the shop says the
// visitor consented: data-consent="granted" on the tag, or
// flokk.consent(true) later (from the shop's cookie banner). Events before
// that wait in this page's memory; flokk.consent(false) drops them.
//
// Once consented, the visitor gets a first-party anonymous id (the cookie
// flokk_aid on the shop's own domain, a year); no other cookie, and no
// request to anyone but flokk.
//
//   flokk.productViewed(productId)
//   flokk.collectionViewed(collectionId)
//   flokk.addedToCart(productId, {quantity, price})
//   flokk.checkoutStarted({value})
//   flokk.identify(customerId, traits)   // a signed-in customer
//
// Calls made before the script loaded (window.flokk = window.flokk || [];
// flokk.push(["productViewed", "p1"])) are replayed.
(function () {
  "use strict";
  var script = document.currentScript;
  if (!script) return;
  var endpoint = new URL("/v1/batch", script.src).href;
  var key = script.getAttribute("data-key") || "";
  var consented = script.getAttribute("data-consent") === "granted";
  var waiting = [];
  var COOKIE = "flokk_aid";

  function readCookie() {
    var m = document.cookie.match(/(?:^|;\s*)flokk_aid=([^;]+)/);
    return m ? decodeURIComponent(m[1]) : null;
  }

  function randomId() {
    if (window.crypto && crypto.randomUUID) return crypto.randomUUID();
    var b = new Uint8Array(16);
    crypto.getRandomValues(b);
    return Array.prototype.map.call(b, function (x) { return (x + 256).toString(16).slice(1); }).join("");
  }

  // The anonymous id exists only after consent.
  function anonymousId() {
    var id = readCookie();
    if (!id) {
      id = randomId();
      document.cookie = COOKIE + "=" + encodeURIComponent(id) +
        "; path=/; max-age=31536000; SameSite=Lax" + (location.protocol === "https:" ? "; Secure" : "");
    }
    return id;
  }

  var userId = null;

  function send(messages) {
    if (!messages.length || !key) return Promise.resolve();
    var aid = anonymousId();
    var now = new Date().toISOString();
    var batch = messages.map(function (m) {
      m.anonymousId = aid;
      if (userId) m.userId = userId;
      m.timestamp = m.timestamp || now;
      m.messageId = m.messageId || "flokk-" + randomId();
      m.context = { library: { name: "flokk.js", version: "1" }, page: { url: location.href } };
      return m;
    });
    // text/plain: a simple request, no preflight; the key travels in the
    // body (Segment's writeKey), never in a URL.
    return fetch(endpoint, {
      method: "POST",
      body: JSON.stringify({ batch: batch, writeKey: key }),
      headers: { "content-type": "text/plain" },
      keepalive: true,
      credentials: "omit",
    }).catch(function () {});
  }

  function emit(message) {
    message.timestamp = new Date().toISOString();
    if (consented) return send([message]);
    waiting.push(message);
    return Promise.resolve();
  }

  var api = {
    consent: function (granted) {
      consented = !!granted;
      var queued = waiting;
      waiting = [];
      return consented ? send(queued) : Promise.resolve();
    },
    identify: function (customerId, traits) {
      userId = String(customerId);
      return emit({ type: "identify", userId: userId, traits: traits || {} });
    },
    productViewed: function (productId) {
      return emit({ type: "page", properties: { product_id: String(productId), url: location.href } });
    },
    collectionViewed: function (collectionId) {
      return emit({ type: "page", properties: { collection_id: String(collectionId), url: location.href } });
    },
    addedToCart: function (productId, details) {
      var p = Object.assign({ product_id: String(productId) }, details || {});
      return emit({ type: "track", event: "Product Added", properties: p });
    },
    checkoutStarted: function (details) {
      return emit({ type: "track", event: "Checkout Started", properties: details || {} });
    },
  };

  var early = Array.isArray(window.flokk) ? window.flokk : [];
  window.flokk = api;
  early.forEach(function (call) {
    if (api[call[0]]) api[call[0]].apply(null, call.slice(1));
  });
})();
