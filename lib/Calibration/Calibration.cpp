//===- Calibration.cpp - ranges of the tensors to quantize ----------------===//
//
// Instruments a clone of the model so that every tensor to calibrate is a
// result, runs it sample by sample with the JIT, and reduces the values to
// ranges (min-max, or percentiles from per-tensor histograms).
//
//===----------------------------------------------------------------------===//

#include "quant-ops/Calibration/Calibration.h"
#include "quant-ops/Conversion/LoweringSupport/LoweringSupport.h"
#include "quant-ops/Dialect/QOps/IR/QuantParams.h"
#include "quant-ops/Dialect/QOps/IR/QuantTypeUtils.h"
#include "quant-ops/Dialect/QOps/IR/Ranges.h"
#include "quant-ops/Runtime/Runner.h"
#include "quant-ops/Support/RegularFile.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/Builders.h"
#include "mlir/IR/Dominance.h"
#include "mlir/IR/SymbolTable.h"

#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Format.h"
#include "llvm/Support/JSON.h"
#include "llvm/Support/MemoryBuffer.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstring>
#include <limits>
#include <map>

namespace mlir::qops {
#define GEN_PASS_DEF_QOPSCALIBRATEPASS
#include "quant-ops/Calibration/Passes.h.inc"
} // namespace mlir::qops

using namespace mlir;
using namespace mlir::qops;

//===----------------------------------------------------------------------===//
// Calibration
//===----------------------------------------------------------------------===//

namespace {
/// What is known of one tensor's values so far.
///
/// The first pass records min, max (and the samples holding them) and a
/// coarse histogram by sign and binary exponent, which locates any rank of
/// the values within a factor of two at any magnitude. The second pass
/// histograms [lo, hi] finely: bounds taken from the coarse histogram so
/// that a few extreme values (counted apart, below lo or above hi) do not
/// squeeze all other values into one bin.
struct TensorStats {
  double min = std::numeric_limits<double>::infinity();
  double max = -std::numeric_limits<double>::infinity();
  int64_t minSample = -1, maxSample = -1;
  std::vector<uint64_t> exponents;
  uint64_t total = 0;

  double lo = 0, hi = 0;
  std::vector<uint64_t> histogram;
  uint64_t below = 0, above = 0, count = 0;
  /// Values exactly 0 among those histogrammed (ReLU outputs: often half).
  uint64_t zeros = 0;

  static constexpr int64_t kBins = 2048;
  static constexpr int kExponentBins = 512;

  /// The coarse bin of `value`, ordered by value: negative numbers of
  /// decreasing magnitude (0..255), then positive ones of increasing
  /// magnitude (256..511).
  static int exponentBin(float value) {
    uint32_t bits;
    std::memcpy(&bits, &value, sizeof(bits));
    uint32_t key = bits >> 23; // sign and biased exponent
    return key & 256 ? int(511 - key) : int(256 + key);
  }
  /// The values of coarse bin `bin`: [first, second].
  static std::pair<double, double> exponentBinBounds(int bin) {
    int exponent = bin >= 256 ? bin - 256 : 255 - bin;
    double small = exponent == 0 ? 0.0 : std::ldexp(1.0, exponent - 127);
    double large = std::ldexp(1.0, exponent - 126);
    if (bin >= 256)
      return {small, large};
    return {-large, -small};
  }

  void addMinMax(const float *values, int64_t n, int64_t sample) {
    if (exponents.empty())
      exponents.assign(kExponentBins, 0);
    for (int64_t i = 0; i < n; ++i) {
      if (!std::isfinite(values[i]))
        continue;
      double value = values[i];
      if (value < min) {
        min = value;
        minSample = sample;
      }
      if (value > max) {
        max = value;
        maxSample = sample;
      }
      ++exponents[exponentBin(values[i])];
      ++total;
    }
  }

  /// The coarse bin holding the value of rank `rank` (0 = smallest).
  int exponentBinOfRank(uint64_t rank) const {
    uint64_t seen = 0;
    for (int bin = 0; bin < kExponentBins; ++bin) {
      seen += exponents[bin];
      if (seen > rank)
        return bin;
    }
    return kExponentBins - 1;
  }
  /// Ranks of the lower and upper q-quantiles (q > 0.5), rounded inwards:
  /// one extreme value among many is never reached for q < 1.
  static std::pair<uint64_t, uint64_t> quantileRanks(double q, uint64_t n) {
    if (n == 0)
      return {0, 0};
    double last = double(n - 1);
    return {uint64_t(std::ceil((1.0 - q) * last)),
            uint64_t(std::floor(q * last))};
  }
  /// Bounds of the values between the q-quantiles (q > 0.5), from the
  /// coarse histogram: outwards to a power of two, inside [min, max].
  std::pair<double, double> quantileBounds(double q) const {
    auto [rankLo, rankHi] = quantileRanks(q, total);
    return {std::max(min, exponentBinBounds(exponentBinOfRank(rankLo)).first),
            std::min(max,
                     exponentBinBounds(exponentBinOfRank(rankHi)).second)};
  }

