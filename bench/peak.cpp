//===- peak.cpp - this CPU's peak int8 VNNI and fp32 FMA throughput -------===//
//
// Usage: quant-bench-peak [SECONDS]
//
// Measures, on one thread, how many operations per second one core retires
// with the two instructions the int8 and fp32 kernels are built from:
//
//   vpdpbusd zmm  u8 x s8 -> s32 dot product, 64 multiply-adds = 128 ops
//   vfmadd   zmm  fp32 fused multiply-add,    16 multiply-adds =  32 ops
//
// Each loop is inline assembly (volatile, so the compiler can neither fold
// nor drop it) over 24 independent accumulator registers, more than latency x
// issue width, so it is bound by the execution ports and not by dependency
// chains. Integer accumulators may wrap, which costs nothing; the FMA loop
// adds 0 * 0 to accumulators at +0.0, so no value is ever denormal.
//
// The core clock is measured too, from a chain of dependent 1-cycle adds, to
// express the rates per cycle. Times are the thread's CPU time, so other
// processes sharing the core do not lower the peaks (a busy machine may still
// lower the clock). Prints machine-readable lines (best of five runs of about
// SECONDS each, default 0.2):
//   clock GHz 3.57 (dependent adds)
//   peak vpdpbusd GOPS 913.8 (7.14 instr/ns, 2.00 per cycle)
//   peak fma GOPS 227.8 (7.12 instr/ns, 1.99 per cycle)
// or `peak vpdpbusd GOPS -` when the CPU lacks AVX-512 VNNI.
//
//===----------------------------------------------------------------------===//

#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <ctime>

namespace {

/// Independent accumulators per loop: zmm0-zmm23, two operands in zmm24 and
/// zmm25. Zen 4/5 and recent Intel cores retire two 512-bit vpdpbusd or FMA
/// per cycle with a latency of 4-5 cycles: 8-10 chains would do; 24 leave
/// margin.
constexpr int64_t kInstrPerIter = 24;

/// CPU time of this thread, in seconds: time the scheduler gives to other
/// processes sharing the core does not count, so the peaks hold on a busy
/// machine too.
double threadSeconds() {
  timespec t;
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t);
  return static_cast<double>(t.tv_sec) + static_cast<double>(t.tv_nsec) * 1e-9;
}

// The loop body: `OP src2, src1, accN` for the 24 accumulators (AT&T order).
#define QB_STR(x) #x
#define QB_ONE(op, n) op " %%zmm25, %%zmm24, %%zmm" QB_STR(n) "\n\t"
#define QB_EIGHT(op, a, b, c, d, e, f, g, h)                                   \
  QB_ONE(op, a) QB_ONE(op, b) QB_ONE(op, c) QB_ONE(op, d) QB_ONE(op, e)        \
      QB_ONE(op, f) QB_ONE(op, g) QB_ONE(op, h)
#define QB_BODY(op)                                                            \
  QB_EIGHT(op, 0, 1, 2, 3, 4, 5, 6, 7)                                         \
  QB_EIGHT(op, 8, 9, 10, 11, 12, 13, 14, 15)                                   \
  QB_EIGHT(op, 16, 17, 18, 19, 20, 21, 22, 23)
// Zeroes the 24 accumulators.
#define QB_ZERO_ONE(op, n) op " %%zmm" QB_STR(n) ", %%zmm" QB_STR(n) ", %%zmm" QB_STR(n) "\n\t"
#define QB_ZERO(op)                                                            \
  QB_ZERO_ONE(op, 0) QB_ZERO_ONE(op, 1) QB_ZERO_ONE(op, 2) QB_ZERO_ONE(op, 3)  \
  QB_ZERO_ONE(op, 4) QB_ZERO_ONE(op, 5) QB_ZERO_ONE(op, 6) QB_ZERO_ONE(op, 7)  \
  QB_ZERO_ONE(op, 8) QB_ZERO_ONE(op, 9) QB_ZERO_ONE(op, 10)                    \
  QB_ZERO_ONE(op, 11) QB_ZERO_ONE(op, 12) QB_ZERO_ONE(op, 13)                  \
  QB_ZERO_ONE(op, 14) QB_ZERO_ONE(op, 15) QB_ZERO_ONE(op, 16)                  \
  QB_ZERO_ONE(op, 17) QB_ZERO_ONE(op, 18) QB_ZERO_ONE(op, 19)                  \
  QB_ZERO_ONE(op, 20) QB_ZERO_ONE(op, 21) QB_ZERO_ONE(op, 22)                  \
  QB_ZERO_ONE(op, 23)
