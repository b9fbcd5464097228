class OrderEvent < ApplicationRecord
  belongs_to :order
end
