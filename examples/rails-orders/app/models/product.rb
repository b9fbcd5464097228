class Product < ApplicationRecord
  has_many :line_items
end
