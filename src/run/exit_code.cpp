#include "leakbisect/run/exit_code.hpp"

namespace leakbisect {

ExitCode exit_code_of(FindingKind kind) {
    switch (kind) {
    case FindingKind::localized:
        return kExitLocalized;
    case FindingKind::leak_outside_chunks:
        return kExitLeakOutsideChunks;
    case FindingKind::no_leak:
        return kExitNoLeak;
    case FindingKind::inconclusive:
        return kExitInconclusive;
    case FindingKind::app_failed:
        return kExitAppFailed;
    }
    return kExitInconclusive;
}

ExitCode exit_code_of(Verdict verdict) {
    switch (verdict) {
    case Verdict::plateau:
        return kExitNoLeak;
    case Verdict::leak:
        return kExitLocalized;
    case Verdict::skipped:
        return kExitAppFailed;
    default:
        return kExitInconclusive;
    }
}

} // namespace leakbisect
