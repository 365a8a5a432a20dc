#pragma once
// One error style everywhere: std::expected<T, Error>. An Error says what was attempted, the
// errno when there is one, and detail such as a verifier log or a tool's stderr. In the runner an
// Error becomes a cell's `error` verdict; it never aborts the run.
#include <cerrno>
#include <expected>
#include <string>

namespace hm {

struct Error {
    std::string what;   // "attach xdpdrv to dut in ns near"
    int err = 0;        // errno, 0 when none applies
    std::string detail; // verifier log, stderr of a spawned tool, a hint for the fix

    static Error from_errno(std::string what, int err, std::string detail = {}) {
        return Error{std::move(what), err < 0 ? -err : err, std::move(detail)};
    }
    // "what: strerror(err)"; detail is kept separate so reports can show it folded.
    std::string message() const;
};

template <class T> using Result = std::expected<T, Error>;
using Status = std::expected<void, Error>;

inline std::unexpected<Error> fail(std::string what, int err = 0, std::string detail = {}) {
    return std::unexpected(Error::from_errno(std::move(what), err, std::move(detail)));
}

} // namespace hm
