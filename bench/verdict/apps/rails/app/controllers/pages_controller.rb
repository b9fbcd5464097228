# GET /up, GET /page?id=N: BenchWork (../../common/bench_work.rb) plants the leak, cache and warm-up
# and builds the page's JSON; the view renders the items in the layout.
class PagesController < ApplicationController
  def up
    render plain: "ok"
  end

  def show
    @id = Integer(params[:id] || "1", exception: false) || 1
    BenchWork.plant
    @items = BenchWork.items(@id)
    @total = @items.sum { |it| it[:price] * it[:qty] }
    @json = { id: @id, items: @items, total: @total }.to_json
  end
end
