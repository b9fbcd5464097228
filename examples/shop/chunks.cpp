// The orders#show chunks: each one's real code and stub, the pipeline that runs one of the two per chunk,
// and the request middleware around it. The planted leak is subscribe_change_listener(), and the
// middleware's subscription when SHOP_LEAK_CHUNK=outside.
#include "chunks.hpp"

#include "render.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <optional>

namespace shop {
namespace {

// Shown when render_page runs its stub, so the page still renders.
constexpr std::string_view kMainPlaceholder =
    "<main class=\"order\"><p>Order details are unavailable.</p></main>";

std::optional<int> hex_digit(char c) {
    if (c >= '0' && c <= '9') {
        return c - '0';
    }
    if (c >= 'a' && c <= 'f') {
        return c - 'a' + 10;
    }
    if (c >= 'A' && c <= 'F') {
        return c - 'A' + 10;
    }
    return std::nullopt;
}

// application/x-www-form-urlencoded: '+' is a space, %XX a byte; a malformed escape is kept as written.
std::string percent_decode(std::string_view text) {
    std::string decoded;
    decoded.reserve(text.size());
    for (std::size_t i = 0; i < text.size(); ++i) {
        if (text[i] == '+') {
            decoded += ' ';
        } else if (text[i] == '%' && i + 2 < text.size()) {
            auto high = hex_digit(text[i + 1]);
            auto low = hex_digit(text[i + 2]);
            if (high && low) {
                decoded += static_cast<char>(*high * 16 + *low);
                i += 2;
            } else {
                decoded += text[i];
            }
        } else {
            decoded += text[i];
        }
    }
    return decoded;
}

std::optional<Currency> parse_currency(std::string_view code) {
    if (code == "USD" || code == "usd") {
        return Currency::usd;
    }
    if (code == "EUR" || code == "eur") {
        return Currency::eur;
    }
    if (code == "GBP" || code == "gbp") {
        return Currency::gbp;
    }
    return std::nullopt;
}

std::int64_t percent_of(std::int64_t cents, std::int64_t basis_points) {
    return (cents * basis_points + 5000) / 10000;
}

std::int64_t coupon_percent(std::string_view coupon_code, std::string_view customer_tier) {
    if (coupon_code == "SPRING10") {
        return 10;
    }
    if (coupon_code == "WELCOME5") {
        return 5;
    }
    if (coupon_code == "VIP15" && customer_tier == "gold") {
        return 15;
    }
    return 0; // unknown, expired, or not for this customer
}

// One request's run of the action: the page it builds and the process state it reads and fills.
class OrderAction {
  public:
    OrderAction(const ShopConfig& config, ProcessState& state, const OrderRequest& request,
                std::uint64_t request_number)
        : config_(config), state_(state), request_(request), request_number_(request_number) {}

    const OrderPage& run() {
        run_chunk(Chunk::parse_params, &OrderAction::parse_params, &OrderAction::parse_params_stub);
        run_chunk(Chunk::load_order, &OrderAction::load_order, &OrderAction::load_order_stub);
        run_chunk(Chunk::line_items, &OrderAction::line_items, &OrderAction::line_items_stub);
        run_chunk(Chunk::price_cache, &OrderAction::price_cache, &OrderAction::price_cache_stub);
        run_chunk(Chunk::totals, &OrderAction::totals, &OrderAction::totals_stub);
        run_chunk(Chunk::format_currency, &OrderAction::format_currency, &OrderAction::format_currency_stub);
        run_chunk(Chunk::render_page, &OrderAction::render_page, &OrderAction::render_page_stub);
        run_chunk(Chunk::audit_log, &OrderAction::audit_log, &OrderAction::audit_log_stub);
        run_chunk(Chunk::warnings_panel, &OrderAction::warnings_panel, &OrderAction::warnings_panel_stub);
        return page_;
    }

  private:
    using Step = void (OrderAction::*)();

    void run_chunk(Chunk chunk, Step real, Step stub) {
        (this->*(config_.chunks.is_on(chunk) ? real : stub))();
    }

    // A chunk that shows the order subscribes to its changes so it could refresh while the request runs.
    // The matching unsubscribe was never written: in the chunk SHOP_LEAK_CHUNK names, every request leaves
    // its listener, and the listener's state, in the process-wide registry for good.
    void subscribe_change_listener(Chunk chunk) {
        if (config_.leak.leaks_in(chunk)) {
            state_.order_events.subscribe(chunk_name(chunk), config_.leak.bytes_per_request);
        }
    }

