# The bench apps' per-request work and planted memory behaviour, shared by rack and rails.
# Environment (read once at load; every count is per process, i.e. per Puma worker):
#   LEAK_BYTES       retain a String of about this many bytes per request, forever (default 0)
#   CACHE_ENTRIES    a bounded LRU of ~2 KiB values keyed by a request-varying key drawn from
#                    2 x CACHE_ENTRIES keys: fills over roughly 1.4 x CACHE_ENTRIES requests, then
#                    stays full (default 0: no cache)
#   WARMUP_REQUESTS  lazy loading: request i of the first K retains 8 KiB x (K - i) / K, about
#                    4 KiB x K in all, decelerating to nothing at K (default 0)
require "json"

module BenchWork
  LEAK_BYTES = Integer(ENV.fetch("LEAK_BYTES", "0"), exception: false) || 0
  CACHE_ENTRIES = Integer(ENV.fetch("CACHE_ENTRIES", "0"), exception: false) || 0
  WARMUP_REQUESTS = Integer(ENV.fetch("WARMUP_REQUESTS", "0"), exception: false) || 0

  @lock = Mutex.new # Puma serves several requests at once
  @leaked = []
  @warm = []
  @cache = {} # insertion ordered: the first key is the least recently used
  @served = 0
  @rng = 12345

  def self.blob(n, tag)
    tag.to_s.ljust(n, "x")
  end

  def self.plant
    @lock.synchronize do
      @served += 1
      if WARMUP_REQUESTS.positive? && @served <= WARMUP_REQUESTS
        n = 8192 * (WARMUP_REQUESTS - @served) / WARMUP_REQUESTS
        @warm << blob(n, @served) if n.positive?
      end
      if CACHE_ENTRIES.positive?
        @rng = (@rng * 1103515245 + 12345) % 2147483648
        key = "sheet:#{@rng % (2 * CACHE_ENTRIES)}"
        if (value = @cache.delete(key))
          @cache[key] = value
        else
          @cache[key] = blob(2048, key)
          @cache.shift if @cache.size > CACHE_ENTRIES
        end
      end
      @leaked << blob(LEAK_BYTES, @served) if LEAK_BYTES.positive?
    end
  end

  def self.items(id)
    Array.new(20) do |i|
      { sku: "SKU-#{id}-#{i}", name: "Item #{i} of product #{id}", price: ((id * 7 + i * 13) % 997) / 10.0, qty: 1 + i % 4 }
    end
  end

  # Ordinary work: a few objects, JSON and an HTML page, all garbage after the response.
  def self.page(id)
    plant
    items = items(id)
    total = items.sum { |it| it[:price] * it[:qty] }
    json = JSON.generate({ id: id, items: items, total: total })
    rows = items.map { |it| "<tr><td>#{it[:sku]}</td><td>#{it[:name]}</td><td>#{it[:qty]}</td><td>#{format("%.2f", it[:price])}</td></tr>" }
    "<!doctype html><html><head><title>Product #{id}</title></head><body><h1>Product #{id}</h1>" \
      "<table>#{rows.join}</table><p>Total #{format("%.2f", total)}</p><script type=\"application/json\">#{json}</script></body></html>"
  end
end
