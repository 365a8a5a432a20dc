#pragma once
// An exclusive flock(2) on a file, held while the object lives. For a cache that several
// hookmatrix processes may fill at once (two `kernels fetch` of one kernel would otherwise remove
// each other's partial directory): the kernel drops the lock with the descriptor, so a killed
// holder never leaves it taken.
#include "core/error.h"
#include "core/unique_fd.h"

#include <functional>
#include <optional>
#include <string>

namespace hm {

class FileLock {
public:
    // Creates `path` if need be and waits until the lock is ours; `waiting` is called once if
    // another process holds it (to say so on a long wait).
    static Result<FileLock> acquire(const std::string& path,
                                    const std::function<void(const std::string&)>& waiting = {});
    // The lock when it is free now; an empty optional when another process holds it.
    static Result<std::optional<FileLock>> try_acquire(const std::string& path);

private:
    explicit FileLock(UniqueFd fd) : fd_(std::move(fd)) {}
    UniqueFd fd_;
};

} // namespace hm
