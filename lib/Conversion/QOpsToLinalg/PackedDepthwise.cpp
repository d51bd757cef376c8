//===- PackedDepthwise.cpp - channel-vectorized depthwise conv kernels ----===//
//
// Depthwise conv2d (one filter per channel) with constant weights, float
// or integer: vectorized along channels, one register of L channels at a
// time, with a register tile of P output pixels whose accumulators stay in
// vector registers over the KH x KW window. The epilogue applies the fused
// clamp (float) or the requantization with the fused clamp (integer) to
// the registers before the store.
//
// Weights are laid out [KH * KW, Cp] (Cp = C rounded up to L, zeros
// beyond C), so one tap of one channel block is one contiguous vector; the
// input is padded once, spatially with the real value 0 (its zero point)
// and along channels to Cp.
//
// Integer accumulation: x * w in i32 with x zero- or sign-extended from
// its 8-bit storage and w sign-extended; the input zero-point correction
// is in the initializer (-z_in * sum w), as in the generic lowering.
//
//===----------------------------------------------------------------------===//

#include "IntegerBuilders.h"

#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Vector/IR/VectorOps.h"

using namespace mlir;
using namespace mlir::qops;
using namespace mlir::qops::lowering;

Value mlir::qops::lowering::buildPackedDepthwise(
    OpBuilder &b, Location loc, const PackedConvolution &conv,
    int64_t lanes) {
  auto inType = cast<RankedTensorType>(conv.input.getType());
  RankedTensorType outType = conv.resultType;
  int64_t batch = outType.getDimSize(0), outH = outType.getDimSize(1),
          outW = outType.getDimSize(2), channels = outType.getDimSize(3);
  int64_t kh = conv.kernel[0], kw = conv.kernel[1];
  int64_t blocks = (channels + lanes - 1) / lanes;
  int64_t padded = blocks * lanes;
  bool isFloat = conv.isFloat();
  Type storage = inType.getElementType();
  Type accElement = isFloat ? Type(b.getF32Type()) : Type(b.getI32Type());
  auto accType = VectorType::get({lanes}, accElement);
  auto index = [&](int64_t v) { return constantIndex(b, loc, v); };
  auto add = [&](Value x, Value y) -> Value {
    return arith::AddIOp::create(b, loc, x, y);
  };
  auto mul = [&](Value x, int64_t c) -> Value {
    return c == 1 ? x : arith::MulIOp::create(b, loc, x, index(c)).getResult();
  };

  // Operands: the padded input, the [KH * KW, Cp] weights, the initializer.
  Value input = conv.paddedInput(b, loc, padded - channels);
  auto weightType =
      RankedTensorType::get({kh * kw, padded}, isFloat ? accElement : storage);
  auto initType = RankedTensorType::get({padded}, accElement);
  // Tap-major weights and the initializer, zero beyond C.
  auto constants = [&](auto weightValues, auto initValues, auto zeroWeight,
                       auto zeroInit) {
    using W = decltype(zeroWeight);
    using I = decltype(zeroInit);
    SmallVector<W> w(kh * kw * padded, zeroWeight);
    SmallVector<I> i(padded, zeroInit);
    for (int64_t t = 0; t < kh * kw; ++t)
      for (int64_t c = 0; c < channels; ++c)
        w[t * padded + c] = static_cast<W>(weightValues[c * kh * kw + t]);
    for (int64_t c = 0; c < channels; ++c)
      i[c] = static_cast<I>(initValues[c]);
    return std::make_pair(
        arith::ConstantOp::create(
            b, loc, DenseElementsAttr::get(weightType, ArrayRef<W>(w)))
            .getResult(),
        arith::ConstantOp::create(
            b, loc, DenseElementsAttr::get(initType, ArrayRef<I>(i)))
            .getResult());
  };
  std::pair<Value, Value> operands =
      isFloat ? constants(conv.floatWeights, conv.floatInit, 0.0f, 0.0f)
              : constants(conv.weights, conv.init, int8_t(0), int32_t(0));
  Value weights = operands.first, init = operands.second;
  SmallVector<Value> tables;
  if (!isFloat)
    for (DenseElementsAttr table : conv.requantizer->channelTables(b, padded))
      tables.push_back(arith::ConstantOp::create(b, loc, table));

  auto read = [&](Value source, ValueRange indices, VectorType type) {
    Type element = type.getElementType();
    Value pad = isa<FloatType>(element)
                    ? constantF32(b, loc, 0.0)
                    : constantInt(b, loc, element, 0);
    return vector::TransferReadOp::create(b, loc, type, source, indices, pad,
                                          ArrayRef<bool>{true})
        .getResult();
  };
  /// The loaded vector as accumulator lanes.
  auto widen = [&](Value v, bool isSigned) -> Value {
    if (isFloat)
      return v;
    if (isSigned)
      return arith::ExtSIOp::create(b, loc, accType, v);
    return arith::ExtUIOp::create(b, loc, accType, v);
  };
  auto loadType = VectorType::get({lanes}, isFloat ? accElement : storage);

  // One tile: p pixels of row (n, oh) from column ow0, channel block cb.
  auto emitTile = [&](Value out, Value n, Value oh, Value ow0, Value cb,
                      int64_t p, int64_t partial) -> Value {
    Value channel = mul(cb, lanes);
    Value bias = read(init, {channel}, accType);
    SmallVector<Value> accs(p, bias);
    scf::LoopNest nest = scf::buildLoopNest(
        b, loc, {index(0), index(0)}, {index(kh), index(kw)},
        {index(1), index(1)}, accs,
        [&](OpBuilder &nested, Location, ValueRange ivs, ValueRange args) {
          OpBuilder::InsertionGuard guard(b);
          b.setInsertionPoint(nested.getInsertionBlock(),
                              nested.getInsertionPoint());
          Value y = ivs[0], x = ivs[1];
          Value w = widen(read(weights, {add(mul(y, kw), x), channel},
                               loadType),
                          /*isSigned=*/true);
          Value ih = add(mul(oh, conv.stride[0]), mul(y, conv.dilation[0]));
          SmallVector<Value> results;
          for (int64_t i = 0; i < p; ++i) {
            Value iw = add(mul(add(ow0, index(i)), conv.stride[1]),
                           mul(x, conv.dilation[1]));
            Value v = widen(read(input, {n, ih, iw, channel}, loadType),
                            conv.signedInput);
            if (isFloat)
              results.push_back(vector::FMAOp::create(b, loc, v, w, args[i]));
            else
              results.push_back(arith::AddIOp::create(
                  b, loc, args[i], arith::MulIOp::create(b, loc, v, w)));
          }
          return results;
        });
    SmallVector<Value> params;
    for (Value table : tables)
      params.push_back(read(table, {channel},
                            VectorType::get({lanes}, b.getI32Type())
                                .clone(cast<RankedTensorType>(table.getType())
                                           .getElementType())));
    for (int64_t i = 0; i < p; ++i)
      out = storeKernelResult(b, loc, nest.results[i], conv.requantizer,
                              conv.clamp, params, out,
                              ValueRange{n, oh, add(ow0, index(i)), channel},
                              partial);
    return out;
  };

  int64_t p = std::min<int64_t>(outW, 8);
  int64_t full = outW / p * p;
  auto emitRows = [&](Value out, int64_t begin, int64_t end,
                      int64_t partial) {
    scf::LoopNest rows = scf::buildLoopNest(
        b, loc, {index(0), index(0), index(begin)},
        {index(batch), index(outH), index(end)},
        {index(1), index(1), index(1)}, ValueRange{out},
        [&](OpBuilder &nested, Location, ValueRange ivs, ValueRange args) {
          OpBuilder::InsertionGuard guard(b);
          b.setInsertionPoint(nested.getInsertionBlock(),
                              nested.getInsertionPoint());
          Value n = ivs[0], oh = ivs[1], cb = ivs[2];
          Value current = args[0];
          if (full > 0) {
            auto loop = scf::ForOp::create(
                b, loc, index(0), index(full), index(p), ValueRange{current},
                [&](OpBuilder &inner, Location, Value ow0, ValueRange iter) {
                  OpBuilder::InsertionGuard guard(b);
                  b.setInsertionPoint(inner.getInsertionBlock(),
                                      inner.getInsertionPoint());
                  scf::YieldOp::create(
                      b, loc, emitTile(iter[0], n, oh, ow0, cb, p, partial));
                });
            current = loop.getResult(0);
          }
          if (full < outW)
            current = emitTile(current, n, oh, index(full), cb, outW - full,
                               partial);
          return SmallVector<Value>{current};
        });
    markParallel(rows);
    return rows.results[0];
  };
  int64_t partial = channels % lanes;
  int64_t whole = blocks - (partial ? 1 : 0);
  Value out = emptyTensor(b, loc, outType);
  if (whole > 0)
    out = emitRows(out, 0, whole, 0);
  if (partial)
    out = emitRows(out, whole, blocks, partial);
  return out;
}
