#!/usr/bin/env bash
# Installs what hookmatrix needs to build, run and test on Debian 12, from Debian's archive only.
# Idempotent: when every package is already there it does not touch apt at all.
set -euo pipefail

packages=(
  # build
  cmake g++ make pkg-config clang llvm bpftool linux-libc-dev
  libbpf-dev libelf-dev zlib1g-dev libnl-3-dev libnl-route-3-dev
  nlohmann-json3-dev libfmt-dev libcli11-dev libboost-dev libboost-filesystem-dev libyaml-cpp-dev
  libjs-chart.js   # Chart.js, inlined into report.html at build time
  # tests and benchmarks
  googletest libgtest-dev libbenchmark-dev
  libxml2-utils chromium   # xmllint checks junit.xml; headless Chromium opens report.html
  # fuzzing (ci/fuzz.sh): libFuzzer comes with clang's runtime; clang 16 is the first Debian 12
  # clang that compiles std::expected (conditionally trivial destructors)
  clang-16 libclang-rt-16-dev
  # run time: iptables for the xt_bpf hooks, iproute2 and bpftool for the tests' host checks
  iproute2 iptables
  # other kernels (--kernels): qemu guests with a busybox initramfs; Debian's kernels come
  # through apt-get download and dpkg-deb, and their modules.dep from depmod
  qemu-system-x86 busybox-static kmod xz-utils
  # hookmatrix kernels build (built:netdevsim, run by hand, not in CI): a few MB beyond the
  # compiler; pahole (dwarves) makes the kernel's BTF
  flex bison bc dwarves
)
# Optional tooling: hookmatrix never needs it. `hookmatrix bench` cross-checks its xdpdrv /
# xdpgeneric ratio with xdp-bench when it is installed (and says why not when it is not).
optional=(xdp-tools)

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
optional_missing=()
for p in "${optional[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" ||
    optional_missing+=("$p")
done
if ((${#missing[@]} == 0 && ${#optional_missing[@]} == 0)); then
  echo "install-deps: all ${#packages[@]} packages present"
  exit 0
fi
if [[ $(id -u) -ne 0 ]]; then
  if ((${#missing[@]} == 0)); then
    echo "install-deps: optional ${optional_missing[*]} missing (not needed); run as root to add"
    exit 0
  fi
  echo "install-deps: missing ${missing[*]}; run as root (sudo) to install them" >&2
  exit 1
fi
echo "install-deps: installing ${missing[*]} ${optional_missing[*]}"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
if ((${#missing[@]} > 0)); then
  apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi
if ((${#optional_missing[@]} > 0)); then
  apt-get install -y -qq --no-install-recommends "${optional_missing[@]}" ||
    echo "install-deps: optional ${optional_missing[*]} not installed (hookmatrix does not need it)"
fi
