class LineItem < ApplicationRecord
  belongs_to :order
  belongs_to :product

  def amount_cents = unit_price_cents * quantity

  def backordered? = quantity > product.stock
end
