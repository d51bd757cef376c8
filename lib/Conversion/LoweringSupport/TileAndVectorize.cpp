//===- TileAndVectorize.cpp - CPU tiling and vectorization strategy -------===//
//
// qops-tile-and-vectorize and qops-hoist-vector-transfers.
//
//===----------------------------------------------------------------------===//

#include "quant-ops/Conversion/LoweringSupport/LoweringSupport.h"

#include "mlir/Dialect/Affine/IR/AffineOps.h"
#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Linalg/Transforms/Hoisting.h"
#include "mlir/Dialect/Linalg/Transforms/Transforms.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/SCF/Transforms/TileUsingInterface.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/Dialect/Utils/StaticValueUtils.h"
#include "mlir/Dialect/Vector/IR/VectorOps.h"
#include "mlir/Dialect/Tensor/Transforms/Transforms.h"
#include "mlir/Dialect/Vector/Transforms/LoweringPatterns.h"
#include "mlir/Dialect/Vector/Transforms/VectorRewritePatterns.h"
#include "mlir/Transforms/GreedyPatternRewriteDriver.h"

#include "llvm/ADT/SmallBitVector.h"
#include "llvm/MC/MCSubtargetInfo.h"
#include "llvm/MC/TargetRegistry.h"
#include "llvm/Support/TargetSelect.h"
#include "llvm/TargetParser/Host.h"

namespace mlir::qops {
#define GEN_PASS_DEF_QOPSTILEANDVECTORIZEPASS
#define GEN_PASS_DEF_QOPSHOISTVECTORTRANSFERSPASS
#include "quant-ops/Conversion/Passes.h.inc"
} // namespace mlir::qops

using namespace mlir;
using namespace mlir::qops;

FailureOr<TargetVectorFeatures>
mlir::qops::getTargetVectorFeatures(StringRef cpu) {
  static constexpr llvm::StringLiteral kNames[] = {
      "avx512f", "avx",      "avx512vnni", "avx512vl",
      "avxvnni", "avx512bw", "avx512vbmi"};
  llvm::StringMap<bool> features;
  if (cpu == "host") {
    features = llvm::sys::getHostCPUFeatures();
  } else {
    llvm::InitializeNativeTarget();
    std::string error;
    llvm::Triple triple(llvm::sys::getDefaultTargetTriple());
    const llvm::Target *target =
        llvm::TargetRegistry::lookupTarget(triple, error);
    if (!target)
      return failure();
    // Check the name on a generic subtarget first: creating one for an
    // unknown CPU prints a warning.
    std::unique_ptr<llvm::MCSubtargetInfo> generic(
        target->createMCSubtargetInfo(triple, "generic", ""));
    if (!generic || !generic->isCPUStringValid(cpu))
      return failure();
    std::unique_ptr<llvm::MCSubtargetInfo> subtarget(
        target->createMCSubtargetInfo(triple, cpu, ""));
    for (StringRef feature : kNames)
      features[feature] = subtarget->checkFeatures(("+" + feature).str());
  }
  TargetVectorFeatures result;
  result.lanes = features.lookup("avx512f") ? 16
                 : features.lookup("avx")   ? 8
                                            : 4;
  result.avx512vnni = features.lookup("avx512vnni");
  result.avx512vl = features.lookup("avx512vl");
  result.avxvnni = features.lookup("avxvnni");
  result.avx512vbmi =
      features.lookup("avx512vbmi") && features.lookup("avx512bw");
  return result;
}

FailureOr<int64_t> mlir::qops::getVectorLanes(StringRef cpu) {
  FailureOr<TargetVectorFeatures> features = getTargetVectorFeatures(cpu);
  if (failed(features))
    return failure();
  return features->lanes;
}

/// The largest divisor of `size` that is at most `target` (so that tiles of
/// a static loop are all full).
static int64_t pickTile(int64_t size, int64_t target) {
  if (size <= target)
    return size;
  for (int64_t t = target; t > 1; --t)
    if (size % t == 0)
      return t;
  return 1;
}

