//===- PackedConvolution.cpp - register-tiled conv / matmul kernels -------===//
//
// The fast path of conv2d (dense or grouped), fully_connected and matmul with
// constant weights, integer and float: weights packed at compile time into
// the layout of the multiply-accumulate instruction, a register tile of P
// output pixels x R blocks of L output channels whose accumulators live in
// vector registers over the whole reduction, and the epilogue (bias in the
// initializer; fused clamp; int8 requantization) applied to the registers
// before the store, so no i32 (or unclamped f32) tensor is ever stored.
//
// Packed layout (L = i32 lanes of a vector register, C4 = ceil(C / 4)):
//
//   packed[first * T + ((kh * KW + kw) * C4 + c4) * R + (ob - first)]
//         [l * 4 + j] = w[ob * L + l][kh][kw][c4 * 4 + j]  (0 beyond O, C)
//
// where T = KH * KW * C4 and the channel block ob belongs to the group of R
// blocks starting at block `first` that one register tile computes: a
// tile reads its weights as one contiguous stream, R rows per reduction
// step. One row is one register of L output channels x 4 input channels: the
// signed operand of `vpdpbusd` (AVX512-VNNI, 16 lanes; AVX-VNNI, 8 lanes),
// whose unsigned operand is 4 input channels of one pixel broadcast to
// every lane. Without VNNI the same layout feeds a portable sequence of
// vector extensions, multiplies and adds. Float kernels use groups of one
// input channel: rows of L f32 weights, FMA with one broadcast input.
//
// Grouped convolutions: channel block ob reads the window of input channels
// [start(ob), start(ob) + window) with start(ob) = floor(ob * L / OG) * CG
// (OG, CG: output and input channels per group) and window = CG when OG is
// a multiple of L, L / OG * CG when OG divides L; C4 counts the window's
// steps, and weights across groups in a window are zero.
//
// Signed (i8) activations are made unsigned by flipping their sign bit
// (x + 128); the constant -128 * sum_k w[o, k] joins the accumulator
// initializer. i32 arithmetic wraps, so this is exact whenever the true
// accumulator fits i32, which the lowering checks beforehand.
//
//===----------------------------------------------------------------------===//

#include "IntegerBuilders.h"

#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Vector/IR/VectorOps.h"

using namespace mlir;
using namespace mlir::qops;
using namespace mlir::qops::lowering;

namespace {

/// The input channels each block of `lanes` output channels reads (see the
/// file comment): one window of `width` channels from `start(block)`; a
/// dense convolution (one group) has one window of all its channels.
struct ChannelWindows {
  ChannelWindows() = default;
  ChannelWindows(int64_t groups, int64_t channels, int64_t outChannels,
                 int64_t lanes)
      : lanes(lanes), groupIn(channels / groups),
        groupOut(outChannels / groups),
        width(groups == 1 ? channels
              : groupOut % lanes == 0 ? groupIn
                                      : lanes / groupOut * groupIn) {}

  int64_t start(int64_t block) const {
    return block * lanes / groupOut * groupIn;
  }

  int64_t lanes = 1, groupIn = 0, groupOut = 1, width = 0;
};

/// Emits the loop nest of one packed convolution.
class KernelEmitter {
public:
  KernelEmitter(OpBuilder &b, Location loc, const PackedConvolution &conv,
                const KernelTarget &target)
      : b(b), loc(loc), conv(conv), target(target), lanes(target.lanes),
        isFloat(conv.isFloat()), group(isFloat ? 1 : 4) {}

  Value emit();

private:
  Value index(int64_t v) { return constantIndex(b, loc, v); }
  Value add(Value x, Value y) { return arith::AddIOp::create(b, loc, x, y); }
  Value mul(Value x, int64_t c) {
    if (c == 1)
      return x;
    return arith::MulIOp::create(b, loc, x, index(c));
  }

  void packOperands();
  Value emitTile(Value out, Value n, Value oh, Value ow0, Value ob0, int64_t p,
                 int64_t r, int64_t partial);
  int64_t tilePixels(int64_t r) const;
  Value dot(Value acc, Value activation, ArrayRef<Value> weight);
  SmallVector<Value> loadWeights(Value row);
  Value loadActivation(Value n, Value ih, Value iw, Value c);

