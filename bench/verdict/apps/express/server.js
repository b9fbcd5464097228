// Bench app on express (installed from npm by record_real_traces.sh into node_modules here, which
// git ignores): GET /up, GET /page?id=N (see ../common/bench_work.js). Listens on 127.0.0.1:$PORT.
"use strict";
const express = require("express");
const { page } = require("../common/bench_work.js");

const app = express();
app.disable("etag");
app.get("/up", (req, res) => res.type("text").send("ok"));
app.get("/page", (req, res) => res.type("html").send(page(Number.parseInt(req.query.id ?? "1", 10) || 1)));
const server = app.listen(Number(process.env.PORT ?? 3000), "127.0.0.1");
process.on("SIGTERM", () => server.close(() => process.exit(0)));
