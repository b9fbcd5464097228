// The search benchmark: the pure search against a simulated oracle whose verdicts are wrong (LEAK
// read as PLATEAU and back) with a given probability. For each shape of leak, number of chunks,
// error rate and repeats it prints the probes used and the share of runs that name the right answer.
#include "leakbisect/search/search.hpp"

#include <algorithm>
#include <fmt/format.h>
#include <random>
#include <set>
#include <string>
#include <vector>

using namespace leakbisect;

namespace {

enum class Shape { one_culprit, interacting_pair, nested };

std::string_view name_of(Shape shape) {
    switch (shape) {
    case Shape::one_culprit:
        return "one culprit";
    case Shape::interacting_pair:
        return "two interacting";
    case Shape::nested:
        return "nested (3 levels)";
    }
    return "";
}

// n top-level chunks; for the nested shape each has 3 sub-chunks with 3 sub-sub-chunks each.
std::vector<std::string> chunks_for(Shape shape, std::size_t n) {
    std::vector<std::string> names;
    for (std::size_t i = 1; i <= n; ++i) {
        const std::string top = fmt::format("c{}", i);
        names.push_back(top);
        if (shape != Shape::nested) {
            continue;
        }
        for (int j = 1; j <= 3; ++j) {
            const std::string sub = fmt::format("{}.s{}", top, j);
            names.push_back(sub);
            for (int k = 1; k <= 3; ++k) {
                names.push_back(fmt::format("{}.t{}", sub, k));
            }
        }
    }
    return names;
}

struct Trial {
    std::vector<std::string> needed;   // the chunks that leak only when all are on
    std::vector<std::string> expected; // the finding's culprits when it is right
};

Trial draw(Shape shape, std::size_t n, std::mt19937& random) {
    std::uniform_int_distribution<std::size_t> chunk(1, n);
    std::uniform_int_distribution<int> third(1, 3);
    switch (shape) {
    case Shape::one_culprit: {
        const std::string culprit = fmt::format("c{}", chunk(random));
        return {{culprit}, {culprit}};
    }
    case Shape::interacting_pair: {
        std::size_t a = chunk(random);
        std::size_t b = chunk(random);
        while (b == a) {
            b = chunk(random);
        }
        const std::string first = fmt::format("c{}", std::min(a, b));
        const std::string second = fmt::format("c{}", std::max(a, b));
        return {{first, second}, {second, first}};
    }
    case Shape::nested: {
        const std::string culprit = fmt::format("c{}.s{}.t{}", chunk(random), third(random), third(random));
        return {{culprit}, {culprit}};
    }
    }
    return {};
}

struct Cell {
    std::vector<std::size_t> probes;        // every probe
    std::vector<std::size_t> search_probes; // baseline, all-on, top level, narrowing
    std::vector<std::size_t> no_rechecks;   // every probe but the two re-checks
    std::size_t right = 0;                  // localized, naming exactly the right set
    std::size_t flagged = 0;                // inconclusive: a re-check flipped, or too many partners
};

double mean(const std::vector<std::size_t>& values) {
    double sum = 0;
    for (const std::size_t value : values) {
        sum += static_cast<double>(value);
    }
    return sum / static_cast<double>(values.size());
}

std::size_t max_of(const std::vector<std::size_t>& values) {
    return *std::max_element(values.begin(), values.end());
}

Cell simulate(Shape shape, std::size_t n, double error_rate, unsigned repeats, int runs,
              std::mt19937& random) {
    SearchProblem problem{chunks_for(shape, n), SearchStrategy::bisect};
    problem.repeats = repeats;
    std::bernoulli_distribution wrong(error_rate);
    Cell cell;
    for (int run = 0; run < runs; ++run) {
        const Trial trial = draw(shape, n, random);
        SearchHistory history(problem);
        std::size_t search = 0;
        std::size_t rechecks = 0;
        while (true) {
            const SearchStep step = next_step(problem, history);
            if (const auto* finding = std::get_if<Finding>(&step)) {
                cell.right +=
                    finding->kind == FindingKind::localized && finding->culprits == trial.expected ? 1 : 0;
                cell.flagged += finding->kind == FindingKind::inconclusive ? 1 : 0;
                break;
            }
            const auto& request = std::get<ProbeRequest>(step);
            const std::set<std::string> on(request.enabled.begin(), request.enabled.end());
            const bool leaks = std::all_of(trial.needed.begin(), trial.needed.end(),
                                           [&on](const std::string& name) { return on.count(name) == 1; });
            const bool reads_as_leak = wrong(random) ? !leaks : leaks;
            history.add({request.enabled, reads_as_leak ? Verdict::leak : Verdict::plateau, 0, request.role});
            const ProbeRole role = request.role;
            search += role == ProbeRole::baseline || role == ProbeRole::all_on || role == ProbeRole::step ||
                              role == ProbeRole::narrow
                          ? 1
                          : 0;
            rechecks += role == ProbeRole::recheck ? 1 : 0;
        }
        cell.probes.push_back(history.size());
        cell.search_probes.push_back(search);
        cell.no_rechecks.push_back(history.size() - rechecks);
    }
    return cell;
}

std::size_t ceil_log2(std::size_t n) {
    std::size_t steps = 0;
    while ((std::size_t{1} << steps) < n) {
        ++steps;
    }
    return steps;
}

// The targets, where one applies to the cell.
std::string target(Shape shape, std::size_t n, double error_rate, unsigned repeats, const Cell& cell,
                   int runs) {
    if (error_rate == 0 && repeats == 1 && shape == Shape::one_culprit) {
        const std::size_t bound = ceil_log2(n) + 2;
        return fmt::format("search <= {}: {}", bound, max_of(cell.search_probes) <= bound ? "met" : "MISSED");
    }
    if (error_rate == 0 && repeats == 1 && shape == Shape::interacting_pair) {
        const std::size_t bound = 2 * ceil_log2(n) + 4;
        return fmt::format("w/o rechecks <= {}: {}", bound,
                           max_of(cell.no_rechecks) <= bound ? "met" : "MISSED");
    }
    if (error_rate >= 0.05 && repeats == 3) {
        return fmt::format("right >= 99%: {}",
                           cell.right * 100 >= static_cast<std::size_t>(runs) * 99 ? "met" : "MISSED");
    }
    return "";
}

} // namespace

