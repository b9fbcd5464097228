# 1,000 orders of 5-15 line items each, deterministic (same data on every machine).
random = Random.new(42)
now = Time.utc(2026, 11, 1)
words = %w[oak linen steel walnut wool brass clay cedar cotton glass]
countries = %w[US DE GB FR]

Customer.insert_all(Array.new(200) { |i| { name: "Customer #{i + 1}", email: i % 17 == 0 ? "customer#{i + 1}" : "customer#{i + 1}@example.com" } })
Product.insert_all(Array.new(500) { |i| { sku: format("SKU-%06d", i + 1), title: "#{words[i % 10]} #{words[(i * 3) % 10]} no. #{i + 1}", stock: random.rand(0..40) } })

orders = Array.new(1000) do |i|
  { customer_id: random.rand(1..200), number: format("R%08d", 10_000 + i), country: countries[i % 4],
    currency: %w[USD EUR GBP EUR][i % 4], placed_at: now - random.rand(0..90).days,
    shipping_address: i % 23 == 0 ? "Main St 1" : "#{random.rand(1..999)} Long Street, Springfield #{random.rand(10_000..99_999)}",
    coupon_percent: i % 5 == 0 ? 10 : nil }
end
Order.insert_all(orders)

line_items = []
events = []
1.upto(1000) do |order_id|
  random.rand(5..15).times do
    line_items << { order_id: order_id, product_id: random.rand(1..500), quantity: random.rand(1..4), unit_price_cents: random.rand(199..19_999) }
  end
  %w[placed paid packed shipped].first(random.rand(1..4)).each_with_index do |kind, step|
    events << { order_id: order_id, kind: kind, happened_at: now + step.hours }
  end
end
LineItem.insert_all(line_items)
OrderEvent.insert_all(events)
