#pragma once
// One end of a link in a topology: a namespace of hookmatrix's own, the device in it, and its
// address. Traffic is sent from one endpoint to another; topologies (runners/topology/) make them.
#include "core/netns.h"

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

} // namespace hm
