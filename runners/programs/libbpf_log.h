#pragma once
// libbpf reports verifier logs and load failures only through its print callback. While a
// LibbpfLogCapture lives, this thread's libbpf warnings are collected so that a rejected load can
// put the verifier log into the cell's `error` detail instead of onto the terminal.
#include <string>

namespace hm {

class LibbpfLogCapture {
public:
    LibbpfLogCapture();
    ~LibbpfLogCapture();
    LibbpfLogCapture(const LibbpfLogCapture&) = delete;
    LibbpfLogCapture& operator=(const LibbpfLogCapture&) = delete;
    std::string take();

private:
    std::string text_;
    std::string* previous_;
};

} // namespace hm