int main(int argc, char** argv) {
    const int runs = argc > 1 ? std::stoi(argv[1]) : 1000;
    std::mt19937 random(20261125);
    fmt::print("leakbisect search benchmark: bisect, confirmation on, {} simulated runs per row\n", runs);
    fmt::print("probes: all (mean/max) | search = baseline+all-on+top level+narrowing (mean/max) | "
               "all but the 2 re-checks (max)\n\n");
    fmt::print("| shape | n | error | repeats | probes mean | probes max | search mean | search max | "
               "w/o rechecks max | right | inconclusive | wrong | target |\n");
    fmt::print("|---|---|---|---|---|---|---|---|---|---|---|---|---|\n");
    for (const Shape shape : {Shape::one_culprit, Shape::interacting_pair, Shape::nested}) {
        for (const std::size_t n : {8, 16, 64, 256}) {
            for (const double error_rate : {0.0, 0.02, 0.05}) {
                for (const unsigned repeats : {1U, 3U}) {
                    const Cell cell = simulate(shape, n, error_rate, repeats, runs, random);
                    const auto share = [runs](std::size_t count) {
                        return 100.0 * static_cast<double>(count) / runs;
                    };
                    fmt::print("| {} | {} | {:.0f}% | {} | {:.1f} | {} | {:.1f} | {} | {} | {:.1f}% | "
                               "{:.1f}% | {:.1f}% | {} "
                               "|\n",
                               name_of(shape), n, error_rate * 100, repeats, mean(cell.probes),
                               max_of(cell.probes), mean(cell.search_probes), max_of(cell.search_probes),
                               max_of(cell.no_rechecks), share(cell.right), share(cell.flagged),
                               share(static_cast<std::size_t>(runs) - cell.right - cell.flagged),
                               target(shape, n, error_rate, repeats, cell, runs));
                    std::fflush(stdout);
                }
            }
        }
    }
    return 0;
}
