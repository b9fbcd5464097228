# Puma in single mode (one process, 4 threads) on 127.0.0.1:$PORT.
threads 4, 4
bind "tcp://127.0.0.1:#{ENV.fetch("PORT", 9292)}"
environment ENV.fetch("RACK_ENV", "production")
