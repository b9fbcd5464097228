// What outlives a request: the bounded LRU price cache, the fixed-size audit ring, the render buffer that
// grows once and stays, and the order-event listener registry. The first three fill up and then plateau;
// the registry is never cleaned, which is the planted leak.
#pragma once

#include "store.hpp"

#include <cstddef>
#include <list>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace shop {

// Price sheets by product id, least recently used evicted first.
class PriceCache {
  public:
    explicit PriceCache(std::size_t capacity);

    // The sheet, loaded from the store on a miss. The reference lives until the next get().
    const PriceSheet& get(int product_id);

    std::size_t size() const { return index_.size(); }

  private:
    std::size_t capacity_;
    std::list<PriceSheet> recency_; // front: most recently used
    std::unordered_map<int, std::list<PriceSheet>::iterator> index_;
};

// The last `capacity` request summaries, oldest overwritten first.
class AuditLog {
  public:
    explicit AuditLog(std::size_t capacity);

    void record(std::string summary);

    std::size_t size() const { return filled_; }

  private:
    std::vector<std::string> entries_;
    std::size_t next_ = 0;
    std::size_t filled_ = 0;
};

// One buffer for every page: the first render reserves kCapacity, later ones reuse it.
class RenderBuffer {
  public:
    static constexpr std::size_t kCapacity = 64 * 1024;

    std::string& start_page();

  private:
    std::string buffer_;
};

// Listeners told when an order changes. Subscriptions are meant to be undone when the request ends;
// nothing undoes them, so every subscription stays for the life of the process.
class OrderEvents {
  public:
    // Keeps `state_bytes` of listener state, every byte written, so it is resident.
    void subscribe(std::string_view topic, std::size_t state_bytes);

    std::size_t listener_count() const { return listeners_.size(); }

  private:
    struct Listener {
        std::string topic;
        std::unique_ptr<std::byte[]> state;
    };
    std::vector<Listener> listeners_;
};

// The warnings panel's live-update listener: registered once per process, it hears every order event.
// It keeps the last kKept it heard, or, when told to keep everything, all of them: that is the pair leak.
class LiveUpdates {
  public:
    static constexpr std::size_t kKept = 16;
    enum class Keep { recent, everything };

    void register_listener() { registered_ = true; }
    // Reaches the listener only once it is registered.
    void fire(std::size_t event_bytes, Keep keep);

    std::size_t heard() const { return heard_.size(); }

  private:
    bool registered_ = false;
    std::vector<std::unique_ptr<std::byte[]>> heard_;
    std::size_t next_ = 0;
};

struct ProcessState {
    PriceCache prices{256};
    AuditLog audit{200};
    RenderBuffer render;
    OrderEvents order_events;
    LiveUpdates live_updates;
};

} // namespace shop
