#include "leakbisect/run/exit_code.hpp"

#include <utility>

namespace leakbisect {
namespace {

constexpr std::pair<FindingKind, ExitCode> kFindingCodes[] = {
    {FindingKind::no_leak, kExitNoLeak},
    {FindingKind::localized, kExitLocalized},
    {FindingKind::leak_outside_chunks, kExitLeakOutsideChunks},
    {FindingKind::inconclusive, kExitInconclusive},
    {FindingKind::app_failed, kExitAppFailed},
};

} // namespace

ExitCode exit_code_of(FindingKind kind) {
    for (const auto& [finding, code] : kFindingCodes) {
        if (finding == kind) {
            return code;
        }
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
