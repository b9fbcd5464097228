#include "leakbisect/core/secrets.hpp"

#include <catch2/catch.hpp>

using namespace leakbisect;

TEST_CASE("argument values that look secret are masked, the rest is kept") {
    using Argv = std::vector<std::string>;
    CHECK(redact_arguments({"bin/rails", "server", "-p", "8080"}) ==
          Argv{"bin/rails", "server", "-p", "8080"});
    CHECK(redact_arguments({"app", "--password=hunter2", "--port=80"}) ==
          Argv{"app", "--password=***", "--port=80"});
    CHECK(redact_arguments({"app", "--api-key", "abc", "--verbose"}) ==
          Argv{"app", "--api-key", "***", "--verbose"});
    CHECK(redact_arguments({"env", "DB_PASSWORD=x", "SECRET_KEY_BASE=y", "RAILS_ENV=production"}) ==
          Argv{"env", "DB_PASSWORD=***", "SECRET_KEY_BASE=***", "RAILS_ENV=production"});
    CHECK(redact_arguments({"app", "--db", "postgres://shop:s3cret@127.0.0.1/shop"}) ==
          Argv{"app", "--db", "postgres://shop:***@127.0.0.1/shop"});
    CHECK(redact_arguments({"app", "sk_live_51HfQ2xKz8Yb3Lq9TnR4vWm7P"}) == Argv{"app", "***"});
    CHECK(redact_arguments({"app", "--token", "--next"}) == Argv{"app", "--token", "--next"});
    SECTION("paths and ordinary words are not keys") {
        CHECK(redact_arguments({"/opt/app/releases/20261125/bin/server", "config/production_settings.yml"}) ==
              Argv{"/opt/app/releases/20261125/bin/server", "config/production_settings.yml"});
    }
}

TEST_CASE("secret names are found in any case and spelling") {
    CHECK(names_a_secret("DB_PASSWORD"));
    CHECK(names_a_secret("--api-key"));
    CHECK(names_a_secret("authToken"));
    CHECK_FALSE(names_a_secret("--port"));
    CHECK_FALSE(names_a_secret("RAILS_ENV"));
}
