"""flask-invoices: a Flask invoice page split into feature-flagged chunks for leakbisect.

GET /invoices/<id> runs, in order: parse_params, load_invoice, line_items, tax_tables, totals,
render_page, audit_trail, mark_viewed. One chunk leaks through a module-level registry; another
warms a large cache that grows for the first couple of thousand requests and then stays.
"""

import html
import os
import random
from functools import lru_cache

from flask import Flask, request

app = Flask(__name__)


def chunk(name):
    """A missing variable means ON, so the app behaves normally when leakbisect is not running it.

    Dotted sub-chunks map to underscores: audit_trail.subscribe -> CHUNK_AUDIT_TRAIL_SUBSCRIBE.
    """
    return os.environ.get("CHUNK_" + name.upper().replace(".", "_"), "1") == "1"


# ---- what outlives a request (per worker process) -----------------------------------------------

# Audit subscribers: callables told about every later change to an invoice. Nothing ever removes one.
_AUDIT_SUBSCRIBERS = []

# Viewed-at marks: one slot per invoice id (1..2000), so it cannot grow.
_LAST_VIEWED = [0] * 2001

_WORDS = "oak linen steel walnut wool brass clay cedar cotton glass".split()
_REGIONS = ["US-%02d" % n for n in range(50)] + ["DE", "GB", "FR", "NL", "SE"]
_CATEGORIES = 300
_ROTATED_CATEGORIES = 30


@lru_cache(maxsize=1)
def _rate_table():
    """The full tax-rate table (~20 MB), loaded on the first request a worker serves."""
    generator = random.Random(7)
    return {(region, category): tuple(generator.random() / 4 for _ in range(32))
            for region in _REGIONS for category in range(_CATEGORIES)}


@lru_cache(maxsize=2048)
def _rate_sheet(region, category):
    """A rendered per-(region, category) rate sheet (~1.5 KB); at most 2048 kept per worker."""
    rates = _rate_table()[(region, category)]
    return "\n".join("%s/%d/%d: %.4f" % (region, category, i, rate) for i, rate in enumerate(rates))


_sheet_cursor = 0


# ---- the simulated store ------------------------------------------------------------------------

def _load_invoice(invoice_id):
    generator = random.Random(invoice_id)
    return {
        "id": invoice_id,
        "number": "INV-%06d" % invoice_id,
        "customer": "Customer %d" % generator.randint(1, 500),
        "region": _REGIONS[invoice_id % len(_REGIONS)],
        "currency": ["USD", "EUR", "GBP"][invoice_id % 3],
        "notes": " ".join(generator.choice(_WORDS) for _ in range(40)),
    }


def _load_line_items(invoice):
    generator = random.Random(invoice["id"] * 31)
    return [{"sku": "SKU-%06d" % generator.randint(1, 5000),
             "title": "%s %s" % (generator.choice(_WORDS), generator.choice(_WORDS)),
             "category": generator.randint(0, _CATEGORIES - 1),
             "quantity": generator.randint(1, 5),
             "unit_cents": generator.randint(199, 19999)} for _ in range(5 + invoice["id"] % 26)]


# ---- the action ---------------------------------------------------------------------------------

def parse_params(invoice_id):
    if not chunk("parse_params"):
        return {"id": 42, "currency": None, "lang": "en"}
    currency = request.args.get("currency")
    return {"id": invoice_id if 1 <= invoice_id <= 2000 else 42,
            "currency": currency if currency in ("USD", "EUR", "GBP") else None,
            "lang": request.args.get("lang", "en")[:5]}


def load_invoice(params):
    if not chunk("load_invoice"):
        return {"id": params["id"], "number": "INV-000000", "customer": "", "region": "US-00",
                "currency": "USD", "notes": ""}
    invoice = _load_invoice(params["id"])
    if params["currency"]:
        invoice["currency"] = params["currency"]
    return invoice


def line_items(invoice):
    return _load_line_items(invoice) if chunk("line_items") else []


def tax_tables(invoice, items):
    """Tax rates per item, through the big table and the bounded sheet cache.

    Besides the invoice's own items it pre-renders four sheets of the 1,650 most used (region,
    category) pairs in rotation, as a "print all regions" view would, so each worker's cache fills
    within its first ~420 requests and then only hits. (A rotation wider than the cache would miss
    on every request, and the churn alone creeps the heap by ~100 B/request for thousands of requests.)
    """
    global _sheet_cursor
    if not chunk("tax_tables"):
        return {}
    rates = {}
    for item in items:
        rates[item["sku"]] = _rate_table()[(invoice["region"], item["category"])][0]
        _rate_sheet(invoice["region"], item["category"] % 16)
    for _ in range(4):
        _sheet_cursor = (_sheet_cursor + 1) % (len(_REGIONS) * _ROTATED_CATEGORIES)
        _rate_sheet(_REGIONS[_sheet_cursor % len(_REGIONS)], _sheet_cursor // len(_REGIONS))
    return rates


def totals(items, rates):
    if not chunk("totals"):
        return {"subtotal": 0, "tax": 0, "total": 0}
    subtotal = sum(item["unit_cents"] * item["quantity"] for item in items)
    tax = sum(round(item["unit_cents"] * item["quantity"] * rates.get(item["sku"], 0)) for item in items)
    return {"subtotal": subtotal, "tax": tax, "total": subtotal + tax}


def render_page(invoice, items, sums):
    if not chunk("render_page"):
        return "<main><h1>%s</h1></main>" % invoice["number"]
    money = lambda cents: "%.2f %s" % (cents / 100, invoice["currency"])  # noqa: E731
    rows = "".join("<tr><td>%s</td><td>%s</td><td>%d</td><td>%s</td></tr>"
                   % (item["sku"], html.escape(item["title"]), item["quantity"], money(item["unit_cents"]))
                   for item in items)
    sums_html = "".join("<dt>%s</dt><dd>%s</dd>" % (label, money(cents)) for label, cents in sums.items())
    return ("<main><h1>Invoice %s</h1><p>%s</p><p>%s</p><table>%s</table><dl>%s</dl></main>"
            % (invoice["number"], html.escape(invoice["customer"]), html.escape(invoice["notes"]), rows, sums_html))


def audit_trail(invoice, page):
    """The leak: subscribes to later changes of the invoice in a module-level registry, with a
    closure over the invoice and the rendered page, and nothing ever unsubscribes."""
    if not chunk("audit_trail"):
        return
    snapshot = {"invoice": dict(invoice), "page": page}
    _AUDIT_SUBSCRIBERS.append(lambda change: change.get("id") == snapshot["invoice"]["id"])


def mark_viewed(invoice):
    if chunk("mark_viewed"):
        _LAST_VIEWED[invoice["id"]] += 1


@app.get("/invoices/<int:invoice_id>")
def show_invoice(invoice_id):
    params = parse_params(invoice_id)
    invoice = load_invoice(params)
    items = line_items(invoice)
    rates = tax_tables(invoice, items)
    sums = totals(items, rates)
    page = render_page(invoice, items, sums)
    audit_trail(invoice, page)
    mark_viewed(invoice)
    return "<!doctype html><html><head><title>%s</title></head><body>%s</body></html>" % (invoice["number"], page)


@app.get("/up")
def up():
    return "ok"
