#pragma once
// Reporters see a run as it happens: begin(), one cell() per result, end(). Several run side by
// side (the console progress and results.json today; HTML, JUnit and Markdown are more of the
// same), so no code anywhere asks "is this JSON mode?".
#include "core/error.h"
#include "matrix/results/result.h"

#include <cstddef>
#include <memory>
#include <vector>

namespace hm {

struct BaselineComparison; // matrix/compare/baseline.h

class Reporter {
public:
    virtual ~Reporter() = default;
    virtual void begin(const RunInfo& /*run*/, std::size_t /*cells*/) {}
    virtual void cell(const CellResult& /*result*/) {}
    virtual void choir(const ChoirResult& /*result*/) {}
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
        for (auto& r : all_)
            r->begin(run, cells);
    }
    void cell(const CellResult& result) override {
        for (auto& r : all_)
            r->cell(result);
    }
    void choir(const ChoirResult& result) override {
        for (auto& r : all_)
            r->choir(result);
    }
    void baseline(const BaselineComparison& comparison) override {
        for (auto& r : all_)
            r->baseline(comparison);
    }
    Status end(const RunResult& result) override {
        Status first;
        for (auto& r : all_)
            if (auto s = r->end(result); !s && first)
                first = s;
        return first;
    }

private:
    std::vector<std::unique_ptr<Reporter>> all_;
};

} // namespace hm
