// The process exit codes of the spec, and the one rule from a result to its code. Every command
// returns one of these; nothing calls exit().
#pragma once

#include "leakbisect/search/search.hpp"
#include "leakbisect/verdict/verdict.hpp"

namespace leakbisect {

enum ExitCode : int {
    kExitNoLeak = 0,
    kExitInternal = 1, // leakbisect's own I/O failed (a full disk while journaling)
    kExitBadUsage = 2,
    kExitAppFailed = 3,
    kExitLocalized = 10,
    kExitLeakOutsideChunks = 11,
    kExitInconclusive = 12,
    kExitInterrupted = 130,
};

// A search's finding.
ExitCode exit_code_of(FindingKind kind);

// One probe's verdict (`measure`, `analyze`): a leak is "localized" to the chunks that were on.
ExitCode exit_code_of(Verdict verdict);

} // namespace leakbisect
