class Order < ApplicationRecord
  include ValidationScopes

  belongs_to :customer
  has_many :line_items, -> { order(:id) }
  has_many :events, -> { order(:happened_at) }, class_name: "OrderEvent"

  TAX_RATES = { "US" => 0.0725, "DE" => 0.19, "GB" => 0.20, "FR" => 0.20 }.freeze

  # Warnings do not block saving an order; they are shown to the staff on the order page.
  validation_scope :warnings do
    validates :shipping_address, presence: true
    validates :shipping_address, length: { minimum: 12, message: "looks incomplete" }
    validates :email, format: { with: /\A[^@\s]+@[^@\s]+\z/, message: "looks invalid" }
    validate :no_backordered_items
    validate :not_unusually_large

    def email = customer.email

    def no_backordered_items
      errors.add(:base, "has backordered items") if line_items.includes(:product).any?(&:backordered?)
    end

    def not_unusually_large
      errors.add(:base, "is unusually large") if line_items.sum(&:quantity) > 60
    end
  end

  def subtotal_cents = line_items.sum(&:amount_cents)

  def discount_cents = coupon_percent.to_i * subtotal_cents / 100

  def tax_cents = ((subtotal_cents - discount_cents) * TAX_RATES.fetch(country, 0.1)).round

  def shipping_cents = subtotal_cents >= 10_000 ? 0 : 995

  def total_cents = subtotal_cents - discount_cents + tax_cents + shipping_cents
end
