#include "runners/kernels/guest_results.h"

#include "core/unique_fd.h"
#include "matrix/results/results_json.h"
#include "runners/kernels/guest_image.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <termios.h>
#include <unistd.h>

#include <charconv>
#include <filesystem>
#include <regex>

namespace hm {

Result<std::string> results_port_device(const std::string& port) {
    static const std::regex device(R"(/dev/(ttyS|hvc)\d+|/dev/vport\d+p\d+)");
    static const std::regex named(R"(/dev/virtio-ports/[A-Za-z0-9_.-]+)");
    const std::string what = "--results-port " + port;
    std::string path = port;
    if (std::regex_match(port, named) && port.find("/.") == std::string::npos) {
        // udev's names for virtio-serial ports are links to the vport devices.
        std::error_code ec;
        path = std::filesystem::canonical(port, ec).string();
        if (ec)
            return fail(what, ec.value());
    }
    if (!std::regex_match(path, device))
        return fail(what + ": not a serial or virtio-serial port (only /dev/ttyS*, /dev/hvc*, "
                           "/dev/vport* and /dev/virtio-ports/* take a guest's results)");
    UniqueFd fd(::open(path.c_str(), O_PATH | O_NOFOLLOW | O_CLOEXEC));
    struct stat st {};
    if (!fd.valid() || ::fstat(fd.get(), &st) != 0)
        return fail(what, errno);
    if (!S_ISCHR(st.st_mode))
        return fail(what + ": not a character device");
    return path;
}

Status send_framed(const std::string& port, const std::string& text) {
    auto device = results_port_device(port);
    if (!device)
        return std::unexpected(device.error());
    UniqueFd fd(::open(device->c_str(), O_WRONLY | O_NOCTTY | O_NOFOLLOW | O_CLOEXEC));
    if (!fd.valid())
        return fail("open " + port, errno);
    // What was opened, not what was checked a moment ago.
    struct stat st {};
    if (::fstat(fd.get(), &st) != 0 || !S_ISCHR(st.st_mode))
        return fail("--results-port " + port + ": not a character device");
    termios tio{};
    if (::tcgetattr(fd.get(), &tio) == 0) {
        ::cfmakeraw(&tio);
        ::tcsetattr(fd.get(), TCSANOW, &tio);
    }
    const std::string frame = std::string(kResultsBegin) + " " + std::to_string(text.size()) +
                              "\n" + text + "\n" + kResultsEnd + "\n";
    for (std::size_t done = 0; done < frame.size();) {
        const ssize_t n = ::write(fd.get(), frame.data() + done, frame.size() - done);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            return fail("write results to " + port, errno);
        done += static_cast<std::size_t>(n);
    }
    ::tcdrain(fd.get());
    return {};
}

Result<std::string> find_framed(const std::string& received) {
    const auto begin = received.rfind(kResultsBegin);
    if (begin == std::string::npos)
        return fail("the guest sent no results");
    const auto size_at = begin + std::string_view(kResultsBegin).size() + 1;
    const auto nl = received.find('\n', size_at);
    std::size_t size = 0;
    if (nl == std::string::npos ||
        std::from_chars(received.data() + size_at, received.data() + nl, size).ec != std::errc{})
        return fail("the guest's results frame has no size");
    // Compared this way round, a size near 2^64 cannot wrap the sum and pass.
    if (size > received.size() - nl - 1)
        return fail("the guest's results are cut short: " +
                    std::to_string(received.size() - nl - 1) + " of " + std::to_string(size) +
                    " bytes arrived");
    return received.substr(nl + 1, size);
}

namespace {
class ResultsPortReporter final : public Reporter {
public:
    explicit ResultsPortReporter(std::string port) : port_(std::move(port)) {}
    Status end(const RunResult& result) override {
        return send_framed(port_, json_text(to_json(result)) + "\n");
    }

private:
    std::string port_;
};
} // namespace

std::unique_ptr<Reporter> make_results_port_reporter(std::string port) {
    return std::make_unique<ResultsPortReporter>(std::move(port));
}

} // namespace hm
