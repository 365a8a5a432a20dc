#include "runners/topology/netlink.h"

#include <netlink/addr.h>
#include <netlink/netlink.h>
#include <netlink/route/addr.h>
#include <netlink/route/link.h>
#include <netlink/route/link/veth.h>
#include <linux/if.h>
#include <thread>

namespace hm::nl {

namespace {
std::unexpected<Error> nl_fail(std::string what, int nlerr) {
    return fail(std::move(what), 0, std::string("netlink: ") + nl_geterror(nlerr));
}

struct LinkDeleter {
    void operator()(rtnl_link* l) const { rtnl_link_put(l); }
};
using Link = std::unique_ptr<rtnl_link, LinkDeleter>;

Result<Link> get_link(nl_sock* sk, const std::string& name) {
    rtnl_link* link = nullptr;
    if (int e = rtnl_link_get_kernel(sk, 0, name.c_str(), &link); e < 0)
        return nl_fail("look up link " + name, e);
    return Link(link);
}
} // namespace

Result<Socket> open_route_socket() {
    Socket sk(nl_socket_alloc(), nl_socket_free);
    if (!sk)
        return fail("allocate a netlink socket", ENOMEM);
    if (int e = nl_connect(sk.get(), NETLINK_ROUTE); e < 0)
        return nl_fail("connect a rtnetlink socket", e);
    return sk;
}

Status add_veth(nl_sock* sk, const std::string& name, const std::string& peer, int peer_ns_fd) {
    Link link(rtnl_link_veth_alloc());
    if (!link)
        return fail("allocate veth " + name, ENOMEM);
    rtnl_link_set_name(link.get(), name.c_str());
    rtnl_link* p = rtnl_link_veth_get_peer(link.get());
    rtnl_link_set_name(p, peer.c_str());
    rtnl_link_set_ns_fd(p, peer_ns_fd);
    rtnl_link_put(p);
    if (int e = rtnl_link_add(sk, link.get(), NLM_F_CREATE | NLM_F_EXCL); e < 0)
        return nl_fail("create veth pair " + name + "/" + peer, e);
    return {};
}

Result<int> ifindex(nl_sock* sk, const std::string& name) {
    auto link = get_link(sk, name);
    if (!link)
        return std::unexpected(link.error());
    return rtnl_link_get_ifindex(link->get());
}

Status set_up(nl_sock* sk, const std::string& name) {
    auto link = get_link(sk, name);
    if (!link)
        return std::unexpected(link.error());
    Link change(rtnl_link_alloc());
    rtnl_link_set_flags(change.get(), IFF_UP);
    if (int e = rtnl_link_change(sk, link->get(), change.get(), 0); e < 0)
        return nl_fail("set link " + name + " up", e);
    return {};
}

Status wait_operational(nl_sock* sk, const std::string& name, std::chrono::milliseconds timeout) {
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    for (;;) {
        auto link = get_link(sk, name);
        if (!link)
            return std::unexpected(link.error());
        const auto state = rtnl_link_get_operstate(link->get());
        if (state == IF_OPER_UP || state == IF_OPER_UNKNOWN)
            return {};
        if (std::chrono::steady_clock::now() >= deadline)
            return fail("wait for link " + name + " to become operational", ETIMEDOUT,
                        "operstate is still " + std::to_string(state));
        std::this_thread::sleep_for(std::chrono::milliseconds(1));
    }
}

Status add_address(nl_sock* sk, int ifindex, const std::string& cidr) {
    nl_addr* local = nullptr;
    if (int e = nl_addr_parse(cidr.c_str(), AF_INET, &local); e < 0)
        return nl_fail("parse address " + cidr, e);
    std::unique_ptr<nl_addr, void (*)(nl_addr*)> local_owner(local, nl_addr_put);
    std::unique_ptr<rtnl_addr, void (*)(rtnl_addr*)> addr(rtnl_addr_alloc(), rtnl_addr_put);
    rtnl_addr_set_ifindex(addr.get(), ifindex);
    rtnl_addr_set_local(addr.get(), local);
    if (int e = rtnl_addr_add(sk, addr.get(), 0); e < 0)
        return nl_fail("add address " + cidr, e);
    return {};
}

} // namespace hm::nl
