// node-catalog: a small Node 20 product page (no npm packages) whose action is split into
// feature-flagged chunks for leakbisect. One chunk leaks the way Node apps usually do: it adds a
// listener to a process-wide EventEmitter on every request and never removes it, and the listener's
// closure keeps the request's product and rendered page reachable.
"use strict";

const http = require("node:http");
const { EventEmitter } = require("node:events");

// A missing variable means ON, so the app behaves normally when leakbisect is not running it.
// Dotted sub-chunk names map to underscores: stock_alerts.subscribe -> CHUNK_STOCK_ALERTS_SUBSCRIBE.
const chunkVariable = (name) => `CHUNK_${name.toUpperCase().replaceAll(".", "_")}`;
const CHUNKS = [
  "parse_params",
  "load_product",
  "variants",
  "price_cache",
  "reviews",
  "render_page",
  "stock_alerts",
  "view_counter",
];
const enabled = new Map();
for (const name of CHUNKS) {
  const value = process.env[chunkVariable(name)] ?? "1";
  if (value !== "1" && value !== "0") {
    console.error(`node-catalog: ${chunkVariable(name)} must be 1 or 0, not '${value}'`);
    process.exit(2);
  }
  enabled.set(name, value === "1");
}
const chunk = (name) => enabled.get(name);

// ---- what outlives a request -------------------------------------------------------------------

// Stock changes are announced process-wide; pages may ask to hear about them.
const inventory = new EventEmitter();

// Bounded price cache: at most 500 price sheets of ~2 KiB; grows while it fills, then plateaus.
const PRICE_CACHE_LIMIT = 500;
const priceCache = new Map();

// A fixed-size view counter per product id (ids are 1..1000).
const viewCounts = new Uint32Array(1001);

// ---- the simulated store -----------------------------------------------------------------------

function seeded(seed) {
  let state = seed >>> 0 || 1;
  return () => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return state / 4294967296;
  };
}

const WORDS = ["oak", "linen", "steel", "walnut", "wool", "brass", "clay", "cedar", "cotton", "glass"];

function loadProduct(id) {
  const random = seeded(id * 7919);
  const title = `${WORDS[id % WORDS.length]} ${WORDS[(id * 3) % WORDS.length]} no. ${id}`;
  return {
    id,
    title,
    sku: `SKU-${String(id).padStart(6, "0")}`,
    basePrice: Math.round(500 + random() * 50000),
    description: Array.from({ length: 12 }, (_, i) => WORDS[(id + i) % WORDS.length]).join(" "),
    stock: Math.floor(random() * 40),
  };
}

// ---- the action: GET /products/<id> --------------------------------------------------------------

function parseParams(url) {
  if (!chunk("parse_params")) return { id: 42, currency: "USD", page: 1 };
  const id = Number.parseInt(url.pathname.split("/")[2], 10);
  return {
    id: Number.isInteger(id) && id >= 1 && id <= 1000 ? id : 42,
    currency: ["USD", "EUR", "GBP"].includes(url.searchParams.get("currency"))
      ? url.searchParams.get("currency")
      : "USD",
    page: Math.max(1, Number.parseInt(url.searchParams.get("page") ?? "1", 10) || 1),
  };
}

function productFor(params) {
  if (!chunk("load_product")) return { id: params.id, title: "product", sku: "", basePrice: 0, description: "", stock: 0 };
  return loadProduct(params.id);
}

function variantsOf(product) {
  if (!chunk("variants")) return [];
  const random = seeded(product.id);
  return Array.from({ length: 3 + (product.id % 8) }, (_, i) => ({
    name: `${product.title} / ${WORDS[i % WORDS.length]}`,
    delta: Math.round(random() * 2000) - 1000,
  }));
}

function cachedSheet(id, basePrice, currency) {
  const key = `${id}:${currency}`;
  let sheet = priceCache.get(key);
  if (sheet === undefined) {
    const random = seeded(id * 31 + currency.length);
    sheet = { tiers: Array.from({ length: 256 }, (_, i) => Math.round(basePrice * (1 - i / 1000) + random() * 10)) };
    if (priceCache.size >= PRICE_CACHE_LIMIT) priceCache.delete(priceCache.keys().next().value); // oldest
    priceCache.set(key, sheet);
  }
  return sheet;
}

