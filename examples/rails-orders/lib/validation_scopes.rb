# A stand-in for the validation_scopes gem, as it behaved in the original hunt: a "validation scope"
# is a second set of validations (here: warnings, not errors) kept apart from the model's own. Each
# record builds a proxy class for each scope the first time it is asked, a new Class with
# ActiveModel::Validations, delegating to the record.
#
# The leak: the classes are registered in a process-wide table (meant to let a development reload
# find and drop them) and nothing ever removes them. Every request loads a fresh record, so every
# has_warnings? call adds one class, its validators and callback chains, plus the record it points
# to, and none is ever garbage collected.
module ValidationScopes
  extend ActiveSupport::Concern

  mattr_accessor :proxy_classes, default: []

  class_methods do
    def validation_scope(scope, &declare)
      base_class = self

      define_method(:"#{scope}_proxy") do
        @validation_scope_proxies ||= {}
        @validation_scope_proxies[scope] ||= begin
          proxy_class = Class.new(SimpleDelegator) do
            include ActiveModel::Validations
            define_singleton_method(:name) { "#{base_class.name}#{scope.to_s.camelize}Scope" }
            define_singleton_method(:model_name) { ActiveModel::Name.new(self, nil, base_class.name) }
          end
          proxy_class.class_exec(&declare)
          ValidationScopes.proxy_classes << proxy_class
          proxy_class.new(self)
        end
      end

      define_method(scope) { public_send(:"#{scope}_proxy").tap(&:valid?).errors }
      define_method(:"has_#{scope}?") { public_send(:"#{scope}_proxy").invalid? }
      define_method(:"no_#{scope}?") { public_send(:"#{scope}_proxy").valid? }
    end
  end
end
