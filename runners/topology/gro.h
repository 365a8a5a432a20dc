#pragma once
// GRO on a device, as `ethtool -K DEV gro on` sets it: the SIOCETHTOOL ETHTOOL_SGRO ioctl in the
// device's namespace, never a shell. bench turns it on at the receiving veth of the XDP-frame
// source: veth takes XDP frames from its peer only into NAPI, which it runs while the device has
// a native XDP program or GRO (Linux 5.13+, "veth: allow enabling NAPI even without XDP"); without
// either it drops them. The setting lives on a device of hookmatrix's namespaces and goes with
// them.
#include "core/error.h"
#include "runners/traffic/endpoint.h"

namespace hm {

// Turns GRO on at `end`'s device and reads it back: an Error when the device refuses or the
// setting does not hold.
Status enable_gro(const Endpoint& end);

} // namespace hm