#define QB_CLOBBERS                                                            \
  "xmm0", "xmm1", "xmm2", "xmm3", "xmm4", "xmm5", "xmm6", "xmm7", "xmm8",      \
      "xmm9", "xmm10", "xmm11", "xmm12", "xmm13", "xmm14", "xmm15", "xmm16",   \
      "xmm17", "xmm18", "xmm19", "xmm20", "xmm21", "xmm22", "xmm23", "xmm24",  \
      "xmm25"

/// Runs `iterations` x 24 vpdpbusd zmm and returns the seconds taken. The
/// loop is assembly, so what is timed is exactly these instructions (the
/// accumulators never leave their registers); volatile keeps it.
__attribute__((target("avx512f,avx512vnni"), noinline)) double
runVnni(int64_t iterations) {
  double start = threadSeconds();
  __asm__ volatile(
      "vpternlogd $0xff, %%zmm24, %%zmm24, %%zmm24\n\t" // all ones
      "vpabsb %%zmm24, %%zmm25\n\t"                     // all 0x01
      "1:\n\t" QB_BODY("vpdpbusd") "dec %0\n\t"
      "jnz 1b\n\t"
      "vzeroupper"
      : "+r"(iterations)
      :
      : "cc", QB_CLOBBERS);
  return threadSeconds() - start;
}

/// Runs `iterations` x 24 vfmadd231ps zmm and returns the seconds taken.
/// acc += 0 * 0 keeps the accumulators at their (finite, normal or zero)
/// values.
__attribute__((target("avx512f,fma"), noinline)) double
runFma(int64_t iterations) {
  double start = threadSeconds();
  __asm__ volatile(
      QB_ZERO("vpxord") // accumulators: +0.0, never denormal
      "vpxord %%zmm24, %%zmm24, %%zmm24\n\t"
      "vpxord %%zmm25, %%zmm25, %%zmm25\n\t"
      "1:\n\t" QB_BODY("vfmadd231ps") "dec %0\n\t"
      "jnz 1b\n\t"
      "vzeroupper"
      : "+r"(iterations)
      :
      : "cc", QB_CLOBBERS);
  return threadSeconds() - start;
}

/// Runs `iterations` x 24 dependent 1-cycle `add`s: the core clock, to put
/// the two rates above per cycle.
__attribute__((noinline)) double runAdds(int64_t iterations) {
  uint64_t x = 0;
  double start = threadSeconds();
  __asm__ volatile("1:\n\t"
                   ".rept 24\n\t"
                   "add $1, %1\n\t"
                   ".endr\n\t"
                   "dec %0\n\t"
                   "jnz 1b"
                   : "+r"(iterations), "+r"(x)
                   :
                   : "cc");
  return threadSeconds() - start;
}

/// Calibrates the iteration count to about `seconds` per run, then returns
/// the best of five runs in instructions per nanosecond.
double instrPerNs(double (*run)(int64_t), double seconds) {
  int64_t iterations = 1 << 16;
  run(iterations); // warm-up: clocks up, code in cache
  while (run(iterations) < seconds / 4)
    iterations *= 2;
  double best = 0;
  for (int rep = 0; rep < 5; ++rep) {
    double s = run(iterations);
    best = std::max(best, static_cast<double>(iterations) * kInstrPerIter /
                              s / 1e9);
  }
  return best;
}

void report(const char *name, bool supported, double (*run)(int64_t),
            double opsPerInstr, double seconds, double ghz) {
  if (!supported) {
    std::printf("peak %s GOPS - (not supported by this CPU)\n", name);
    return;
  }
  double rate = instrPerNs(run, seconds);
  std::printf("peak %s GOPS %.1f (%.2f instr/ns, %.2f per cycle)\n", name,
              rate * opsPerInstr, rate, rate / ghz);
}

} // namespace

int main(int argc, char **argv) {
  double seconds = argc > 1 ? std::atof(argv[1]) : 0.2;
  if (!(seconds > 0)) {
    std::fprintf(stderr, "usage: %s [SECONDS per run, > 0]\n", argv[0]);
    return 1;
  }
  __builtin_cpu_init();
  bool avx512 = __builtin_cpu_supports("avx512f");
  double ghz = instrPerNs(runAdds, seconds);
  std::printf("clock GHz %.2f (dependent adds)\n", ghz);
  report("vpdpbusd", avx512 && __builtin_cpu_supports("avx512vnni"), runVnni,
         128, seconds, ghz);
  report("fma", avx512 && __builtin_cpu_supports("fma"), runFma, 32, seconds,
         ghz);
  return 0;
}
