require_relative "boot"

require "rails"
require "action_controller/railtie"
require "action_view/railtie"

Bundler.require(*Rails.groups)
require_relative "../../common/bench_work"

module BenchRails
  # A Rails app with no database: one controller, an ERB view in a layout.
  class Application < Rails::Application
    config.load_defaults 6.1
  end
end