  /// Sets the bounds of the second pass's histogram.
  void setHistogramBounds(double newLo, double newHi) {
    lo = newLo;
    hi = std::max(newLo, newHi);
  }

  void addHistogram(const float *values, int64_t n) {
    if (histogram.empty())
      histogram.assign(kBins, 0);
    double width = binWidth();
    for (int64_t i = 0; i < n; ++i) {
      if (!std::isfinite(values[i]))
        continue;
      double value = values[i];
      ++count;
      zeros += value == 0;
      if (value < lo) {
        ++below;
      } else if (value > hi) {
        ++above;
      } else {
        int64_t bin = width > 0 ? int64_t((value - lo) / width) : 0;
        ++histogram[std::clamp<int64_t>(bin, 0, kBins - 1)];
      }
    }
  }

  /// Bin width and center.
  double binWidth() const { return (hi - lo) / kBins; }
  double binCenter(int64_t bin) const { return lo + (bin + 0.5) * binWidth(); }

  /// Expected squared error of 8-bit asymmetric quantization of the
  /// histogram's values with the range [lo, hi].
  double quantizationError(double lo, double hi) const {
    QuantScheme scheme{8, /*isSigned=*/false, false, false};
    FailureOr<QuantParams> params = computeQuantParams(lo, hi, scheme);
    if (failed(params))
      return std::numeric_limits<double>::infinity();
    double error = 0;
    for (int64_t bin = 0; bin < kBins; ++bin) {
      if (!histogram[bin])
        continue;
      double x = binCenter(bin);
      double q = std::clamp(std::nearbyint(x / params->scale) +
                                double(params->zeroPoint),
                            0.0, 255.0);
      double d = (q - double(params->zeroPoint)) * params->scale;
      error += double(histogram[bin]) * (x - d) * (x - d);
    }
    // The values outside [lo, hi], taken at min and max.
    for (auto [n, x] : {std::make_pair(below, min), std::make_pair(above, max)}) {
      if (!n)
        continue;
      double q = std::clamp(std::nearbyint(x / params->scale) +
                                double(params->zeroPoint),
                            0.0, 255.0);
      double d = (q - double(params->zeroPoint)) * params->scale;
      error += double(n) * (x - d) * (x - d);
    }
    return error;
  }

  /// The range, shrunk from [min, max] (widened to include 0) by factors
  /// f = 1, 0.99, ..., 0.01, with the least quantization MSE.
  std::pair<double, double> mseRange() const {
    double lo = std::min(min, 0.0), hi = std::max(max, 0.0);
    std::pair<double, double> best = {lo, hi};
    double bestError = quantizationError(lo, hi);
    for (int k = 99; k >= 1; --k) {
      double f = k / 100.0;
      double error = quantizationError(lo * f, hi * f);
      if (error < bestError) {
        bestError = error;
        best = {lo * f, hi * f};
      }
    }
    return best;
  }