    void parse_params() {
        OrderParams params;
        params.order_id = request_.order_id;
        std::string_view rest = request_.query;
        while (!rest.empty()) {
            std::string_view pair = rest.substr(0, rest.find('&'));
            rest.remove_prefix(std::min(rest.size(), pair.size() + 1));
            if (pair.empty()) {
                continue;
            }
            auto equals = pair.find('=');
            std::string value =
                equals == std::string_view::npos ? "" : percent_decode(pair.substr(equals + 1));
            params.query.emplace_back(percent_decode(pair.substr(0, equals)), std::move(value));
        }
        for (const auto& [key, value] : params.query) {
            if (key == "currency") {
                params.currency = parse_currency(value).value_or(params.currency);
            } else if (key == "lang" && !value.empty() && value.size() <= 8) {
                params.locale = value;
            } else if (key == "print") {
                params.print_view = value == "1" || value == "true";
            } else if (key == "utm_campaign") {
                params.campaign = value;
            }
        }
        page_.params = std::move(params);
        subscribe_change_listener(Chunk::parse_params);
    }
    void parse_params_stub() { page_.params.order_id = request_.order_id; }

    void load_order() {
        page_.order = fetch_order(page_.params.order_id);
        page_.order.also_bought = fetch_also_bought(page_.params.order_id, request_number_);
        subscribe_change_listener(Chunk::load_order);
    }
    void load_order_stub() { page_.order.id = page_.params.order_id; }

    void line_items() {
        page_.items = fetch_line_items(page_.params.order_id);
        subscribe_change_listener(Chunk::line_items);
    }
    void line_items_stub() {}

    void price_cache() {
        for (LineItem& item : page_.items) {
            const PriceSheet& sheet = state_.prices.get(item.product_id);
            int percent_off = 0;
            for (const PriceTier& tier : sheet.tiers) {
                percent_off = item.quantity >= tier.min_quantity ? tier.percent_off : percent_off;
            }
            item.unit_cents = sheet.list_cents - percent_of(sheet.list_cents, percent_off * 100);
        }
        for (Recommendation& recommendation : page_.order.also_bought) {
            recommendation.price_cents = state_.prices.get(recommendation.product_id).list_cents;
        }
        subscribe_change_listener(Chunk::price_cache);
    }
    void price_cache_stub() {
        for (LineItem& item : page_.items) {
            item.unit_cents = list_price_cents(item.product_id);
        }
        for (Recommendation& recommendation : page_.order.also_bought) {
            recommendation.price_cents = list_price_cents(recommendation.product_id);
        }
    }

    void totals() {
        const Order& order = page_.order;
        Totals totals;
        for (const LineItem& item : page_.items) {
            totals.subtotal += item.unit_cents * item.quantity;
        }
        totals.discount =
            percent_of(totals.subtotal, coupon_percent(order.coupon_code, order.customer.tier) * 100);
        bool cross_border = order.shipping.country_code != order.billing.country_code;
        totals.shipping =
            (totals.subtotal - totals.discount >= 10'000 ? 0 : 799) + (cross_border ? 1'500 : 0);
        std::int64_t taxable = totals.subtotal - totals.discount + totals.shipping;
        TaxRule rule = tax_rule_for(order.shipping.country_code);
        totals.tax_lines.push_back(
            TaxLine{fmt::format("{} {}.{:02}% ({})", rule.name, rule.basis_points / 100,
                                rule.basis_points % 100, order.shipping.country_code),
                    percent_of(taxable, rule.basis_points)});
        if (cross_border) {
            totals.tax_lines.push_back(
                TaxLine{fmt::format("Customs duty 2.50% ({} to {})", order.billing.country_code,
                                    order.shipping.country_code),
                        percent_of(taxable, 250)});
        }
        for (const TaxLine& line : totals.tax_lines) {
            totals.tax += line.cents;
        }
        totals.total = taxable + totals.tax;
        page_.totals = std::move(totals);
        subscribe_change_listener(Chunk::totals);
    }
    void totals_stub() { page_.totals = Totals{}; }

    void format_currency() {
        Currency currency = page_.params.currency;
        FormattedMoney money;
        for (const LineItem& item : page_.items) {
            money.unit_prices.push_back(format_money(item.unit_cents, currency));
            money.line_totals.push_back(format_money(item.unit_cents * item.quantity, currency));
        }
        for (const Recommendation& recommendation : page_.order.also_bought) {
            money.also_bought.push_back(format_money(recommendation.price_cents, currency));
        }
        for (const TaxLine& line : page_.totals.tax_lines) {
            money.tax_lines.push_back(format_money(line.cents, currency));
        }
        money.subtotal = format_money(page_.totals.subtotal, currency);
        money.discount = format_money(-page_.totals.discount, currency);
        money.shipping = format_money(page_.totals.shipping, currency);
        money.total = format_money(page_.totals.total, currency);
        page_.money = std::move(money);
        subscribe_change_listener(Chunk::format_currency);
    }
    void format_currency_stub() {}

