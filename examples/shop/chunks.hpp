// The orders#show action: for each request the chunks of chunk_table.hpp run in order over one OrderPage,
// each its real code or its stub as the ShopConfig says. Shop owns the state the chunks share across
// requests; the HTTP side (server.hpp) only hands it an order id and a query string.
#pragma once

#include "config.hpp"
#include "process_state.hpp"
#include "store.hpp"

#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace shop {

struct OrderParams {
    int order_id = 0;
    Currency currency = Currency::usd;
    std::string locale = "en";
    bool print_view = false;
    std::string campaign;                                   // utm_campaign, echoed in the footer
    std::vector<std::pair<std::string, std::string>> query; // every decoded key=value, in order
};

struct TaxLine {
    std::string label;
    std::int64_t cents = 0;
};

struct Totals {
    std::int64_t subtotal = 0;
    std::int64_t discount = 0;
    std::int64_t shipping = 0;
    std::int64_t tax = 0;
    std::int64_t total = 0;
    std::vector<TaxLine> tax_lines;
};

// Every amount of the page as display text; empty when format_currency is stubbed.
struct FormattedMoney {
    std::vector<std::string> unit_prices;
    std::vector<std::string> line_totals;
    std::vector<std::string> also_bought;
    std::vector<std::string> tax_lines;
    std::string subtotal;
    std::string discount;
    std::string shipping;
    std::string total;
};

struct Warning {
    enum class Level { info, caution };
    Level level = Level::info;
    std::string code;
    std::string message_html; // built with escape_html() around every piece of data
};

// What the chunks build for one request, in the order they build it.
struct OrderPage {
    OrderParams params;
    Order order;
    std::vector<LineItem> items;
    Totals totals;
    FormattedMoney money;
    std::string_view main_html; // the render buffer's page, or a static placeholder
    std::string warnings_html;
};

struct OrderRequest {
    int order_id = 0;       // already checked to be 1..kMaxOrderId
    std::string_view query; // after '?', still percent-encoded
};

class Shop {
  public:
    explicit Shop(const ShopConfig& config) : config_(config) {}

    // The complete HTML page for GET /orders/<id>.
    std::string show_order(const OrderRequest& request);

    std::uint64_t orders_served() const { return orders_served_; }

  private:
    const ShopConfig& config_;
    ProcessState state_;
    std::uint64_t orders_served_ = 0;
};

} // namespace shop
