#pragma once
// Whether this kernel runs XDP programs on live frames, asked without hookmatrix: the yardstick
// for its own probe (matrix/features.h) in the bench tests. Some kernels refuse even root (seen:
// 6.18.44-fc-v1300 answers EPERM), and the XDP-frame source's cells must then say so.

namespace hm::test {

// 0 when a minimal XDP program runs on a live frame (BPF_PROG_RUN with
// BPF_F_TEST_XDP_LIVE_FRAMES, in a network namespace of its own, lo up, that dies with the
// thread); otherwise the errno of the refusal, or -1 when the check itself could not be made.
int live_frames_errno();

} // namespace hm::test
