#include "runners/kernels/guest_pool.h"

#include <algorithm>
#include <mutex>
#include <thread>

namespace hm {

void run_kernels(const std::vector<KernelCells>& kernels, const KernelAxisOptions& options,
                 const Progress& progress, const std::function<void(GuestOutcome)>& done,
                 const std::atomic<bool>& stop) {
    std::mutex lock;
    auto say = [&](const std::string& line) {
        std::lock_guard g(lock);
        if (progress)
            progress(line);
    };
    auto report = [&](GuestOutcome out) {
        std::lock_guard g(lock);
        done(std::move(out));
    };
    // Fetching happens one kernel at a time: the downloads share one apt state directory.
    struct Ready {
        const KernelCells* what;
        KernelImage image;
    };
    std::vector<Ready> ready;
    for (const KernelCells& k : kernels) {
        if (stop)
            return;
        auto ref = parse_kernel_ref(k.kernel);
        auto image = ref ? resolve_kernel(*ref, options.vm.cache, options.vm.modules_dir, say)
                         : Result<KernelImage>(std::unexpected(ref.error()));
        if (!image) {
            report(failed_kernel(k.kernel, k.cells, image.error().message(), image.error().detail));
            continue;
        }
        ready.push_back({&k, std::move(*image)});
    }
    std::atomic<std::size_t> next{0};
    VmOptions vm = options.vm;
    vm.machine.stop = &stop; // a stop ends a guest that is running, too
    auto worker = [&] {
        for (std::size_t i; !stop && (i = next++) < ready.size();) {
            const Ready& r = ready[i];
            report(run_in_guest(r.image, r.what->cells, options.guest, vm, say));
        }
    };
    const unsigned n =
        std::max(1u, std::min<unsigned>(options.jobs, static_cast<unsigned>(ready.size())));
    std::vector<std::jthread> workers;
    for (unsigned i = 1; i < n; ++i)
        workers.emplace_back(worker);
    worker();
}

} // namespace hm