  /// TensorRT-style entropy calibration, for 256 quantization levels: the
  /// upper clipping threshold (at a bin edge) whose clipped distribution P
  /// (the histogram up to it, with the mass beyond added to its last bin)
  /// loses the least information, KL(P || Q), when its bins are merged into
  /// 256 levels Q: each level's mass (of the unclipped slice) is spread
  /// evenly over the level's bins that are non-empty in P; empty bins are
  /// smoothed. The lower end stays at min.
  ///
  /// Values exactly 0 are left out: every range holds 0 exactly (its zero
  /// point), so they lose nothing whatever the threshold. Kept in, the
  /// spike of a ReLU output's zeros, spread over the first level's bins in
  /// Q, costs about zeros * log(bins / 256) and drags every threshold down
  /// to the last candidate before the first level takes in another bin
  /// (GoogLeNet with settled batch norm: 37% of the maximum, 2.9 dB SQNR).
  std::pair<double, double> entropyRange() const {
    constexpr int64_t kLevels = 256;
    constexpr double kEpsilon = 1e-4;
    std::vector<uint64_t> histogram = this->histogram;
    if (zeros && lo <= 0 && 0 <= hi) {
      int64_t zeroBin = std::clamp<int64_t>(
          binWidth() > 0 ? int64_t((0 - lo) / binWidth()) : 0, 0, kBins - 1);
      histogram[zeroBin] -= std::min(zeros, histogram[zeroBin]);
    }
    double bestKL = std::numeric_limits<double>::infinity();
    int64_t bestBins = kBins;
    for (int64_t bins = kLevels; bins <= kBins; bins += 16) {
      std::vector<double> p(histogram.begin(), histogram.begin() + bins);
      for (int64_t b = bins; b < kBins; ++b)
        p[bins - 1] += double(histogram[b]);
      p[bins - 1] += double(above);
      std::vector<double> q(bins, 0.0);
      for (int64_t level = 0; level < kLevels; ++level) {
        int64_t start = level * bins / kLevels;
        int64_t end = (level + 1) * bins / kLevels;
        double mass = 0;
        int64_t nonEmpty = 0;
        for (int64_t b = start; b < end; ++b) {
          mass += double(histogram[b]);
          nonEmpty += p[b] != 0;
        }
        for (int64_t b = start; b < end; ++b)
          if (p[b] != 0)
            q[b] = mass / double(nonEmpty);
      }
      double kl = klDivergence(p, q, kEpsilon);
      if (kl < bestKL) {
        bestKL = kl;
        bestBins = bins;
      }
    }
    return {min, lo + binWidth() * double(bestBins)};
  }

  /// KL(P || Q) of two unnormalized distributions, each smoothed so that
  /// no bin is empty: `epsilon` moves from the non-empty bins to the empty
  /// ones.
  static double klDivergence(std::vector<double> p, std::vector<double> q,
                             double epsilon) {
    auto smooth = [&](std::vector<double> &d) {
      double sum = 0;
      int64_t zeros = 0;
      for (double v : d) {
        sum += v;
        zeros += v == 0;
      }
      if (sum == 0)
        return false;
      int64_t nonZeros = int64_t(d.size()) - zeros;
      double take = epsilon * double(zeros) / double(nonZeros);
      for (double &v : d)
        v = v == 0 ? epsilon : v / sum - take;
      return true;
    };
    if (!smooth(p) || !smooth(q))
      return std::numeric_limits<double>::infinity();
    double kl = 0;
    for (size_t b = 0; b < p.size(); ++b)
      if (p[b] > 0 && q[b] > 0)
        kl += p[b] * std::log(p[b] / q[b]);
    return kl;
  }

  /// The value of rank `rank` (0 = smallest), interpolated inside its bin
  /// (the bin's values taken as evenly spread).
  double valueOfRank(uint64_t rank) const {
    if (rank < below)
      return lo;
    if (rank >= count - above || !(hi > lo))
      return hi;
    uint64_t inside = rank - below, seen = 0;
    for (int64_t bin = 0; bin < kBins; ++bin) {
      if (seen + histogram[bin] > inside)
        return lo + binWidth() * (double(bin) +
                                  (double(inside - seen) + 0.5) /
                                      double(histogram[bin]));
      seen += histogram[bin];
    }
    return hi;
  }

  /// The lower and upper q-quantiles (q > 0.5), ranks rounded inwards.
  std::pair<double, double> percentileRange(double q) const {
    if (q >= 1.0 || count == 0)
      return {min, max};
    auto [rankLo, rankHi] = quantileRanks(q, count);
    return {std::clamp(valueOfRank(rankLo), min, max),
            std::clamp(valueOfRank(rankHi), min, max)};
  }
};
} // namespace

/// Every tensor of `func` to quantize: f32 tensor inputs and results of
/// float-domain qops ops.
static SmallVector<Value> getTensorsToCalibrate(func::FuncOp func) {
  SmallVector<Value> values;
  auto isFloatTensor = [](Type type) {
    auto tensor = dyn_cast<RankedTensorType>(type);
    return tensor && tensor.getElementType().isF32();
  };
  for (BlockArgument arg : func.getArguments())
    if (isFloatTensor(arg.getType()))
      values.push_back(arg);
  func.walk([&](Operation *op) {
    if (op->getName().getDialectNamespace() == "qops" &&
        op->getNumResults() == 1 && isFloatTensor(op->getResult(0).getType()))
      values.push_back(op->getResult(0));
  });
  return values;
}

//===----------------------------------------------------------------------===//
// Range files
//===----------------------------------------------------------------------===//

