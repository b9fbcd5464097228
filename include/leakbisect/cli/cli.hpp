// The command line: parses argv into the option structs of the run module and calls the
// command. The only user of CLI11. Returns the exit code; never calls exit().
#pragma once

namespace leakbisect {

int run_cli(int argc, char** argv);

} // namespace leakbisect
