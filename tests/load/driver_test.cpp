#include "leakbisect/load/driver.hpp"

#include "test_server.hpp"

#include <catch2/catch.hpp>

#include <atomic>
#include <chrono>
#include <thread>
#include <vector>

using namespace leakbisect;
using leakbisect::testing::ServerBehaviour;
using leakbisect::testing::ServerOptions;
using leakbisect::testing::TestServer;

namespace {

using Clock = std::chrono::steady_clock;

LoadRequest get(std::string path, unsigned weight = 1) {
    LoadRequest request;
    request.path = std::move(path);
    request.weight = weight;
    return request;
}

LoadPlan plan_for(std::uint16_t port, std::uint64_t requests, unsigned concurrency = 4) {
    LoadPlan plan;
    plan.target.host = "127.0.0.1";
    plan.target.port = port;
    plan.mix = {get("/")};
    plan.requests = requests;
    plan.concurrency = concurrency;
    plan.timeout = Milliseconds{5'000};
    return plan;
}

LoadStats run(const LoadPlan& plan, const ProgressHook& progress = {}) {
    const std::atomic<bool> never_cancelled{false};
    return run_load(plan, progress, never_cancelled);
}

double seconds_since(Clock::time_point start) {
    return std::chrono::duration<double>(Clock::now() - start).count();
}

} // namespace

TEST_CASE("the load sends exactly the planned number of requests", "[load]") {
    TestServer server;
    for (const unsigned concurrency : {1u, 4u, 16u}) {
        DYNAMIC_SECTION("over " << concurrency << " connections") {
            const auto stats = run(plan_for(server.port(), 1000, concurrency));

            CHECK(server.requests().size() == 1000);
            CHECK(stats.completed == 1000);
            CHECK(stats.succeeded == 1000);
            CHECK(stats.failed == 0);
            CHECK(stats.status_counts == std::map<int, std::uint64_t>{{200, 1000}});
            CHECK(stats.failure_reasons.empty());
            CHECK(stats.error_rate() == 0.0);
            CHECK_FALSE(stats.cancelled);
        }
    }
}

TEST_CASE("the load reports latency percentiles and elapsed time", "[load]") {
    TestServer server;
    const auto stats = run(plan_for(server.port(), 500));

    CHECK(stats.latency_p50_ms > 0.0);
    CHECK(stats.latency_p50_ms <= stats.latency_p90_ms);
    CHECK(stats.latency_p90_ms <= stats.latency_p99_ms);
    CHECK(stats.latency_p99_ms <= stats.latency_max_ms);
    CHECK(stats.elapsed_seconds > 0.0);
    CHECK(stats.latency_max_ms <= stats.elapsed_seconds * 1000.0);
}

TEST_CASE("the request mix follows the weights and the seed", "[load]") {
    TestServer server;
    auto plan = plan_for(server.port(), 4000);
    plan.mix = {get("/heavy", 3), get("/light", 1)};

    SECTION("a 3:1 mix sends about three times as many of the first") {
        run(plan);
        const auto counts = server.requests_by_target();
        REQUIRE(counts.size() == 2);
        CHECK(counts.at("/heavy") + counts.at("/light") == 4000);
        CHECK(counts.at("/heavy") == Approx(3000).margin(150)); // ~5 standard deviations
    }

    SECTION("a zero weight is never drawn") {
        plan.mix.push_back(get("/never", 0));
        run(plan);
        CHECK(server.requests_by_target().count("/never") == 0);
    }

    SECTION("the same seed sends the same sequence; another seed does not") {
        plan.requests = 300;
        plan.concurrency = 1; // arrival order is then the drawing order
        auto targets_sent = [&](std::uint64_t seed) {
            TestServer fresh;
            auto seeded = plan;
            seeded.target.port = fresh.port();
            seeded.seed = seed;
            run(seeded);
            std::vector<std::string> targets;
            for (const auto& request : fresh.requests()) {
                targets.push_back(request.target);
            }
            return targets;
        };
        const auto first = targets_sent(7);
        CHECK(first.size() == 300);
        CHECK(targets_sent(7) == first);
        CHECK(targets_sent(8) != first);
    }
}

TEST_CASE("requests carry method, prefixed target, headers and body", "[load]") {
    TestServer server;
    auto plan = plan_for(server.port(), 3, 1);
    plan.target.path_prefix = "/app";
    LoadRequest post;
    post.method = "POST";
    post.path = "/orders";
    post.headers = {{"Accept", "text/html"}};
    post.body = "quantity=2";
    plan.mix = {post};

    SECTION("with the defaults for Host and User-Agent") {
        run(plan);
        const auto requests = server.requests();
        REQUIRE(requests.size() == 3);
        CHECK(requests[0].method == "POST");
        CHECK(requests[0].target == "/app/orders");
        CHECK(requests[0].host == "127.0.0.1:" + std::to_string(server.port()));
        CHECK(requests[0].user_agent == "leakbisect");
        CHECK(requests[0].accept == "text/html");
        CHECK(requests[0].content_length == "10");
        CHECK(requests[0].body == "quantity=2");
    }

    SECTION("with the recipe's own Host and User-Agent") {
        plan.mix[0].headers = {{"host", "shop.test"}, {"User-Agent", "probe"}};
        run(plan);
        const auto requests = server.requests();
        REQUIRE(requests.size() == 3);
        CHECK(requests[0].host == "shop.test");
        CHECK(requests[0].user_agent == "probe");
    }
}

TEST_CASE("connections are kept alive and reopened when the server closes them", "[load]") {
    SECTION("a keep-alive server sees one connection per unit of concurrency") {
        TestServer server;
        const auto stats = run(plan_for(server.port(), 400, 4));
        CHECK(stats.succeeded == 400);
        CHECK(server.connections() == 4);
    }

    SECTION("a server that says Connection: close gets a new connection per request") {
        TestServer server(ServerOptions{.behaviour = ServerBehaviour::close_with_header});
        const auto stats = run(plan_for(server.port(), 300, 4));
        CHECK(stats.succeeded == 300);
        CHECK(stats.failed == 0);
        CHECK(server.requests().size() == 300);
        CHECK(server.connections() == 300);
    }

    SECTION("a server that closes without saying so loses no request") {
        TestServer server(ServerOptions{.behaviour = ServerBehaviour::close_silently});
        const auto stats = run(plan_for(server.port(), 300, 4));
        CHECK(stats.succeeded == 300);
        CHECK(stats.failed == 0);
        CHECK(stats.failure_reasons.empty());
        CHECK(server.requests().size() == 300);
        CHECK(server.connections() == 300);
    }
}

TEST_CASE("an unexpected status is a failure named by its status", "[load]") {
    TestServer server(ServerOptions{.status = 500});
    auto plan = plan_for(server.port(), 50);

    SECTION("when any 2xx or 3xx is expected") {
        const auto stats = run(plan);
        CHECK(stats.completed == 50);
        CHECK(stats.succeeded == 0);
        CHECK(stats.failed == 50);
        CHECK(stats.status_counts.at(500) == 50);
        CHECK(stats.failure_reasons == std::map<std::string, std::uint64_t>{{"status 500", 50}});
        CHECK(stats.error_rate() == 1.0);
    }

    SECTION("unless the request expects it") {
        plan.mix[0].expect = {500};
        const auto stats = run(plan);
        CHECK(stats.succeeded == 50);
        CHECK(stats.failed == 0);
    }

    SECTION("and a 200 is a failure where only 201 is expected") {
        TestServer ok_server;
        plan.target.port = ok_server.port();
        plan.mix[0].expect = {201};
        const auto stats = run(plan);
        CHECK(stats.failure_reasons == std::map<std::string, std::uint64_t>{{"status 200", 50}});
    }
}

TEST_CASE("a server that never answers costs one timeout per request", "[load]") {
    TestServer server(ServerOptions{.behaviour = ServerBehaviour::never_answer});
    auto plan = plan_for(server.port(), 8, 4);
    plan.timeout = Milliseconds{100};

    const auto start = Clock::now();
    const auto stats = run(plan);

    CHECK(stats.failed == 8);
    CHECK(stats.completed == 0);
    CHECK(stats.failure_reasons == std::map<std::string, std::uint64_t>{{"timeout", 8}});
    CHECK(seconds_since(start) < 2.0);  // two rounds of 100ms, with room for a slow machine
    CHECK(stats.latency_p50_ms == 0.0); // no response, no latency
}

TEST_CASE("a load past its failure budget stops at once instead of waiting out every timeout", "[load]") {
    TestServer server(ServerOptions{.behaviour = ServerBehaviour::never_answer});
    auto plan = plan_for(server.port(), 300, 4);
    plan.timeout = Milliseconds{400};
    plan.max_failures = 3;

    const auto start = Clock::now();
    const auto stats = run(plan);

    CHECK(stats.stopped_on_failures);
    CHECK_FALSE(stats.cancelled);
    CHECK(stats.failed == 4);          // the first round of four timeouts; the rest never sent
    CHECK(seconds_since(start) < 2.0); // not 300 x 400ms / 4 = 30 s
    SECTION("within its budget the load runs to the end") {
        TestServer ok_server;
        auto ok_plan = plan_for(ok_server.port(), 50, 4);
        ok_plan.max_failures = 0;
        const auto ok = run(ok_plan);
        CHECK_FALSE(ok.stopped_on_failures);
        CHECK(ok.succeeded == 50);
    }
}

TEST_CASE("with nothing listening every request fails fast as connection refused", "[load]") {
    const auto stats_over = [](unsigned concurrency) {
        auto plan = plan_for(leakbisect::testing::unused_port(), 100, concurrency);
        return run(plan);
    };
    const auto start = Clock::now();
    const auto stats = stats_over(4);

    CHECK(stats.failed == 100);
    CHECK(stats.completed == 0);
    CHECK(stats.failure_reasons == std::map<std::string, std::uint64_t>{{"connection refused", 100}});
    CHECK(stats.error_rate() == 1.0);
    CHECK(seconds_since(start) < 2.0); // 100 requests x 10ms back-off / 4 connections
}

TEST_CASE("setting the cancel flag from another thread stops the load promptly", "[load]") {
    TestServer server(ServerOptions{.delay = Milliseconds{2}});
    auto plan = plan_for(server.port(), 1'000'000);
    std::atomic<bool> cancel{false};

    SECTION("in the middle of the load") {
        std::atomic<Clock::time_point> cancelled_at{Clock::time_point{}};
        std::thread canceller([&] {
            std::this_thread::sleep_for(std::chrono::milliseconds(150));
            cancelled_at = Clock::now();
            cancel = true;
        });
        const auto stats = run_load(plan, {}, cancel);
        const auto returned_at = Clock::now();
        canceller.join();

        CHECK(stats.cancelled);
        CHECK(stats.completed > 0);
        CHECK(stats.completed < plan.requests);
        CHECK(std::chrono::duration<double>(returned_at - cancelled_at.load()).count() < 0.2);
    }

    SECTION("before it starts") {
        cancel = true;
        const auto stats = run_load(plan, {}, cancel);
        CHECK(stats.cancelled);
        CHECK(stats.completed + stats.failed == 0);
        CHECK(server.requests().empty());
    }

    SECTION("while the server stalls") {
        TestServer stalled(ServerOptions{.behaviour = ServerBehaviour::never_answer});
        plan.target.port = stalled.port();
        std::thread canceller([&] {
            std::this_thread::sleep_for(std::chrono::milliseconds(100));
            cancel = true;
        });
        const auto start = Clock::now();
        const auto stats = run_load(plan, {}, cancel);
        canceller.join();

        CHECK(stats.cancelled);
        CHECK(stats.failed == 0); // the stalled requests are abandoned, not failed
        CHECK(seconds_since(start) < 0.5);
    }
}

TEST_CASE("the progress hook is called on the load thread every N finished requests", "[load]") {
    std::vector<std::uint64_t> calls;
    std::vector<std::thread::id> threads;
    ProgressHook progress{10, [&](std::uint64_t finished) {
                              calls.push_back(finished);
                              threads.push_back(std::this_thread::get_id());
                          }};

    SECTION("for responses") {
        TestServer server;
        run(plan_for(server.port(), 95), progress);
        CHECK(calls == std::vector<std::uint64_t>{10, 20, 30, 40, 50, 60, 70, 80, 90});
    }

    SECTION("for failures too") {
        run(plan_for(leakbisect::testing::unused_port(), 25), progress);
        CHECK(calls == std::vector<std::uint64_t>{10, 20});
    }

    SECTION("never when every is 0") {
        TestServer server;
        progress.every = 0;
        run(plan_for(server.port(), 50), progress);
        CHECK(calls.empty());
    }

    for (const auto& thread : threads) {
        CHECK(thread == std::this_thread::get_id());
    }
}

TEST_CASE("the error rate is the share of ended requests that failed", "[load]") {
    LoadStats stats;
    CHECK(stats.error_rate() == 0.0);

    stats.succeeded = 99;
    stats.failed = 1;
    CHECK(stats.error_rate() == Approx(0.01));
}