/// Range files larger than this are refused (10,000 tensors take ~0.5 MB).
static constexpr uint64_t kMaxRangeFileBytes = 64ull << 20;
/// Deepest nesting of arrays and objects accepted in a range file (a valid
/// one nests 2 deep); llvm::json::parse recurses once per level.
static constexpr int kMaxRangeFileDepth = 64;

namespace {
/// One `"key": value` of a range file's top-level object.
struct RangeFileEntry {
  std::pair<double, double> range;
  unsigned line = 0, column = 0;
  bool used = false;
};
} // namespace

/// Scans `text` outside strings: fails (with a diagnostic on `loc`) when
/// arrays and objects nest deeper than kMaxRangeFileDepth, and records the
/// position of every key of the top-level object in `keys`, failing on a
/// key given twice (llvm::json::parse would silently keep one of them).
static LogicalResult
scanRangeFile(StringRef text, StringRef path, Location loc,
              std::vector<std::tuple<std::string, unsigned, unsigned>> &keys) {
  MLIRContext *context = loc.getContext();
  llvm::StringMap<std::pair<unsigned, unsigned>> seen;
  SmallVector<char> stack; // '{' or '[' per open level
  unsigned line = 1, column = 1;
  for (size_t i = 0; i < text.size(); ++i, ++column) {
    char c = text[i];
    if (c == '\n') {
      ++line;
      column = 0;
      continue;
    }
    if (c == '[' || c == '{') {
      stack.push_back(c);
      if (int(stack.size()) > kMaxRangeFileDepth)
        return emitError(loc)
               << "'" << path << "' nests arrays or objects deeper than "
               << kMaxRangeFileDepth << " levels (line " << line
               << ", column " << column
               << "); a range file is {\"name\": [lo, hi], ...}";
      continue;
    }
    if (c == ']' || c == '}') {
      if (!stack.empty())
        stack.pop_back();
      continue;
    }
    if (c != '"')
      continue;
    // A string: find its end, skipping escaped characters.
    size_t start = i;
    unsigned startLine = line, startColumn = column;
    for (++i, ++column; i < text.size() && text[i] != '"'; ++i, ++column) {
      if (text[i] == '\\') {
        ++i;
        ++column;
      } else if (text[i] == '\n') {
        ++line;
        column = 0;
      }
    }
    if (i >= text.size())
      break; // Unterminated: the parser reports it.
    if (stack.size() != 1 || stack.back() != '{')
      continue;
    // A key of the top-level object is followed by ':'.
    size_t next = text.find_first_not_of(" \t\r\n", i + 1);
    if (next == StringRef::npos || text[next] != ':')
      continue;
    llvm::Expected<llvm::json::Value> key =
        llvm::json::parse(text.slice(start, i + 1));
    if (!key) {
      llvm::consumeError(key.takeError());
      continue; // A bad escape: the parser reports it.
    }
    std::string name = key->getAsString()->str();
    auto [it, inserted] = seen.try_emplace(name, startLine, startColumn);
    if (!inserted)
      return emitError(FileLineColLoc::get(context, path, startLine,
                                           startColumn))
             << "'" << path << "': duplicate key '" << name
             << "' (first at line " << it->second.first << ", column "
             << it->second.second << "); each tensor takes one range";
    keys.emplace_back(name, startLine, startColumn);
  }
  return success();
}

static FailureOr<llvm::StringMap<RangeFileEntry>>
parseRangeText(ModuleOp module, StringRef text, StringRef path);

/// Reads the range file `path`: a regular file of at most
/// kMaxRangeFileBytes holding a JSON object whose every value is
/// [lo, hi] with finite lo <= hi.
static FailureOr<llvm::StringMap<RangeFileEntry>>
readRangeFile(ModuleOp module, StringRef path) {
  auto cannotRead = [&]() -> InFlightDiagnostic {
    InFlightDiagnostic diag = emitError(module.getLoc());
    diag << "cannot read ranges from '" << path << "': ";
    return diag;
  };
  llvm::Expected<uint64_t> size = getRegularFileSize(path);
  if (!size)
    return cannotRead() << llvm::toString(size.takeError());
  if (*size > kMaxRangeFileBytes)
    return cannotRead() << *size << " bytes, more than the "
                        << (kMaxRangeFileBytes >> 20)
                        << " MiB a range file may have";
  llvm::Expected<std::unique_ptr<llvm::MemoryBuffer>> buffer =
      readRegularFile(path, 0, *size);
  if (!buffer)
    return cannotRead() << llvm::toString(buffer.takeError());
  return parseRangeText(module, (*buffer)->getBuffer(), path);
}

