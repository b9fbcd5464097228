# Bench app on plain Rack (Puma): GET /up, GET /page?id=N (see ../common/bench_work.rb).
require_relative "../common/bench_work"

run(lambda do |env|
  case env["PATH_INFO"]
  when "/up"
    [200, { "content-type" => "text/plain" }, ["ok"]]
  when "/page"
    id = Integer(Rack::Utils.parse_query(env["QUERY_STRING"])["id"] || "1", exception: false) || 1
    [200, { "content-type" => "text/html; charset=utf-8" }, [BenchWork.page(id)]]
  else
    [404, {}, []]
  end
end)