  OpBuilder &b;
  Location loc;
  const PackedConvolution &conv;
  const KernelTarget &target;
  int64_t lanes;
  /// Float kernels: f32 FMAs on one input channel at a time (group 1);
  /// integer ones: 4-way dot products (group 4).
  bool isFloat;
  int64_t group;

  // Shapes: input [N, H, W, C4 * group], output [N, OH, OW, O].
  int64_t batch = 0, outH = 0, outW = 0, outC = 0, kh = 0, kw = 0, c4 = 0;
  // The input channels each channel block reads.
  ChannelWindows windows;
  int64_t blocks = 0; // ceil(O / lanes)
  // Channel blocks per tile: full blocks in groups of `groupSize` up to
  // `grouped`, then one smaller group up to `whole`, then the partial last
  // block (O not a multiple of the lanes, `partial` channels) alone.
  int64_t groupSize = 1, grouped = 0, whole = 0, partial = 0;

  void chooseGroups();
  /// The packed row of channel block `block` at reduction step `step`: a
  /// group's rows interleave its blocks step by step, so that a tile reads
  /// one contiguous stream of weights.
  int64_t packedRow(int64_t block, int64_t step) const;
  /// The first input channel channel block `block` reads.
  Value windowStart(Value block);
  /// The OHWI `weights` as packed rows of `lanes * group` elements of T.
  template <typename T, typename W>
  SmallVector<T> packRows(ArrayRef<W> weights) const;
  Value packed, init;
  SmallVector<Value> tables;
};

} // namespace

void KernelEmitter::chooseGroups() {
  // Wide tiles when few pixels share the weights (a matrix-vector
  // product), else channel blocks balanced against the pixels.
  int64_t maxR = outW == 1 && outH == 1 &&
                         (isFloat || target.dot != Int8DotKind::Generic)
                     ? 8
                 : isFloat ? (lanes == 16 ? 4 : 2)
                 : target.dot == Int8DotKind::Generic ? 1
                 : target.dot == Int8DotKind::Vnni512 ? 4
                                                      : 2;
  partial = outC % lanes;
  whole = blocks - (partial ? 1 : 0);
  groupSize = std::max<int64_t>(1, std::min(whole, maxR));
  grouped = whole / groupSize * groupSize;
}

int64_t KernelEmitter::packedRow(int64_t block, int64_t step) const {
  int64_t first = block < grouped ? block / groupSize * groupSize
                  : block < whole ? grouped
                                  : whole;
  int64_t size = block < grouped ? groupSize
                 : block < whole ? whole - grouped
                                 : 1;
  return first * kh * kw * c4 + step * size + (block - first);
}

Value KernelEmitter::windowStart(Value block) {
  if (conv.groups == 1)
    return index(0);
  Value first = arith::DivUIOp::create(b, loc, mul(block, lanes),
                                       index(windows.groupOut));
  return mul(first, windows.groupIn);
}

template <typename T, typename W>
SmallVector<T> KernelEmitter::packRows(ArrayRef<W> weights) const {
  int64_t width = lanes * group;
  SmallVector<T> data(blocks * kh * kw * c4 * width, T(0));
  for (int64_t o = 0; o < outC; ++o) {
    // Input channel c of output o's group sits at `offset + c` in its
    // block's window.
    int64_t groupIn = windows.groupIn;
    int64_t offset = o / windows.groupOut * groupIn - windows.start(o / lanes);
    for (int64_t y = 0; y < kh; ++y)
      for (int64_t x = 0; x < kw; ++x)
        for (int64_t c = 0; c < groupIn; ++c) {
          int64_t step = (y * kw + x) * c4 + (offset + c) / group;
          data[packedRow(o / lanes, step) * width + (o % lanes) * group +
               (offset + c) % group] =
              static_cast<T>(weights[((o * kh + y) * kw + x) * groupIn + c]);
        }
  }
  return data;
}

