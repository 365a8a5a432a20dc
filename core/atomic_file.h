#pragma once
// Writes a whole file or nothing: an unnamed temporary (O_TMPFILE) in the target's directory,
// named and renamed over the target once whole. A reader (or a CI step) never sees half a
// results.json, and a SIGKILL while it is written leaves no temporary behind: the kernel frees
// an unnamed file. (Where the file system lacks O_TMPFILE: a named temporary, then rename(2).)
#include "core/error.h"

#include <cstddef>
#include <string>
#include <string_view>

namespace hm {

Status write_file_atomically(const std::string& path, std::string_view content);

// Unlinks the temporaries of writes in progress; async-signal-safe, for a handler of SIGINT or
// SIGTERM that ends the process (the rename never happens, so nothing half-written stays).
void remove_temporaries_now() noexcept;

// Inputs are read whole; more than this is not a file hookmatrix wrote or a spec anyone wrote.
inline constexpr std::size_t kMaxInputBytes = std::size_t{256} << 20;

// The whole file, bytes as they are. Refuses what is not a regular file (a directory, a FIFO,
// /dev/zero: nothing that could hang or never end) and a file larger than `max_bytes`.
Result<std::string> read_file(const std::string& path, std::size_t max_bytes = kMaxInputBytes);

// An output directory (and its parents) where the files above go; fine when it exists.
Status make_output_dir(const std::string& dir);

} // namespace hm
