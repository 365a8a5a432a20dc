#pragma once
// Writes a whole file or nothing: a temporary beside the target, then rename(2). A reader (or a
// CI step) never sees half a results.json, even if hookmatrix is killed while writing.
#include "core/error.h"

#include <string>
#include <string_view>

namespace hm {

Status write_file_atomically(const std::string& path, std::string_view content);

// The whole file, bytes as they are.
Result<std::string> read_file(const std::string& path);

// An output directory (and its parents) where the files above go; fine when it exists.
Status make_output_dir(const std::string& dir);

} // namespace hm
