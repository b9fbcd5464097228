# gunicorn reads this from the working folder: 3 sync workers on loopback, on $PORT (leakbisect
# sets it per probe). Workers are never recycled (max_requests = 0), as a leak hunt needs.
import os

bind = "127.0.0.1:" + os.environ.get("PORT", "8000")
workers = int(os.environ.get("WEB_CONCURRENCY", "3"))
worker_class = "sync"
max_requests = 0
preload_app = False
accesslog = None


# Keep the pages workers inherit from the arbiter shared. Without this, each worker's full garbage
# collections write to the GC headers of every inherited object, copy-on-write copies those pages
# one by one, and the tree's PSS creeps up in steps of megabytes for thousands of requests: bounded,
# but slow enough to look like a leak. gc.freeze() moves them out of the collector's reach
# (the Python docs' recipe for fork without exec).
def pre_fork(server, worker):
    import gc

    gc.freeze()
