require_relative "boot"

require "rails"
require "active_model/railtie"
require "active_record/railtie"
require "action_controller/railtie"
require "action_view/railtie"

Bundler.require(*Rails.groups)

module RailsOrders
  class Application < Rails::Application
    config.load_defaults 6.1
    # lib/validation_scopes.rb stands in for the validation_scopes gem.
    config.eager_load_paths << Rails.root.join("lib")
  end
end
