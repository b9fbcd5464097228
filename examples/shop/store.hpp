// The simulated database: orders, customers, addresses, products and price sheets, generated
// deterministically from their ids so every run serves the same pages. It keeps nothing between calls.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace shop {

inline constexpr int kMaxOrderId = 1000;
inline constexpr int kProductCount = 5000;

enum class Currency { usd, eur, gbp };

constexpr std::string_view currency_code(Currency currency) {
    return currency == Currency::eur ? "EUR" : currency == Currency::gbp ? "GBP" : "USD";
}

struct Address {
    std::string recipient;
    std::string street;
    std::string city;
    std::string postcode;
    std::string country_code;
};

struct Customer {
    int id = 0;
    std::string name;
    std::string email;
    std::string tier; // "new", "regular" or "gold"
};

struct Recommendation {
    int product_id = 0;
    std::string title;
    std::int64_t price_cents = 0; // filled by the price_cache chunk
};

struct Order {
    int id = 0;
    Customer customer;
    Address shipping;
    Address billing;
    std::string placed_on;
    std::string status;
    std::string coupon_code; // empty: none
    std::vector<Recommendation> also_bought;
};

struct LineItem {
    int product_id = 0;
    std::string sku;
    std::string title;
    int quantity = 1;
    bool backordered = false;
    std::int64_t unit_cents = 0; // filled by the price_cache chunk
};

struct PriceTier {
    int min_quantity = 0;
    int percent_off = 0;
};

struct PriceSheet {
    int product_id = 0;
    std::int64_t list_cents = 0;
    std::vector<PriceTier> tiers; // ascending min_quantity
    std::string terms;            // 1-4 KiB of contract text: what makes a cache entry weigh something
};

struct TaxRule {
    std::string_view name;
    int basis_points = 0; // 2000 = 20%
};

Order fetch_order(int order_id);

// "Customers also bought": a feed that moves on with every call, as a trending feed does, so a single
// page hit in a loop still touches hundreds of products.
std::vector<Recommendation> fetch_also_bought(int order_id, std::uint64_t feed_position);

std::vector<LineItem> fetch_line_items(int order_id);

PriceSheet fetch_price_sheet(int product_id);

std::string product_title(int product_id);

// The price without any sheet or tier: cheap enough for the price_cache stub.
std::int64_t list_price_cents(int product_id);

TaxRule tax_rule_for(std::string_view country_code);

} // namespace shop
