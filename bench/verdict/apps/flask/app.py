"""Bench app on Flask: GET /up, GET /page?id=N (see ../common/bench_work.py)."""
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "common"))
import bench_work  # noqa: E402
from flask import Flask, request  # noqa: E402

app = Flask(__name__)


@app.get("/up")
def up():
    return "ok", 200, {"Content-Type": "text/plain"}


@app.get("/page")
def page():
    return bench_work.page(bench_work.page_id(request.args.get("id")))