void KernelEmitter::packOperands() {
  batch = conv.resultType.getDimSize(0);
  outH = conv.resultType.getDimSize(1);
  outW = conv.resultType.getDimSize(2);
  outC = conv.resultType.getDimSize(3);
  kh = conv.kernel[0];
  kw = conv.kernel[1];
  // The input's channels are already padded to a multiple of the group
  // (dense) or to cover the last block's window (grouped).
  windows = ChannelWindows(conv.groups, conv.channels, outC, lanes);
  c4 = (windows.width + group - 1) / group;
  blocks = (outC + lanes - 1) / lanes;
  chooseGroups();
  int64_t rows = blocks * kh * kw * c4;
  auto initType = RankedTensorType::get(
      {blocks * lanes}, isFloat ? Type(b.getF32Type()) : Type(b.getI32Type()));

  if (isFloat) {
    // Rows of L output channels for one (kh, kw, c); the bias initializes.
    SmallVector<float> initValues(blocks * lanes, 0.0f);
    llvm::copy(conv.floatInit, initValues.begin());
    packed = arith::ConstantOp::create(
        b, loc,
        DenseElementsAttr::get(
            RankedTensorType::get({rows, lanes}, b.getF32Type()),
            ArrayRef<float>(packRows<float>(conv.floatWeights))));
    init = arith::ConstantOp::create(
        b, loc, DenseElementsAttr::get(initType, ArrayRef<float>(initValues)));
    return;
  }

  packed = arith::ConstantOp::create(
      b, loc,
      DenseElementsAttr::get(
          RankedTensorType::get({rows, 4 * lanes}, b.getI8Type()),
          ArrayRef<int8_t>(packRows<int8_t>(conv.weights))));

  // Accumulator initializer, with the sign-flip correction for i8 inputs:
  // -128 * sum_k w[o, k].
  int64_t perChannel = kh * kw * windows.groupIn;
  SmallVector<int32_t> initValues(blocks * lanes, 0);
  for (int64_t o = 0; o < outC; ++o) {
    int64_t sum = 0;
    for (int64_t w : conv.weights.slice(o * perChannel, perChannel))
      sum += w;
    initValues[o] = static_cast<int32_t>(
        conv.init[o] - (conv.signedInput ? 128 * sum : 0));
  }
  init = arith::ConstantOp::create(
      b, loc, DenseElementsAttr::get(initType, ArrayRef<int32_t>(initValues)));
  for (DenseElementsAttr table :
       conv.requantizer->channelTables(b, blocks * lanes))
    tables.push_back(arith::ConstantOp::create(b, loc, table));
}

SmallVector<Value> KernelEmitter::loadWeights(Value row) {
  if (isFloat)
    return {vector::TransferReadOp::create(
        b, loc, VectorType::get({lanes}, b.getF32Type()), packed,
        ValueRange{row, index(0)}, constantF32(b, loc, 0.0),
        ArrayRef<bool>{true})};
  auto bytes = VectorType::get({4 * lanes}, b.getI8Type());
  Value zero = constantInt(b, loc, b.getI8Type(), 0);
  Value raw = vector::TransferReadOp::create(
      b, loc, bytes, packed, ValueRange{row, index(0)}, zero,
      ArrayRef<bool>{true});
  if (target.dot != Int8DotKind::Generic)
    return {vector::BitCastOp::create(
        b, loc, VectorType::get({lanes}, b.getI32Type()), raw)};
  // Portable form: the four input-channel slices, sign-extended once per
  // tile and reused for every pixel.
  SmallVector<Value> slices;
  auto wide = VectorType::get({lanes}, b.getI32Type());
  for (int64_t j = 0; j < 4; ++j) {
    SmallVector<int64_t> mask;
    for (int64_t l = 0; l < lanes; ++l)
      mask.push_back(l * 4 + j);
    Value slice = vector::ShuffleOp::create(b, loc, raw, raw, mask);
    slices.push_back(arith::ExtSIOp::create(b, loc, wide, slice));
  }
  return slices;
}

Value KernelEmitter::loadActivation(Value n, Value ih, Value iw, Value c) {
  if (isFloat)
    return vector::TransferReadOp::create(
        b, loc, VectorType::get({1}, b.getF32Type()), conv.input,
        ValueRange{n, ih, iw, c}, constantF32(b, loc, 0.0),
        ArrayRef<bool>{true});
  auto bytes = VectorType::get({4}, b.getI8Type());
  Value zero = constantInt(b, loc, b.getI8Type(), 0);
  Value raw = vector::TransferReadOp::create(
      b, loc, bytes, conv.input, ValueRange{n, ih, iw, c}, zero,
      ArrayRef<bool>{true});
  if (conv.signedInput)
    raw = arith::XOrIOp::create(
        b, loc, raw, constantInt(b, loc, bytes, -128));
  return raw;
}