/// An element-wise op (all loops parallel, identity output) with an operand
/// broadcast along outer loops, whose innermost loop spans one to four
/// vector registers: e.g. a squeeze-excitation gate of [1, 1, 1, C] scaling
/// [1, H, W, C] with C = 16. LLVM unrolls such a short innermost loop
/// completely before its loop vectorizer sees it and leaves scalar code
/// (the broadcast keeps the loops from being collapsed into one long
/// loop); tiled to rows of the innermost loop and vectorized here, each
/// row is one to four vector operations.
static bool isShortBroadcastElementwise(linalg::LinalgOp op, int64_t lanes,
                                        bool isRow = false) {
  auto generic = dyn_cast<linalg::GenericOp>(op.getOperation());
  if (!generic || generic.getNumDpsInits() != 1 ||
      op.getNumLoops() != op.getNumParallelLoops() || op.getNumLoops() < 2 ||
      !op.getMatchingIndexingMap(op.getDpsInitOperand(0)).isIdentity())
    return false;
  SmallVector<int64_t> ranges = op.getStaticLoopRanges();
  unsigned innermost = ranges.size() - 1;
  int64_t inner = ranges.back();
  if (ShapedType::isDynamic(inner) || inner < lanes || inner > 4 * lanes ||
      inner % lanes != 0)
    return false;
  // Every input is read along the innermost loop (its last index) or not
  // at all, its other indices loops or 0; one skips a loop of more than one
  // iteration.
  bool broadcast = false;
  for (OpOperand *input : op.getDpsInputOperands()) {
    AffineMap map = op.getMatchingIndexingMap(input);
    if (map.getNumResults() == 0)
      return false;
    llvm::SmallBitVector used(ranges.size());
    for (AffineExpr result : map.getResults()) {
      if (auto dim = dyn_cast<AffineDimExpr>(result))
        used.set(dim.getPosition());
      else if (!isa<AffineConstantExpr>(result) ||
               cast<AffineConstantExpr>(result).getValue() != 0)
        return false;
    }
    if (map.getResults().back() != getAffineDimExpr(innermost, op.getContext()))
      return false;
    for (unsigned d = 0; d < innermost; ++d)
      broadcast |= !used.test(d) && ranges[d] > 1;
  }
  // A row (the tile of such an op) has one iteration in every outer loop.
  if (isRow)
    broadcast = llvm::all_of(ArrayRef(ranges).drop_back(),
                             [](int64_t r) { return r == 1; });
  // No gathers (tensor.extract) in the body: they do not vectorize.
  bool gathers = false;
  generic.getBody()->walk([&](tensor::ExtractOp) { gathers = true; });
  return broadcast && !gathers;
}

/// Tile sizes for the loops of `op`, or failure when the strategy does not
/// handle it.
static FailureOr<SmallVector<int64_t>> getTileSizes(linalg::LinalgOp op,
                                                    int64_t lanes) {
  SmallVector<int64_t> ranges = op.getStaticLoopRanges();
  if (llvm::any_of(ranges, ShapedType::isDynamic))
    return failure();
  // (n, oh, ow, f, kh, kw, c)
  if (isa<linalg::Conv2DNhwcHwcfOp>(op))
    return SmallVector<int64_t>{1, 1, pickTile(ranges[2], 8),
                                pickTile(ranges[3], 2 * lanes), 1, 1,
                                pickTile(ranges[6], lanes)};
  // (n, oh, ow, c, kh, kw)
  if (isa<linalg::DepthwiseConv2DNhwcHwcOp>(op))
    return SmallVector<int64_t>{1, 1, pickTile(ranges[2], 8),
                                pickTile(ranges[3], 2 * lanes), 1, 1};
  if (isShortBroadcastElementwise(op, lanes)) {
    SmallVector<int64_t> sizes(ranges.size(), 1);
    sizes.back() = ranges.back();
    return sizes;
  }
  if (!linalg::isaContractionOpInterface(op))
    return failure();
  FailureOr<linalg::ContractionDimensions> dims =
      linalg::inferContractionDims(op);
  if (failed(dims) || dims->m.size() != 1 || dims->n.size() != 1 ||
      dims->k.size() != 1)
    return failure();
  SmallVector<int64_t> sizes(ranges.size(), 1);
  sizes[dims->m[0]] = pickTile(ranges[dims->m[0]], 8);
  sizes[dims->n[0]] = pickTile(ranges[dims->n[0]], 2 * lanes);
  sizes[dims->k[0]] = pickTile(ranges[dims->k[0]], lanes);
  return sizes;
}

/// Whether a (tiled, decomposed) op is one this strategy vectorizes.
static bool shouldVectorize(linalg::LinalgOp op, int64_t lanes) {
  if (!op.hasPureTensorSemantics() || op.hasDynamicShape())
    return false;
  if (!isa<linalg::Conv1DNwcWcfOp, linalg::DepthwiseConv1DNwcWcOp>(op) &&
      !linalg::isaContractionOpInterface(op) &&
      !isShortBroadcastElementwise(op, lanes, /*isRow=*/true))
    return false;
  // Only register-sized tiles: untiled ops would become huge vectors.
  int64_t iterations = 1;
  for (int64_t r : op.getStaticLoopRanges())
    iterations *= r;
  return iterations <= 16384;
}

