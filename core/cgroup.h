#pragma once
// A cgroup v2 directory of hookmatrix's own, for the hooks that run per cgroup (cgroup_skb), and
// sockets charged to it.
//
// Unlike a namespace, a cgroup is not freed by the kernel when its last descriptor closes: the
// directory stays until someone removes it. So each Cgroup has a Janitor (core/janitor.h) that
// removes it if hookmatrix dies; on the normal path the owner removes it itself.
#include "core/error.h"
#include "core/janitor.h"
#include "core/netns.h"
#include "core/unique_fd.h"

#include <sys/types.h>

#include <string>

namespace hm {

// Where the cgroup v2 hierarchy is mounted, from /proc/self/mountinfo (/sys/fs/cgroup on a
// unified layout, /sys/fs/cgroup/unified on a hybrid one). An unsupported Error when none is.
Result<std::string> cgroup2_mount();

class Cgroup {
public:
    // A new, empty cgroup <mount>/hookmatrix-<pid>-<n>, watched by its janitor.
    static Result<Cgroup> create();

    Cgroup(Cgroup&& o) noexcept;
    Cgroup& operator=(Cgroup&& o) noexcept;
    ~Cgroup();

    int fd() const noexcept { return dir_.get(); } // O_DIRECTORY descriptor of the cgroup
    const std::string& path() const noexcept { return path_; }

private:
    Cgroup(std::string path, UniqueFd dir, Janitor janitor)
        : path_(std::move(path)), dir_(std::move(dir)), janitor_(std::move(janitor)) {}
    void release() noexcept;

    std::string path_;
    UniqueFd dir_;
    Janitor janitor_;
};

// A socket(domain, type, proto) in network namespace `ns`, charged to the cgroup `cgroup_fd`.
// A socket takes its cgroup from the task that creates it, and a thread cannot be in another
// cgroup than its process, so a short-lived child process moves itself into the cgroup, enters
// the namespace, creates the socket and hands it back over a socketpair (SCM_RIGHTS).
Result<UniqueFd> socket_in_cgroup(const Netns& ns, int cgroup_fd, int domain, int type, int proto);

} // namespace hm
