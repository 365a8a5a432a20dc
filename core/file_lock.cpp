#include "core/file_lock.h"

#include <fcntl.h>
#include <sys/file.h>

#include <cerrno>

namespace hm {

Result<std::optional<FileLock>> FileLock::try_acquire(const std::string& path) {
    UniqueFd fd(::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0644));
    if (!fd.valid())
        return fail("open the lock file " + path, errno);
    if (::flock(fd.get(), LOCK_EX | LOCK_NB) == 0)
        return std::optional<FileLock>(FileLock(std::move(fd)));
    if (errno != EWOULDBLOCK)
        return fail("lock " + path, errno);
    return std::optional<FileLock>();
}

Result<FileLock> FileLock::acquire(const std::string& path,
                                   const std::function<void(const std::string&)>& waiting) {
    // O_NOFOLLOW: a symlink planted where the lock file goes is refused, not followed.
    UniqueFd fd(::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0644));
    if (!fd.valid())
        return fail("open the lock file " + path, errno);
    if (::flock(fd.get(), LOCK_EX | LOCK_NB) == 0)
        return FileLock(std::move(fd));
    if (errno != EWOULDBLOCK)
        return fail("lock " + path, errno);
    if (waiting)
        waiting(path);
    while (::flock(fd.get(), LOCK_EX) != 0)
        if (errno != EINTR)
            return fail("lock " + path, errno);
    return FileLock(std::move(fd));
}

} // namespace hm