/// Parses `text`, the contents of the range file `path` (named in
/// diagnostics), into its entries.
static FailureOr<llvm::StringMap<RangeFileEntry>>
parseRangeText(ModuleOp module, StringRef text, StringRef path) {
  Location loc = module.getLoc();
  std::vector<std::tuple<std::string, unsigned, unsigned>> keys;
  if (failed(scanRangeFile(text, path, loc, keys)))
    return failure();
  llvm::Expected<llvm::json::Value> json = llvm::json::parse(text);
  if (!json)
    return emitError(loc) << "'" << path << "' is not valid JSON: "
                          << llvm::toString(json.takeError());
  const llvm::json::Object *object = json->getAsObject();
  if (!object)
    return emitError(loc)
           << "'" << path
           << "' must hold a JSON object {\"name\": [lo, hi], ...}";

  llvm::StringMap<RangeFileEntry> entries;
  for (auto &[name, line, column] : keys) {
    const llvm::json::Value *value = object->get(name);
    if (!value)
      continue;
    const llvm::json::Array *pair = value->getAsArray();
    std::optional<double> lo, hi;
    if (pair && pair->size() == 2) {
      lo = (*pair)[0].getAsNumber();
      hi = (*pair)[1].getAsNumber();
    }
    if (!lo || !hi || !std::isfinite(*lo) || !std::isfinite(*hi) ||
        *lo > *hi) {
      std::string got;
      llvm::raw_string_ostream os(got);
      os << *value;
      if (got.size() > 60)
        got = got.substr(0, 57) + "...";
      return emitError(FileLineColLoc::get(module.getContext(), path, line,
                                           column))
             << "'" << path << "': the range of '" << name
             << "' must be [lo, hi] with finite lo <= hi; got " << got;
    }
    entries[name] = RangeFileEntry{{*lo, *hi}, line, column, false};
  }
  return entries;
}

FailureOr<size_t> mlir::qops::parseRangeFile(ModuleOp module, StringRef text,
                                             StringRef path) {
  if (text.size() > kMaxRangeFileBytes)
    return emitError(module.getLoc())
           << "cannot read ranges from '" << path << "': more than "
           << (kMaxRangeFileBytes >> 20) << " MiB";
  FailureOr<llvm::StringMap<RangeFileEntry>> entries =
      parseRangeText(module, text, path);
  if (failed(entries))
    return failure();
  return entries->size();
}

/// Annotates the tensors in `values` that have no range yet with the ranges
/// of the file `path`, and warns about the keys that name none of them.
static LogicalResult readRanges(ModuleOp module, StringRef path,
                                StringRef entry, ArrayRef<Value> values) {
  FailureOr<llvm::StringMap<RangeFileEntry>> entries =
      readRangeFile(module, path);
  if (failed(entries))
    return failure();
  for (Value value : values) {
    auto it = entries->find(getRangeKey(value));
    if (it == entries->end())
      continue;
    it->second.used = true;
    if (!getRange(value)) // Ranges in the model are never overwritten.
      setRange(value, it->second.range);
  }
  // Unused keys, in file order: probably a misspelled or stale name.
  SmallVector<std::pair<std::pair<unsigned, unsigned>, StringRef>> unused;
  for (const auto &it : *entries)
    if (!it.second.used)
      unused.push_back({{it.second.line, it.second.column}, it.getKey()});
  llvm::sort(unused);
  constexpr size_t kListed = 10;
  for (const auto &[position, name] : ArrayRef(unused).take_front(kListed))
    emitWarning(FileLineColLoc::get(module.getContext(), path,
                                    position.first, position.second))
        << "'" << path << "': '" << name << "' names no tensor of @" << entry
        << "; its range is ignored";
  if (unused.size() > kListed)
    emitWarning(module.getLoc())
        << "'" << path << "': " << unused.size() - kListed
        << " more keys name no tensor of @" << entry;
  return success();
}

static LogicalResult writeRanges(ModuleOp module, StringRef path,
                                 ArrayRef<Value> values) {
  std::map<std::string, std::pair<double, double>> sorted;
  for (Value value : values)
    if (auto range = getRange(value))
      sorted[getRangeKey(value)] = *range;
  std::error_code ec;
  llvm::raw_fd_ostream os(path, ec, llvm::sys::fs::OF_Text);
  if (ec)
    return emitError(module.getLoc()) << "cannot write ranges to '" << path
                              << "': " << ec.message();
  llvm::json::OStream json(os, /*IndentSize=*/2);
  json.object([&] {
    for (const auto &entry : sorted)
      json.attributeArray(entry.first, [&] {
        json.value(entry.second.first);
        json.value(entry.second.second);
      });
  });
  os << "\n";
  return success();
}

