// End-to-end: the original hunt. `leakbisect run recipes/rails-orders.toml` on a real Rails 6.1 app
// (production mode, Puma in cluster mode with 2 workers, SQLite) names the warnings panel, whose
// order.has_warnings? builds a class per call that is never freed.
#include "e2e_support.hpp"

#include <catch2/catch.hpp>

using namespace e2e;

TEST_CASE("run on the Rails orders app narrows to has_warnings?, which leaks classes") {
    if (!command_succeeds("ruby -e 'require \"rails\"; require \"puma\"; require \"sqlite3\"'")) {
        WARN("Ruby on Rails, Puma or sqlite3 is not installed (scripts/install-example-runtimes.sh could "
             "not install ruby-rails puma ruby-sqlite3): skipping the rails-orders end-to-end test");
        return;
    }
    const Scratch scratch;
    const RunFinding finding = run_recipe(bundled_recipe("rails-orders.toml"), scratch);
    INFO(finding.output);
    REQUIRE(finding.exit_code == 10);
    REQUIRE(finding.kind == "localized");
    // Narrowed from the page to the chunk to the call, as in the original hunt.
    REQUIRE(finding.culprit == "warnings_panel.has_warnings");
    REQUIRE(finding.path == std::vector<std::string>{"warnings_panel", "warnings_panel.has_warnings"});
    // 8 top-level chunks: baseline, all-on and 3 bisection probes; then the panel's own code alone and
    // a bisection over its 3 sub-chunks (2 more). Confirmation is off in this recipe.
    // An undecided probe earns repeat runs (seen: the baseline undecided twice, 9 probes in all), so
    // allow a few on top of the 8 a decisive run takes.
    REQUIRE(finding.probes <= 5 + 1 + 2 + 4);
}
