// Bench app on node:http: GET /up, GET /page?id=N (see ../common/bench_work.js for LEAK_BYTES,
// CACHE_ENTRIES and WARMUP_REQUESTS). Listens on 127.0.0.1:$PORT.
"use strict";
const http = require("node:http");
const { page } = require("../common/bench_work.js");

const server = http.createServer((req, res) => {
  const url = new URL(req.url, "http://localhost");
  if (url.pathname === "/up") {
    res.writeHead(200, { "content-type": "text/plain" });
    res.end("ok");
  } else if (url.pathname === "/page") {
    const body = page(Number.parseInt(url.searchParams.get("id") ?? "1", 10) || 1);
    res.writeHead(200, { "content-type": "text/html; charset=utf-8" });
    res.end(body);
  } else {
    res.writeHead(404);
    res.end();
  }
});
server.listen(Number(process.env.PORT ?? 3000), "127.0.0.1");
process.on("SIGTERM", () => server.close(() => process.exit(0)));
