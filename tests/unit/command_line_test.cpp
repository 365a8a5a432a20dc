// core/command_line.h: the command line recorded in results.json reads back as it was typed.
#include "core/command_line.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

using hm::quote_command_line;

TEST(CommandLine, PlainArgumentsAreJoinedBySpaces) {
    const std::vector<std::string> args{"hookmatrix",        "run", "--hooks",
                                        "xdpdrv,tc-ingress", "-o",  "out/x"};
    EXPECT_EQ(quote_command_line(args), "hookmatrix run --hooks xdpdrv,tc-ingress -o out/x");
}

TEST(CommandLine, ArgumentsAShellWouldSplitOrExpandAreSingleQuoted) {
    const std::vector<std::string> args{"hookmatrix", "run",      "-o",     "my out", "--spec",
                                        "$HOME/s",    "--object", "it's.o", ""};
    EXPECT_EQ(quote_command_line(args),
              "hookmatrix run -o 'my out' --spec '$HOME/s' --object 'it'\\''s.o' ''");
}
