#pragma once
// How a guest's results.json reaches the host: Debian's cloud kernels have no 9p, so the guest
// writes it to its second serial port, which qemu saves to a file, in a frame the host finds
// again whatever else the port carried.
#include "core/error.h"
#include "reports/reporter.h"

#include <memory>

#include <string>

namespace hm {

// The device a results port names, or why it is none: only a serial or virtio-serial port may be
// one (/dev/ttyS<n>, /dev/hvc<n>, /dev/vport<n>p<m>, or a /dev/virtio-ports/<name> link to a
// vport), and it must be a character device; never a link elsewhere or a regular file, which a
// root process would otherwise overwrite on a user's word.
Result<std::string> results_port_device(const std::string& port);

// In the guest: `text` framed onto the serial device `port`, in raw mode (no \n -> \r\n).
// `port` is checked as results_port_device checks it.
Status send_framed(const std::string& port, const std::string& text);

// On the host: the framed text in `received`, the bytes qemu saved from that port.
Result<std::string> find_framed(const std::string& received);

// In the guest: a reporter that, when the run ends, sends its results.json framed onto `port`.
std::unique_ptr<Reporter> make_results_port_reporter(std::string port);

} // namespace hm
