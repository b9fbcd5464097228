# Production as a real deployment runs it: classes cached and eager loaded, caching on, logs to stdout.
Rails.application.configure do
  config.cache_classes = true
  config.eager_load = true
  config.consider_all_requests_local = false
  config.action_controller.perform_caching = true
  config.public_file_server.enabled = false
  config.log_level = ENV.fetch("RAILS_LOG_LEVEL", "warn").to_sym
  config.log_formatter = ::Logger::Formatter.new
  $stdout.sync = true
  logger = ActiveSupport::Logger.new($stdout)
  logger.formatter = config.log_formatter
  config.logger = ActiveSupport::TaggedLogging.new(logger)
  config.hosts.clear
end
