#include "runners/kernels/guest_image.h"

#include "core/atomic_file.h"
#include "core/cpio_writer.h"
#include "core/spawn.h"

#include <unistd.h>

#include <fmt/format.h>

#include <algorithm>
#include <fstream>
#include <functional>
#include <map>
#include <set>
#include <sstream>

namespace hm {

namespace fs = std::filesystem;

const std::vector<std::string>& guest_modules() {
    static const std::vector<std::string> names{
        "veth",
        "tun",
        "sch_ingress",
        "cls_bpf",
        "act_bpf",
        // iptables on Debian 12 is the nftables flavour: xt_bpf runs through nft_compat.
        "nf_tables",
        "nft_compat",
        "x_tables",
        "xt_bpf",
        "xt_comment",
        "ip_tables",
        "iptable_filter",
        "ip6_tables",
        "ip6table_filter",
        "netdevsim",
    };
    return names;
}

namespace {
// "kernel/net/sched/cls_bpf.ko.xz" -> "cls_bpf"; '-' and '_' are the same to the kernel.
std::string module_name(std::string_view path) {
    std::string name(path.substr(path.rfind('/') + 1));
    name = name.substr(0, name.find(".ko"));
    std::ranges::replace(name, '-', '_');
    return name;
}

// ldd's answer, in one call for all `files`: the shared objects they load, the dynamic loader
// included. A static binary ("not a dynamic executable") needs nothing.
Result<std::vector<std::string>> shared_libraries(const std::vector<std::string>& files) {
    std::vector<std::string> argv{"ldd"};
    argv.insert(argv.end(), files.begin(), files.end());
    auto r = spawn(argv);
    if (!r)
        return std::unexpected(r.error());
    std::vector<std::string> libs;
    std::istringstream in(r->out);
    std::string line;
    while (std::getline(in, line)) {
        const auto slash = line.find('/');
        // "FILE:" heads each file's list when there are several.
        if (slash == std::string::npos || line.ends_with(':'))
            continue;
        const auto end = line.find_first_of(" \t(", slash);
        libs.push_back(line.substr(slash, end == std::string::npos ? end : end - slash));
    }
    return libs;
}

class Image {
public:
    explicit Image(CpioWriter& cpio) : cpio_(cpio) {}

