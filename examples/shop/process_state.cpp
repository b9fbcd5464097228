// The long-lived holders of process_state.hpp. Each bounded one allocates only while it fills and then
// reuses or replaces what it holds; OrderEvents only ever grows.
#include "process_state.hpp"

#include <cstring>
#include <utility>

namespace shop {

PriceCache::PriceCache(std::size_t capacity) : capacity_(capacity) {
    // Sized up front so the index never rehashes once the cache is full.
    index_.reserve(capacity);
}

const PriceSheet& PriceCache::get(int product_id) {
    if (auto found = index_.find(product_id); found != index_.end()) {
        recency_.splice(recency_.begin(), recency_, found->second);
        return recency_.front();
    }
    if (index_.size() == capacity_) {
        index_.erase(recency_.back().product_id);
        recency_.pop_back();
    }
    recency_.push_front(fetch_price_sheet(product_id));
    index_.emplace(product_id, recency_.begin());
    return recency_.front();
}

AuditLog::AuditLog(std::size_t capacity) : entries_(capacity) {}

void AuditLog::record(std::string summary) {
    entries_[next_] = std::move(summary);
    next_ = (next_ + 1) % entries_.size();
    filled_ = filled_ < entries_.size() ? filled_ + 1 : filled_;
}

std::string& RenderBuffer::start_page() {
    if (buffer_.capacity() < kCapacity) {
        buffer_.reserve(kCapacity);
    }
    buffer_.clear();
    return buffer_;
}

void OrderEvents::subscribe(std::string_view topic, std::size_t state_bytes) {
    if (state_bytes == 0) {
        return;
    }
    auto state = std::make_unique_for_overwrite<std::byte[]>(state_bytes);
    std::memset(state.get(), 0x5A, state_bytes);
    listeners_.push_back(Listener{std::string(topic), std::move(state)});
}

void LiveUpdates::fire(std::size_t event_bytes, Keep keep) {
    if (!registered_ || event_bytes == 0) {
        return;
    }
    auto event = std::make_unique_for_overwrite<std::byte[]>(event_bytes);
    std::memset(event.get(), 0xA5, event_bytes);
    if (keep == Keep::everything || heard_.size() < kKept) {
        heard_.push_back(std::move(event));
        return;
    }
    heard_[next_] = std::move(event); // the oldest of the last kKept
    next_ = (next_ + 1) % kKept;
}

} // namespace shop
