# orders#show, split into chunks for leakbisect (see lib/chunks.rb). Each chunk's real code runs
# when its CHUNK_ variable is 1 or missing; with 0 a cheap stub stands in, so the page still renders.
# Chunks run in recipe order: load_order, line_items, totals, customer_history, recommendations,
# formatting (in the view), warnings_panel (with its sub-chunks), status_timeline.
class OrdersController < ApplicationController
  Stub = Struct.new(:id, :number, :placed_at, :currency, :country, :shipping_address, :coupon_percent,
                    keyword_init: true)

  # A bounded cache of "customers also bought" lists: at most 128 KiB (~280 lists), least recently
  # used evicted. The product cursor rotates through 500 products, three per request, so the cache
  # fills within each worker's first ~100 requests and from then on evicts as much as it adds.
  RECOMMENDATIONS = ActiveSupport::Cache::MemoryStore.new(size: 128.kilobytes)
  @@recommendation_cursor = 0

  def show
    @order = load_order
    @line_items = load_line_items
    @totals = compute_totals
    @history = load_customer_history
    @recommendations = load_recommendations
    @warnings = warnings_panel
    @timeline = load_status_timeline
  end

  private

  def load_order
    return Stub.new(id: params[:id].to_i, number: "R00000000", placed_at: Time.utc(2026, 1, 1), currency: "USD",
                    country: "US") unless Chunks.on?(:load_order)

    Order.includes(:customer).find(params[:id])
  end

  def load_line_items
    return [] unless Chunks.on?(:line_items) && @order.is_a?(Order)

    @order.line_items.includes(:product).to_a
  end

  def compute_totals
    return { subtotal: 0, discount: 0, tax: 0, shipping: 0, total: 0 } unless Chunks.on?(:totals) && @order.is_a?(Order)

    { subtotal: @order.subtotal_cents, discount: @order.discount_cents, tax: @order.tax_cents,
      shipping: @order.shipping_cents, total: @order.total_cents }
  end

  def load_customer_history
    return { count: 0, recent: [] } unless Chunks.on?(:customer_history) && @order.is_a?(Order)

    previous = Order.where(customer_id: @order.customer_id).where.not(id: @order.id)
    { count: previous.count, recent: previous.order(placed_at: :desc).limit(5).pluck(:number, :placed_at) }
  end

  def load_recommendations
    return [] unless Chunks.on?(:recommendations)

    Array.new(3) do
      @@recommendation_cursor = @@recommendation_cursor % 500 + 1
      product_id = @@recommendation_cursor
      RECOMMENDATIONS.fetch("also-bought/#{product_id}") do
        LineItem.where(order_id: LineItem.where(product_id: product_id).select(:order_id))
                .where.not(product_id: product_id).joins(:product).group("products.title")
                .order(Arel.sql("COUNT(*) DESC")).limit(8).pluck("products.title")
      end
    end.flatten.uniq.first(8)
  end

  # The warnings box. Its calls are sub-chunks: has_warnings (the model's validation scope),
  # warning_count (backordered items) and warning_messages (the scope's messages).
  def warnings_panel
    return nil unless Chunks.on?(:warnings_panel) && @order.is_a?(Order)

    panel = { shown: false, count: 0, messages: [] }
    panel[:shown] = @order.has_warnings? if Chunks.on?("warnings_panel.has_warnings")
    panel[:count] = @line_items.count(&:backordered?) if Chunks.on?("warnings_panel.warning_count")
    if Chunks.on?("warnings_panel.warning_messages")
      panel[:messages] << "Ships to #{@order.country}: customs forms needed" unless @order.country == "US"
      panel[:messages] << "Coupon of #{@order.coupon_percent}% applied" if @order.coupon_percent
    end
    panel
  end

  def load_status_timeline
    return [] unless Chunks.on?(:status_timeline) && @order.is_a?(Order)

    @order.events.map { |event| [event.kind.humanize, event.happened_at] }
  end
end
