"""The bench apps' per-request work and planted memory behaviour, shared by flask and django.

Environment (read once at import; every count is per process, i.e. per gunicorn worker):
  LEAK_BYTES       retain a bytes object of about this many bytes per request, forever (default 0)
  CACHE_ENTRIES    a bounded LRU of ~2 KiB values keyed by a request-varying key drawn from
                   2 x CACHE_ENTRIES keys: fills over roughly 1.4 x CACHE_ENTRIES requests, then
                   stays full (default 0: no cache)
  WARMUP_REQUESTS  lazy loading: request i of the first K retains 8 KiB x (K - i) / K, about
                   4 KiB x K in all, decelerating to nothing at K (default 0)
"""
import json
import os
import threading
from collections import OrderedDict


def _num(name):
    try:
        return int(os.environ.get(name, "0"))
    except ValueError:
        return 0


LEAK_BYTES = _num("LEAK_BYTES")
CACHE_ENTRIES = _num("CACHE_ENTRIES")
WARMUP_REQUESTS = _num("WARMUP_REQUESTS")

_lock = threading.Lock()  # gthread workers serve several requests at once
_leaked = []
_warm = []
_cache = OrderedDict()
_state = {"served": 0, "rng": 12345}


def _blob(n, tag):
    return str(tag).encode().ljust(n, b"x")


def page(page_id):
    with _lock:
        _state["served"] += 1
        served = _state["served"]
        if 0 < WARMUP_REQUESTS and served <= WARMUP_REQUESTS:
            n = 8192 * (WARMUP_REQUESTS - served) // WARMUP_REQUESTS
            if n > 0:
                _warm.append(_blob(n, served))
        if CACHE_ENTRIES > 0:
            _state["rng"] = (_state["rng"] * 1103515245 + 12345) % 2147483648
            key = "sheet:%d" % (_state["rng"] % (2 * CACHE_ENTRIES))
            if key in _cache:
                _cache.move_to_end(key)
            else:
                _cache[key] = _blob(2048, key)
                if len(_cache) > CACHE_ENTRIES:
                    _cache.popitem(last=False)
        if LEAK_BYTES > 0:
            _leaked.append(_blob(LEAK_BYTES, served))
    # Ordinary work: a few objects, JSON and an HTML page, all garbage after the response.
    items = [
        {"sku": "SKU-%d-%d" % (page_id, i), "name": "Item %d of product %d" % (i, page_id),
         "price": (page_id * 7 + i * 13) % 997 / 10, "qty": 1 + i % 4}
        for i in range(20)
    ]
    total = sum(it["price"] * it["qty"] for it in items)
    data = json.dumps({"id": page_id, "items": items, "total": total})
    rows = "".join(
        "<tr><td>%s</td><td>%s</td><td>%d</td><td>%.2f</td></tr>" % (it["sku"], it["name"], it["qty"], it["price"])
        for it in items
    )
    return (
        "<!doctype html><html><head><title>Product %d</title></head><body><h1>Product %d</h1>"
        "<table>%s</table><p>Total %.2f</p><script type=\"application/json\">%s</script></body></html>"
        % (page_id, page_id, rows, total, data)
    )


def page_id(raw):
    try:
        return int(raw or "1")
    except ValueError:
        return 1
