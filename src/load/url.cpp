#include "leakbisect/load/url.hpp"

#include <boost/asio/ip/address.hpp>

#include <algorithm>
#include <cctype>
#include <charconv>
#include <string>

namespace leakbisect {
namespace {

constexpr std::uint16_t kDefaultHttpPort = 80;
constexpr std::string_view kExample = "http://127.0.0.1:{port}";

Error url_error(std::string_view url, std::string_view problem) {
    return make_error(ErrorKind::bad_recipe, "",
                      "load.base_url \"" + std::string(url) + "\" " + std::string(problem));
}

bool starts_with_ignoring_case(std::string_view text, std::string_view prefix) {
    return text.size() >= prefix.size() &&
           std::equal(prefix.begin(), prefix.end(), text.begin(), [](char a, char b) {
               return std::tolower(static_cast<unsigned char>(a)) ==
                      std::tolower(static_cast<unsigned char>(b));
           });
}

std::string lower_case(std::string_view text) {
    std::string lowered(text);
    std::transform(lowered.begin(), lowered.end(), lowered.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return lowered;
}

bool is_loopback(const boost::asio::ip::address& address) {
    if (address.is_v4()) {
        return (address.to_v4().to_uint() >> 24) == 127; // the whole 127.0.0.0/8, not just 127.0.0.1
    }
    const auto v6 = address.to_v6();
    if (v6.is_v4_mapped()) {
        return (boost::asio::ip::make_address_v4(boost::asio::ip::v4_mapped, v6).to_uint() >> 24) == 127;
    }
    return v6.is_loopback();
}

bool looks_like_ipv4(std::string_view host) {
    return std::all_of(host.begin(), host.end(), [](char c) { return c == '.' || (c >= '0' && c <= '9'); });
}

bool is_host_name(std::string_view host) {
    return std::all_of(host.begin(), host.end(), [](char c) {
        return std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '.';
    });
}

struct HostAndPort {
    std::string_view host;
    std::string_view port; // empty: none given
    bool bracketed = false;
};

Expected<HostAndPort> split_authority(std::string_view url, std::string_view authority) {
    HostAndPort parts;
    std::string_view after_host;
    if (authority.starts_with('[')) {
        const auto close = authority.find(']');
        if (close == std::string_view::npos) {
            return url_error(url,
                             "has an IPv6 address without its closing ']'; write it as http://[::1]:PORT");
        }
        parts.host = authority.substr(1, close - 1);
        parts.bracketed = true;
        after_host = authority.substr(close + 1);
    } else {
        const auto colon = authority.find(':');
        if (colon != std::string_view::npos && authority.find(':', colon + 1) != std::string_view::npos) {
            return url_error(url, "has an IPv6 address without brackets; write it as http://[::1]:PORT");
        }
        parts.host = authority.substr(0, colon);
        after_host = colon == std::string_view::npos ? std::string_view{} : authority.substr(colon);
    }
    if (!after_host.empty()) {
        if (after_host.front() != ':') {
            return url_error(
                url, "has text after the host that is not a port; write it as http://HOST:PORT/prefix");
        }
        parts.port = after_host.substr(1);
        if (parts.port.empty()) {
            return url_error(
                url, "ends its host with ':' but gives no port; write a port after it or drop the ':' "
                     "for port 80");
        }
    }
    if (parts.host.empty()) {
        return url_error(url, "has no host; write it as " + std::string(kExample));
    }
    return parts;
}

Expected<std::uint16_t> parse_port(std::string_view url, std::string_view text) {
    if (text.empty()) {
        return kDefaultHttpPort;
    }
    unsigned value = 0;
    const auto [end, problem] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (problem != std::errc{} || end != text.data() + text.size() || value == 0 || value > 65535) {
        return url_error(url, "has port \"" + std::string(text) +
                                  "\"; a port is a number from 1 to 65535 (the "
                                  "{port} placeholder fills in the app's port)");
    }
    return static_cast<std::uint16_t>(value);
}

// "/app/" -> "/app", "/" -> "": the request paths bring their own leading slash.
std::string path_prefix(std::string_view path) {
    while (!path.empty() && path.back() == '/') {
        path.remove_suffix(1);
    }
    return std::string(path);
}

} // namespace

Expected<LoadTarget> parse_base_url(std::string_view url, bool allow_remote) {
    if (starts_with_ignoring_case(url, "https://")) {
        const std::string advice = "uses https, which the load does not speak; point it at the app's plain "
                                   "HTTP port, e.g. " +
                                   std::string(kExample);
        return url_error(url, advice);
    }
    if (!starts_with_ignoring_case(url, "http://")) {
        return url_error(url, "is not an http:// URL; write it as " + std::string(kExample));
    }
    const std::string_view rest = url.substr(std::string_view("http://").size());
    const auto path_start = rest.find_first_of("/?#");
    const std::string_view authority = rest.substr(0, path_start);
    const std::string_view path =
        path_start == std::string_view::npos ? std::string_view{} : rest.substr(path_start);

    if (authority.find('@') != std::string_view::npos) {
        return url_error(url, "carries a user name; put credentials in a [[load.request]] header instead");
    }
    if (path.find_first_of("?#") != std::string_view::npos) {
        return url_error(url, "has a query or fragment; put those in each [[load.request]] path instead");
    }
    auto parts = split_authority(url, authority);
    if (!parts) {
        return parts.error();
    }
    auto port = parse_port(url, parts->port);
    if (!port) {
        return port.error();
    }

    LoadTarget target;
    target.port = *port;
    target.path_prefix = path_prefix(path);

    boost::system::error_code not_an_address;
    const auto address = boost::asio::ip::make_address(std::string(parts->host), not_an_address);
    bool loopback = false;
    if (!not_an_address) {
        if (parts->bracketed != address.is_v6()) {
            return url_error(url, parts->bracketed
                                      ? "puts an IPv4 address in brackets; brackets are for IPv6 only"
                                      : "has an IPv6 address without brackets; write it as "
                                        "http://[::1]:PORT");
        }
        target.host = address.to_string();
        loopback = is_loopback(address);
    } else if (parts->bracketed) {
        return url_error(url, "has \"" + std::string(parts->host) +
                                  "\" in brackets, which is not an IPv6 address");
    } else if (looks_like_ipv4(parts->host)) {
        return url_error(url, "has \"" + std::string(parts->host) + "\", which is not an IPv4 address");
    } else if (!is_host_name(parts->host)) {
        return url_error(url, "has \"" + std::string(parts->host) + "\", which is not a host name");
    } else {
        target.host = lower_case(parts->host);
        loopback = target.host == "localhost";
    }

    if (!loopback && !allow_remote) {
        return url_error(url,
                         "points at \"" + target.host +
                             "\", which is not this machine's loopback (127.0.0.0/8, ::1, localhost); "
                             "measuring a remote app's memory is not possible from here. Use a loopback "
                             "address, or set load.allow_remote = true if the load really must go there");
    }
    return target;
}

} // namespace leakbisect
