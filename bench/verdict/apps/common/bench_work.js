// The bench apps' per-request work and planted memory behaviour, shared by node-http and express.
// Environment (read once at start; every count is per process):
//   LEAK_BYTES       retain a string of about this many bytes per request, forever (default 0)
//   CACHE_ENTRIES    a bounded LRU of ~2 KiB values keyed by a request-varying key drawn from
//                    2 x CACHE_ENTRIES keys: fills over roughly 1.4 x CACHE_ENTRIES requests, then
//                    stays full (default 0: no cache)
//   WARMUP_REQUESTS  lazy loading: request i of the first K retains 8 KiB x (K - i) / K, about
//                    4 KiB x K in all, decelerating to nothing at K (default 0)
"use strict";
const num = (name) => Number.parseInt(process.env[name] ?? "0", 10) || 0;
const LEAK_BYTES = num("LEAK_BYTES");
const CACHE_ENTRIES = num("CACHE_ENTRIES");
const WARMUP_REQUESTS = num("WARMUP_REQUESTS");

const leaked = [];
const warm = [];
const cache = new Map(); // insertion order: the first key is the least recently used
let served = 0;
let rng = 12345;

// A flat (sequential) string of exactly n characters: JSON.stringify returns a fresh flat string,
// where padEnd or repeat alone may give a tree of cons strings much smaller than n bytes.
const blob = (n, tag) => JSON.stringify(String(tag).padEnd(Math.max(n - 2, 0), "x"));

function page(id) {
  served += 1;
  if (WARMUP_REQUESTS > 0 && served <= WARMUP_REQUESTS) {
    const n = Math.floor((8192 * (WARMUP_REQUESTS - served)) / WARMUP_REQUESTS);
    if (n > 0) warm.push(blob(n, served));
  }
  if (CACHE_ENTRIES > 0) {
    rng = (rng * 1103515245 + 12345) % 2147483648;
    const key = `sheet:${rng % (2 * CACHE_ENTRIES)}`;
    if (cache.has(key)) {
      const v = cache.get(key);
      cache.delete(key);
      cache.set(key, v);
    } else {
      cache.set(key, blob(2048, key));
      if (cache.size > CACHE_ENTRIES) cache.delete(cache.keys().next().value);
    }
  }
  if (LEAK_BYTES > 0) leaked.push(blob(LEAK_BYTES, served));
  // Ordinary work: a few objects, JSON and an HTML page, all garbage after the response.
  const items = [];
  for (let i = 0; i < 20; i++) {
    items.push({ sku: `SKU-${id}-${i}`, name: `Item ${i} of product ${id}`, price: (id * 7 + i * 13) % 997 / 10, qty: 1 + (i % 4) });
  }
  const total = items.reduce((s, it) => s + it.price * it.qty, 0);
  const json = JSON.stringify({ id, items, total });
  const rows = items.map((it) => `<tr><td>${it.sku}</td><td>${it.name}</td><td>${it.qty}</td><td>${it.price.toFixed(2)}</td></tr>`);
  return `<!doctype html><html><head><title>Product ${id}</title></head><body><h1>Product ${id}</h1>` +
    `<table>${rows.join("")}</table><p>Total ${total.toFixed(2)}</p><script type="application/json">${json}</script></body></html>`;
}

module.exports = { page };
