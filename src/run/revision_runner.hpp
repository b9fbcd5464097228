// Commit-range mode's probes: "the first k commits on" is the k-th commit's checkout (none on: good).
// Wraps the real runner: makes the commit's worktree once, runs its setup once (setup.log in the
// probe's folder), then boots the app there with no chunk variables. A commit whose checkout or
// setup fails is SKIPPED, like `git bisect skip`, without booting.
#pragma once

#include "leakbisect/revisions/revisions.hpp"
#include "probe_runner.hpp"

#include <map>
#include <optional>
#include <string>

namespace leakbisect {

class RevisionProbeRunner final : public ProbeRunner {
  public:
    RevisionProbeRunner(ProbeRunner& inner, const RevisionRange& range, const RevisionsSpec& spec,
                        const std::filesystem::path& run_dir, Worktrees::AtEnd at_end);
    ProbeOutcome run(const ProbeContext& context) override;

  private:
    ProbeRunner& inner_;
    const RevisionRange& range_;
    const RevisionsSpec& spec_;
    Worktrees worktrees_;
    std::map<std::string, std::string> setup_failures_; // hash -> why; set up fine: absent
    std::map<std::string, bool> set_up_;
};

// The commit a probe with `enabled` on boots: the enabled set is a prefix of the range.
const Commit& revision_of(const RevisionRange& range, const std::vector<std::string>& enabled);

} // namespace leakbisect
