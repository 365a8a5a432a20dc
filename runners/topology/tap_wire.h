#pragma once
// The wire behind a tap device: hookmatrix's own stand-in for the far host, so a tap topology
// needs no far namespace. It owns the tap's queue descriptors, reads every frame the device
// transmits on any queue, and answers as the far address with a MAC of its own: ARP requests for
// it, and ICMP echo requests to it. It also originates echo requests (sender()), writing them into
// a queue, which the kernel receives as frames arriving on the device.
//
// One thread polls every queue and an eventfd; the destructor signals the eventfd, joins the
// thread, and only then closes the queues (and with the last one, a non-persistent tap dies).
#include "core/error.h"
#include "core/unique_fd.h"
#include "runners/traffic/icmp_echo.h"

#include <netinet/in.h>

#include <array>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <memory>
#include <mutex>
#include <optional>
#include <span>
#include <thread>
#include <vector>

namespace hm {

using Mac = std::array<std::uint8_t, 6>;

class TapWire {
public:
    // `queues`: the tap's queue descriptors, opened O_NONBLOCK (tun runs XDP on an xdp_buff, as a
    // driver does, only for non-blocking writes). `self` is the wire's address, `peer` the
    // device's.
    static Result<std::unique_ptr<TapWire>> start(std::vector<UniqueFd> queues, in_addr self,
                                                  in_addr peer);
    ~TapWire();
    TapWire(const TapWire&) = delete;
    TapWire& operator=(const TapWire&) = delete;

    int queue_fd(std::size_t i) const { return queues_.at(i).get(); }
    std::size_t queue_count() const { return queues_.size(); }
    const Mac& mac() const { return mac_; }

    // Echo requests from the wire's address to the device's; the sender must not outlive the wire.
    std::unique_ptr<EchoSender> sender();

    // What sender() does; public so a test can drive the wire directly.
    Result<std::uint64_t> send_echo_request(in_addr dst, std::uint16_t ident, std::uint32_t magic,
                                            std::uint32_t seq);
    bool wait_echo_reply(std::uint16_t ident, std::uint32_t magic, std::uint32_t seq,
                         std::chrono::milliseconds timeout);

private:
    struct EchoId {
        std::uint16_t ident;
        std::uint32_t magic, seq;
    };

    TapWire(std::vector<UniqueFd> queues, UniqueFd stop, in_addr self, in_addr peer);
    void run();
    void on_frame(int queue, std::span<const std::uint8_t> frame);
    void on_arp(int queue, std::span<const std::uint8_t> frame);
    void on_ipv4(int queue, std::span<const std::uint8_t> frame);
    void learn_peer(const std::uint8_t* mac);
    Status send_arp_request();
    Result<Mac> resolve_peer();

    std::vector<UniqueFd> queues_;
    UniqueFd stop_; // eventfd: a write ends run()
    in_addr self_, peer_;
    Mac mac_;
    std::uint16_t next_ip_id_ = 1; // only the sending thread touches it

    std::mutex mu_; // guards what the wire thread hands to senders
    std::condition_variable cv_;
    std::optional<Mac> peer_mac_;
    std::deque<EchoId> replies_;

    std::thread thread_; // last: started when everything above exists
};

} // namespace hm
