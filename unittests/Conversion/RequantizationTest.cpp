//===- RequantizationTest.cpp - emitted requantization vs. references -----===//
//
// Checks the integer code the qops-to-LLVM pipeline emits for
// `qops.requantize` by JIT-compiling a one-op module and comparing every
// output element with a reference computed here:
//
// * fixed point (`qops.requant = "fixed-point"`): gemmlowp's
//   SaturatingRoundingDoublingHighMul and RoundingDivideByPOT after a
//   saturating left shift (TFLite's MultiplyByQuantizedMultiplier), then the
//   output zero point and the storage clamp;
// * float (the default): round_half_to_even(f32(acc) * f32(m)) + zp,
//   clamped to the storage range in f32 (so an i32 result saturates at the
//   largest f32 below 2^31, 2147483520).
//
// The accumulator is a [rows, channels] i32 tensor quantized per axis along
// dimension 1, so every channel has its own multiplier m[c] = s_in[c] / s_out.
//
//===----------------------------------------------------------------------===//

#include "quant-ops/InitAll.h"
#include "quant-ops/Runtime/Npy.h"
#include "quant-ops/Runtime/Runner.h"

#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/DialectRegistry.h"
#include "mlir/IR/MLIRContext.h"
#include "mlir/InitAllDialects.h"
#include "mlir/InitAllExtensions.h"
#include "mlir/Parser/Parser.h"
#include "llvm/Support/Error.h"
#include "llvm/Support/raw_ostream.h"

#include <gemmlowp/fixedpoint/fixedpoint.h>

#include "gtest/gtest.h"

#include <algorithm>
#include <cfenv>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <limits>
#include <optional>
#include <random>
#include <string>
#include <vector>

using namespace mlir;
using namespace mlir::qops;

namespace {

constexpr int32_t kInt32Min = std::numeric_limits<int32_t>::min();
constexpr int32_t kInt32Max = std::numeric_limits<int32_t>::max();
/// Fixed seed: every run compares the same cases.
constexpr uint64_t kSeed = 0x5eed2024u;
constexpr int64_t kChannels = 1000;
constexpr int64_t kRows = 1024;

//===----------------------------------------------------------------------===//
// Module construction and execution
//===----------------------------------------------------------------------===//

/// A double in MLIR float-literal syntax that parses back to the same value.
std::string formatDouble(double value) {
  char buffer[64];
  std::snprintf(buffer, sizeof(buffer), "%.17g", value);
  std::string text = buffer;
  if (text.find_first_of(".eEn") == std::string::npos)
    text += ".0";
  return text;
}

/// The output (per-tensor) quantized type of a test.
struct OutputType {
  const char *storage; // "i32", "i8", "u8"
  double scale;
  int64_t zeroPoint;
  int64_t qmin, qmax;

