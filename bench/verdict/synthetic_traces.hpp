// A labelled corpus of synthetic memory traces for the verdict: named classes of curves (flat,
// warm-up, GC sawtooth, steps, saturating caches, creeping runtimes, leaks of every shape), each
// drawn from a seed at a noise level. Header-only so the unit tests pin the same classes.
#pragma once

#include "leakbisect/verdict/trace.hpp"

#include <cmath>
#include <cstdint>
#include <functional>
#include <random>
#include <string>
#include <vector>

namespace leakbisect::synthetic {

enum class Truth {
    plateau, // growth per request below min_leak: LEAK is a false verdict
    leak,    // growth of at least 2 × min_leak: PLATEAU is a false verdict, LEAK expected
    gray,    // between min_leak and 2 × min_leak: either answer is defensible
};

struct Shape {
    std::string name;
    Truth truth = Truth::plateau;
    // Memory above the base at a request count, before noise; `random` varies the class's parameters.
    std::function<double(double requests)> curve;
    // The baseline's curve when the class is judged against one (a runtime that grows on its own),
    // sampled up to reference_requests; empty: judged alone.
    std::function<double(double requests)> reference;
    std::uint64_t reference_requests = 50000;
};

struct NoiseLevel {
    std::string name;
    double sd_bytes = 0;
};

inline const std::vector<NoiseLevel>& noise_levels() {
    static const std::vector<NoiseLevel> levels{
        {"4KiB", 4096}, {"64KiB", 65536}, {"512KiB", 524288}, {"2MiB", 2097152}};
    return levels;
}

constexpr double kBaseBytes = 50.0 * 1024 * 1024;
constexpr std::uint64_t kSampleEvery = 15; // 0.5% of a 3,000-request load, as the probe runner samples

// Samples memory every kSampleEvery requests up to `requests`, the curve plus Gaussian noise.
inline Trace sample_trace(const std::function<double(double)>& curve, double noise_sd, std::uint64_t requests,
                          std::uint64_t seed) {
    std::mt19937_64 generator(seed);
    std::normal_distribution<double> noise(0, 1);
    Trace trace;
    for (std::uint64_t r = 0; r <= requests; r += kSampleEvery) {
        const double bytes = kBaseBytes + curve(static_cast<double>(r)) + noise_sd * noise(generator);
        trace.push_back({static_cast<double>(r) / 5000.0, r, static_cast<std::int64_t>(bytes), 1});
    }
    return trace;
}

// A GC sawtooth: memory rises by `height` over `period` requests, then a collection drops it.
inline double sawtooth(double requests, double period, double phase, double height) {
    return height * std::fmod(requests + phase * period, period) / period;
}

inline std::string leak_name(double rate) {
    const auto whole = static_cast<long long>(rate);
    return "leak " + (whole >= 1024 ? std::to_string(whole / 1024) + " KiB" : std::to_string(whole) + " B") +
           "/request";
}

// The classes, their parameters drawn from `seed` (the same seed gives the same shape).
inline std::vector<Shape> shapes(std::uint64_t seed) {
    std::mt19937_64 generator(seed * 7919 + 13);
    const auto uniform = [&generator](double low, double high) {
        return std::uniform_real_distribution<double>(low, high)(generator);
    };
    std::vector<Shape> result;
    const auto add = [&result](std::string name, Truth truth, std::function<double(double)> curve,
                               std::function<double(double)> reference = {},
                               std::uint64_t reference_requests = 50000) {
        result.push_back(
            {std::move(name), truth, std::move(curve), std::move(reference), reference_requests});
    };
    add("flat", Truth::plateau, [](double) { return 0.0; });
    {
        const double height = uniform(5e6, 20e6);
        const double tau = uniform(40, 120); // mostly settled within a 300-request warm-up
        add("warm-up then flat", Truth::plateau, [=](double r) { return height * (1 - std::exp(-r / tau)); });
    }
    {
        // A runtime still settling well past the user's warm-up guess: 2-10 x warmup (300).
        const double height = uniform(10e6, 30e6);
        const double tau = uniform(200, 1000);
        add("long warm-up then flat", Truth::plateau,
            [=](double r) { return height * (1 - std::exp(-r / tau)); });
    }
    {
        // Floors that sit at one level for thousands of requests, then jump to another (up or
        // down) and sit there: an allocator's arenas, a heap resized in steps, bounded overall.
        std::vector<std::pair<double, double>> levels; // (from request, level)
        for (double at = 0; at < 60000; at += uniform(3000, 9000)) {
            levels.emplace_back(at, uniform(-2e6, 2e6));
        }
        add("piecewise-flat floor", Truth::plateau, [=](double r) {
            double level = 0;
            for (const auto& [from, value] : levels) {
                if (r >= from) {
                    level = value;
                }
            }
            return level;
        });
    }
    {
        // V8: the heap sizes itself in big steps early on, then the leak grows steadily.
        const double rate = uniform(300, 2048);
        const double step = uniform(4e6, 18e6);
        const double first = uniform(500, 2000);
        add("heap steps, then a steady leak", Truth::leak, [=](double r) {
            const double steps =
                (r > first ? 1.0 : 0.0) + (r > 2 * first ? 1.0 : 0.0) + (r > 4 * first ? 1.0 : 0.0);
            return steps * step + rate * r;
        });
        // A leak whose growth slows down and settles at a positive rate.
        const double height = uniform(10e6, 30e6);
        const double tau = uniform(2000, 6000);
        add("decelerating leak settling at a positive rate", Truth::leak,
            [=](double r) { return height * (1 - std::exp(-r / tau)) + rate * r; });
    }
    for (const auto& [label, period] :
         std::vector<std::pair<std::string, double>>{{"short", 60}, {"medium", 900}, {"window-long", 2700}}) {
        const double phase = uniform(0, 1);
        const double height = uniform(1e6, 8e6);
        // At most three quarters of the fixed load's judged window (2,700 requests): one whole GC
        // cycle always fits; a longer cycle's rise cannot be told from a leak in that window.
        const double p = period == 2700 ? period * uniform(0.4, 0.75) : period * uniform(0.8, 1.25);
        add("sawtooth " + label, Truth::plateau, [=](double r) { return sawtooth(r, p, phase, height); });
    }
    {
        const double at = uniform(500, 40000);
        const double height = uniform(1e6, 16e6);
        add("step up", Truth::plateau, [=](double r) { return r > at ? height : 0.0; });
        add("step down", Truth::plateau, [=](double r) { return r > at ? -height : 0.0; });
    }
    {
        const double height = uniform(2e6, 20e6);
        const double tau = uniform(200, 900);
        add("saturating cache", Truth::plateau, [=](double r) { return height * (1 - std::exp(-r / tau)); });
        const double slow_tau = uniform(1000, 2000);
        add("slowly saturating cache", Truth::plateau,
            [=](double r) { return height * (1 - std::exp(-r / slow_tau)); });
    }
    {
        // Rails/puma in production: +20 MB over ~1,500 requests, then ~500 B/request that keeps slowing.
        const double settle = uniform(15e6, 25e6);
        const double creep = uniform(3e5, 8e5);
        const auto runtime = [=](double r) {
            return settle * (1 - std::exp(-r / 500)) + creep * std::sqrt(r / 100);
        };
        add("creeping runtime", Truth::plateau, runtime, runtime);
        const double rate = uniform(400, 4096);
        add(
            "leak on a creeping runtime", Truth::leak, [=](double r) { return runtime(r) + rate * r; },
            runtime);
        add(
            "leak, a short flat baseline", Truth::leak, [=](double r) { return rate * r; },
            [](double) { return 0.0; }, 3000);
    }
    for (const double rate : {50.0, 150.0, 200.0, 400.0, 1024.0, 3072.0, 16384.0, 51200.0}) {
        const Truth truth = rate < 100 ? Truth::plateau : rate < 200 ? Truth::gray : Truth::leak;
        add(leak_name(rate), truth, [=](double r) { return rate * r; });
    }
    {
        const double rate = uniform(400, 4096);
        const double start = uniform(300, 1000);
        add("delayed leak", Truth::leak, [=](double r) { return r > start ? rate * (r - start) : 0.0; });
        const double every = uniform(100, 600);
        add("chunked leak", Truth::leak, [=](double r) { return rate * every * std::floor(r / every); });
        // V8 grows its heap's RSS in big steps: a leak's floor sits flat for longer than a
        // quarter of the fixed load's window, then jumps by all it leaked meanwhile (at least
        // twice within the fixed load: a leak that shows no step in it cannot be seen there).
        const double step_every = uniform(700, 1400);
        add("leak in big steps (a heap resized)", Truth::leak,
            [=](double r) { return rate * step_every * std::floor(r / step_every); });
        // The same at irregular intervals: steps within the fixed load (else no probe could see
        // the leak), later some flat stretches twice the fixed load long.
        std::vector<double> steps;
        for (double at = uniform(500, 1400); at < 60000;
             at += at < 3000 ? uniform(500, 1400) : uniform(500, 6000)) {
            steps.push_back(at);
        }
        add("leak in irregular big steps", Truth::leak, [=](double r) {
            double last = 0;
            for (const double at : steps) {
                last = r >= at ? at : last;
            }
            return rate * last;
        });
        const double height = uniform(2e6, 20e6);
        add("leak behind a filling cache", Truth::leak,
            [=](double r) { return height * (1 - std::exp(-r / 1500)) + rate * r; });
    }
    {
        // A leak under a collector: its floor rises, but a long cycle's peaks and troughs can make
        // the window start high and end low.
        const double rate = uniform(200, 2048);
        const double phase = uniform(0, 1);
        const double height = uniform(1e6, 8e6);
        const double medium = 900 * uniform(0.8, 1.25);
        const double window_long = 2700 * uniform(0.4, 0.75);
        add("leak on a medium GC sawtooth", Truth::leak,
            [=](double r) { return rate * r + sawtooth(r, medium, phase, height); });
        add("leak on a window-long GC sawtooth", Truth::leak,
            [=](double r) { return rate * r + sawtooth(r, window_long, phase, height); });
    }
    return result;
}

} // namespace leakbisect::synthetic
