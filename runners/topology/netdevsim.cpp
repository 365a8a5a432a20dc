// netdevsim: one simulated device with one port in each namespace, the two ports linked through
// /sys/bus/netdevsim/link_device (Linux 6.9+; Debian's 6.12 has it) so that what one sends the
// other receives, through netdevsim's own transmit and NAPI receive paths.
//
// Unlike every other device here, a netdevsim port does not die with its namespace: when the
// namespace goes, the kernel moves the port back to the root namespace (it is a "real" device
// to the kernel: no rtnl_link_ops on the netdev, default_device_exit_net()), where it would stay.
// So each device is deleted explicitly (/sys/bus/netdevsim/del_device), by a janitor (core/
// janitor.h) started before the device exists: on the normal path destroying the topology
// runs it, and if hookmatrix is killed it runs on its own. The janitor also holds the port's
// namespace open until the device is gone, so a port never shows up in the root namespace,
// not even for a moment.
#include "core/janitor.h"
#include "runners/topology/driver_info.h"
#include "runners/topology/netlink.h"
#include "runners/topology/topology.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <net/if.h>
#include <unistd.h>

#include <fmt/format.h>

#include <chrono>
#include <cstring>
#include <filesystem>
#include <thread>

namespace hm {

namespace {
constexpr const char* kBus = "/sys/bus/netdevsim";
constexpr const char* kNewDevice = "/sys/bus/netdevsim/new_device";
constexpr const char* kDelDevice = "/sys/bus/netdevsim/del_device";
constexpr const char* kLinkDevice = "/sys/bus/netdevsim/link_device";

// One write(2) to a sysfs file: the kernel's answer is the write's errno.
Status write_bus(const char* file, const std::string& text) {
    const int fd = ::open(file, O_WRONLY | O_CLOEXEC);
    if (fd < 0)
        return fail(fmt::format("open {}", file), errno);
    const ssize_t n = ::write(fd, text.data(), text.size());
    const int err = errno;
    ::close(fd);
    if (n != static_cast<ssize_t>(text.size()))
        return fail(fmt::format("write '{}' to {}", text, file), n < 0 ? err : EIO);
    return {};
}

// The janitor's chore: delete device `id`. It runs in a forked child of a threaded process, so
// the text is formatted beforehand into a buffer the chore only reads.
struct DeleteDevice {
    char text[16]{};
    std::size_t len = 0;
    void operator()() const {
        const int fd = ::open(kDelDevice, O_WRONLY | O_CLOEXEC);
        if (fd < 0)
            return;
        if (::write(fd, text, len) < 0) {
            // Already gone (ENOENT): nothing left to do.
        }
        ::close(fd);
    }
};

// A netdevsim device with one port, made while the calling thread is in `ns` (the bus creates
// the port in the writer's namespace: nsim_bus_dev->initial_net, drivers/net/netdevsim/bus.c).
// Destroying it deletes the device.
class NetdevsimDevice {
public:
    static Result<NetdevsimDevice> create(const Netns& ns) {
        static std::atomic<unsigned> serial{0};
        // Ours by construction: the process id, shifted past the small ids people pick by hand,
        // and a serial; a live process's id is unique, so no other run can hold one of these.
        for (int attempt = 0; attempt < 16; ++attempt) {
            const unsigned id = (1u << 30) | ((static_cast<unsigned>(::getpid()) & 0x3FFFFF) << 8) |
                                (serial++ & 0xFF);
            if (std::filesystem::exists(fmt::format("{}/devices/netdevsim{}", kBus, id)))
                continue; // a leftover of a killed run whose janitor did not finish: not ours
            auto dup = ns.dup();
            if (!dup)
                return std::unexpected(dup.error());
            DeleteDevice chore;
            chore.len =
                static_cast<std::size_t>(std::snprintf(chore.text, sizeof chore.text, "%u", id));
            // Watch before making; the janitor keeps the namespace open until the device is gone.
            auto janitor = Janitor::start(fmt::format("netdevsim{}", id), chore, dup->fd());
            if (!janitor)
                return std::unexpected(janitor.error());
            auto scope = NetnsScope::enter(ns);
            if (!scope)
                return std::unexpected(scope.error());
            // "ID PORTS QUEUES": one port, one queue.
            if (auto s = write_bus(kNewDevice, fmt::format("{} 1 1", id)); !s)
                return std::unexpected(s.error());
            return NetdevsimDevice(id, std::move(*janitor));
        }
        return fail("find a free netdevsim device id", EEXIST);
    }
    unsigned id() const { return id_; }

private:
    NetdevsimDevice(unsigned id, Janitor janitor) : id_(id), janitor_(std::move(janitor)) {}
    unsigned id_;
    Janitor janitor_; // destroying it deletes the device (DeleteDevice), then lets the ns go
};

// The port of device `id` in `ns`: the device whose bus address ETHTOOL_GDRVINFO reports as
// netdevsimID. The port appears as the bus probes the device, which new_device_store() waits
// for; the loop only guards against a kernel that probes asynchronously.
Result<std::string> find_port(const Netns& ns, unsigned id) {
    const std::string bus = fmt::format("netdevsim{}", id);
    const auto until = std::chrono::steady_clock::now() + std::chrono::seconds(5);
    do {
        std::vector<std::string> names;
        {
            auto scope = NetnsScope::enter(ns);
            if (!scope)
                return std::unexpected(scope.error());
            if (struct if_nameindex* list = ::if_nameindex()) {
                for (struct if_nameindex* i = list; i->if_index != 0; ++i)
                    names.emplace_back(i->if_name);
                ::if_freenameindex(list);
            }
        }
        for (const auto& name : names)
            if (auto info = driver_info(ns, name); info && info->bus_info == bus)
                return name;
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
    } while (std::chrono::steady_clock::now() < until);
    return fail(fmt::format("find the port of {} in ns {} (no device there reports bus address "
                            "{})",
                            bus, ns.name(), bus),
                ENODEV);
}

class NetdevsimTopology final : public EndpointPair {
public:
    NetdevsimTopology(Endpoint near, Endpoint far, std::vector<NetdevsimDevice> devices)
        : EndpointPair(std::move(near), std::move(far)), devices_(std::move(devices)) {}
    std::string describe() const override {
        return fmt::format(
            "netdevsim{} port {} ({}, ns near) <-> netdevsim{} port {} ({}, ns far), "
            "linked through {}",
            devices_[0].id(), near_.ifname, near_.addr_text, devices_[1].id(), far_.ifname,
            far_.addr_text, kLinkDevice);
    }

private:
    // Destroyed before the endpoints (a base): the devices are deleted while their namespaces
    // live.
    std::vector<NetdevsimDevice> devices_;
};
} // namespace

Result<std::unique_ptr<Topology>> build_netdevsim_topology() {
    if (::access(kNewDevice, W_OK) != 0)
        return unsupported(
            fmt::format("no netdevsim bus ({} is missing): the kernel has no netdevsim",
                        kNewDevice),
            EOPNOTSUPP);
    auto ns = make_namespaces(/*shared=*/false);
    if (!ns)
        return std::unexpected(ns.error());
    std::vector<NetdevsimDevice> devices;
    for (const Netns* one : {&ns->near, &ns->far}) {
        auto d = NetdevsimDevice::create(*one);
        if (!d)
            return std::unexpected(d.error());
        devices.push_back(std::move(*d));
    }
    auto near_port = find_port(ns->near, devices[0].id());
    if (!near_port)
        return std::unexpected(near_port.error());
    auto far_port = find_port(ns->far, devices[1].id());
    if (!far_port)
        return std::unexpected(far_port.error());
    Endpoint n{std::move(ns->near), *near_port};
    Endpoint f{std::move(ns->far), *far_port};
    if (auto ok = configure_end(n, kNearAddr); !ok)
        return std::unexpected(ok.error());
    if (auto ok = configure_end(f, kFarAddr); !ok)
        return std::unexpected(ok.error());
    // "NETNSFD:IFINDEX NETNSFD:IFINDEX": descriptors of this process (bus.c, link_device_store).
    // With both ports up the kernel turns their carrier on.
    if (auto s = write_bus(kLinkDevice,
                           fmt::format("{}:{} {}:{}", n.ns.fd(), n.ifindex, f.ns.fd(), f.ifindex));
        !s) {
        Error e = s.error();
        e.detail = "link_device needs Linux 6.9 or newer (Debian's 6.12); older netdevsim ports "
                   "drop every frame they send";
        return std::unexpected(e);
    }
    if (auto ok = wait_operational({&n, &f}); !ok)
        return std::unexpected(ok.error());
    return std::make_unique<NetdevsimTopology>(std::move(n), std::move(f), std::move(devices));
}

} // namespace hm
