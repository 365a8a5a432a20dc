#pragma once
// The few rtnetlink operations topologies need, on libnl-route-3. A socket belongs to the network
// namespace the thread was in when it was made, so open one inside a NetnsScope.
#include "core/error.h"

#include <chrono>
#include <memory>
#include <string>

struct nl_sock;

namespace hm::nl {

using Socket = std::unique_ptr<nl_sock, void (*)(nl_sock*)>;

Result<Socket> open_route_socket();

// A veth pair: `name` in the socket's namespace, `peer` moved at creation into peer_ns_fd, so the
// peer never exists in any other namespace, not even for a moment.
Status add_veth(nl_sock* sk, const std::string& name, const std::string& peer, int peer_ns_fd);
Result<int> ifindex(nl_sock* sk, const std::string& name);
Status set_up(nl_sock* sk, const std::string& name);
// Waits until the kernel reports the link operational (operstate up, or unknown for devices
// without carrier such as lo). Until then the device still sits on the noop qdisc that drops
// everything: the kernel's linkwatch activates it asynchronously after the link comes up.
Status wait_operational(nl_sock* sk, const std::string& name, std::chrono::milliseconds timeout);
// "169.254.100.1/30"
Status add_address(nl_sock* sk, int ifindex, const std::string& cidr);

} // namespace hm::nl
