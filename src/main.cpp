// leakbisect: finds the chunk of a web app's action that leaks memory. See README.md.
#include "leakbisect/cli/cli.hpp"

int main(int argc, char** argv) {
    return leakbisect::run_cli(argc, argv);
}