    void render_page() {
        std::string& buffer = state_.render.start_page();
        render_order_main(page_, buffer);
        page_.main_html = buffer;
        subscribe_change_listener(Chunk::render_page);
    }
    void render_page_stub() { page_.main_html = kMainPlaceholder; }

    void audit_log() {
        state_.audit.record(fmt::format(
            "#{} GET /orders/{} customer={} <{}> lines={} total_cents={} currency={}", request_number_,
            page_.params.order_id, page_.order.customer.id, page_.order.customer.email, page_.items.size(),
            page_.totals.total, currency_code(page_.params.currency)));
        // Tells the warnings panel's live-update listener, if one is registered, that the order was viewed.
        state_.live_updates.fire(config_.leak.bytes_per_request, config_.leak.leaks_in_pair()
                                                                     ? LiveUpdates::Keep::everything
                                                                     : LiveUpdates::Keep::recent);
        subscribe_change_listener(Chunk::audit_log);
    }
    void audit_log_stub() {}

    // The panel's own code, then its sub-chunks, each its real code or its stub.
    void warnings_panel() {
        std::vector<Warning> warnings;
        if (config_.chunks.is_on(Chunk::warnings_panel_has_warnings)) {
            warnings = compute_warnings();
            subscribe_change_listener(Chunk::warnings_panel_has_warnings);
        }
        std::string badge;
        if (config_.chunks.is_on(Chunk::warnings_panel_warning_count)) {
            badge = fmt::format("<span class=\"badge\">{}</span>", warnings.size());
            subscribe_change_listener(Chunk::warnings_panel_warning_count);
        }
        page_.warnings_html.clear();
        if (config_.chunks.is_on(Chunk::warnings_panel_render_box)) {
            page_.warnings_html = badge + render_warnings_box(warnings);
            subscribe_change_listener(Chunk::warnings_panel_render_box);
        }
        if (config_.chunks.is_on(Chunk::warnings_panel_live_updates)) {
            state_.live_updates.register_listener();
            subscribe_change_listener(Chunk::warnings_panel_live_updates);
        }
        subscribe_change_listener(Chunk::warnings_panel);
    }
    void warnings_panel_stub() { page_.warnings_html.clear(); }

    std::vector<Warning> compute_warnings() const {
        const Order& order = page_.order;
        std::vector<Warning> warnings;
        auto backordered = std::count_if(page_.items.begin(), page_.items.end(),
                                         [](const LineItem& item) { return item.backordered; });
        if (backordered > 0) {
            warnings.push_back({Warning::Level::caution, "backorder",
                                fmt::format("{} of {} lines are backordered and will ship separately.",
                                            backordered, page_.items.size())});
        }
        if (order.shipping.country_code != order.billing.country_code) {
            warnings.push_back({Warning::Level::caution, "cross_border",
                                fmt::format("Billed in {} and shipped to {}: customs forms are required.",
                                            escape_html(order.billing.country_code),
                                            escape_html(order.shipping.country_code))});
        }
        if (page_.totals.total > 100'000) {
            warnings.push_back({Warning::Level::info, "high_value",
                                fmt::format("Order over {}: a signature is required on delivery.",
                                            format_money(100'000, page_.params.currency))});
        }
        if (order.coupon_code.starts_with("EXPIRED")) {
            warnings.push_back({Warning::Level::info, "coupon_expired",
                                fmt::format("Coupon <code>{}</code> had expired and was not applied.",
                                            escape_html(order.coupon_code))});
        }
        if (order.customer.tier == "new" && page_.totals.total > 50'000) {
            warnings.push_back(
                {Warning::Level::caution, "manual_review",
                 fmt::format("First order of {} above {}: hold for manual review.",
                             escape_html(order.customer.name), format_money(50'000, page_.params.currency))});
        }
        for (const LineItem& item : page_.items) {
            if (item.quantity >= 10) {
                warnings.push_back({Warning::Level::info, "bulk",
                                    fmt::format("Bulk line: {} x {} (<code>{}</code>).", item.quantity,
                                                escape_html(item.title), escape_html(item.sku))});
            }
        }
        return warnings;
    }

    const ShopConfig& config_;
    ProcessState& state_;
    const OrderRequest& request_;
    std::uint64_t request_number_;
    OrderPage page_;
};

} // namespace

std::string Shop::show_order(const OrderRequest& request) {
    ++orders_served_;
    crash_under_load_if_planned(config_.crash, config_.chunks, orders_served_);
    // Request middleware, outside every chunk: with SHOP_LEAK_CHUNK=outside the leak is here, so it
    // happens even when every chunk runs its stub.
    if (config_.leak.leaks_outside()) {
        state_.order_events.subscribe("request", config_.leak.bytes_per_request);
    }
    OrderAction action(config_, state_, request, orders_served_);
    return render_layout(action.run());
}

} // namespace shop