namespace {
struct QOpsTileAndVectorizePass
    : public qops::impl::QOpsTileAndVectorizePassBase<
          QOpsTileAndVectorizePass> {
  using Base::Base;

  LogicalResult initialize(MLIRContext *context) override {
    if (vectorSize > 0) {
      lanes = vectorSize;
      return success();
    }
    FailureOr<int64_t> resolved = getVectorLanes(targetCpu);
    if (failed(resolved))
      return emitError(UnknownLoc::get(context))
             << "qops-tile-and-vectorize: unknown target-cpu '" << targetCpu
             << "' for " << llvm::sys::getDefaultTargetTriple();
    lanes = *resolved;
    return success();
  }

  void runOnOperation() override {
    func::FuncOp func = getOperation();
    MLIRContext *context = &getContext();
    IRRewriter rewriter(context);

    // 1. Tile.
    SmallVector<linalg::LinalgOp> targets;
    func.walk([&](linalg::LinalgOp op) {
      if (op.hasPureTensorSemantics() && succeeded(getTileSizes(op, lanes)))
        targets.push_back(op);
    });
    for (linalg::LinalgOp op : targets) {
      SmallVector<int64_t> sizes = *getTileSizes(op, lanes);
      scf::SCFTilingOptions options;
      options.setTileSizes(getAsIndexOpFoldResult(context, sizes));
      rewriter.setInsertionPoint(op);
      FailureOr<scf::SCFTilingResult> tiled = scf::tileUsingSCF(
          rewriter, cast<TilingInterface>(op.getOperation()), options);
      if (failed(tiled)) {
        op.emitWarning() << "could not be tiled; left to scalar code";
        continue;
      }
      rewriter.replaceOp(op, tiled->replacements);
    }

    // 2. Decompose unit-window 2-D convolutions into 1-D ones.
    {
      RewritePatternSet patterns(context);
      linalg::populateDecomposeConvolutionPatterns(patterns);
      if (failed(applyPatternsGreedily(func, std::move(patterns))))
        return signalPassFailure();
    }

    // 2b. Tiles of batched contractions keep a unit batch loop, which the
    // vector contraction lowering does not handle: drop it, so that the
    // tile is a plain matrix product.
    {
      linalg::ControlDropUnitDims control;
      control.rankReductionStrategy = linalg::ControlDropUnitDims::
          RankReductionStrategy::ExtractInsertSlice;
      control.controlFn = [&](Operation *op) -> SmallVector<unsigned> {
        auto linalgOp = dyn_cast<linalg::GenericOp>(op);
        if (!linalgOp || !shouldVectorize(linalgOp, lanes))
          return {};
        FailureOr<linalg::ContractionDimensions> dims =
            linalg::inferContractionDims(linalgOp);
        if (failed(dims))
          return {};
        SmallVector<int64_t> ranges = linalgOp.getStaticLoopRanges();
        SmallVector<unsigned> unitBatch;
        for (unsigned d : dims->batch)
          if (ranges[d] == 1)
            unitBatch.push_back(d);
        return unitBatch;
      };
      RewritePatternSet patterns(context);
      linalg::populateFoldUnitExtentDimsPatterns(patterns, control);
      if (failed(applyPatternsGreedily(func, std::move(patterns))))
        return signalPassFailure();
    }

    // 3. Vectorize the tiles.
    SmallVector<linalg::LinalgOp> tiles;
    func.walk([&](linalg::LinalgOp op) {
      if (shouldVectorize(op, lanes))
        tiles.push_back(op);
    });
    for (linalg::LinalgOp op : tiles) {
      rewriter.setInsertionPoint(op);
      FailureOr<linalg::VectorizationResult> result =
          linalg::vectorize(rewriter, op);
      if (succeeded(result))
        rewriter.replaceOp(op, result->replacements);
    }

    // 4. Clean up: fold the transfers created around the tiles.
    RewritePatternSet patterns(context);
    vector::populateVectorTransferPermutationMapLoweringPatterns(patterns);
    vector::populateVectorReductionToContractPatterns(patterns);
    vector::populateSinkVectorOpsPatterns(patterns);
    vector::populateFoldArithExtensionPatterns(patterns);
    tensor::populateFoldTensorSubsetIntoVectorTransferPatterns(patterns);
    scf::ForOp::getCanonicalizationPatterns(patterns, context);
    vector::TransferReadOp::getCanonicalizationPatterns(patterns, context);
    vector::TransferWriteOp::getCanonicalizationPatterns(patterns, context);
    if (failed(applyPatternsGreedily(func, std::move(patterns))))
      return signalPassFailure();
  }

private:
  int64_t lanes = 4;
};

struct QOpsHoistVectorTransfersPass
    : public qops::impl::QOpsHoistVectorTransfersPassBase<
          QOpsHoistVectorTransfersPass> {
  void runOnOperation() override {
    linalg::hoistRedundantVectorTransfers(getOperation(),
                                          /*verifyNonZeroTrip=*/true);
  }
};
} // namespace