/// acc + sum_j u8(activation[j]) * s8(weight[l * 4 + j]) per lane l.
Value KernelEmitter::dot(Value acc, Value activation, ArrayRef<Value> weight) {
  auto accType = cast<VectorType>(acc.getType());
  if (isFloat) {
    Value scalar = vector::ExtractOp::create(b, loc, activation,
                                             ArrayRef<int64_t>{0});
    Value broadcast = vector::BroadcastOp::create(b, loc, accType, scalar);
    return vector::FMAOp::create(b, loc, broadcast, weight[0], acc);
  }
  if (target.dot != Int8DotKind::Generic) {
    Value word = vector::ExtractOp::create(
        b, loc,
        vector::BitCastOp::create(
            b, loc, VectorType::get({1}, b.getI32Type()), activation),
        ArrayRef<int64_t>{0});
    Value broadcast = vector::BroadcastOp::create(b, loc, accType, word);
    return Dot4Op::create(b, loc, acc, broadcast, weight[0]);
  }
  for (int64_t j = 0; j < 4; ++j) {
    Value byte = vector::ExtractOp::create(b, loc, activation,
                                           ArrayRef<int64_t>{j});
    Value value =
        arith::ExtUIOp::create(b, loc, b.getI32Type(), byte).getResult();
    Value broadcast = vector::BroadcastOp::create(b, loc, accType, value);
    acc = arith::AddIOp::create(
        b, loc, acc, arith::MulIOp::create(b, loc, broadcast, weight[j]));
  }
  return acc;
}

/// One register tile: `p` pixels of output row (n, oh) from column ow0, and
/// `r` blocks of output channels from block ob0; the last block holds only
/// `partial` channels when `partial` > 0.
Value KernelEmitter::emitTile(Value out, Value n, Value oh, Value ow0,
                              Value ob0, int64_t p, int64_t r,
                              int64_t partial) {
  auto accType = VectorType::get(
      {lanes}, isFloat ? Type(b.getF32Type()) : Type(b.getI32Type()));
  Value accZero = isFloat ? constantF32(b, loc, 0.0) : constantI32(b, loc, 0);
  SmallVector<Value> channel(r), starts(r);
  SmallVector<Value> accs;
  for (int64_t j = 0; j < r; ++j) {
    channel[j] = mul(add(ob0, index(j)), lanes);
    starts[j] = windowStart(add(ob0, index(j)));
  }
  SmallVector<Value> biases;
  for (int64_t j = 0; j < r; ++j)
    biases.push_back(vector::TransferReadOp::create(
        b, loc, accType, init, ValueRange{channel[j]}, accZero,
        ArrayRef<bool>{true}));
  for (int64_t i = 0; i < p; ++i)
    for (int64_t j = 0; j < r; ++j)
      accs.push_back(biases[j]);

  // The reduction over (kh, kw, c4): accumulators stay in registers.
  SmallVector<Value> lbs, ubs, steps;
  for (int64_t extent : {kh, kw, c4}) {
    lbs.push_back(index(0));
    ubs.push_back(index(extent));
    steps.push_back(index(1));
  }
  scf::LoopNest nest = scf::buildLoopNest(
      b, loc, lbs, ubs, steps, accs,
      [&](OpBuilder &nested, Location, ValueRange ivs, ValueRange args) {
        OpBuilder::InsertionGuard guard(b);
        b.setInsertionPoint(nested.getInsertionBlock(),
                            nested.getInsertionPoint());
        Value y = ivs[0], x = ivs[1], c = ivs[2];
        Value tap = add(mul(add(mul(y, kw), x), c4), c);
        SmallVector<SmallVector<Value>> weights;
        for (int64_t j = 0; j < r; ++j)
          weights.push_back(loadWeights(
              add(add(mul(ob0, kh * kw * c4), mul(tap, r)), index(j))));
        Value ih = add(mul(oh, conv.stride[0]), mul(y, conv.dilation[0]));
        Value channelOffset = mul(c, group);
        SmallVector<Value> results;
        for (int64_t i = 0; i < p; ++i) {
          Value iw = add(mul(add(ow0, index(i)), conv.stride[1]),
                         mul(x, conv.dilation[1]));
          // Dense: one activation for every block; grouped: each block's
          // own window.
          Value activation;
          for (int64_t j = 0; j < r; ++j) {
            if (j == 0 || conv.groups != 1)
              activation = loadActivation(n, ih, iw,
                                          add(starts[j], channelOffset));
            results.push_back(dot(args[i * r + j], activation, weights[j]));
          }
        }
        // Results in (pixel, block) order, as the accumulators.
        return results;
      });

  // Epilogue: clamp (float) or requantize (int8) the registers, store.
  for (int64_t j = 0; j < r; ++j) {
    SmallVector<Value> params;
    for (Value table : tables) {
      Type element = cast<RankedTensorType>(table.getType()).getElementType();
      params.push_back(vector::TransferReadOp::create(
          b, loc, VectorType::get({lanes}, element), table,
          ValueRange{channel[j]},
          element.isF32() ? constantF32(b, loc, 0) : accZero,
          ArrayRef<bool>{true}));
    }
    for (int64_t i = 0; i < p; ++i)
      out = storeKernelResult(
          b, loc, nest.results[i * r + j], conv.requantizer, conv.clamp,
          params, out, ValueRange{n, oh, add(ow0, index(i)), channel[j]},
          j == r - 1 ? partial : 0);
  }
  return out;
}