  std::string str() const {
    std::string text = std::string("!quant.uniform<") + storage +
                       ":f32, " + formatDouble(scale);
    if (zeroPoint != 0)
      text += ":" + std::to_string(zeroPoint);
    return text + ">";
  }
  NpyDType dtype() const {
    std::string s = storage;
    return s == "i32" ? NpyDType::I32 : s == "u8" ? NpyDType::U8 : NpyDType::I8;
  }
};

constexpr OutputType kI32{"i32", 1.0, 0, kInt32Min, kInt32Max};

/// `@main(acc) = qops.requantize acc` with per-channel input scales `scales`
/// along dimension 1 of a [rows, channels] tensor.
std::string buildModule(const std::vector<double> &scales,
                        const OutputType &out, const char *mode,
                        int64_t rows) {
  std::string inType = "tensor<" + std::to_string(rows) + "x" +
                       std::to_string(scales.size()) +
                       "x!quant.uniform<i32:f32:1, {";
  for (size_t i = 0; i < scales.size(); ++i)
    inType += (i ? ", " : "") + formatDouble(scales[i]);
  inType += "}>>";
  std::string outType = "tensor<" + std::to_string(rows) + "x" +
                        std::to_string(scales.size()) + "x" + out.str() + ">";
  return "func.func @main(%x: " + inType + ") -> " + outType +
         " attributes {qops.requant = \"" + mode + "\"} {\n"
         "  %r = qops.requantize %x : " + inType + " -> " + outType + "\n"
         "  return %r : " + outType + "\n"
         "}\n";
}

/// Parses, lowers, JIT-compiles and runs `source` on `input`; returns the
/// single output, or nullopt after reporting a gtest failure.
std::optional<NpyArray> runModule(const std::string &source,
                                  const NpyArray &input) {
  DialectRegistry registry;
  mlir::registerAllDialects(registry);
  mlir::registerAllExtensions(registry);
  qops::registerAllDialects(registry);
  MLIRContext context(registry);
  OwningOpRef<ModuleOp> module = parseSourceString<ModuleOp>(source, &context);
  if (!module) {
    ADD_FAILURE() << "cannot parse the test module";
    return std::nullopt;
  }
  auto function = JitFunction::create(*module, "main");
  if (!function) {
    ADD_FAILURE() << "JIT compilation failed: "
                  << llvm::toString(function.takeError());
    return std::nullopt;
  }
  llvm::Expected<RunResult> result = (*function)->run(llvm::ArrayRef<NpyArray>(input));
  if (!result) {
    ADD_FAILURE() << "run failed: " << llvm::toString(result.takeError());
    return std::nullopt;
  }
  if (result->outputs.size() != 1) {
    ADD_FAILURE() << "expected one output, got " << result->outputs.size();
    return std::nullopt;
  }
  return std::move(result->outputs.front());
}

/// Element `i` of an integer output array as int64.
int64_t elementAt(const NpyArray &array, int64_t i) {
  switch (array.getDType()) {
  case NpyDType::I32: {
    int32_t v;
    std::memcpy(&v, array.data() + 4 * i, 4);
    return v;
  }
  case NpyDType::I8:
    return static_cast<int8_t>(array.data()[i]);
  case NpyDType::U8:
    return static_cast<uint8_t>(array.data()[i]);
  default:
    return std::numeric_limits<int64_t>::min();
  }
}

//===----------------------------------------------------------------------===//
// Random values (only std::mt19937_64, whose sequence the standard fixes)
//===----------------------------------------------------------------------===//

struct Random {
  std::mt19937_64 engine{kSeed};

