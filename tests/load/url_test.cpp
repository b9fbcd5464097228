#include "leakbisect/load/url.hpp"

#include <catch2/catch.hpp>

using namespace leakbisect;

namespace {

LoadTarget parsed(std::string_view url, bool allow_remote = false) {
    auto target = parse_base_url(url, allow_remote);
    INFO(url);
    if (!target) {
        FAIL(to_string(target.error()));
    }
    return *target;
}

std::string refusal(std::string_view url, bool allow_remote = false) {
    const auto target = parse_base_url(url, allow_remote);
    INFO(url);
    REQUIRE_FALSE(target);
    CHECK(target.error().kind == ErrorKind::bad_recipe);
    CHECK_THAT(target.error().message, Catch::Contains(std::string(url))); // the message names the url
    return target.error().message;
}

} // namespace

TEST_CASE("a loopback http url gives host, port and prefix", "[url]") {
    SECTION("IPv4 with a port") {
        const auto target = parsed("http://127.0.0.1:8080");
        CHECK(target.host == "127.0.0.1");
        CHECK(target.port == 8080);
        CHECK(target.path_prefix.empty());
    }

    SECTION("anywhere in 127.0.0.0/8") {
        CHECK(parsed("http://127.1.2.3:3000").host == "127.1.2.3");
    }

    SECTION("localhost, in any case") {
        const auto target = parsed("HTTP://LocalHost:3000/");
        CHECK(target.host == "localhost");
        CHECK(target.port == 3000);
        CHECK(target.path_prefix.empty());
    }

    SECTION("IPv6 loopback in brackets") {
        const auto target = parsed("http://[::1]:9292");
        CHECK(target.host == "::1");
        CHECK(target.port == 9292);
    }

    SECTION("IPv6 loopback without a port") {
        const auto target = parsed("http://[::1]/app");
        CHECK(target.host == "::1");
        CHECK(target.port == 80);
        CHECK(target.path_prefix == "/app");
    }
}

TEST_CASE("a path after the host becomes the prefix of every request", "[url]") {
    SECTION("without a trailing slash") {
        CHECK(parsed("http://127.0.0.1:8080/app").path_prefix == "/app");
    }
    SECTION("with a trailing slash, dropped") {
        CHECK(parsed("http://127.0.0.1:8080/app/v1/").path_prefix == "/app/v1");
    }
    SECTION("a bare slash is the root") {
        CHECK(parsed("http://127.0.0.1:8080/").path_prefix.empty());
    }
}

TEST_CASE("a url without a port uses port 80", "[url]") {
    CHECK(parsed("http://127.0.0.1").port == 80);
    CHECK(parsed("http://localhost/shop").port == 80);
}

TEST_CASE("a url the load cannot use is refused with a reason", "[url]") {
    SECTION("https") {
        CHECK_THAT(refusal("https://127.0.0.1:8443"), Catch::Contains("https"));
    }
    SECTION("no scheme") {
        CHECK_THAT(refusal("127.0.0.1:8080"), Catch::Contains("http://"));
    }
    SECTION("a port that is not a number") {
        CHECK_THAT(refusal("http://127.0.0.1:{port}"), Catch::Contains("port"));
        CHECK_THAT(refusal("http://127.0.0.1:80a"), Catch::Contains("port"));
    }
    SECTION("a port out of range") {
        refusal("http://127.0.0.1:0");
        refusal("http://127.0.0.1:65536");
    }
    SECTION("a colon with no port") {
        CHECK_THAT(refusal("http://127.0.0.1:"), Catch::Contains("port"));
    }
    SECTION("an IPv6 address without brackets") {
        CHECK_THAT(refusal("http://::1:8080"), Catch::Contains("[::1]"));
    }
    SECTION("an unclosed bracket") {
        refusal("http://[::1:8080");
    }
    SECTION("a malformed IPv4 address") {
        refusal("http://127.0.0.300:8080");
    }
    SECTION("no host") {
        refusal("http://:8080");
    }
    SECTION("a query") {
        refusal("http://127.0.0.1:8080/?debug=1");
    }
    SECTION("credentials") {
        refusal("http://user:secret@127.0.0.1:8080");
    }
}

TEST_CASE("a remote host is refused unless allow_remote is set", "[url]") {
    SECTION("a public address") {
        CHECK_THAT(refusal("http://10.0.0.5:8080"), Catch::Contains("allow_remote"));
    }
    SECTION("a host name") {
        CHECK_THAT(refusal("http://shop.example.com"), Catch::Contains("allow_remote"));
    }
    SECTION("an IPv6 address other than ::1") {
        refusal("http://[2001:db8::1]:8080");
    }
    SECTION("allowed when asked for") {
        const auto target = parsed("http://Shop.Example.com:8080/app", true);
        CHECK(target.host == "shop.example.com");
        CHECK(target.port == 8080);
        CHECK(target.path_prefix == "/app");
        CHECK(parsed("http://[2001:db8::1]:8080", true).host == "2001:db8::1");
    }
}
