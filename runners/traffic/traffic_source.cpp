#include "runners/traffic/traffic_source.h"

#include "runners/traffic/packet_blaster.h"
#include "runners/traffic/xdp_frame_source.h"

namespace hm {

std::string_view to_string(SourceKind kind) {
    return kind == SourceKind::Xdp ? "xdp" : "skb";
}

std::optional<SourceKind> source_kind(std::string_view name) {
    if (name == "xdp")
        return SourceKind::Xdp;
    if (name == "skb")
        return SourceKind::Skb;
    return std::nullopt;
}

Result<std::unique_ptr<TrafficSource>> open_source(SourceKind kind, const Endpoint& from,
                                                   const Endpoint& to,
                                                   const SourceOptions& options) {
    if (kind == SourceKind::Xdp) {
        auto source = XdpFrameSource::open(from, to, options);
        if (!source)
            return std::unexpected(source.error());
        return std::unique_ptr<TrafficSource>(std::move(*source));
    }
    auto source = PacketBlaster::open(from, to, options);
    if (!source)
        return std::unexpected(source.error());
    return std::unique_ptr<TrafficSource>(std::move(*source));
}

} // namespace hm
