// End-to-end: `leakbisect run recipes/flask-invoices.toml` on the real Flask app (gunicorn, 3 workers,
// PSS of the tree) names the chunk that leaks through a module-level registry, and does not blame the
// chunk whose large cache grows during the warm-up and then stays.
#include "e2e_support.hpp"

#include <catch2/catch.hpp>

using namespace e2e;

TEST_CASE("run on the Flask invoices app names the registry leak, not the warm-up cache") {
    const auto app_dir = std::string(LEAKBISECT_SOURCE_DIR) + "/examples/flask-invoices";
    if (!command_succeeds("cd '" + app_dir + "' && gunicorn --check-config app:app")) {
        WARN("gunicorn or Flask is not installed (scripts/install-example-runtimes.sh could not install "
             "python3-flask gunicorn): skipping the flask-invoices end-to-end test");
        return;
    }
    const Scratch scratch;
    const RunFinding finding = run_recipe(bundled_recipe("flask-invoices.toml"), scratch);
    INFO(finding.output);
    REQUIRE(finding.exit_code == 10);
    REQUIRE(finding.kind == "localized");
    REQUIRE(finding.culprit == "audit_trail");
    // 8 chunks: baseline, all-on and 3 bisection probes; then the culprit alone and the two re-checks.
    REQUIRE(finding.probes <= 5 + 3);
}
