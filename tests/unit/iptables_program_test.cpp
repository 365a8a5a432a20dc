// runners/attach/iptables_program.h: $HOOKMATRIX_IPTABLES names a program a root process runs,
// so only root's own iptables is taken.
#include "runners/attach/iptables_program.h"

#include "temp_dir.h"

#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

namespace hm {
namespace {

namespace fs = std::filesystem;

std::string refusal(const std::string& path) {
    auto ok = check_iptables_program(path);
    return ok ? std::string() : ok.error().message();
}

TEST(IptablesProgram, ARelativePathIsRefused) {
    EXPECT_NE(refusal("iptables").find("not an absolute path"), std::string::npos);
    EXPECT_NE(refusal("./iptables").find("not an absolute path"), std::string::npos);
}

TEST(IptablesProgram, AProgramNotNamedIptablesIsRefused) {
    EXPECT_NE(refusal("/bin/sh").find("not an iptables program"), std::string::npos);
    EXPECT_NE(refusal("/usr/sbin/ip6tables").find("not an iptables program"), std::string::npos);
}

TEST(IptablesProgram, AMissingProgramIsRefusedWithItsErrno) {
    const std::string why = refusal("/usr/sbin/iptables-no-such-flavour");
    EXPECT_NE(why.find("HOOKMATRIX_IPTABLES=/usr/sbin/iptables-no-such-flavour"),
              std::string::npos);
    EXPECT_NE(why.find("No such file"), std::string::npos) << why;
}

TEST(IptablesProgram, AFileInAnotherUsersOrAWorldWritableTreeIsRefused) {
    // The temporary directory sits in /tmp (sticky, writable by all): whoever runs the test,
    // a program there is refused, by its directory or, when not root, by its owner.
    test::TempDir dir;
    ASSERT_TRUE(dir.valid());
    const fs::path program = dir.path() / "iptables-legacy";
    std::ofstream(program) << "#!/bin/sh\n";
    fs::permissions(program, fs::perms::owner_all);
    const std::string why = refusal(program.string());
    if (::geteuid() == 0)
        EXPECT_NE(why.find("is writable by group or others"), std::string::npos) << why;
    else
        EXPECT_NE(why.find("not owned by root"), std::string::npos) << why;
}

TEST(IptablesProgram, ADirectoryIsNoProgram) {
    test::TempDir dir;
    ASSERT_TRUE(dir.valid());
    fs::create_directory(dir.path() / "iptables");
    // Refused whichever check comes first: not a regular file, or its tree.
    EXPECT_FALSE(check_iptables_program((dir.path() / "iptables").string()));
}

TEST(IptablesProgram, TheSystemsIptablesIsTaken) {
    // Debian's is a link through /etc/alternatives to the xtables multi-call binary, all root's.
    for (const char* path : {"/usr/sbin/iptables", "/sbin/iptables"}) {
        struct stat st {};
        if (::stat(path, &st) != 0)
            continue;
        EXPECT_TRUE(check_iptables_program(path)) << refusal(path);
        return;
    }
    GTEST_SKIP() << "no iptables installed";
}

} // namespace
} // namespace hm
