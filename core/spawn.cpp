#include "core/spawn.h"

#include <boost/asio/io_context.hpp>
#include <boost/process.hpp>

#include <boost/process/extend.hpp>

#include <signal.h>
#include <sys/prctl.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <future>
#include <memory>

namespace bp = boost::process;

namespace hm {

Result<std::string> find_program(const std::string& name) {
    if (name.find('/') != std::string::npos)
        return name;
    auto paths = ::boost::this_process::path();
    for (const char* extra : {"/usr/sbin", "/sbin", "/usr/bin", "/bin"})
        paths.emplace_back(extra);
    auto found = bp::search_path(name, paths);
    if (found.empty())
        return fail("find program '" + name + "' in PATH", ENOENT);
    return found.string();
}

namespace {
// Runs in the child between fork and exec. hookmatrix ignores SIGPIPE (so that a closed stdout
// does not cost it its results); an ignored signal stays ignored across exec, so the child gets
// the default back.
struct ChildSetup : bp::extend::handler {
    explicit ChildSetup(bool die) : die_with_parent(die) {}
    bool die_with_parent;
    pid_t parent = ::getpid();
    template <class Executor> void on_exec_setup(Executor&) const {
        ::signal(SIGPIPE, SIG_DFL);
        if (!die_with_parent)
            return;
        ::prctl(PR_SET_PDEATHSIG, SIGKILL);
        if (::getppid() != parent) // the parent died before prctl took effect
            ::_exit(127);
    }
};
enum class Pumped { done, timed_out, stopped };

// Runs the io_context (the child's pipes and exit) until the child is done, `timeout` passes or
// `stop` turns true, in slices short enough to see a stop soon.
Pumped pump(boost::asio::io_context& io, std::chrono::milliseconds timeout,
            const std::atomic<bool>* stop) {
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    constexpr auto slice = std::chrono::milliseconds(100);
    for (;;) {
        const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
            deadline - std::chrono::steady_clock::now());
        if (left <= std::chrono::milliseconds(0))
            return io.stopped() ? Pumped::done : Pumped::timed_out;
        io.run_for(stop ? std::min(left, std::chrono::milliseconds(slice)) : left);
        if (io.stopped())
            return Pumped::done;
        if (stop && *stop)
            return Pumped::stopped;
    }
}

Result<SpawnResult> ended_early(bp::child& child, Pumped why, const std::string& name,
                                std::chrono::milliseconds timeout) {
    child.terminate();
    if (why == Pumped::stopped)
        return fail(name + " was stopped (SIGINT or SIGTERM)", EINTR);
    return fail(name + " did not finish within " + std::to_string(timeout.count()) + " ms",
                ETIMEDOUT);
}
} // namespace

Result<SpawnResult> spawn(const std::vector<std::string>& argv, std::chrono::milliseconds timeout) {
    return spawn(argv, SpawnOptions{.timeout = timeout});
}

Result<SpawnResult> spawn(const std::vector<std::string>& argv, const SpawnOptions& options) {
    const std::chrono::milliseconds timeout = options.timeout;
    if (argv.empty())
        return fail("spawn: empty argv", EINVAL);
    auto exe = find_program(argv[0]);
    if (!exe)
        return std::unexpected(exe.error());
    std::vector<std::string> args(argv.begin() + 1, argv.end());
    boost::asio::io_context io;
    std::future<std::string> out, err;
    SpawnResult result;
    try {
        const std::string dir = options.working_dir.empty() ? "." : options.working_dir;
        if (!options.output_file.empty()) {
            // Both streams into one file, in the order the child wrote them.
            FILE* log = std::fopen(options.output_file.c_str(), "ae");
            if (!log)
                return fail("open " + options.output_file, errno);
            std::unique_ptr<FILE, decltype(&std::fclose)> owner(log, &std::fclose);
            // The exit handler gives the io_context work until the child ends, so run_for
            // bounds its life as it bounds the pipes' below.
            auto start = [&](auto... extra) {
                return bp::child(*exe, bp::args(args), bp::std_in.close(), bp::std_out > log,
                                 bp::std_err > log, io,
                                 bp::on_exit([](int, const std::error_code&) {}), extra...);
            };
            bp::child child = start(ChildSetup(options.die_with_parent),
                                    bp::start_dir = dir);
            if (Pumped p = pump(io, timeout, options.stop); p != Pumped::done)
                return ended_early(child, p, argv[0], timeout);
            child.wait();
            result.exit_code = child.exit_code();
            return result;
        }
        auto start = [&](auto... extra) {
            return bp::child(*exe, bp::args(args), bp::std_in.close(), bp::std_out > out,
                             bp::std_err > err, io, extra...);
        };
        bp::child child = start(ChildSetup(options.die_with_parent),
                                bp::start_dir = dir);
        // The io_context pumps both pipes; pump() bounds the whole exchange.
        if (Pumped p = pump(io, timeout, options.stop); p != Pumped::done)
            return ended_early(child, p, argv[0], timeout);
        child.wait();
        result.exit_code = child.exit_code();
        result.out = out.get();
        result.err = err.get();
    } catch (const std::exception& e) {
        return fail("run " + argv[0], 0, e.what());
    }
    return result;
}

Result<SpawnResult> spawn_checked(const std::vector<std::string>& argv,
                                  std::chrono::milliseconds timeout) {
    auto r = spawn(argv, timeout);
    if (!r)
        return r;
    if (r->exit_code != 0) {
        std::string cmd;
        for (const auto& a : argv)
            cmd += (cmd.empty() ? "" : " ") + a;
        auto detail = r->err.empty() ? r->out : r->err;
        while (!detail.empty() && detail.back() == '\n')
            detail.pop_back();
        return fail("'" + cmd + "' exited with " + std::to_string(r->exit_code), 0, detail);
    }
    return r;
}

} // namespace hm
