// What a run prints while it works: a line per probe and a summary, coloured only on a
// terminal without NO_COLOR, so an overnight log stays plain text.
#pragma once

#include "leakbisect/journal/journal.hpp"
#include "leakbisect/search/search.hpp"

#include <cstdio>
#include <string>
#include <string_view>
#include <vector>

namespace leakbisect {

class Console {
  public:
    Console();                                    // stdout and stderr
    Console(std::FILE* out, std::FILE* problems); // never coloured: for tests

    void line(const std::string& text) const;    // stdout
    void problem(const std::string& text) const; // stderr, "leakbisect: " prefixed
    void probe_started(std::size_t index, std::size_t worst_case, RecordRole role,
                       const std::vector<std::string>& enabled) const;
    void probe_finished(const ProbeRecord& record) const;
    void finding(const Finding& finding, std::size_t probes, double wall_seconds) const;

  private:
    std::string paint(const std::string& text, std::string_view colour) const;
    std::FILE* out_;
    std::FILE* problems_;
    bool colour_;
};

} // namespace leakbisect
