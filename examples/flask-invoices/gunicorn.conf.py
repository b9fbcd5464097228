# gunicorn reads this from the working folder: 3 sync workers on loopback, on $PORT (leakbisect
# sets it per probe). Workers are never recycled (max_requests = 0), as a leak hunt needs.
import os

bind = "127.0.0.1:" + os.environ.get("PORT", "8000")
workers = int(os.environ.get("WEB_CONCURRENCY", "3"))
worker_class = "sync"
max_requests = 0
preload_app = False
accesslog = None
