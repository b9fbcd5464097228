#include "leakbisect/load/single_request.hpp"

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <catch2/catch.hpp>
#include <chrono>

using namespace leakbisect;

TEST_CASE("a GET to a server that never answers fails with a timeout within its deadline") {
    boost::asio::io_context context;
    // Listens, so the connect succeeds, but never accepts or answers.
    boost::asio::ip::tcp::acceptor silent(context, {boost::asio::ip::address_v4::loopback(), 0});
    LoadTarget target;
    target.port = silent.local_endpoint().port();
    const auto start = std::chrono::steady_clock::now();
    const auto result = http_get_status(target, "/up", Milliseconds{200});
    const auto elapsed = std::chrono::steady_clock::now() - start;
    REQUIRE(std::holds_alternative<HttpFailure>(result));
    REQUIRE_THAT(std::get<HttpFailure>(result).reason, Catch::Contains("timeout"));
    REQUIRE(elapsed < std::chrono::seconds(2));
}

TEST_CASE("a GET to a closed port fails as refused") {
    LoadTarget target;
    {
        boost::asio::io_context context;
        boost::asio::ip::tcp::acceptor once(context, {boost::asio::ip::address_v4::loopback(), 0});
        target.port = once.local_endpoint().port();
    }
    const auto result = http_get_status(target, "/up", Milliseconds{1000});
    REQUIRE(std::holds_alternative<HttpFailure>(result));
}
