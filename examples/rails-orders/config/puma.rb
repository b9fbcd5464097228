# Puma in cluster mode, as on the platform: a master that forks WEB_CONCURRENCY workers (default 2).
# The master never serves a request, so its memory stays flat: only memory.scope = "tree" sees a
# leak in the workers.
workers Integer(ENV.fetch("WEB_CONCURRENCY", 2))
threads_count = Integer(ENV.fetch("RAILS_MAX_THREADS", 3))
threads threads_count, threads_count
preload_app!

bind "tcp://127.0.0.1:#{ENV.fetch("PORT", 3000)}"
environment ENV.fetch("RAILS_ENV", "production")

before_fork do
  ActiveRecord::Base.connection_pool.disconnect! if defined?(ActiveRecord::Base)
end
