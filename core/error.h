#pragma once
// One error style everywhere: std::expected<T, Error>. An Error says what was attempted, the
// errno when there is one, and detail such as a verifier log or a tool's stderr. Its kind says
// whether the thing failed or this kernel (or device) lacks it: in the runner a failure becomes a
// cell's `error` verdict and a lack its `unsupported` verdict; neither aborts the run. The kind is
// said where the lack is recognised (an attacher that knows what EINVAL means for its link type),
// never read back out of errno.
#include <cerrno>
#include <expected>
#include <string>

namespace hm {

enum class ErrorKind {
    Failure,     // it went wrong
    Unsupported, // the kernel or the device lacks what was asked for
};

struct Error {
    std::string what;   // "attach xdpdrv to dut in ns near"
    int err = 0;        // errno, 0 when none applies
    std::string detail; // verifier log, stderr of a spawned tool, a hint for the fix
    ErrorKind kind = ErrorKind::Failure;

    static Error from_errno(std::string what, int err, std::string detail = {},
                            ErrorKind kind = ErrorKind::Failure) {
        return Error{std::move(what), err < 0 ? -err : err, std::move(detail), kind};
    }
    bool unsupported() const { return kind == ErrorKind::Unsupported; }
    // "what: strerror(err)"; detail is kept separate so reports can show it folded.
    std::string message() const;
};

template <class T> using Result = std::expected<T, Error>;
using Status = std::expected<void, Error>;

inline std::unexpected<Error> fail(std::string what, int err = 0, std::string detail = {}) {
    return std::unexpected(Error::from_errno(std::move(what), err, std::move(detail)));
}

// The kernel or device lacks what was asked for; `err` is what it answered, for the message.
inline std::unexpected<Error> unsupported(std::string what, int err = EOPNOTSUPP,
                                          std::string detail = {}) {
    return std::unexpected(
        Error::from_errno(std::move(what), err, std::move(detail), ErrorKind::Unsupported));
}

} // namespace hm
