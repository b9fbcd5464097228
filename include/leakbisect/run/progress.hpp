// What a run prints while it works: a line per probe and a summary, coloured only on a
// terminal without NO_COLOR, so an overnight log stays plain text.
#pragma once

#include "leakbisect/journal/journal.hpp"
#include "leakbisect/search/search.hpp"

#include <string>

namespace leakbisect {

class Console {
  public:
    Console();

    void line(const std::string& text) const;    // stdout
    void problem(const std::string& text) const; // stderr, "leakbisect: " prefixed
    void probe_started(std::size_t index, std::size_t worst_case, const std::string& role,
                       const std::vector<std::string>& enabled) const;
    void probe_finished(const ProbeRecord& record) const;
    void finding(const Finding& finding, std::size_t probes, double wall_seconds) const;

  private:
    std::string paint(const std::string& text, std::string_view colour) const;
    bool colour_;
};

} // namespace leakbisect
