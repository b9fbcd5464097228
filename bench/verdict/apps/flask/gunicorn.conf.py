# gunicorn for the bench apps (flask and django read this one): WEB_CONCURRENCY workers (default 2)
# of GUNICORN_WORKER_CLASS (sync, or gthread with GUNICORN_THREADS threads) on 127.0.0.1:$PORT,
# never recycled, and gc.freeze() before fork as examples/flask-invoices does.
import os

bind = "127.0.0.1:" + os.environ.get("PORT", "8000")
workers = int(os.environ.get("WEB_CONCURRENCY", "2"))
worker_class = os.environ.get("GUNICORN_WORKER_CLASS", "sync")
threads = int(os.environ.get("GUNICORN_THREADS", "1"))  # > 1 makes gunicorn use gthread even for "sync"
max_requests = 0
preload_app = False
accesslog = None


def pre_fork(server, worker):
    import gc

    gc.freeze()
