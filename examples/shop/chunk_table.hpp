// The chunk table: every chunk of the orders#show action, in run order, and the environment variable that
// switches it. Adding a chunk, or a dotted sub-chunk such as "warnings_panel.has_warnings", is one enumerator
// and one row here, plus the call site in chunks.cpp.
#pragma once

#include <array>
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace shop {

enum class Chunk : std::size_t {
    parse_params,
    load_order,
    line_items,
    price_cache,
    totals,
    format_currency,
    render_page,
    audit_log,
    warnings_panel,
    warnings_panel_has_warnings,
    warnings_panel_warning_count,
    warnings_panel_render_box,
    warnings_panel_live_updates,
};

struct ChunkInfo {
    Chunk chunk;
    std::string_view name; // as leakbisect recipes spell it; dots mark sub-chunks
    std::string_view note;
};

inline constexpr std::array kChunkTable{
    ChunkInfo{Chunk::parse_params, "parse_params", "parses the order id and query string"},
    ChunkInfo{Chunk::load_order, "load_order", "loads the order, customer and addresses"},
    ChunkInfo{Chunk::line_items, "line_items", "loads the 5-30 line items"},
    ChunkInfo{Chunk::price_cache, "price_cache", "prices items through a bounded LRU cache"},
    ChunkInfo{Chunk::totals, "totals", "sums, coupons, shipping and taxes"},
    ChunkInfo{Chunk::format_currency, "format_currency", "formats every amount in the page's currency"},
    ChunkInfo{Chunk::render_page, "render_page", "renders the order into a reused render buffer"},
    ChunkInfo{Chunk::audit_log, "audit_log", "records the request in a fixed-size audit ring"},
    ChunkInfo{Chunk::warnings_panel, "warnings_panel", "computes and renders the warnings box"},
    ChunkInfo{Chunk::warnings_panel_has_warnings, "warnings_panel.has_warnings",
              "which warnings the order has"},
    ChunkInfo{Chunk::warnings_panel_warning_count, "warnings_panel.warning_count", "the count badge"},
    ChunkInfo{Chunk::warnings_panel_render_box, "warnings_panel.render_box", "the warnings box HTML"},
    ChunkInfo{Chunk::warnings_panel_live_updates, "warnings_panel.live_updates",
              "registers the panel's live-update listener, which audit_log's events reach"},
};

inline constexpr std::size_t kChunkCount = kChunkTable.size();

constexpr std::size_t chunk_index(Chunk chunk) {
    return static_cast<std::size_t>(chunk);
}

constexpr std::string_view chunk_name(Chunk chunk) {
    return kChunkTable[chunk_index(chunk)].name;
}

// The rows must follow the enumerators: chunk_name() indexes the table by enumerator.
constexpr bool table_follows_enum() {
    for (std::size_t i = 0; i < kChunkCount; ++i) {
        if (chunk_index(kChunkTable[i].chunk) != i) {
            return false;
        }
    }
    return true;
}
static_assert(table_follows_enum(), "kChunkTable rows must be in enumerator order");

constexpr std::optional<Chunk> find_chunk(std::string_view name) {
    for (const auto& info : kChunkTable) {
        if (info.name == name) {
            return info.chunk;
        }
    }
    return std::nullopt;
}

// leakbisect's default `CHUNK_{NAME}`: upper snake case, dots become underscores
// ("warnings_panel.has_warnings" -> "CHUNK_WARNINGS_PANEL_HAS_WARNINGS").
inline std::string chunk_env_variable(std::string_view name) {
    std::string variable = "CHUNK_";
    for (char c : name) {
        if (c >= 'a' && c <= 'z') {
            variable += static_cast<char>(c - 'a' + 'A');
        } else if (c == '.' || c == '-') {
            variable += '_';
        } else {
            variable += c;
        }
    }
    return variable;
}

// Which chunks run their real code; the others run their stub.
class ChunkSwitches {
  public:
    ChunkSwitches() { on_.fill(true); }

    bool is_on(Chunk chunk) const { return on_[chunk_index(chunk)]; }
    void set(Chunk chunk, bool on) { on_[chunk_index(chunk)] = on; }

    // "parse_params,load_order" in table order, or "none".
    std::string enabled_names() const {
        std::string names;
        for (const auto& info : kChunkTable) {
            if (is_on(info.chunk)) {
                names += names.empty() ? "" : ",";
                names += info.name;
            }
        }
        return names.empty() ? "none" : names;
    }

  private:
    std::array<bool, kChunkCount> on_{};
};

} // namespace shop