/// Pixels per register tile for `r` channel blocks: as many accumulators
/// as the target's registers hold, at most one output row.
int64_t KernelEmitter::tilePixels(int64_t r) const {
  int64_t budget = isFloat ? (lanes == 16 ? 24 : lanes == 8 ? 12 : 8)
                   : target.dot == Int8DotKind::Vnni512 ? 24
                   : target.dot == Int8DotKind::Vnni256 ? 10
                                                        : 4;
  return std::max<int64_t>(1, std::min(budget / r, outW));
}

Value KernelEmitter::emit() {
  packOperands();
  Value out = emptyTensor(b, loc, conv.resultType);
  // Channel blocks [begin, end) in groups of r, every output row in tiles
  // of P pixels, the last tile of a row the rest of it. Channel blocks
  // outermost: one block's packed weights stay in cache while the output
  // streams past them. Every (block group, image, row, tile) writes its own
  // output pixels, so the nest is a parallel band that threads may share
  // out (a matrix product is one row of M pixels: its tiles are the split).
  auto emitBlocks = [&](Value out, int64_t begin, int64_t end, int64_t r,
                        int64_t partial) {
    int64_t p = tilePixels(r);
    int64_t full = outW / p * p;
    int64_t tiles = (outW + p - 1) / p;
    scf::LoopNest nest = scf::buildLoopNest(
        b, loc, {index(begin), index(0), index(0), index(0)},
        {index(end), index(batch), index(outH), index(tiles * p)},
        {index(r), index(1), index(1), index(p)}, ValueRange{out},
        [&](OpBuilder &nested, Location, ValueRange ivs, ValueRange args) {
          OpBuilder::InsertionGuard guard(b);
          b.setInsertionPoint(nested.getInsertionBlock(),
                              nested.getInsertionPoint());
          Value n = ivs[1], oh = ivs[2], ow0 = ivs[3], ob0 = ivs[0];
          if (full == outW)
            return SmallVector<Value>{
                emitTile(args[0], n, oh, ow0, ob0, p, r, partial)};
          if (full == 0)
            return SmallVector<Value>{
                emitTile(args[0], n, oh, index(0), ob0, outW, r, partial)};
          Value isFull = arith::CmpIOp::create(b, loc, arith::CmpIPredicate::ult,
                                               ow0, index(full));
          auto branch = scf::IfOp::create(
              b, loc, TypeRange{args[0].getType()}, isFull,
              /*withElseRegion=*/true);
          {
            OpBuilder::InsertionGuard inner(b);
            b.setInsertionPointToStart(branch.thenBlock());
            scf::YieldOp::create(
                b, loc, emitTile(args[0], n, oh, ow0, ob0, p, r, partial));
            b.setInsertionPointToStart(branch.elseBlock());
            scf::YieldOp::create(b, loc,
                                 emitTile(args[0], n, oh, index(full), ob0,
                                          outW - full, r, partial));
          }
          return SmallVector<Value>{branch.getResult(0)};
        });
    markParallel(nest);
    return nest.results[0];
  };
  if (grouped > 0)
    out = emitBlocks(out, 0, grouped, groupSize, 0);
  if (grouped < whole)
    out = emitBlocks(out, grouped, whole, whole - grouped, 0);
  if (partial)
    out = emitBlocks(out, whole, blocks, 1, partial);
  return out;
}

