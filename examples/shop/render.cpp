// HTML for the orders#show page (see render.hpp). Every string from the "database" or the query string is
// escaped on its way out.
#include "render.hpp"

#include <fmt/format.h>

#include <iterator>
#include <string_view>

namespace shop {
namespace {

constexpr std::string_view kStyle = R"(<style>
body{font-family:system-ui,sans-serif;margin:0;color:#222;background:#fafafa}
nav{background:#2d3a4a;color:#fff;padding:.6em 1.2em}nav a{color:#fff;margin-right:1em}
main{max-width:60em;margin:1em auto;background:#fff;padding:1em 2em;border:1px solid #ddd}
.addresses{display:flex;gap:3em}table{width:100%;border-collapse:collapse}
th,td{padding:.3em .5em;border-bottom:1px solid #eee;text-align:left}td.money{text-align:right}
.backordered{color:#a40}.warnings{max-width:60em;margin:1em auto;border:1px solid #e0b000;background:#fff8e0}
.warnings li.caution{font-weight:600}footer{text-align:center;color:#888;font-size:.8em;padding:2em}
.print nav,.print footer{display:none}
</style>)";

void append_escaped(std::string& out, std::string_view text) {
    for (char c : text) {
        switch (c) {
        case '&':
            out += "&amp;";
            break;
        case '<':
            out += "&lt;";
            break;
        case '>':
            out += "&gt;";
            break;
        case '"':
            out += "&quot;";
            break;
        default:
            out += c;
        }
    }
}

// A formatted amount, or a dash where format_currency was stubbed.
std::string_view amount(const std::vector<std::string>& amounts, std::size_t index) {
    return index < amounts.size() ? std::string_view(amounts[index]) : std::string_view("&mdash;");
}

std::string_view amount(const std::string& text) {
    return text.empty() ? std::string_view("&mdash;") : text;
}

void render_address(std::string& out, std::string_view heading, const Address& address) {
    auto to = std::back_inserter(out);
    fmt::format_to(to, "<div><h2>{}</h2><address>", heading);
    for (const std::string* line : {&address.recipient, &address.street, &address.city}) {
        append_escaped(out, *line);
        out += "<br>";
    }
    append_escaped(out, address.postcode);
    out += ' ';
    append_escaped(out, address.country_code);
    out += "</address></div>\n";
}

void render_line_items(std::string& out, const OrderPage& page) {
    auto to = std::back_inserter(out);
    out += "<table class=\"items\">\n<thead><tr><th>SKU</th><th>Item</th><th>Qty</th><th>Unit price</th>"
           "<th>Line total</th></tr></thead>\n<tbody>\n";
    for (std::size_t i = 0; i < page.items.size(); ++i) {
        const LineItem& item = page.items[i];
        fmt::format_to(to, "<tr{}><td><code>", item.backordered ? " class=\"backordered\"" : "");
        append_escaped(out, item.sku);
        fmt::format_to(to, "</code></td><td><a href=\"/products/{}\">", item.product_id);
        append_escaped(out, item.title);
        fmt::format_to(to,
                       "</a>{}</td><td>{}</td><td class=\"money\">{}</td><td class=\"money\">{}</td></tr>\n",
                       item.backordered ? " <em>(backordered)</em>" : "", item.quantity,
                       amount(page.money.unit_prices, i), amount(page.money.line_totals, i));
    }
    if (page.items.empty()) {
        out += "<tr><td colspan=\"5\">No line items.</td></tr>\n";
    }
    out += "</tbody>\n</table>\n";
}

void render_totals(std::string& out, const OrderPage& page) {
    auto to = std::back_inserter(out);
    fmt::format_to(to, "<section class=\"totals\"><dl>\n<dt>Subtotal</dt><dd>{}</dd>\n",
                   amount(page.money.subtotal));
    if (!page.order.coupon_code.empty()) {
        out += "<dt>Coupon <code>";
        append_escaped(out, page.order.coupon_code);
        fmt::format_to(to, "</code></dt><dd>{}</dd>\n", amount(page.money.discount));
    }
    fmt::format_to(to, "<dt>Shipping</dt><dd>{}</dd>\n", amount(page.money.shipping));
    for (std::size_t i = 0; i < page.totals.tax_lines.size(); ++i) {
        out += "<dt>";
        append_escaped(out, page.totals.tax_lines[i].label);
        fmt::format_to(to, "</dt><dd>{}</dd>\n", amount(page.money.tax_lines, i));
    }
    fmt::format_to(to, "<dt><strong>Total</strong></dt><dd><strong>{}</strong></dd>\n</dl></section>\n",
                   amount(page.money.total));
}

void render_also_bought(std::string& out, const OrderPage& page) {
    if (page.order.also_bought.empty()) {
        return;
    }
    auto to = std::back_inserter(out);
    out += "<section class=\"also-bought\"><h2>Customers also bought</h2><ul>\n";
    for (std::size_t i = 0; i < page.order.also_bought.size(); ++i) {
        const Recommendation& recommendation = page.order.also_bought[i];
        fmt::format_to(to, "<li><a href=\"/products/{}\">", recommendation.product_id);
        append_escaped(out, recommendation.title);
        fmt::format_to(to, "</a> {}</li>\n", amount(page.money.also_bought, i));
    }
    out += "</ul></section>\n";
}

} // namespace

std::string escape_html(std::string_view text) {
    std::string out;
    out.reserve(text.size());
    append_escaped(out, text);
    return out;
}

std::string format_money(std::int64_t usd_cents, Currency currency) {
    struct Rate {
        std::string_view symbol;
        std::int64_t basis_points; // per US dollar
    };
    Rate rate = currency == Currency::eur   ? Rate{"&euro;", 9200}
                : currency == Currency::gbp ? Rate{"&pound;", 7900}
                                            : Rate{"$", 10000};
    std::int64_t cents = (usd_cents * rate.basis_points) / 10000;
    std::int64_t magnitude = cents < 0 ? -cents : cents;
    std::string digits = fmt::format("{}", magnitude / 100);
    std::string grouped;
    grouped.reserve(digits.size() + digits.size() / 3);
    for (std::size_t i = 0; i < digits.size(); ++i) {
        if (i > 0 && (digits.size() - i) % 3 == 0) {
            grouped += ',';
        }
        grouped += digits[i];
    }
    return fmt::format("{}{}{}.{:02}", cents < 0 ? "-" : "", rate.symbol, grouped, magnitude % 100);
}

void render_order_main(const OrderPage& page, std::string& out) {
    const Order& order = page.order;
    auto to = std::back_inserter(out);
    fmt::format_to(to, "<main class=\"order\">\n<header><h1>Order #{}</h1><p class=\"status\">", order.id);
    append_escaped(out, order.status);
    out += "</p><p>Placed on ";
    append_escaped(out, order.placed_on);
    out += " by <a href=\"mailto:";
    append_escaped(out, order.customer.email);
    out += "\">";
    append_escaped(out, order.customer.name);
    out += "</a> (";
    append_escaped(out, order.customer.tier);
    out += " customer)</p></header>\n<section class=\"addresses\">\n";
    render_address(out, "Ship to", order.shipping);
    render_address(out, "Bill to", order.billing);
    out += "</section>\n";
    render_line_items(out, page);
    render_totals(out, page);
    render_also_bought(out, page);
    out += "</main>\n";
}

std::string render_warnings_box(const std::vector<Warning>& warnings) {
    if (warnings.empty()) {
        return {};
    }
    std::string box;
    auto to = std::back_inserter(box);
    fmt::format_to(to, "<aside class=\"warnings\"><h2>{} warning{}</h2><ul>\n", warnings.size(),
                   warnings.size() == 1 ? "" : "s");
    for (const Warning& warning : warnings) {
        fmt::format_to(to, "<li class=\"{}\" data-code=\"{}\">",
                       warning.level == Warning::Level::caution ? "caution" : "info", warning.code);
        box += warning.message_html;
        box += "</li>\n";
    }
    box += "</ul></aside>\n";
    return box;
}

std::string render_layout(const OrderPage& page) {
    std::string document;
    document.reserve(kStyle.size() + page.warnings_html.size() + page.main_html.size() + 1024);
    auto to = std::back_inserter(document);
    fmt::format_to(to,
                   "<!doctype html>\n<html lang=\"{}\">\n<head><meta charset=\"utf-8\">"
                   "<title>Order #{} - Shop</title>\n{}</head>\n<body{}>\n",
                   escape_html(page.params.locale), page.params.order_id, kStyle,
                   page.params.print_view ? " class=\"print\"" : "");
    document +=
        "<nav><a href=\"/\">Shop</a><a href=\"/orders\">Orders</a><a href=\"/account\">Account</a></nav>\n";
    document += page.warnings_html;
    document += page.main_html;
    fmt::format_to(to, "<footer>Shop demo for leakbisect{}{}</footer>\n</body>\n</html>\n",
                   page.params.campaign.empty() ? "" : " &middot; campaign ",
                   escape_html(page.params.campaign));
    return document;
}

} // namespace shop