/// Runs the instrumented entry function on every sample, calling
/// `consume(target index, values, count, sample)` for each calibrated
/// tensor.
static LogicalResult
runSamples(ModuleOp module, JitFunction &function, ArrayRef<NpyArray> data,
           size_t numResults, const CalibrationOptions &options,
           StringRef phase,
           llvm::function_ref<void(size_t, const float *, int64_t, int64_t)> consume) {
  FunctionType signature = function.getSignature();
  // Samples: the batch dimension of the inputs that use the convention.
  int64_t samples = 1;
  for (auto [i, array] : llvm::enumerate(data)) {
    auto type = cast<RankedTensorType>(signature.getInput(i));
    if (array.getShape() != type.getShape() && !array.getShape().empty())
      samples = std::max(samples, array.getShape()[0]);
  }
  // The inputs of one call, built once: inputs given whole, and one-sample
  // slots for the batched ones, refilled for every sample.
  std::vector<NpyArray> inputs;
  SmallVector<bool> batched;
  for (auto [i, array] : llvm::enumerate(data)) {
    auto type = cast<RankedTensorType>(signature.getInput(i));
    SmallVector<int64_t> shape(array.getShape());
    bool isBatch = array.getShape() != type.getShape();
    if (array.getDType() == NpyDType::F32) {
      const float *values = reinterpret_cast<const float *>(array.data());
      for (int64_t e = 0, n = array.getNumElements(); e < n; ++e)
        if (!std::isfinite(values[e])) {
          int64_t perSample = isBatch && !shape.empty() && shape[0] > 0
                                  ? n / shape[0]
                                  : n;
          return emitError(module.getLoc())
                 << "calibration data for input #" << i
                 << " holds a non-finite value (" << values[e]
                 << ") in sample " << e / perSample
                 << "; calibration needs finite samples";
        }
    }
    if (isBatch && !shape.empty() && shape[0] == 0)
      return emitError(module.getLoc())
             << "calibration data for input #" << i << " holds no samples";
    if (isBatch) {
      if (shape.empty() || shape[0] != samples)
        return emitError(module.getLoc())
               << "calibration input #" << i << " has "
               << (shape.empty() ? 0 : shape[0]) << " samples, another has "
               << samples;
      shape[0] = 1;
    }
    inputs.emplace_back(array.getDType(), shape);
    if (!isBatch)
      std::memcpy(inputs.back().data(), array.data(), array.getSizeInBytes());
    batched.push_back(isBatch);
  }

  auto start = std::chrono::steady_clock::now();
  int64_t step = std::max<int64_t>(1, samples / 10);
  for (int64_t s = 0; s < samples; ++s) {
    for (auto [i, array] : llvm::enumerate(data)) {
      if (!batched[i])
        continue;
      size_t bytes = inputs[i].getSizeInBytes();
      std::memcpy(inputs[i].data(), array.data() + s * bytes, bytes);
    }
    llvm::Expected<RunResult> result = function.run(inputs);
    if (!result)
      return emitError(module.getLoc())
             << "calibration run failed: " << llvm::toString(result.takeError());
    for (size_t t = 0; t < result->outputs.size() - numResults; ++t) {
      const NpyArray &out = result->outputs[numResults + t];
      consume(t, reinterpret_cast<const float *>(out.data()),
              out.getNumElements(), s);
    }
    if (samples >= options.progressThreshold &&
        ((s + 1) % step == 0 || s + 1 == samples)) {
      double seconds = std::chrono::duration<double>(
                           std::chrono::steady_clock::now() - start)
                           .count();
      llvm::errs() << llvm::format(
          "calibrate (%s): %lld/%lld samples, %.1f samples/s\n",
          phase.str().c_str(), (long long)(s + 1), (long long)samples,
          (s + 1) / std::max(seconds, 1e-9));
    }
  }
  return success();
}

/// Ranges whose magnitude exceeds this are reported as implausible for a
/// float tensor.
static constexpr double kImplausibleMagnitude = 1e9;