bool mlir::qops::lowering::packedKernelTakesGroups(int64_t groups,
                                                   int64_t channels,
                                                   int64_t outChannels,
                                                   int64_t lanes,
                                                   bool isFloat) {
  if (groups <= 1 || channels % groups || outChannels % groups)
    return groups == 1;
  ChannelWindows windows(groups, channels, outChannels, lanes);
  int64_t groupOut = windows.groupOut;
  bool uniform = groupOut % lanes == 0 ||
                 (lanes % groupOut == 0 && lanes / groupOut <= 4);
  return uniform && (isFloat || windows.width % 4 == 0);
}

Value mlir::qops::lowering::buildPackedConvolution(
    OpBuilder &b, Location loc, const PackedConvolution &original,
    const KernelTarget &target) {
  // One copy of the input pads it spatially with its zero point (the real
  // value 0) and, for the int8 kernel, its channels to a multiple of 4
  // (those meet zero weights).
  PackedConvolution conv = original;
  conv.channels =
      cast<RankedTensorType>(conv.input.getType()).getDimSize(3);
  int64_t extra = conv.isFloat() ? 0 : (4 - conv.channels % 4) % 4;
  if (conv.groups != 1) {
    // Up to the end of the last channel block's window.
    int64_t outC = conv.resultType.getDimSize(3);
    int64_t blocks = (outC + target.lanes - 1) / target.lanes;
    ChannelWindows windows(conv.groups, conv.channels, outC, target.lanes);
    int64_t end = windows.start(blocks - 1) + windows.width;
    extra = std::max<int64_t>(0, end - conv.channels);
  }
  conv.input = conv.paddedInput(b, loc, extra);
  if (conv.kernel != std::array<int64_t, 2>{1, 1} ||
      conv.stride != std::array<int64_t, 2>{1, 1})
    return KernelEmitter(b, loc, conv, target).emit();
  // A 1x1 convolution of stride 1 is a matrix product over the pixels:
  // one row of N * H * W pixels gives the register tiles full width.
  RankedTensorType outType = conv.resultType;
  auto flat = [&](RankedTensorType type) {
    return RankedTensorType::get(
        {1, 1, type.getDimSize(0) * type.getDimSize(1) * type.getDimSize(2),
         type.getDimSize(3)},
        type.getElementType());
  };
  SmallVector<ReassociationIndices> toFlat = {{0, 1, 2}, {3}};
  auto collapse = [&](Value v) {
    auto type = cast<RankedTensorType>(v.getType());
    Value matrix = tensor::CollapseShapeOp::create(b, loc, v, toFlat);
    return tensor::ExpandShapeOp::create(b, loc, flat(type), matrix, toFlat)
        .getResult();
  };
  PackedConvolution matrix = conv;
  matrix.input = collapse(conv.input);
  matrix.resultType = flat(outType);
  Value result = KernelEmitter(b, loc, matrix, target).emit();
  Value collapsed = tensor::CollapseShapeOp::create(b, loc, result, toFlat);
  return tensor::ExpandShapeOp::create(b, loc, outType, collapsed, toFlat)
      .getResult();
}

Value mlir::qops::lowering::buildPackedMatrixProduct(
    OpBuilder &b, Location loc, PackedConvolution conv, Value input,
    RankedTensorType resultType, const KernelTarget &target) {
  auto inputType = cast<RankedTensorType>(input.getType());
  int64_t m = resultType.getDimSize(0);
  SmallVector<ReassociationIndices> rows = {{0, 1, 2}, {3}};
  conv.input = tensor::ExpandShapeOp::create(
      b, loc,
      RankedTensorType::get({1, 1, m, inputType.getDimSize(1)},
                            inputType.getElementType()),
      input, rows);
  conv.resultType = RankedTensorType::get(
      {1, 1, m, resultType.getDimSize(1)}, resultType.getElementType());
  Value result = buildPackedConvolution(b, loc, conv, target);
  return tensor::CollapseShapeOp::create(b, loc, result, rows).getResult();
}
