# Puma as on the platform: WEB_CONCURRENCY workers forked from a preloaded master (cluster mode), or
# with WEB_CONCURRENCY=0 one process (single mode); RAILS_MAX_THREADS threads each (default 3).
workers Integer(ENV.fetch("WEB_CONCURRENCY", 2))
threads_count = Integer(ENV.fetch("RAILS_MAX_THREADS", 3))
threads threads_count, threads_count
preload_app! if Integer(ENV.fetch("WEB_CONCURRENCY", 2)).positive?

bind "tcp://127.0.0.1:#{ENV.fetch("PORT", 3000)}"
environment ENV.fetch("RAILS_ENV", "production")
