// A response parser that keeps only what the load needs (status, keep-alive) and discards
// headers and body as they arrive: no allocation per response, whatever its size.
// Internal to the load module.
#pragma once

#include <boost/beast/http/basic_parser.hpp>

#include <cstdint>

namespace leakbisect::load_detail {

class DiscardingResponseParser final : public boost::beast::http::basic_parser<false> {
  public:
    DiscardingResponseParser() {
        // The body is dropped as it is parsed, so its size costs nothing: the per-request
        // deadline bounds a runaway response instead. Headers are kept in the read buffer
        // while parsed; a generous limit still lets an app with large cookies through.
        body_limit(boost::none);
        header_limit(kHeaderLimit);
    }

    int status() const { return status_; }

  private:
    static constexpr std::uint32_t kHeaderLimit = 1024 * 1024;

    using error_code = boost::beast::error_code;
    using string_view = boost::beast::string_view;
    using verb = boost::beast::http::verb;
    using field = boost::beast::http::field;

    void on_request_impl(verb, string_view, string_view, int, error_code&) override {}
    void on_response_impl(int code, string_view, int, error_code&) override { status_ = code; }
    void on_field_impl(field, string_view, string_view, error_code&) override {}
    void on_header_impl(error_code&) override {}
    void on_body_init_impl(const boost::optional<std::uint64_t>&, error_code&) override {}
    std::size_t on_body_impl(string_view body, error_code&) override { return body.size(); }
    void on_chunk_header_impl(std::uint64_t, string_view, error_code&) override {}
    std::size_t on_chunk_body_impl(std::uint64_t, string_view body, error_code&) override {
        return body.size();
    }
    void on_finish_impl(error_code&) override {}

    int status_ = 0;
};

} // namespace leakbisect::load_detail