    // `host` at `at` (relative), with every library it needs at the path ldd names.
    Status binary(const std::string& at, const std::string& host, const std::string& ldd_of = {}) {
        if (auto s = cpio_.add_host_file(at, host, 0755); !s)
            return s;
        return libraries({ldd_of.empty() ? host : ldd_of});
    }
    Status libraries(const std::vector<std::string>& hosts) {
        auto libs = shared_libraries(hosts);
        if (!libs)
            return std::unexpected(libs.error());
        for (const auto& lib : *libs) {
            const std::string at = lib.substr(1);
            if (cpio_.contains(at))
                continue;
            if (auto s = cpio_.add_host_file(at, lib, 0755); !s)
                return s;
        }
        return {};
    }

private:
    CpioWriter& cpio_;
};

Result<std::string> decompressed_module(const fs::path& file) {
    const std::string ext = file.extension().string();
    const char* tool = ext == ".xz"    ? "xz"
                       : ext == ".zst" ? "zstd"
                       : ext == ".gz"  ? "gzip"
                                       : nullptr;
    if (!tool)
        return read_file(file.string());
    auto r = spawn_checked({tool, "-dc", file.string()}, std::chrono::minutes(1));
    if (!r)
        return std::unexpected(r.error());
    return std::move(r->out);
}

Result<std::string> iptables_binary() {
    auto found = find_program("iptables");
    if (!found)
        return std::unexpected(found.error());
    std::error_code ec;
    const fs::path real = fs::canonical(*found, ec);
    if (ec)
        return fail("resolve " + *found, ec.value());
    return real.string();
}

fs::path xtables_dir() {
    for (const char* d : {"/usr/lib/x86_64-linux-gnu/xtables", "/usr/lib64/xtables",
                          "/usr/lib/xtables", "/usr/libexec/xtables"})
        if (fs::is_directory(d))
            return d;
    return {};
}
} // namespace

Result<std::vector<std::string>> module_load_order(const fs::path& modules_dir,
                                                   const std::vector<std::string>& wanted) {
    std::ifstream dep(modules_dir / "modules.dep");
    if (!dep)
        return fail("read " + (modules_dir / "modules.dep").string(), errno);
    std::map<std::string, std::pair<std::string, std::vector<std::string>>> modules;
    std::string line;
    while (std::getline(dep, line)) {
        const auto colon = line.find(':');
        if (colon == std::string::npos)
            continue;
        std::vector<std::string> deps;
        std::istringstream rest(line.substr(colon + 1));
        for (std::string d; rest >> d;)
            deps.push_back(module_name(d));
        const std::string path = line.substr(0, colon);
        modules[module_name(path)] = {path, std::move(deps)};
    }
    std::vector<std::string> order;
    std::set<std::string> seen;
    // Dependencies first; modules.dep lists a module's whole closure, so one level suffices, but
    // a visit per name keeps the order right whatever the file says.
    auto visit = [&](auto& self, const std::string& name) -> void {
        if (!seen.insert(name).second)
            return;
        auto it = modules.find(name);
        if (it == modules.end())
            return; // built in, or not in this kernel
        for (const auto& d : it->second.second)
            self(self, d);
        order.push_back(it->second.first);
    };
    for (const auto& w : wanted)
        visit(visit, module_name(w));
    return order;
}

std::string guest_init_script() {
    return fmt::format(R"SH(#!/bin/sh
# hookmatrix guest: mount what the runner needs, load the matrix's modules, run, power off.
export PATH=/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev
mount -t tmpfs tmpfs /tmp
mkdir -p /sys/fs/cgroup && mount -t cgroup2 cgroup2 /sys/fs/cgroup
mount -t tracefs tracefs /sys/kernel/tracing 2>/dev/null
mount -t debugfs debugfs /sys/kernel/debug 2>/dev/null
read up idle < /proc/uptime
echo "{up} $up $(uname -r)"
for m in /modules/*.ko; do
  [ -e "$m" ] || continue
  insmod "$m" 2>/dev/null || echo "hookmatrix-guest: could not load ${{m#/modules/}}"
done
hookmatrix guest /hookmatrix/argv
echo "{exit} $?"
reboot -f
)SH",
                       fmt::arg("up", kGuestUp), fmt::arg("exit", kGuestExit));
}

namespace {
// /init, busybox and the applets /init uses.
Status add_base(CpioWriter& cpio, Image& image) {
    for (const char* d : {"proc", "sys", "dev", "tmp", "run", "out", "etc", "modules"})
        if (auto s = cpio.add_dir(d); !s)
            return s;
    if (auto s = cpio.add_file("init", guest_init_script(), 0755); !s)
        return s;
    auto busybox = find_program("busybox");
    if (!busybox)
        return fail("busybox is needed for guests (apt-get install busybox-static)", ENOENT);
    if (auto s = image.binary("bin/busybox", *busybox); !s)
        return s;
    for (const char* applet : {"sh", "mount", "mkdir", "insmod", "cat", "echo", "reboot", "sleep",
                               "uname", "ls", "dmesg"})
        if (auto s = cpio.add_symlink(std::string("bin/") + applet, "busybox"); !s)
            return s;
    return {};
}

// The runner is this binary, without its debug information (a tenth of the size).
Status add_runner(Image& image, const fs::path& scratch) {
    char self[4096];
    const ssize_t n = ::readlink("/proc/self/exe", self, sizeof self - 1);
    if (n <= 0)
        return fail("find this program's own file", errno);
    const std::string exe(self, static_cast<std::size_t>(n));
    std::string runner = exe;
    const fs::path stripped = scratch / "hookmatrix";
    if (auto r = spawn({"strip", "-o", stripped.string(), exe}); r && r->exit_code == 0)
        runner = stripped.string();
    return image.binary("usr/local/bin/hookmatrix", runner, exe);
}

// iptables in both flavours, with its extensions, for the xt-bpf cells.
Status add_iptables(CpioWriter& cpio, Image& image) {
    auto iptables = iptables_binary();
    if (!iptables)
        return fail("iptables is needed for the xt-bpf cells in guests", 0,
                    iptables.error().message());
    const std::string multi = fs::path(*iptables).filename().string();
    if (auto s = image.binary("usr/sbin/" + multi, *iptables); !s)
        return s;
    for (const char* name : {"iptables", "iptables-save", "ip6tables"})
        if (name != multi)
            if (auto s = cpio.add_symlink(std::string("usr/sbin/") + name, multi); !s)
                return s;
    // The legacy (x_tables) flavour too: the xt_bpf attacher falls back to it where the
    // nf_tables flavour cannot add the rule (5.10).
    if (auto legacy = find_program("xtables-legacy-multi")) {
        if (auto s = image.binary("usr/sbin/xtables-legacy-multi", *legacy); !s)
            return s;
        for (const char* name : {"iptables-legacy", "iptables-legacy-save"})
            if (auto s = cpio.add_symlink(std::string("usr/sbin/") + name, "xtables-legacy-multi");
                !s)
                return s;
    }
    const fs::path ext = xtables_dir();
    if (ext.empty())
        return {};
    // About a hundred extensions: their libraries come from one ldd, not one each.
    std::error_code ec;
    std::vector<std::string> extensions;
    for (const auto& e : fs::directory_iterator(ext, ec))
        if (e.path().extension() == ".so") {
            extensions.push_back(e.path().string());
            if (auto s = cpio.add_host_file(extensions.back().substr(1), extensions.back(), 0755);
                !s)
                return s;
        }
    return extensions.empty() ? Status{} : image.libraries(extensions);
}

// The kernel's modules the matrix needs, numbered in the order /init loads them.
Status add_modules(CpioWriter& cpio, const KernelImage& kernel) {
    if (kernel.modules.empty())
        return {};
    auto order = module_load_order(kernel.modules, guest_modules());
    if (!order)
        return std::unexpected(order.error());
    int i = 0;
    for (const auto& rel : *order) {
        auto bytes = decompressed_module(kernel.modules / rel);
        if (!bytes)
            return std::unexpected(bytes.error());
        const std::string at = fmt::format("modules/{:02}-{}.ko", ++i, module_name(rel));
        if (auto s = cpio.add_file(at, *bytes, 0644); !s)
            return s;
    }
    return {};
}

// What the guest's runner is told: its arguments, NUL-separated, and the files they name.
Status add_job(CpioWriter& cpio, const GuestJob& job) {
    std::string argv = job.command;
    argv.push_back('\0');
    for (const auto& a : job.run_args) {
        argv += a;
        argv.push_back('\0');
    }
    if (auto s = cpio.add_file("hookmatrix/argv", argv); !s)
        return s;
    for (const auto& [at, host] : job.files)
        if (auto s = cpio.add_host_file(at.substr(1), host, 0644); !s)
            return s;
    for (const auto& [at, text] : job.texts)
        if (auto s = cpio.add_file(at.substr(1), text); !s)
            return s;
    return {};
}
} // namespace

Status build_initramfs(const KernelImage& kernel, const GuestJob& job, const fs::path& out,
                       const fs::path& scratch) {
    auto cpio = CpioWriter::create(out.string());
    if (!cpio)
        return std::unexpected(cpio.error());
    Image image(*cpio);
    for (auto step : std::initializer_list<std::function<Status()>>{
             [&] { return add_base(*cpio, image); }, [&] { return add_runner(image, scratch); },
             [&] { return add_iptables(*cpio, image); }, [&] { return add_modules(*cpio, kernel); },
             [&] { return add_job(*cpio, job); }})
        if (auto s = step(); !s)
            return s;
    return cpio->finish();
}

} // namespace hm
