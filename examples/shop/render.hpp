// Turns an OrderPage into HTML: the order's main section (into a buffer the caller owns), the warnings box,
// and the layout around both. Money is formatted here too, since only pages show money.
#pragma once

#include "chunks.hpp"

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace shop {

// Text made safe for HTML content and attribute values.
std::string escape_html(std::string_view text);

// "$1,234.50", "-&euro;3.10": US cents converted at a fixed rate, as HTML.
std::string format_money(std::int64_t usd_cents, Currency currency);

// Appends the <main> section; it copes with whatever the stubs left empty.
void render_order_main(const OrderPage& page, std::string& out);

// An <aside> listing the warnings, or an empty string when there are none.
std::string render_warnings_box(const std::vector<Warning>& warnings);

// The whole document: head, navigation, warnings box, main section, footer.
std::string render_layout(const OrderPage& page);

} // namespace shop
