#include "core/kernel_release.h"

#include <bpf/bpf.h>

#include <algorithm>
#include <cerrno>
#include <mutex>
#include <thread>

#include <unistd.h>

namespace hm {
namespace {

std::mutex guard;
std::vector<std::uint32_t> programs, maps;

std::uint32_t id_of(int fd, bool program) {
    if (program) {
        bpf_prog_info info{};
        __u32 len = sizeof(info);
        return bpf_obj_get_info_by_fd(fd, &info, &len) == 0 ? info.id : 0;
    }
    bpf_map_info info{};
    __u32 len = sizeof(info);
    return bpf_obj_get_info_by_fd(fd, &info, &len) == 0 ? info.id : 0;
}

void remember(std::vector<std::uint32_t>& ids, std::uint32_t id) {
    if (id != 0 && std::find(ids.begin(), ids.end(), id) == ids.end())
        ids.push_back(id);
}

// An id the kernel no longer resolves (ENOENT) is released; any other answer (the descriptor,
// EPERM in a user namespace) counts as still there, so a wait never ends early by mistake.
bool released(std::uint32_t id, bool program) {
    const int fd = program ? bpf_prog_get_fd_by_id(id) : bpf_map_get_fd_by_id(id);
    if (fd < 0)
        return errno == ENOENT;
    ::close(fd);
    return false;
}

} // namespace

void remember_loaded(const bpf_object* object) {
    std::lock_guard lock(guard);
    bpf_program* p = nullptr;
    while ((p = bpf_object__next_program(object, p)))
        if (int fd = bpf_program__fd(p); fd >= 0)
            remember(programs, id_of(fd, true));
    const bpf_map* m = nullptr;
    while ((m = bpf_object__next_map(object, m)))
        if (int fd = bpf_map__fd(m); fd >= 0)
            remember(maps, id_of(fd, false));
}

void remember_program(int prog_fd) {
    std::lock_guard lock(guard);
    remember(programs, id_of(prog_fd, true));
}

StillLoaded wait_until_released(std::chrono::milliseconds bound) {
    std::lock_guard lock(guard);
    const auto deadline = std::chrono::steady_clock::now() + bound;
    for (;;) {
        std::erase_if(programs, [](std::uint32_t id) { return released(id, true); });
        std::erase_if(maps, [](std::uint32_t id) { return released(id, false); });
        if ((programs.empty() && maps.empty()) || std::chrono::steady_clock::now() >= deadline)
            return {programs, maps};
        std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
}

} // namespace hm
