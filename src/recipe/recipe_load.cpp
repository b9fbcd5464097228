// [load] and [[load.request]]: the fixed load every probe drives at the app.
#include "sections.hpp"

#include <algorithm>
#include <cctype>
#include <fmt/format.h>

namespace leakbisect::recipe_detail {
namespace {

constexpr std::string_view kLoadRequired =
    R"(a load is required: add a [[load.request]] table with a path, e.g. path = "/orders/42", )"
    R"(or give load.command, the argv of your own load tool)";
constexpr std::string_view kLoadCommandExample = R"(["jmeter", "-n", "-t", "plan.jmx", "-Jport={port}"])";

bool is_token_char(char c) {
    return std::isalnum(static_cast<unsigned char>(c)) ||
           std::string_view("!#$%&'*+-.^_`|~").find(c) != std::string_view::npos;
}

void read_method(const Section& request, std::string& method) {
    if (!request.read_string("method", method)) {
        return;
    }
    const bool letters_only = !method.empty() && std::all_of(method.begin(), method.end(), [](char c) {
        return std::isalpha(static_cast<unsigned char>(c));
    });
    if (!letters_only) {
        request.fail(*request.find("method"),
                     fmt::format("{} must be an HTTP method like \"GET\" or \"POST\", got \"{}\"",
                                 request.key_path("method"), method));
        return;
    }
    std::transform(method.begin(), method.end(), method.begin(),
                   [](char c) { return static_cast<char>(std::toupper(static_cast<unsigned char>(c))); });
}

void read_path(const Section& request, std::string& path) {
    const toml::node* node = request.find("path");
    if (node == nullptr) {
        request.fail_missing(fmt::format("{} is required: the path to request, e.g. \"/orders/42\"",
                                         request.key_path("path")));
        return;
    }
    if (!request.read_string("path", path)) {
        return;
    }
    if (!path.starts_with('/')) {
        request.fail(*node, fmt::format("{} must start with \"/\", e.g. \"/orders/42\", got \"{}\"",
                                        request.key_path("path"), path));
    } else if (has_blank_or_control(path)) {
        request.fail(*node,
                     fmt::format("{} must not contain spaces or control characters; percent-encode them "
                                 "(a space is %20)",
                                 request.key_path("path")));
    }
}

void read_headers(const Section& request, EnvList& headers) {
    const std::optional<Section> table =
        request.read_table("headers", R"(a table of strings, e.g. { Accept = "text/html" })");
    if (!table) {
        return;
    }
    for (const auto& [key, node] : table->entries_in_order()) {
        const std::string name(key->str());
        if (name.empty() || !std::all_of(name.begin(), name.end(), is_token_char)) {
            table->fail(*key, fmt::format("'{}' in {} is not a valid HTTP header name", name, table->path()));
            return;
        }
        std::string value;
        if (!table->read_string(name, value)) {
            return;
        }
        if (value.find_first_of("\r\n") != std::string::npos || value.find('\0') != std::string::npos) {
            table->fail(*node, fmt::format("{} must be on one line", table->key_path(name)));
            return;
        }
        headers.emplace_back(name, value);
    }
}

void read_expect(const Section& request, std::vector<int>& expect) {
    const toml::node* node = request.find("expect");
    if (node == nullptr) {
        return;
    }
    const std::string path = request.key_path("expect");
    std::vector<const toml::node*> statuses;
    if (const toml::array* array = node->as_array()) {
        if (array->empty()) {
            request.fail(*node,
                         fmt::format("{} must list at least one status, e.g. [200]; leave it out to accept "
                                     "any 2xx or 3xx",
                                     path));
            return;
        }
        for (const toml::node& status : *array) {
            statuses.push_back(&status);
        }
    } else {
        statuses.push_back(node);
    }
    std::vector<int> codes;
    for (const toml::node* status : statuses) {
        const bool valid =
            status->is_integer() && status->as_integer()->get() >= 100 && status->as_integer()->get() <= 599;
        if (!valid) {
            request.fail(
                *status,
                fmt::format("{} must hold HTTP statuses from 100 to 599, e.g. [200, 304], got {}", path,
                            status->is_integer() ? describe_value(*status) : describe_type(*status)));
            return;
        }
        codes.push_back(static_cast<int>(status->as_integer()->get()));
    }
    expect = std::move(codes);
}

LoadRequest read_request(const toml::table& table, std::size_t index, Diagnostics& diagnostics) {
    const Section request(table, fmt::format("load.request[{}]", index), "in [[load.request]]", diagnostics);
    request.allow_only(recipe_keys::kLoadRequest);
    LoadRequest spec;
    read_method(request, spec.method);
    read_path(request, spec.path);
    read_headers(request, spec.headers);
    request.read_string("body", spec.body);
    request.read_integer("weight", spec.weight, kWeight);
    read_expect(request, spec.expect);
    return spec;
}

// Either leakbisect's own HTTP requests or the user's load tool: exactly one.
void read_mix_or_command(const Section& load_table, LoadSpec& load) {
    const toml::node* requests = load_table.find("request");
    const toml::node* command = load_table.find("command");
    if (requests != nullptr && command != nullptr) {
        load_table.fail(*command,
                        "load.command and [[load.request]] exclude each other: keep [[load.request]] for "
                        "leakbisect's own HTTP load, or load.command to run your own load tool");
        return;
    }
    if (requests == nullptr && command == nullptr) {
        load_table.fail_missing(std::string(kLoadRequired));
        return;
    }
    if (command != nullptr) {
        read_argv(load_table, "command", load.command, kLoadCommandExample);
        return;
    }
    const toml::array* array = read_table_array(load_table, "request", "[[load.request]]");
    if (array == nullptr) {
        return;
    }
    for (std::size_t i = 0; i < array->size(); ++i) {
        load.mix.push_back(read_request(*array->get(i)->as_table(), i, load_table.diagnostics()));
    }
}

void check_warmup(const Section& load_table, const LoadSpec& load) {
    if (load.warmup < load.requests) {
        return;
    }
    const toml::node* warmup = load_table.find("warmup");
    load_table.fail(
        warmup != nullptr ? *warmup : *load_table.find("requests"),
        fmt::format("load.warmup ({}) must be less than load.requests ({}): only the requests after "
                    "the warm-up are judged",
                    load.warmup, load.requests));
}

} // namespace

void read_load(const Section& top, LoadSpec& load) {
    const std::optional<Section> table = top.read_table("load");
    if (!table) {
        if (top.find("load") == nullptr) {
            top.diagnostics().report_missing_in_file(std::string(kLoadRequired));
        }
        return;
    }
    table->allow_only(recipe_keys::kLoad);
    const bool read_requests = table->read_integer("requests", load.requests, kRequestCount);
    table->read_integer("concurrency", load.concurrency, kConcurrency);
    const bool read_warmup = table->read_integer("warmup", load.warmup, kWarmupCount);
    if (read_requests || read_warmup) {
        check_warmup(*table, load);
    }
    table->read_duration("timeout", load.timeout, DurationFloor::positive);
    table->read_number("max_error_rate", load.max_error_rate,
                       {0, 1, Bounds::inclusive, "a number from 0 to 1"});
    if (table->read_string("base_url", load.base_url)) {
        const toml::node& node = *table->find("base_url");
        if (load.base_url.empty()) {
            table->fail(node, "load.base_url must not be empty; leave it out for http://127.0.0.1:{port}");
        }
        check_placeholders(*table, node, "load.base_url", load.base_url);
    }
    table->read_bool("allow_remote", load.allow_remote);
    read_mix_or_command(*table, load);
}

} // namespace leakbisect::recipe_detail
