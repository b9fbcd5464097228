// Generates the simulated database rows of store.hpp from a seeded splitmix64 stream: the same id always
// yields the same order, items and prices.
#include "store.hpp"

#include <fmt/format.h>

#include <array>
#include <cstddef>

namespace shop {
namespace {

// splitmix64: tiny, fast and well mixed; plenty for fake data.
class Random {
  public:
    explicit Random(std::uint64_t seed) : state_(seed) {}

    std::uint64_t next() {
        std::uint64_t z = (state_ += 0x9E3779B97F4A7C15ULL);
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
        return z ^ (z >> 31);
    }

    int between(int low, int high) {
        return low + static_cast<int>(next() % static_cast<std::uint64_t>(high - low + 1));
    }

    bool one_in(int n) { return between(1, n) == 1; }

    template <class T, std::size_t N> const T& pick(const std::array<T, N>& items) {
        return items[next() % N];
    }

  private:
    std::uint64_t state_;
};

// Distinct salts keep the order, item and product streams of the same id unrelated.
constexpr std::uint64_t kOrderSalt = 0x0A11CE;
constexpr std::uint64_t kItemSalt = 0x17E4;
constexpr std::uint64_t kProductSalt = 0x9D0C;
constexpr std::uint64_t kSheetSalt = 0x5EE7;

using Words = std::array<std::string_view, 12>;

constexpr Words kFirstNames{"Ada", "Grace",   "Linus",   "Margaret", "Dennis", "Barbara",
                            "Ken", "Frances", "Niklaus", "Radia",    "Edsger", "Hedy"};
constexpr Words kLastNames{"Lovelace", "Hopper", "Torvalds", "Hamilton", "Ritchie",  "Liskov",
                           "Thompson", "Allen",  "Wirth",    "Perlman",  "Dijkstra", "Lamarr"};
constexpr Words kStreets{"Linden Avenue", "Harbour Road", "Mill Lane",    "Station Street",
                         "Elm Close",     "Kingsway",     "Canal Walk",   "Orchard Row",
                         "Market Square", "Beacon Hill",  "Queens Drive", "Foundry Yard"};
constexpr Words kAdjectives{"Sturdy", "Compact", "Classic",  "Deluxe", "Foldable", "Rustic",
                            "Modern", "Vintage", "Portable", "Quiet",  "Bright",   "Heavy-duty"};
constexpr Words kMaterials{"Oak",   "Walnut", "Steel", "Linen", "Bamboo", "Copper",
                           "Glass", "Wool",   "Slate", "Cork",  "Ash",    "Leather"};
constexpr Words kNouns{"Bookshelf", "Desk Lamp", "Kettle", "Side Table", "Throw",    "Planter",
                       "Clock",     "Stool",     "Mirror", "Coat Rack",  "Tea Tray", "Storage Box"};

struct City {
    std::string_view name;
    std::string_view country_code;
};

constexpr std::array kCities{City{"Portland", "US"}, City{"Austin", "US"},  City{"Leeds", "GB"},
                             City{"Bristol", "GB"},  City{"Hamburg", "DE"}, City{"Leipzig", "DE"},
                             City{"Lyon", "FR"},     City{"Utrecht", "NL"}, City{"Toronto", "CA"}};

constexpr std::array<std::string_view, 4> kStatuses{"paid", "packing", "shipped", "delivered"};
constexpr std::array<std::string_view, 4> kTiers{"new", "regular", "regular", "gold"};
constexpr std::array<std::string_view, 4> kCoupons{"SPRING10", "WELCOME5", "VIP15", "EXPIRED-2025"};

constexpr std::array<std::string_view, 8> kTermsClauses{
    "Prices are quoted per unit and exclude shipping unless the order qualifies for free delivery. ",
    "Volume tiers apply to the quantity of a single line, not to the order as a whole. ",
    "A tier discount is not combined with campaign coupons except where the coupon says so. ",
    "Returns within thirty days are refunded at the price paid, after any tier discount. ",
    "Backordered units are invoiced when they ship; the price is fixed at the time of order. ",
    "Trade customers may request net-30 invoicing once their account has been reviewed. ",
    "Taxes are computed on the delivery address; cross-border orders may incur customs duty. ",
    "The seller may correct obvious pricing errors before dispatch and will notify the buyer. "};

Address make_address(Random& random, std::string_view recipient) {
    const City& city = random.pick(kCities);
    return Address{
        .recipient = std::string(recipient),
        .street = fmt::format("{} {}", random.between(1, 2400), random.pick(kStreets)),
        .city = std::string(city.name),
        .postcode = fmt::format("{:05}", random.between(1000, 99999)),
        .country_code = std::string(city.country_code),
    };
}

Customer make_customer(int customer_id) {
    Random random(static_cast<std::uint64_t>(customer_id) * kOrderSalt);
    std::string_view first = random.pick(kFirstNames);
    std::string_view last = random.pick(kLastNames);
    std::string email = fmt::format("{}.{}@example.com", first, last);
    for (char& c : email) {
        c = (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
    }
    return Customer{.id = customer_id,
                    .name = fmt::format("{} {}", first, last),
                    .email = std::move(email),
                    .tier = std::string(random.pick(kTiers))};
}

} // namespace

Order fetch_order(int order_id) {
    Random random(static_cast<std::uint64_t>(order_id) * kOrderSalt + 1);
    Order order;
    order.id = order_id;
    order.customer = make_customer(10'000 + order_id % 700);
    order.shipping = make_address(random, order.customer.name);
    // One order in five is billed elsewhere, often in another country.
    order.billing = random.one_in(5) ? make_address(random, order.customer.name) : order.shipping;
    order.placed_on = fmt::format("2026-{:02}-{:02}", random.between(1, 12), random.between(1, 28));
    order.status = std::string(random.pick(kStatuses));
    if (random.one_in(3)) {
        order.coupon_code = std::string(random.pick(kCoupons));
    }
    return order;
}

std::vector<Recommendation> fetch_also_bought(int order_id, std::uint64_t feed_position) {
    constexpr int kRecommendations = 3;
    std::vector<Recommendation> recommendations;
    recommendations.reserve(kRecommendations);
    for (int k = 0; k < kRecommendations; ++k) {
        auto slot = feed_position * kRecommendations + static_cast<std::uint64_t>(k + order_id * 37);
        int product_id = 1 + static_cast<int>(slot % kProductCount);
        recommendations.push_back(Recommendation{product_id, product_title(product_id), 0});
    }
    return recommendations;
}

std::vector<LineItem> fetch_line_items(int order_id) {
    Random random(static_cast<std::uint64_t>(order_id) * kItemSalt + 7);
    int count = random.between(5, 30);
    std::vector<LineItem> items;
    items.reserve(static_cast<std::size_t>(count));
    for (int i = 0; i < count; ++i) {
        int product_id = random.between(1, kProductCount);
        // Mostly one to three units, now and then a bulk line.
        int quantity = random.one_in(8) ? random.between(10, 40) : random.between(1, 3);
        items.push_back(LineItem{.product_id = product_id,
                                 .sku = fmt::format("SKU-{:05}-{}", product_id, random.pick(kMaterials)),
                                 .title = product_title(product_id),
                                 .quantity = quantity,
                                 .backordered = random.one_in(12),
                                 .unit_cents = 0});
    }
    return items;
}

std::string product_title(int product_id) {
    Random random(static_cast<std::uint64_t>(product_id) * kProductSalt);
    return fmt::format("{} {} {}", random.pick(kAdjectives), random.pick(kMaterials), random.pick(kNouns));
}

std::int64_t list_price_cents(int product_id) {
    Random random(static_cast<std::uint64_t>(product_id) * kProductSalt + 3);
    return 199 + static_cast<std::int64_t>(random.next() % 40'000);
}

PriceSheet fetch_price_sheet(int product_id) {
    Random random(static_cast<std::uint64_t>(product_id) * kSheetSalt);
    PriceSheet sheet;
    sheet.product_id = product_id;
    sheet.list_cents = list_price_cents(product_id);
    int percent_off = 0;
    for (int min_quantity : {3, 6, 10, 20, 40}) {
        if (random.one_in(4)) {
            continue;
        }
        percent_off += random.between(1, 4);
        sheet.tiers.push_back(PriceTier{min_quantity, percent_off});
    }
    auto terms_length = static_cast<std::size_t>(random.between(1024, 4096));
    sheet.terms.reserve(terms_length + 128);
    while (sheet.terms.size() < terms_length) {
        sheet.terms += random.pick(kTermsClauses);
    }
    return sheet;
}

TaxRule tax_rule_for(std::string_view country_code) {
    if (country_code == "GB" || country_code == "FR") {
        return {"VAT", 2000};
    }
    if (country_code == "DE") {
        return {"VAT", 1900};
    }
    if (country_code == "NL") {
        return {"VAT", 2100};
    }
    if (country_code == "CA") {
        return {"GST", 500};
    }
    return {"Sales tax", 825};
}

} // namespace shop
