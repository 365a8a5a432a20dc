#pragma once
// Reporters see a run as it happens: begin(), one cell() per result (choir(), throughput() and
// note() as they come), end(). Several run side by side (the console, results.json, HTML, JUnit,
// Markdown, and inside a guest the serial port to the host), so no code anywhere asks "is this
// JSON mode?", and the run itself never writes to a terminal: its progress lines are notes.
#include "core/error.h"
#include "matrix/compare/baseline.h"
#include "matrix/results/result.h"

#include <cstddef>
#include <memory>
#include <string>
#include <vector>

namespace hm {

class Reporter {
public:
    virtual ~Reporter() = default;
    virtual void begin(const RunInfo& /*run*/, std::size_t /*cells*/) {}
    virtual void cell(const CellResult& /*result*/) {}
    virtual void choir(const ChoirResult& /*result*/) {}
    // `hookmatrix bench`: one measured cell, and the xdpdrv / xdpgeneric ratio of a device.
    virtual void throughput(const ThroughputResult& /*result*/) {}
    virtual void throughput_ratio(const ThroughputRatio& /*ratio*/) {}
    // A line of progress for people ("round 2 of 2: ...", "kernel debian:6.12: booting ...");
    // reporters that write files ignore it.
    virtual void note(const std::string& /*line*/) {}
    // With --baseline, after the last cell and before end(): what changed since the baseline.
    // Reporters that show no comparison ignore it.
    virtual void baseline(const BaselineComparison& /*comparison*/) {}
    // Called once with everything; a reporter that writes a file does it here.
    virtual Status end(const RunResult& /*result*/) { return {}; }
};

// Fans every call out to each reporter; end() reports the first failure but calls them all.
class Reporters final : public Reporter {
public:
    void add(std::unique_ptr<Reporter> r) { all_.push_back(std::move(r)); }
    void begin(const RunInfo& run, std::size_t cells) override {
        to_all(&Reporter::begin, run, cells);
    }
    void cell(const CellResult& result) override { to_all(&Reporter::cell, result); }
    void choir(const ChoirResult& result) override { to_all(&Reporter::choir, result); }
    void throughput(const ThroughputResult& result) override {
        to_all(&Reporter::throughput, result);
    }
    void throughput_ratio(const ThroughputRatio& ratio) override {
        to_all(&Reporter::throughput_ratio, ratio);
    }
    void note(const std::string& line) override { to_all(&Reporter::note, line); }
    void baseline(const BaselineComparison& comparison) override {
        to_all(&Reporter::baseline, comparison);
    }
    Status end(const RunResult& result) override {
        Status first;
        for (auto& r : all_)
            if (auto s = r->end(result); !s && first)
                first = s;
        return first;
    }

private:
    template <class Method, class... Args> void to_all(Method method, const Args&... args) {
        for (auto& r : all_)
            ((*r).*method)(args...);
    }
    std::vector<std::unique_ptr<Reporter>> all_;
};

} // namespace hm
