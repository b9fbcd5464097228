// End-to-end: the original hunt. `leakbisect run recipes/rails-orders.toml` on a real Rails 6.1 app
// (production mode, Puma in cluster mode with 2 workers, SQLite) names the warnings panel, whose
// order.has_warnings? builds a class per call that is never freed.
#include "e2e_support.hpp"

#include <catch2/catch.hpp>

using namespace e2e;

TEST_CASE("run on the Rails orders app names the warnings panel, whose has_warnings? leaks classes") {
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
    // Today the search names the first guilty top-level chunk, "warnings_panel"; once narrowing into
    // sub-chunks lands it goes on to "warnings_panel.has_warnings". Tighten to that then.
    REQUIRE_THAT(finding.culprit, Catch::StartsWith("warnings_panel"));
    // 8 top-level chunks: baseline, all-on and 3 bisection probes; narrowing into the warnings
    // panel's 3 sub-chunks will add up to 2 more.
    REQUIRE(finding.probes <= 5 + 2);
}