/// Warns when `range`, calibrated for `value`, will quantize it badly: when
/// it is implausibly large, or dominated by outliers (one 8-bit step of it
/// is wider than 99.8% of the values are from 0), naming the extreme value
/// and the sample holding it.
static void warnIfImplausible(Value value, const TensorStats &stats,
                              std::pair<double, double> range) {
  double lo = std::min(range.first, 0.0), hi = std::max(range.second, 0.0);
  double step = (hi - lo) / 255.0;
  auto [bulkLo, bulkHi] = stats.quantileBounds(0.999);
  double bulk = std::max(std::abs(bulkLo), std::abs(bulkHi));
  bool huge = std::max(-lo, hi) > kImplausibleMagnitude;
  bool dominated = step > 0 && step > bulk;
  if (!huge && !dominated)
    return;
  bool maxIsExtreme = std::abs(stats.max) >= std::abs(stats.min);
  double extreme = maxIsExtreme ? stats.max : stats.min;
  int64_t sample = maxIsExtreme ? stats.maxSample : stats.minSample;
  InFlightDiagnostic warning = emitWarning(value.getLoc());
  warning << "calibration range [" << range.first << ", " << range.second
          << "] of '" << getRangeKey(value) << "' ";
  if (dominated)
    warning << "is dominated by outliers: 99.8% of its values lie within "
            << "+-" << bulk << ", less than one 8-bit step (" << step
            << "), so they quantize to one or two levels";
  else
    warning << "is implausibly large for a float tensor (8-bit step "
            << step << ")";
  warning << "; extreme value " << extreme << " in sample " << sample
          << " of the calibration data";
}

LogicalResult mlir::qops::calibrate(ModuleOp module,
                                    const CalibrationOptions &options) {
  auto func = module.lookupSymbol<func::FuncOp>(options.entry);
  if (!func || func.isExternal())
    return emitError(module.getLoc()) << "calibrate: no function @" << options.entry
                              << " with a body";
  SmallVector<Value> values = getTensorsToCalibrate(func);

  if (!options.rangesIn.empty() &&
      failed(readRanges(module, options.rangesIn, options.entry, values)))
    return failure();

  SmallVector<Value> targets;
  for (Value value : values)
    if (!getRange(value))
      targets.push_back(value);

  if (!options.data.empty() && !targets.empty()) {
    if (options.data.size() != func.getNumArguments())
      return emitError(module.getLoc())
             << "calibrate: @" << options.entry << " takes "
             << func.getNumArguments() << " input(s), but data= names "
             << options.data.size() << " file(s)";
    std::vector<NpyArray> data;
    for (const std::string &path : options.data) {
      llvm::Expected<NpyArray> array = readNpy(path);
      if (!array)
        return emitError(module.getLoc())
               << "calibrate: " << llvm::toString(array.takeError());
      data.push_back(std::move(*array));
    }

    // Instrument a copy of the entry function in a clone of the module:
    // every target becomes an extra result of the copy, so that callers of
    // the entry function (in the clone) keep their signature.
    OwningOpRef<ModuleOp> clone = module.clone();
    auto cloneFunc = clone->lookupSymbol<func::FuncOp>(options.entry);
    func::FuncOp probe = cloneFunc.clone();
    probe.setSymName("__qops_calibrate_" + options.entry);
    probe.setPublic();
    SymbolTable symbols(*clone);
    symbols.insert(probe); // Renamed if the name is taken.
    if (SymbolTable::symbolKnownUseEmpty(cloneFunc, *clone))
      cloneFunc.erase(); // Lowered and compiled for nothing otherwise.
    SmallVector<Value> probeValues = getTensorsToCalibrate(probe);
    // Same walk order in the copy: keep the ones without a range.
    SmallVector<Value> extra;
    for (auto [original, copy] : llvm::zip(values, probeValues))
      if (!getRange(original))
        extra.push_back(copy);
    // Every return gets the targets: each must dominate every return (a
    // tensor computed on one branch of a multi-block function does not).
    DominanceInfo dominance(probe);
    SmallVector<func::ReturnOp> returns;
    probe.walk([&](func::ReturnOp ret) { returns.push_back(ret); });
    for (func::ReturnOp ret : returns)
      for (auto [target, copy] : llvm::zip(targets, extra))
        if (!dominance.properlyDominates(copy, ret))
          return emitError(target.getLoc())
                 << "calibrate: tensor '" << getRangeKey(target)
                 << "' of @" << options.entry
                 << " does not reach every return (it is computed on one "
                    "path of a multi-block function or in a nested "
                    "region); calibration records only tensors that do: "
                    "give its range with ranges-in=";
    size_t numResults = probe.getFunctionType().getNumResults();
    for (func::ReturnOp ret : returns) {
      SmallVector<Value> results(ret.getOperands());
      results.append(extra);
      OpBuilder builder(ret);
      func::ReturnOp::create(builder, ret.getLoc(), results);
      ret.erase();
    }
    SmallVector<Type> resultTypes(probe.getResultTypes());
    for (Value value : extra)
      resultTypes.push_back(value.getType());
    probe.setFunctionType(FunctionType::get(
        module.getContext(), probe.getArgumentTypes(), resultTypes));
    probe->removeAttr(kSignatureAttrName);
    probe->removeAttr(probe.getResAttrsAttrName());

    auto function = JitFunction::create(*clone, probe.getSymName());
    if (!function)
      return emitError(module.getLoc())
             << "calibrate: " << llvm::toString(function.takeError());

    std::vector<TensorStats> stats(targets.size());
    if (failed(runSamples(module, **function, data, numResults, options,
                          "min-max",
                          [&](size_t t, const float *v, int64_t n,
                              int64_t sample) {
                            stats[t].addMinMax(v, n, sample);
                          })))
      return failure();
    double p = options.percentile / 100.0;
    if (options.method != CalibrationMethod::MinMax) {
      // The fine histogram covers the values between the percentiles; for
      // mse and entropy, [min, max], unless the 0.01% and 99.99% quantiles
      // span less than 1/16 of it (a few extreme values), then those
      // (entropy's lower end stays at min).
      for (TensorStats &s : stats) {
        if (!(s.min <= s.max))
          continue;
        bool percentile = options.method == CalibrationMethod::Percentile;
        auto bounds = s.quantileBounds(percentile ? p : 0.9999);
        if (!percentile && (bounds.second - bounds.first) * 16 > s.max - s.min)
          bounds = {s.min, s.max};
        if (options.method == CalibrationMethod::Entropy)
          bounds.first = s.min;
        s.setHistogramBounds(bounds.first, bounds.second);
      }
      if (failed(runSamples(module, **function, data, numResults, options,
                            "histogram",
                            [&](size_t t, const float *v, int64_t n,
                                int64_t) { stats[t].addHistogram(v, n); })))
        return failure();
    }

    for (auto [value, s] : llvm::zip(targets, stats)) {
      if (!(s.min <= s.max)) {
        emitWarning(value.getLoc())
            << "calibration saw no finite value of this tensor; no range "
               "recorded";
        continue;
      }
      std::pair<double, double> range = {s.min, s.max};
      switch (options.method) {
      case CalibrationMethod::MinMax:
        break;
      case CalibrationMethod::Percentile:
        range = s.percentileRange(p);
        break;
      case CalibrationMethod::MSE:
        if (s.max > s.min)
          range = s.mseRange();
        break;
      case CalibrationMethod::Entropy:
        if (s.max > s.min)
          range = s.entropyRange();
        break;
      }
      setRange(value, range);
      warnIfImplausible(value, s, range);
    }
  }

  if (!options.rangesOut.empty() &&
      failed(writeRanges(module, options.rangesOut, values)))
    return failure();
  return success();
}

