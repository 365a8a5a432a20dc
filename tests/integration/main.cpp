// The integration tests run as root on the real kernel. Like hookmatrix itself, the test process
// first enters a private mount namespace with its own bpffs, so nothing it pins is ever visible
// on the host. That must happen before any thread exists, hence a main() of our own.
#include "core/mount_ns.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <iostream>

int main(int argc, char** argv) {
    ::testing::InitGoogleTest(&argc, argv);
    // ctest lists the tests at build time, as whoever builds: no namespace for that.
    if (!::testing::GTEST_FLAG(list_tests) && ::geteuid() == 0) {
        if (auto s = hm::enter_private_mounts(); !s)
            std::cerr << "cannot enter a private mount namespace: " << s.error().message() << "\n";
    }
    return RUN_ALL_TESTS();
}
