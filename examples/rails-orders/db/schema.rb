# The order page's tables; bin/serve loads this and db/seeds.rb on first start.
ActiveRecord::Schema.define(version: 2026_11_25_000000) do
  create_table "customers", force: :cascade do |t|
    t.string "name", null: false
    t.string "email", null: false
  end

  create_table "products", force: :cascade do |t|
    t.string "sku", null: false
    t.string "title", null: false
    t.integer "stock", null: false
  end

  create_table "orders", force: :cascade do |t|
    t.integer "customer_id", null: false
    t.string "number", null: false
    t.string "country", null: false
    t.string "currency", null: false
    t.string "shipping_address"
    t.integer "coupon_percent"
    t.datetime "placed_at", null: false
    t.index ["customer_id"]
  end

  create_table "line_items", force: :cascade do |t|
    t.integer "order_id", null: false
    t.integer "product_id", null: false
    t.integer "quantity", null: false
    t.integer "unit_price_cents", null: false
    t.index ["order_id"]
    t.index ["product_id"]
  end

  create_table "order_events", force: :cascade do |t|
    t.integer "order_id", null: false
    t.string "kind", null: false
    t.datetime "happened_at", null: false
    t.index ["order_id"]
  end
end
