#pragma once
// One end of a link in a topology: a namespace of hookmatrix's own, the device in it, and its
// address. Traffic is sent from one endpoint to another; topologies (runners/topology/) make them.
#include "core/error.h"
#include "core/netns.h"
#include "core/unique_fd.h"

#include <netinet/in.h>

#include <string>

namespace hm {

struct Endpoint {
    Netns ns;
    std::string ifname;
    int ifindex = 0;
    in_addr addr{}; // link-local (169.254.0.0/16)
    std::string addr_text;
};

// A datagram socket in the endpoint's namespace, for the ioctls that name its device (a socket
// keeps the namespace it was made in, so the caller needs no scope of its own).
Result<UniqueFd> ioctl_socket(const Endpoint& end);

} // namespace hm
