//===- QuantParamsTest.cpp - parameter derivation against hand values -----===//
//
// Scale and zero point from a real range, checked against values computed
// by hand from the contract's formulas.
//
//===----------------------------------------------------------------------===//

#include "quant-ops/Dialect/QOps/IR/QuantParams.h"

#include "mlir/Dialect/Quant/IR/Quant.h"
#include "mlir/IR/MLIRContext.h"
#include "llvm/Support/raw_ostream.h"

#include "gtest/gtest.h"

#include <cmath>
#include <limits>

using namespace mlir;
using namespace mlir::qops;

namespace {

constexpr QuantScheme kU8{8, /*isSigned=*/false, /*symmetric=*/false, false};
constexpr QuantScheme kI8{8, /*isSigned=*/true, /*symmetric=*/false, false};
constexpr QuantScheme kI8SymNarrow{8, true, /*symmetric=*/true,
                                   /*narrowRange=*/true};
constexpr QuantScheme kI8Sym{8, true, /*symmetric=*/true, false};
constexpr QuantScheme kI4SymNarrow{4, true, true, true};
constexpr QuantScheme kI16Sym{16, true, true, false};

QuantParams derive(double rmin, double rmax, const QuantScheme &scheme) {
  FailureOr<QuantParams> params = computeQuantParams(rmin, rmax, scheme);
  EXPECT_TRUE(succeeded(params));
  return succeeded(params) ? *params : QuantParams();
}

/// A context with the quant dialect, which owns the types.
struct QuantContext : MLIRContext {
  QuantContext() { loadDialect<quant::QuantDialect>(); }
};

std::string print(Type type) {
  std::string text;
  llvm::raw_string_ostream os(text);
  os << type;
  return text;
}

TEST(QuantParamsTest, StorageRanges) {
  EXPECT_EQ(kU8.getQMin(), 0);
  EXPECT_EQ(kU8.getQMax(), 255);
  EXPECT_EQ(kI8.getQMin(), -128);
  EXPECT_EQ(kI8SymNarrow.getQMin(), -127);
  EXPECT_EQ(kI8SymNarrow.getQMax(), 127);
  EXPECT_EQ(kI4SymNarrow.getQMin(), -7);
  EXPECT_EQ(kI4SymNarrow.getQMax(), 7);
  EXPECT_EQ(kI16Sym.getQMin(), -32768);
  EXPECT_EQ(kI16Sym.getQMax(), 32767);
}

// s = (3 - -1) / 255; z = round(0 - -1 / s) = round(63.75) = 64.
TEST(QuantParamsTest, AsymmetricU8) {
  QuantParams p = derive(-1.0, 3.0, kU8);
  EXPECT_FLOAT_EQ(p.scale, 4.0 / 255.0);
  EXPECT_EQ(p.zeroPoint, 64);
}

// Same scale; z = round(-128 + 63.75) = round(-64.25) = -64.
TEST(QuantParamsTest, AsymmetricI8) {
  QuantParams p = derive(-1.0, 3.0, kI8);
  EXPECT_FLOAT_EQ(p.scale, 4.0 / 255.0);
  EXPECT_EQ(p.zeroPoint, -64);
}

// s = 127.5 / 255 = 0.5 exactly; -rmin / s = 2.5 is a tie: half to even
// gives 2, not 3.
TEST(QuantParamsTest, ZeroPointTieRoundsHalfToEven) {
  QuantParams p = derive(-1.25, 126.25, kU8);
  EXPECT_EQ(p.scale, 0.5);
  EXPECT_EQ(p.zeroPoint, 2);
  QuantContext context;
  EXPECT_EQ(print(getUniformType(&context, kU8, p)),
            "!quant.uniform<u8:f32, 5.000000e-01:2>");
}

// Ranges are widened to include 0: [2, 5] -> [0, 5], [-5, -2] -> [-5, 0].
TEST(QuantParamsTest, RangeWidenedToIncludeZero) {
  QuantParams positive = derive(2.0, 5.0, kU8);
  EXPECT_FLOAT_EQ(positive.scale, 5.0 / 255.0);
  EXPECT_EQ(positive.zeroPoint, 0);
  QuantParams negative = derive(-5.0, -2.0, kI8);
  EXPECT_FLOAT_EQ(negative.scale, 5.0 / 255.0);
  EXPECT_EQ(negative.zeroPoint, 127);
}

// s = max(|-0.5|, |2.54|) / 127 = 0.02 (rounded to f32: 0.0199999995...),
// z = 0, in both narrow and full ranges (qmax is 127 in both).
TEST(QuantParamsTest, SymmetricNarrowAndFull) {
  QuantParams narrow = derive(-0.5, 2.54, kI8SymNarrow);
  EXPECT_FLOAT_EQ(narrow.scale, 0.02);
  EXPECT_EQ(narrow.zeroPoint, 0);
  QuantParams full = derive(-0.5, 2.54, kI8Sym);
  EXPECT_FLOAT_EQ(full.scale, 0.02);
  QuantContext context;
  EXPECT_EQ(print(getUniformType(&context, kI8SymNarrow, narrow)),
            "!quant.uniform<i8<-127:127>:f32, 0.019999999552965164>");
}

// 4-bit narrow: qmax = 7, s = 1 / 7.
TEST(QuantParamsTest, FourBitSymmetric) {
  QuantParams p = derive(-1.0, 0.7, kI4SymNarrow);
  EXPECT_FLOAT_EQ(p.scale, 1.0 / 7.0);
  EXPECT_EQ(p.zeroPoint, 0);
}

// 16-bit: qmax = 32767, s = 3 / 32767.
TEST(QuantParamsTest, SixteenBitSymmetric) {
  QuantParams p = derive(-3.0, 2.0, kI16Sym);
  EXPECT_FLOAT_EQ(p.scale, 3.0 / 32767.0);
  EXPECT_EQ(p.zeroPoint, 0);
}

// Per-channel weights: one symmetric scale per output channel.
TEST(QuantParamsTest, PerChannel) {
  double ranges[3][2] = {{-1.27, 0.5}, {-0.2, 2.54}, {0.0, 0.0}};
  SmallVector<QuantParams> params;
  for (auto &range : ranges)
    params.push_back(derive(range[0], range[1], kI8SymNarrow));
  EXPECT_FLOAT_EQ(params[0].scale, 0.01);
  EXPECT_FLOAT_EQ(params[1].scale, 0.02);
  EXPECT_EQ(params[2].scale, 1.0);
  QuantContext context;
  EXPECT_EQ(print(getUniformPerAxisType(&context, kI8SymNarrow, params, 0)),
            "!quant.uniform<i8<-127:127>:f32:0, "
            "{0.0099999997764825821,0.019999999552965164,1.000000e+00}>");
}

// Degenerate ranges are handled, never divided by.
TEST(QuantParamsTest, ZeroWidthRange) {
  QuantParams u8 = derive(0.0, 0.0, kU8);
  EXPECT_EQ(u8.scale, 1.0);
  EXPECT_EQ(u8.zeroPoint, 0);
  QuantParams i8 = derive(0.0, 0.0, kI8);
  EXPECT_EQ(i8.scale, 1.0);
  EXPECT_EQ(i8.zeroPoint, -128);
}

TEST(QuantParamsTest, TinyRangeKeepsANormalScale) {
  QuantParams p = derive(0.0, 1e-45, kU8);
  EXPECT_EQ(p.scale, std::numeric_limits<float>::min());
  EXPECT_EQ(p.zeroPoint, 0);
}

TEST(QuantParamsTest, RejectsNonFiniteEmptyAndUnsignedSymmetric) {
  std::string error;
  double nan = std::numeric_limits<double>::quiet_NaN();
  double inf = std::numeric_limits<double>::infinity();
  EXPECT_TRUE(failed(computeQuantParams(nan, 1.0, kU8, &error)));
  EXPECT_NE(error.find("is not finite"), std::string::npos) << error;
  EXPECT_TRUE(failed(computeQuantParams(-1.0, inf, kI8, &error)));
  EXPECT_NE(error.find("is not finite"), std::string::npos) << error;
  EXPECT_TRUE(failed(computeQuantParams(2.0, 1.0, kI8, &error)));
  EXPECT_NE(error.find("is empty (min > max)"), std::string::npos) << error;
  QuantScheme unsignedSymmetric = kU8;
  unsignedSymmetric.symmetric = true;
  EXPECT_TRUE(failed(computeQuantParams(-1.0, 1.0, unsignedSymmetric, &error)));
  EXPECT_EQ(error, "symmetric quantization needs signed storage");
  QuantScheme oneBit = kI8;
  oneBit.bits = 1;
  EXPECT_TRUE(failed(computeQuantParams(-1.0, 1.0, oneBit, &error)));
  EXPECT_EQ(error, "1-bit storage is not supported (2 to 32 bits)");
}

} // namespace
