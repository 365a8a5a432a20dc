#pragma once
// junit.xml for CI test reporters (Jenkins, GitLab, GitHub): one <testsuite> per kernel and
// device with a <testcase> per hook, and one more per choir with a <testcase> per voice. fail is
// a <failure>, error an <error> carrying the verifier log or stderr, unsupported a <skipped>.
#include "reports/reporter.h"

#include <string>

namespace hm {

std::string junit_xml(const RunResult& result);

// Writes junit_xml(result) to `path` (atomically) when the run ends.
std::unique_ptr<Reporter> make_junit_reporter(std::string path);

} // namespace hm