// Prices the product and four "customers also bought" products, which rotate through the 150
// best sellers (450 sheets in three currencies), so the cache fills within the first ~150 requests
// and then serves from memory.
const BEST_SELLERS = 150;
let relatedCursor = 0;
function priceSheet(product, currency) {
  if (!chunk("price_cache")) return { tiers: [product.basePrice], related: [] };
  const related = [];
  for (let k = 0; k < 4; k += 1) {
    relatedCursor = (relatedCursor + 1) % BEST_SELLERS;
    const other = loadProduct(relatedCursor + 1);
    related.push({ title: other.title, price: cachedSheet(other.id, other.basePrice, currency).tiers[0] });
  }
  return { tiers: cachedSheet(product.id, product.basePrice, currency).tiers, related };
}

function reviewsOf(product, params) {
  if (!chunk("reviews")) return [];
  const random = seeded(product.id * 13 + params.page);
  return Array.from({ length: 10 }, (_, i) => ({
    stars: 1 + Math.floor(random() * 5),
    text: `Review ${params.page}.${i}: ${product.description}`,
  }));
}

// The leak: "tell me when this product is back in stock" subscribes per request and never
// unsubscribes; the closure holds the product and the whole rendered page.
function stockAlerts(product, page) {
  if (!chunk("stock_alerts")) return "";
  const snapshot = { product, page, at: Date.now() };
  inventory.on("restock", (id) => {
    if (id === snapshot.product.id) console.log(`restocked ${snapshot.product.sku}`);
  });
  return product.stock < 5 ? `<p class="alert">Only ${product.stock} left</p>` : "";
}

function renderPage(product, variants, sheet, reviews, currency) {
  if (!chunk("render_page")) return `<main><h1>${product.title}</h1></main>`;
  const money = (cents) => `${(cents / 100).toFixed(2)} ${currency}`;
  return [
    `<main><h1>${product.title}</h1><p class="sku">${product.sku}</p><p>${product.description}</p>`,
    `<p class="price">${money(sheet.tiers[0])}</p><ul class="variants">`,
    ...variants.map((v) => `<li>${v.name}: ${money(sheet.tiers[0] + v.delta)}</li>`),
    `</ul><table class="tiers">`,
    ...sheet.tiers.slice(0, 8).map((t, i) => `<tr><td>${i * 10}+</td><td>${money(t)}</td></tr>`),
    `</table><ul class="related">`,
    ...sheet.related.map((r) => `<li>${r.title}: ${money(r.price)}</li>`),
    `</ul><section class="reviews">`,
    ...reviews.map((r) => `<blockquote>${"*".repeat(r.stars)} ${r.text}</blockquote>`),
    `</section></main>`,
  ].join("\n");
}

function countView(product) {
  if (!chunk("view_counter")) return 0;
  viewCounts[product.id] += 1;
  return viewCounts[product.id];
}

function productPage(url) {
  const params = parseParams(url);
  const product = productFor(params);
  const variants = variantsOf(product);
  const sheet = priceSheet(product, params.currency);
  const reviews = reviewsOf(product, params);
  const main = renderPage(product, variants, sheet, reviews, params.currency);
  const alert = stockAlerts(product, main);
  const views = countView(product);
  return `<!doctype html><html><head><title>${product.title}</title></head><body>${alert}${main}<footer>${views} views</footer></body></html>`;
}

// ---- the server --------------------------------------------------------------------------------

const server = http.createServer((request, response) => {
  const url = new URL(request.url, "http://localhost");
  if (request.method !== "GET") {
    response.writeHead(405).end();
  } else if (url.pathname === "/up") {
    response.writeHead(200, { "content-type": "text/plain" }).end("ok");
  } else if (/^\/products\/\d+$/.test(url.pathname)) {
    response.writeHead(200, { "content-type": "text/html; charset=utf-8" }).end(productPage(url));
  } else {
    response.writeHead(404, { "content-type": "text/plain" }).end("not found");
  }
});
server.keepAliveTimeout = 30_000;

const port = Number.parseInt(process.env.PORT ?? "3000", 10);
server.listen(port, "127.0.0.1", () => {
  const on = CHUNKS.filter(chunk).join(",") || "none";
  console.log(`node-catalog: listening on 127.0.0.1:${server.address().port} (chunks on: ${on})`);
});

const stop = () => server.close(() => process.exit(0));
process.on("SIGTERM", stop);
process.on("SIGINT", stop);
