# The feature flags that split orders#show into chunks for leakbisect. A missing variable means ON,
# so the app behaves normally when leakbisect is not running it. Dotted sub-chunks map to
# underscores: "warnings_panel.has_warnings" reads CHUNK_WARNINGS_PANEL_HAS_WARNINGS.
module Chunks
  def self.variable(name) = "CHUNK_#{name.to_s.upcase.tr(".", "_")}"

  def self.on?(name) = ENV.fetch(variable(name), "1") == "1"
end