  /// Uniform over all of int32.
  int32_t anyInt32() { return static_cast<int32_t>(engine() >> 32); }
  /// Uniform in [lo, hi] (modulo bias is negligible for these spans).
  int64_t inRange(int64_t lo, int64_t hi) {
    return lo + static_cast<int64_t>(engine() %
                                     static_cast<uint64_t>(hi - lo + 1));
  }
  /// Uniform in [0, 1).
  double unit() { return (engine() >> 11) * 0x1.0p-53; }
};

int32_t clampToInt32(int64_t v) {
  return static_cast<int32_t>(std::clamp<int64_t>(v, kInt32Min, kInt32Max));
}

/// Accumulator values every test row-broadcasts over all channels.
std::vector<int32_t> edgeAccumulators() {
  std::vector<int32_t> accs = {kInt32Min, kInt32Min + 1, kInt32Max,
                               kInt32Max - 1, 0};
  for (int32_t v = 1; v <= 16; ++v) {
    accs.push_back(v);
    accs.push_back(-v);
  }
  for (int k : {7, 8, 15, 16, 23, 24, 30}) {
    int32_t p = static_cast<int32_t>(int64_t(1) << k);
    for (int32_t v : {p - 1, p, p + 1}) {
      accs.push_back(v);
      accs.push_back(-v);
    }
  }
  return accs;
}

//===----------------------------------------------------------------------===//
// Fixed point
//===----------------------------------------------------------------------===//

struct FixedPointParams {
  int32_t multiplier; // [2^30, 2^31)
  int shift;          // [-31, 30]
};

/// TFLite's MultiplyByQuantizedMultiplier on gemmlowp's primitives: a
/// saturating left shift (done here in int64), the rounding doubling high
/// multiply and the rounding right shift.
int32_t referenceFixedPoint(int32_t acc, FixedPointParams p) {
  int left = std::max(p.shift, 0), right = std::max(-p.shift, 0);
  int32_t shifted = clampToInt32(static_cast<int64_t>(acc) * (int64_t(1) << left));
  return gemmlowp::RoundingDivideByPOT(
      gemmlowp::SaturatingRoundingDoublingHighMul(shifted, p.multiplier),
      right);
}

/// Per-channel (multiplier, shift): every combination of the edge values
/// first, random ones after.
std::vector<FixedPointParams> fixedPointChannels(Random &random) {
  std::vector<FixedPointParams> channels;
  const int32_t edgeMultipliers[] = {1 << 30, (1 << 30) + 1, 3 << 29,
                                     kInt32Max - 1, kInt32Max};
  const int edgeShifts[] = {-31, -30, -24, -16, -8, -2, -1, 0,
                            1,   2,   8,   16,  29, 30};
  for (int32_t m : edgeMultipliers)
    for (int s : edgeShifts)
      channels.push_back({m, s});
  while (static_cast<int64_t>(channels.size()) < kChannels) {
    int32_t m = static_cast<int32_t>(random.inRange(1 << 30, kInt32Max));
    // Half over the whole shift range, half over the usual (right) shifts.
    int s = channels.size() % 2
                ? static_cast<int>(random.inRange(-31, 30))
                : static_cast<int>(random.inRange(-24, 0));
    channels.push_back({m, s});
  }
  return channels;
}

/// [kRows, kChannels] accumulators: edge rows, then random rows mixing the
/// whole int32 range with small and medium magnitudes.
NpyArray fixedPointInputs(Random &random) {
  NpyArray input(NpyDType::I32, {kRows, kChannels});
  auto *acc = reinterpret_cast<int32_t *>(input.data());
  std::vector<int32_t> edges = edgeAccumulators();
  int64_t row = 0;
  for (; row < static_cast<int64_t>(edges.size()); ++row)
    for (int64_t c = 0; c < kChannels; ++c)
      acc[row * kChannels + c] = edges[row];
  for (; row < kRows; ++row) {
    for (int64_t c = 0; c < kChannels; ++c) {
      int32_t v;
      switch (random.engine() % 4) {
      case 0:
      case 1:
        v = random.anyInt32();
        break;
      case 2:
        v = static_cast<int32_t>(random.inRange(-(1 << 16), 1 << 16));
        break;
      default:
        v = static_cast<int32_t>(random.inRange(-(1 << 24), 1 << 24));
        break;
      }
      acc[row * kChannels + c] = v;
    }
  }
  return input;
}

/// Runs the fixed-point requantization to `out` and compares all elements.
void checkFixedPoint(const OutputType &out) {
  Random random;
  std::vector<FixedPointParams> channels = fixedPointChannels(random);
  NpyArray input = fixedPointInputs(random);

  // s_in[c] = multiplier * 2^(shift - 31) exactly, and s_out is a power of
  // two, so getFixedPointMultiplier recovers (multiplier, shift) exactly.
  int scaleExponent;
  ASSERT_EQ(std::frexp(out.scale, &scaleExponent), 0.5);
  std::vector<double> scales;
  for (const FixedPointParams &p : channels) {
    double real = std::ldexp(static_cast<double>(p.multiplier), p.shift - 31);
    scales.push_back(real * out.scale);
    ASSERT_EQ(scales.back() / out.scale, real);
  }

  std::optional<NpyArray> output =
      runModule(buildModule(scales, out, "fixed-point", kRows), input);
  ASSERT_TRUE(output.has_value());
  ASSERT_EQ(output->getDType(), out.dtype());
  ASSERT_EQ(output->getNumElements(), kRows * kChannels);

  const auto *acc = reinterpret_cast<const int32_t *>(input.data());
  int64_t cases = 0, mismatches = 0;
  std::string first;
  for (int64_t row = 0; row < kRows; ++row) {
    for (int64_t c = 0; c < kChannels; ++c) {
      int64_t i = row * kChannels + c;
      FixedPointParams p = channels[c];
      int64_t expected = std::clamp<int64_t>(
          int64_t(referenceFixedPoint(acc[i], p)) + out.zeroPoint, out.qmin,
          out.qmax);
      int64_t got = elementAt(*output, i);
      ++cases;
      if (got != expected && mismatches++ == 0)
        first = "acc=" + std::to_string(acc[i]) +
                " multiplier=" + std::to_string(p.multiplier) +
                " shift=" + std::to_string(p.shift) +
                " (row " + std::to_string(row) + ", channel " +
                std::to_string(c) + "): expected " + std::to_string(expected) +
                ", got " + std::to_string(got);
    }
  }
  std::printf("[fixed-point -> %s] compared %lld cases, %lld mismatches\n",
              out.str().c_str(), static_cast<long long>(cases),
              static_cast<long long>(mismatches));
  ::testing::Test::RecordProperty(std::string("cases_fixed_point_") +
                                      out.storage,
                                  std::to_string(cases));
  EXPECT_GE(cases, 1000000);
  EXPECT_EQ(mismatches, 0) << "first mismatch: " << first;
}

TEST(RequantizationTest, FixedPointI32MatchesGemmlowp) {
  checkFixedPoint(kI32);
}

TEST(RequantizationTest, FixedPoint8BitMatchesGemmlowp) {
  // Clamping and the output zero point after the fixed-point multiply.
  checkFixedPoint({"u8", 0.25, 128, 0, 255});
  checkFixedPoint({"i8", 1.0, -5, -128, 127});
}

TEST(RequantizationTest, FixedPointReferenceSelfCheck) {
  // Hand-computed values pin down the reference (and document gemmlowp's
  // two roundings). The doubling high multiply rounds half up (towards
  // +infinity, like NEON's VQRDMULH); RoundingDivideByPOT rounds half away
  // from zero; exact real products can therefore round twice.
  // 2^30 * 2^(0-31) = 0.5: 1.5 -> 2, but -1.5 -> -1 and -0.5 -> 0.
  EXPECT_EQ(referenceFixedPoint(3, {1 << 30, 0}), 2);
  EXPECT_EQ(referenceFixedPoint(-3, {1 << 30, 0}), -1);
  EXPECT_EQ(referenceFixedPoint(1, {1 << 30, 0}), 1);
  EXPECT_EQ(referenceFixedPoint(-1, {1 << 30, 0}), 0);
  // 0.5 * 2^-1 = 0.25: 6 -> 3 -> 1.5 -> 2; -6 -> -3 -> -1.5 -> -2;
  // 5 -> 2.5 -> 3 (high multiply) -> 1.5 -> 2 (the real value is 1.25).
  EXPECT_EQ(referenceFixedPoint(6, {1 << 30, -1}), 2);
  EXPECT_EQ(referenceFixedPoint(-6, {1 << 30, -1}), -2);
  EXPECT_EQ(referenceFixedPoint(5, {1 << 30, -1}), 2);
  // Left shift by 30: 2 << 30 saturates to INT32_MAX, times 1 - 2^-31.
  EXPECT_EQ(referenceFixedPoint(2, {kInt32Max, 30}), kInt32Max - 1);
  EXPECT_EQ(referenceFixedPoint(-2, {kInt32Max, 30}), -kInt32Max);
  EXPECT_EQ(referenceFixedPoint(-3, {kInt32Max, 30}), -kInt32Max);
  // Maximal right shift, m = 2^-32: INT32_MIN -> -0.5 -> -1; INT32_MAX ->
  // 2^30 - 0.5 rounds up to 2^30 in the high multiply, then 0.5 -> 1.
  EXPECT_EQ(referenceFixedPoint(kInt32Min, {1 << 30, -31}), -1);
  EXPECT_EQ(referenceFixedPoint(kInt32Max, {1 << 30, -31}), 1);
  EXPECT_EQ(referenceFixedPoint(kInt32Max - 1, {1 << 30, -31}), 0);
}

//===----------------------------------------------------------------------===//
// Float
//===----------------------------------------------------------------------===//

/// The largest f32 not above `qmax`, as the lowering's upper clamp bound.
int64_t floatUpperBound(int64_t qmax) {
  float f = static_cast<float>(qmax);
  if (static_cast<double>(f) > static_cast<double>(qmax))
    f = std::nextafter(f, 0.0f);
  return static_cast<int64_t>(f);
}

/// round_half_to_even(f32(acc) * m) + zp, clamped to [qmin, hi].
int64_t referenceFloat(int32_t acc, float m, const OutputType &out) {
  float rounded = std::nearbyint(static_cast<float>(acc) * m);
  // |rounded| <= 2^31 * 2^4, exact in int64.
  int64_t shifted = static_cast<int64_t>(rounded) + out.zeroPoint;
  return std::clamp<int64_t>(shifted, out.qmin, floatUpperBound(out.qmax));
}

/// Per-channel real multipliers: exact ties first (powers of two and
/// values with short mantissas), then log-uniform random ones.
std::vector<double> floatChannels(Random &random) {
  std::vector<double> m = {0.5,    0.25,       0.125,     0.0625,
                           1.0,    2.0,        0.75,      1.5,
                           0.375,  1.0 / 3.0,  2.0 / 3.0, 0.1,
                           1e-3,   0x1.0p-20,  0x1.0p-23, 16.0,
                           0.5 + 0x1.0p-24, 0.5 - 0x1.0p-25};
  while (static_cast<int64_t>(m.size()) < kChannels) {
    if (m.size() % 4 == 0) {
      // A power of two, 2^-1 .. 2^-12: ties at odd multiples of 2^(k-1).
      m.push_back(std::ldexp(1.0, -static_cast<int>(random.inRange(1, 12))));
    } else {
      m.push_back(std::ldexp(1.0 + random.unit(),
                             static_cast<int>(random.inRange(-24, 3))));
    }
  }
  return m;
}

/// [kRows, kChannels] accumulators for multipliers `mf` (f32) and `out`:
/// edge rows, rows around the two saturation thresholds, tie rows and
/// random rows.
NpyArray floatInputs(Random &random, const std::vector<float> &mf,
                     const OutputType &out) {
  NpyArray input(NpyDType::I32, {kRows, kChannels});
  auto *acc = reinterpret_cast<int32_t *>(input.data());
  int64_t row = 0;
  auto fill = [&](auto value) {
    for (int64_t c = 0; c < kChannels; ++c)
      acc[row * kChannels + c] = value(c);
    ++row;
  };
  for (int32_t v : edgeAccumulators())
    fill([&](int64_t) { return v; });
  // Around the accumulators where the result reaches qmin and qmax: the
  // rounding boundaries (q - zp +- 0.5) / m and the points (q - zp) / m.
  for (int64_t q : {out.qmin, out.qmax})
    for (double half : {-0.5, 0.0, 0.5})
      for (int64_t d = -2; d <= 2; ++d)
        fill([&](int64_t c) {
          double x = (static_cast<double>(q - out.zeroPoint) + half) / mf[c];
          x = std::clamp(std::floor(x), -4e9, 4e9);
          return clampToInt32(static_cast<int64_t>(x) + d);
        });
  // Exact ties: for m = 2^-k, odd multiples of 2^(k-1) (m = 0.5 and odd
  // accumulators, m = 0.25 and acc = 2 mod 4, ...) whose halves straddle
  // the output range; small accumulators for the other multipliers.
  for (int r = 0; r < 200; ++r)
    fill([&](int64_t c) {
      int exponent;
      float fraction = std::frexp(mf[c], &exponent);
      int64_t span = out.qmax - out.qmin + 64;
      span = std::min<int64_t>(span, 1 << 20);
      int64_t j = random.inRange(-span, span) - out.zeroPoint;
      if (fraction == 0.5f && exponent <= 0) {
        int k = 1 - exponent; // m = 2^-k
        int64_t tie = (2 * j + 1) * (int64_t(1) << (k - 1));
        if (std::abs(tie) <= (int64_t(1) << 24)) // exact in f32
          return static_cast<int32_t>(tie);
      }
      return static_cast<int32_t>(random.inRange(-4096, 4096));
    });
  // Random: the whole int32 range, small values, and values mapping
  // uniformly onto (a margin around) the output range.
  while (row < kRows)
    fill([&](int64_t c) -> int32_t {
      switch (random.engine() % 4) {
      case 0:
        return random.anyInt32();
      case 1:
        return static_cast<int32_t>(random.inRange(-1024, 1024));
      default: {
        double lo = static_cast<double>(out.qmin - out.zeroPoint) - 4;
        double hi = static_cast<double>(out.qmax - out.zeroPoint) + 4;
        double target = lo + (hi - lo) * random.unit();
        double x = std::clamp(std::nearbyint(target / mf[c]), -4e9, 4e9);
        return clampToInt32(static_cast<int64_t>(x));
      }
      }
    });
  return input;
}

void checkFloat(const OutputType &out) {
  ASSERT_EQ(std::fegetround(), FE_TONEAREST);
  Random random;
  std::vector<double> multipliers = floatChannels(random);
  // s_in[c] = m[c] * s_out; the lowering's multiplier is f32(s_in / s_out)
  // in double, which the reference computes the same way.
  std::vector<double> scales;
  std::vector<float> mf;
  for (double m : multipliers) {
    scales.push_back(m * out.scale);
    mf.push_back(static_cast<float>(scales.back() / out.scale));
  }
  NpyArray input = floatInputs(random, mf, out);

  std::optional<NpyArray> output =
      runModule(buildModule(scales, out, "float", kRows), input);
  ASSERT_TRUE(output.has_value());
  ASSERT_EQ(output->getDType(), out.dtype());
  ASSERT_EQ(output->getNumElements(), kRows * kChannels);

  const auto *acc = reinterpret_cast<const int32_t *>(input.data());
  int64_t cases = 0, mismatches = 0, ties = 0, saturatedLow = 0,
          saturatedHigh = 0;
  int64_t hi = floatUpperBound(out.qmax);
  std::string first;
  for (int64_t row = 0; row < kRows; ++row) {
    for (int64_t c = 0; c < kChannels; ++c) {
      int64_t i = row * kChannels + c;
      float product = static_cast<float>(acc[i]) * mf[c];
      if (product - std::floor(product) == 0.5f)
        ++ties;
      int64_t expected = referenceFloat(acc[i], mf[c], out);
      saturatedLow += expected == out.qmin;
      saturatedHigh += expected == hi;
      int64_t got = elementAt(*output, i);
      ++cases;
      if (got != expected && mismatches++ == 0) {
        char text[256];
        std::snprintf(text, sizeof(text),
                      "acc=%d m=%.9g (f32 %a) zp=%lld (row %lld, channel "
                      "%lld): expected %lld, got %lld",
                      acc[i], multipliers[c], static_cast<double>(mf[c]),
                      static_cast<long long>(out.zeroPoint),
                      static_cast<long long>(row), static_cast<long long>(c),
                      static_cast<long long>(expected),
                      static_cast<long long>(got));
        first = text;
      }
    }
  }
  std::printf("[float -> %s] compared %lld cases (%lld exact ties, %lld at "
              "qmin, %lld at the upper bound %lld), %lld mismatches\n",
              out.str().c_str(), static_cast<long long>(cases),
              static_cast<long long>(ties),
              static_cast<long long>(saturatedLow),
              static_cast<long long>(saturatedHigh),
              static_cast<long long>(hi), static_cast<long long>(mismatches));
  ::testing::Test::RecordProperty(std::string("cases_float_") + out.storage,
                                  std::to_string(cases));
  EXPECT_GE(cases, 1000000);
  EXPECT_GT(ties, 10000);
  EXPECT_GT(saturatedLow, 1000);
  EXPECT_GT(saturatedHigh, 1000);
  EXPECT_EQ(mismatches, 0) << "first mismatch: " << first;
}

TEST(RequantizationTest, FloatU8MatchesRoundHalfEven) {
  checkFloat({"u8", 0.0625, 128, 0, 255});
}

TEST(RequantizationTest, FloatI8MatchesRoundHalfEven) {
  checkFloat({"i8", 1.0, -3, -128, 127});
  // A scale that is not a power of two: m = f32(s_in / s_out) in double.
  checkFloat({"i8", 0.05, 0, -128, 127});
}

TEST(RequantizationTest, FloatI32SaturatesAtLargestF32) {
  EXPECT_EQ(floatUpperBound(kInt32Max), 2147483520);
  checkFloat(kI32);
}

TEST(RequantizationTest, FloatReferenceSelfCheck) {
  OutputType u8{"u8", 1.0, 128, 0, 255};
  EXPECT_EQ(referenceFloat(1, 0.5f, u8), 128);   // 0.5 -> 0
  EXPECT_EQ(referenceFloat(3, 0.5f, u8), 130);   // 1.5 -> 2
  EXPECT_EQ(referenceFloat(-3, 0.5f, u8), 126);  // -1.5 -> -2
  EXPECT_EQ(referenceFloat(10, 0.25f, u8), 130); // 2.5 -> 2
  EXPECT_EQ(referenceFloat(kInt32Max, 1.0f, u8), 255);
  EXPECT_EQ(referenceFloat(kInt32Min, 1.0f, u8), 0);
  EXPECT_EQ(referenceFloat(kInt32Max, 1.0f, kI32), 2147483520);
  EXPECT_EQ(referenceFloat(kInt32Min, 1.0f, kI32), kInt32Min);
}

} // namespace
