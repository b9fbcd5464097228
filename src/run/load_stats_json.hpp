// load.json of a probe: the load's statistics as JSON, for people and tools.
#pragma once

#include "leakbisect/load/driver.hpp"

#include <string>

namespace leakbisect {

std::string load_stats_json(const LoadStats& stats);

} // namespace leakbisect