namespace {
struct QOpsCalibratePass
    : public qops::impl::QOpsCalibratePassBase<QOpsCalibratePass> {
  using Base::Base;

  void runOnOperation() override {
    CalibrationOptions options;
    if (method == "minmax")
      options.method = CalibrationMethod::MinMax;
    else if (method == "percentile")
      options.method = CalibrationMethod::Percentile;
    else if (method == "entropy")
      options.method = CalibrationMethod::Entropy;
    else if (method == "mse")
      options.method = CalibrationMethod::MSE;
    else {
      getOperation().emitError()
          << "calibrate: unknown method '" << method
          << "' (minmax, percentile, entropy or mse)";
      return signalPassFailure();
    }
    if (!(percentile > 50.0 && percentile <= 100.0)) {
      getOperation().emitError() << "calibrate: percentile=" << percentile
                                 << " must be in (50, 100]";
      return signalPassFailure();
    }
    options.percentile = percentile;
    SmallVector<StringRef> files;
    StringRef(data).split(files, ',', -1, /*KeepEmpty=*/false);
    for (StringRef file : files)
      options.data.push_back(file.trim().str());
    options.rangesIn = rangesIn;
    options.rangesOut = rangesOut;
    options.entry = entry;
    if (options.data.empty() && options.rangesIn.empty()) {
      getOperation().emitError()
          << "calibrate: give calibration data (data=a.npy) or a range file "
             "(ranges-in=r.json)";
      return signalPassFailure();
    }
    if (failed(calibrate(getOperation(), options)))
      signalPassFailure();
  }
};
} // namespace
