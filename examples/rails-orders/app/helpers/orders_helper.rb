module OrdersHelper
  # The formatting chunk: localized money and dates, or raw numbers when it is off.
  def money(cents, currency)
    return cents.to_s unless Chunks.on?(:formatting)

    number_to_currency(cents / 100.0, unit: { "USD" => "$", "EUR" => "€", "GBP" => "£" }.fetch(currency, currency))
  end

  def when_at(time)
    return time.to_i.to_s unless Chunks.on?(:formatting)

    time.strftime("%-d %B %Y, %H:%M")
  end
end
