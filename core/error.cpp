#include "core/error.h"

#include <cstring>

namespace hm {

std::string Error::message() const {
    if (err == 0)
        return what;
    return what + ": " + std::strerror(err);
}

} // namespace hm
