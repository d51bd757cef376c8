//===- QuantTypeVerifierTest.cpp - quantized-type checks from C++ ---------===//
//
// The textual parser rejects zero, negative and non-finite scales before a
// qops verifier sees them, but C++ code (importers, passes) can build such
// types. These tests build them and check the qops diagnostics.
//
//===----------------------------------------------------------------------===//

#include "quant-ops/Dialect/QOps/IR/QOpsOps.h"
#include "quant-ops/Dialect/QOps/IR/QuantTypeUtils.h"
#include "quant-ops/InitAll.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/Builders.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/Diagnostics.h"
#include "mlir/IR/Verifier.h"

#include "gtest/gtest.h"

#include <cmath>
#include <limits>

using namespace mlir;

namespace {

class QuantTypeVerifierTest : public ::testing::Test {
protected:
  QuantTypeVerifierTest() {
    DialectRegistry registry;
    qops::registerAllDialects(registry);
    context.appendDialectRegistry(registry);
    context.loadAllAvailableDialects();
  }

  quant::UniformQuantizedType perTensor(double scale, int64_t zeroPoint) {
    Builder b(&context);
    return quant::UniformQuantizedType::get(
        /*flags=*/0, b.getIntegerType(8), b.getF32Type(), scale, zeroPoint,
        /*storageTypeMin=*/-128, /*storageTypeMax=*/127);
  }

  quant::UniformQuantizedPerAxisType perAxis(ArrayRef<double> scales) {
    Builder b(&context);
    SmallVector<int64_t> zeroPoints(scales.size(), 0);
    return quant::UniformQuantizedPerAxisType::get(
        quant::QuantizationFlags::Signed, b.getIntegerType(8), b.getF32Type(),
        scales, zeroPoints, /*quantizedDimension=*/0, -127, 127);
  }

  /// Builds `qops.quantize : tensor<shape x f32> -> tensor<shape x elem>`
  /// inside a function, verifies it and returns the diagnostic text ("" if
  /// the module verifies).
  std::string verifyQuantize(Type elementType, ArrayRef<int64_t> shape) {
    OpBuilder b(&context);
    Location loc = b.getUnknownLoc();
    auto floatType = RankedTensorType::get(shape, b.getF32Type());
    auto quantType = RankedTensorType::get(shape, elementType);
    OwningOpRef<ModuleOp> module = ModuleOp::create(loc);
    b.setInsertionPointToEnd(module->getBody());
    auto func = func::FuncOp::create(b, loc, "f",
                                     b.getFunctionType({floatType}, {}));
    Block *entry = func.addEntryBlock();
    b.setInsertionPointToEnd(entry);
    qops::QuantizeOp::create(b, loc, quantType, entry->getArgument(0));
    func::ReturnOp::create(b, loc);

    std::string message;
    ScopedDiagnosticHandler handler(&context, [&](Diagnostic &diag) {
      message = diag.str();
      return success();
    });
    if (succeeded(mlir::verify(*module)))
      return "";
    return message;
  }

  MLIRContext context;
};

TEST_F(QuantTypeVerifierTest, AcceptsWellFormedTypes) {
  EXPECT_EQ(verifyQuantize(perTensor(0.05, -3), {2, 3}), "");
  EXPECT_EQ(verifyQuantize(perAxis({0.5, 0.25}), {2, 3}), "");
}

TEST_F(QuantTypeVerifierTest, RejectsZeroScale) {
  EXPECT_EQ(verifyQuantize(perTensor(0.0, 0), {4}),
            "'qops.quantize' op result #0 has scale 0.000000e+00; scales "
            "must be finite and positive");
}

TEST_F(QuantTypeVerifierTest, RejectsNegativeScale) {
  EXPECT_EQ(verifyQuantize(perTensor(-0.5, 0), {4}),
            "'qops.quantize' op result #0 has scale -5.000000e-01; scales "
            "must be finite and positive");
}

TEST_F(QuantTypeVerifierTest, RejectsNaNScale) {
  std::string message = verifyQuantize(
      perTensor(std::numeric_limits<double>::quiet_NaN(), 0), {4});
  EXPECT_NE(message.find("result #0 has scale nan; scales must be finite and "
                         "positive"),
            std::string::npos)
      << message;
}

TEST_F(QuantTypeVerifierTest, RejectsInfiniteScale) {
  std::string message = verifyQuantize(
      perTensor(std::numeric_limits<double>::infinity(), 0), {4});
  EXPECT_NE(message.find("result #0 has scale INF; scales must be finite and "
                         "positive"),
            std::string::npos)
      << message;
}

TEST_F(QuantTypeVerifierTest, RejectsBadPerAxisScaleWithItsIndex) {
  EXPECT_EQ(verifyQuantize(perAxis({0.5, 0.0, 0.25}), {3, 2}),
            "'qops.quantize' op result #0 has scale 0.000000e+00 at index 1 "
            "of its quantized dimension; scales must be finite and positive");
}

TEST_F(QuantTypeVerifierTest, RejectsNonUniformQuantizedTypes) {
  // Op type constraints admit uniform types only; the shared checker still
  // names any other quantized type it is handed (e.g. by an importer).
  Builder b(&context);
  auto calibrated =
      quant::CalibratedQuantizedType::get(b.getF32Type(), -1.0, 1.0);
  std::string message;
  ScopedDiagnosticHandler handler(&context, [&](Diagnostic &diag) {
    message = diag.str();
    return success();
  });
  EXPECT_TRUE(failed(qops::verifyQuantizedTensorType(
      [&] { return emitError(b.getUnknownLoc()); },
      RankedTensorType::get({2}, calibrated), "value")));
  EXPECT_EQ(message, "value has quantized type "
                     "'!quant.calibrated<f32<-1.000000e+00:1.000000e+00>>'; "
                     "qops supports uniform per-tensor and per-axis types only");
}

TEST_F(QuantTypeVerifierTest, ScaleAtReadsPerTensorAndPerAxisScales) {
  EXPECT_EQ(qops::getScaleAt(perTensor(0.125, 0), 7), 0.125);
  EXPECT_EQ(qops::getScaleAt(perAxis({0.5, 0.25}), 1), 0.25);
  EXPECT_TRUE(qops::isQuantized(perTensor(0.125, 0)));
  EXPECT_FALSE(qops::isQuantized(Builder(&context).getF32Type()));
}

} // namespace
