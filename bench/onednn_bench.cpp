//===- onednn_bench.cpp - oneDNN timings on the benchmark rows ------------===//
//
// Usage: quant-bench-onednn REPEAT NAME=SPEC...
//
//   SPEC  conv:N,H,W,C,O,K,STRIDE,PAD,GROUPS[:ACT]  NHWC input [N,H,W,C], O
//                                                   filters KxK, pad all sides
//         fc:M,K,N[:ACT]                            [M,K] x [N,K]^T
//         net:FILE                                  a network, one layer a line:
//                                                   SPEC [add J], J the index
//                                                   (from 0) of an earlier
//                                                   layer whose output is added
//   and, inside a network only,
//         gap:N,H,W,C                               global average pooling
//   ACT   relu | relu6 (fused post-op), none when absent
//
// The reference the project's int8 code is compared against: bench/run.sh
// passes the rows bench/layers.py wrote. Every row is timed on one thread,
// twice:
//
//   fp32  f32 activations, weights, bias and output;
//   int8  u8 activations x s8 weights, s32 bias; the output requantized with
//         per-output-channel scales to u8 after a ReLU / ReLU6, else to s8
//         (signed; the next layer then reads s8).
//
// Activations are NHWC (`nhwc`), FC activations row-major; oneDNN picks the
// weight layout (`format_tag::any`) and the weights are reordered into it
// once, outside the timing. In a network every layer reads its predecessor's
// output; a residual `add` is a binary post-op of the layer (as a framework
// would fuse it), global average pooling a pooling primitive whose [N,C,1,1]
// output the following FC reads as [N,C]. A timed call runs all primitives
// of the row in order. Each timing is a few warm-up calls, then REPEAT calls
// timed one by one; the median is printed as one machine-readable line,
// with the implementations oneDNN chose (and how many primitives use each):
//
//   onednn NAME fp32 median 1.2340 ms impl brgconv:avx512_core
//   onednn NAME int8 - unsupported
//
// Threads: Debian's oneDNN runs on OpenMP; run.sh sets OMP_NUM_THREADS=1 and
// this program also calls omp_set_num_threads(1), looked up at run time so
// that it needs no OpenMP headers or link flags, and prints the thread count
// it ends up with (`onednn threads 1`). `--threads=N` as the first argument
// asks for N threads instead (run.sh's two-thread table, with
// OMP_NUM_THREADS=N).
//
// Built without C++ exceptions like the rest of the project: the dnnl C++
// API then reports errors by trapping, and primitive descriptors are created
// with allow_empty so that an unsupported case prints '-' instead.
//
//===----------------------------------------------------------------------===//

#include "oneapi/dnnl/dnnl.hpp"

#include <dlfcn.h>

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <map>
#include <sstream>
#include <string>
#include <unordered_map>
#include <vector>

using namespace dnnl;
using tag = memory::format_tag;
using dt = memory::data_type;

namespace {

enum class Kind { Conv, Fc, Gap };
enum class Act { None, Relu, Relu6 };

/// One layer of a row.
struct Layer {
  Kind kind = Kind::Conv;
  // conv: N, H, W, C, O, K, stride, pad, groups; fc: M, K, N; gap: N, H, W, C.
  std::vector<int64_t> dims;
  Act act = Act::None;
  // Index of the earlier layer whose output is added, or -1.
  int residual = -1;
};

/// A row: a name and its layers (one for a single-layer row).
struct Row {
  std::string name;
  std::vector<Layer> layers;
};

/// Parses KIND:DIMS[:ACT] into `layer`; false when malformed.
bool parseSpec(const std::string &spec, Layer &layer) {
  size_t colon = spec.find(':');
  if (colon == std::string::npos)
    return false;
  std::string kind = spec.substr(0, colon);
  std::string shape = spec.substr(colon + 1);
  size_t act = shape.find(':');
  if (act != std::string::npos) {
    std::string name = shape.substr(act + 1);
    if (name == "relu")
      layer.act = Act::Relu;
    else if (name == "relu6")
      layer.act = Act::Relu6;
    else
      return false;
    shape.resize(act);
  }
  size_t want;
  if (kind == "conv") {
    layer.kind = Kind::Conv;
    want = 9;
  } else if (kind == "fc") {
    layer.kind = Kind::Fc;
    want = 3;
  } else if (kind == "gap") {
    layer.kind = Kind::Gap;
    want = 4;
  } else {
    return false;
  }
  const char *p = shape.c_str();
  while (*p) {
    char *end;
    long long v = std::strtoll(p, &end, 10);
    if (end == p || (*end && *end != ','))
      return false;
    layer.dims.push_back(v);
    p = *end ? end + 1 : end;
  }
  if (layer.dims.size() != want)
    return false;
  for (size_t i = 0; i < want; ++i)
    if (layer.dims[i] < (layer.kind == Kind::Conv && i == 7 ? 0 : 1))
      return false; // only a conv's pad may be 0
  if (layer.kind == Kind::Conv &&
      (layer.dims[3] % layer.dims[8] || layer.dims[4] % layer.dims[8]))
    return false;
  return true;
}

/// Reads a network file (SPEC [add J] per line) into `row`; false with a
/// message on stderr when malformed.
bool parseNet(const std::string &path, Row &row) {
  std::ifstream in(path);
  if (!in) {
    std::fprintf(stderr, "quant-bench-onednn: cannot read '%s'\n", path.c_str());
    return false;
  }
  std::string line;
  int lineNo = 0;
  while (std::getline(in, line)) {
    ++lineNo;
    std::istringstream words(line);
    std::string spec, add;
    if (!(words >> spec))
      continue;
    Layer layer;
    bool ok = parseSpec(spec, layer);
    if (ok && words >> add) {
      int j = -1;
      ok = add == "add" && words >> j && j >= 0 &&
           j < static_cast<int>(row.layers.size());
      layer.residual = j;
    }
    if (!ok) {
      std::fprintf(stderr, "quant-bench-onednn: %s:%d: bad layer '%s'\n",
                   path.c_str(), lineNo, line.c_str());
      return false;
    }
    row.layers.push_back(layer);
  }
  if (row.layers.empty()) {
    std::fprintf(stderr, "quant-bench-onednn: %s: no layers\n", path.c_str());
    return false;
  }
  return true;
}

/// Parses NAME=SPEC or NAME=net:FILE.
bool parseRow(const char *arg, Row &row) {
  const char *eq = std::strchr(arg, '=');
  if (!eq)
    return false;
  row.name.assign(arg, eq);
  std::string spec = eq + 1;
  if (spec.rfind("net:", 0) == 0)
    return parseNet(spec.substr(4), row);
  Layer layer;
  if (!parseSpec(spec, layer) || layer.kind == Kind::Gap)
    return false;
  row.layers.push_back(layer);
  return true;
}

/// Fills a memory object with deterministic pseudo-random values of its data
/// type (the timing does not depend on them, but fp32 must stay finite and
/// normal).
void fill(const memory &mem, uint32_t seed) {
  size_t bytes = mem.get_desc().get_size();
  auto *data = static_cast<uint8_t *>(mem.get_data_handle());
  dt type = mem.get_desc().data_type();
  uint32_t state = seed * 2654435761u + 1;
  auto next = [&] {
    state = state * 1664525u + 1013904223u;
    return state >> 8;
  };
  if (type == dt::f32) {
    auto *f = reinterpret_cast<float *>(data);
    for (size_t i = 0; i < bytes / 4; ++i)
      f[i] = static_cast<float>(next() % 2001) / 1000.0f - 1.0f;
  } else if (type == dt::s32) {
    auto *s = reinterpret_cast<int32_t *>(data);
    for (size_t i = 0; i < bytes / 4; ++i)
      s[i] = static_cast<int32_t>(next() % 2001) - 1000;
  } else {
    for (size_t i = 0; i < bytes; ++i)
      data[i] = static_cast<uint8_t>(next());
  }
}

/// One primitive of a row with its arguments, ready to execute.
struct Step {
  primitive prim;
  std::unordered_map<int, memory> args;
  std::string impl;
};

/// Builds the primitives of a row in one precision.
class Builder {
public:
  Builder(engine &eng, stream &strm, bool int8)
      : eng(eng), strm(strm), int8(int8) {}

  /// Appends `layer` reading `src` (and adding `residual` when given);
  /// returns false when oneDNN has no implementation or the shapes do not
  /// chain.
  bool add(const Layer &layer, const memory &src, const memory *residual) {
    switch (layer.kind) {
    case Kind::Conv:
      return addConv(layer, src, residual);
    case Kind::Fc:
      return addFc(layer, src, residual);
    case Kind::Gap:
      return addGap(layer, src);
    }
    return false;
  }

  /// The output of the last step.
  memory output() const { return steps.back().args.at(DNNL_ARG_DST); }

  std::vector<Step> steps;

private:
  dt activationType(Act act) const {
    if (!int8)
      return dt::f32;
    return act == Act::None ? dt::s8 : dt::u8;
  }

  /// Output scales (int8), the activation and the residual add.
  primitive_attr attributes(const Layer &layer, int64_t channels,
                            const memory *residual) const {
    primitive_attr attr;
    if (int8) {
      std::vector<float> scales(channels);
      for (int64_t i = 0; i < channels; ++i)
        scales[i] = 1.0f / 256 * (1 + static_cast<float>(i % 7) / 8);
      attr.set_output_scales(/*mask: per output channel*/ 1 << 1, scales);
    }
    post_ops ops;
    if (layer.act == Act::Relu)
      ops.append_eltwise(1.0f, algorithm::eltwise_relu, 0.0f, 0.0f);
    else if (layer.act == Act::Relu6)
      ops.append_eltwise(1.0f, algorithm::eltwise_clip, 0.0f, 6.0f);
    if (residual)
      ops.append_binary(algorithm::binary_add, residual->get_desc());
    attr.set_post_ops(ops);
    return attr;
  }

  /// Reorders freshly filled weights of `user` layout into `md`, untimed.
  memory weights(const memory::desc &user, const memory::desc &md) {
    memory userWeights(user, eng), weights(md, eng);
    fill(userWeights, static_cast<uint32_t>(steps.size()) + 3);
    reorder(userWeights, weights).execute(strm, userWeights, weights);
    strm.wait();
    return weights;
  }

  memory bias(int64_t channels) {
    memory b({{channels}, int8 ? dt::s32 : dt::f32, tag::x}, eng);
    fill(b, static_cast<uint32_t>(steps.size()) + 2);
    return b;
  }

  void push(primitive prim, std::unordered_map<int, memory> args,
            const memory *residual, int postOpIndex, const char *impl) {
    if (residual)
      args[DNNL_ARG_ATTR_MULTIPLE_POST_OP(postOpIndex) | DNNL_ARG_SRC_1] =
          *residual;
    steps.push_back({prim, std::move(args), impl});
  }

  bool addConv(const Layer &layer, const memory &src, const memory *residual) {
    const std::vector<int64_t> &d = layer.dims;
    int64_t n = d[0], h = d[1], w = d[2], c = d[3], o = d[4], k = d[5],
            stride = d[6], pad = d[7], groups = d[8];
    int64_t oh = (h + 2 * pad - k) / stride + 1;
    int64_t ow = (w + 2 * pad - k) / stride + 1;
    memory::desc srcMd({n, c, h, w}, src.get_desc().data_type(), tag::nhwc);
    if (srcMd.get_size() != src.get_desc().get_size())
      return false;
    memory::desc dstMd({n, o, oh, ow}, activationType(layer.act), tag::nhwc);
    dt weightType = int8 ? dt::s8 : dt::f32;
    memory::dims wd = {o, c, k, k};
    tag userTag = tag::ohwi;
    if (groups != 1) {
      wd = {groups, o / groups, c / groups, k, k};
      userTag = tag::gohwi;
    }
    memory::desc biasMd({o}, int8 ? dt::s32 : dt::f32, tag::x);
    convolution_forward::desc desc(
        prop_kind::forward_inference, algorithm::convolution_direct, srcMd,
        memory::desc(wd, weightType, tag::any), biasMd, dstMd,
        {stride, stride}, {pad, pad}, {pad, pad});
    convolution_forward::primitive_desc pd(
        desc, attributes(layer, o, residual), eng, /*allow_empty=*/true);
    if (!pd)
      return false;
    push(convolution_forward(pd),
         {{DNNL_ARG_SRC, memory(srcMd, eng, src.get_data_handle())},
          {DNNL_ARG_WEIGHTS,
           weights(memory::desc(wd, weightType, userTag), pd.weights_desc())},
          {DNNL_ARG_BIAS, bias(o)},
          {DNNL_ARG_DST, memory(dstMd, eng)}},
         residual, layer.act == Act::None ? 0 : 1, pd.impl_info_str());
    return true;
  }

  bool addFc(const Layer &layer, const memory &src, const memory *residual) {
    int64_t m = layer.dims[0], k = layer.dims[1], n = layer.dims[2];
    // A [M,K,1,1] producer (global pooling) is read as [M,K].
    memory::desc srcMd({m, k}, src.get_desc().data_type(), tag::nc);
    if (srcMd.get_size() != src.get_desc().get_size())
      return false;
    memory::desc dstMd({m, n}, activationType(layer.act), tag::nc);
    dt weightType = int8 ? dt::s8 : dt::f32;
    memory::desc biasMd({n}, int8 ? dt::s32 : dt::f32, tag::x);
    inner_product_forward::desc desc(
        prop_kind::forward_inference, srcMd,
        memory::desc({n, k}, weightType, tag::any), biasMd, dstMd);
    inner_product_forward::primitive_desc pd(
        desc, attributes(layer, n, residual), eng, /*allow_empty=*/true);
    if (!pd)
      return false;
    push(inner_product_forward(pd),
         {{DNNL_ARG_SRC, memory(srcMd, eng, src.get_data_handle())},
          {DNNL_ARG_WEIGHTS,
           weights(memory::desc({n, k}, weightType, tag::oi),
                   pd.weights_desc())},
          {DNNL_ARG_BIAS, bias(n)},
          {DNNL_ARG_DST, memory(dstMd, eng)}},
         residual, layer.act == Act::None ? 0 : 1, pd.impl_info_str());
    return true;
  }

  bool addGap(const Layer &layer, const memory &src) {
    int64_t n = layer.dims[0], h = layer.dims[1], w = layer.dims[2],
            c = layer.dims[3];
    dt type = src.get_desc().data_type();
    memory::desc srcMd({n, c, h, w}, type, tag::nhwc);
    if (srcMd.get_size() != src.get_desc().get_size())
      return false;
    memory::desc dstMd({n, c, 1, 1}, type, tag::nhwc);
    pooling_forward::desc desc(prop_kind::forward_inference,
                               algorithm::pooling_avg_exclude_padding, srcMd,
                               dstMd, {1, 1}, {h, w}, {0, 0}, {0, 0});
    pooling_forward::primitive_desc pd(desc, eng, /*allow_empty=*/true);
    if (!pd)
      return false;
    push(pooling_forward(pd),
         {{DNNL_ARG_SRC, memory(srcMd, eng, src.get_data_handle())},
          {DNNL_ARG_DST, memory(dstMd, eng)}},
         nullptr, 0, pd.impl_info_str());
    return true;
  }

  engine &eng;
  stream &strm;
  bool int8;
};

using Clock = std::chrono::steady_clock;

/// Median of `repeat` timed calls of all steps after warm-up calls, in ms.
double medianMs(const std::vector<Step> &steps, stream &strm, int repeat) {
  auto call = [&] {
    for (const Step &step : steps)
      step.prim.execute(strm, step.args);
    strm.wait();
  };
  for (int i = 0; i < 3; ++i)
    call();
  std::vector<double> ms;
  ms.reserve(repeat);
  for (int i = 0; i < repeat; ++i) {
    Clock::time_point start = Clock::now();
    call();
    ms.push_back(
        std::chrono::duration<double, std::milli>(Clock::now() - start).count());
  }
  std::nth_element(ms.begin(), ms.begin() + ms.size() / 2, ms.end());
  return ms[ms.size() / 2];
}

/// "impl-a, impl-b x3": the implementations of the steps, with counts.
std::string implSummary(const std::vector<Step> &steps) {
  std::vector<std::string> order;
  std::map<std::string, int> count;
  for (const Step &step : steps)
    if (count[step.impl]++ == 0)
      order.push_back(step.impl);
  std::string text;
  for (const std::string &impl : order) {
    if (!text.empty())
      text += ", ";
    text += impl;
    if (count[impl] > 1)
      text += " x" + std::to_string(count[impl]);
  }
  return text;
}

/// Times `row` in one precision and prints its line.
void timeRow(const Row &row, bool int8, int repeat, engine &eng,
             stream &strm) {
  const char *precision = int8 ? "int8" : "fp32";
  Builder builder(eng, strm, int8);
  // The row's input: the first layer's, u8 in int8.
  const Layer &first = row.layers.front();
  const std::vector<int64_t> &d = first.dims;
  memory::desc inputMd =
      first.kind == Kind::Fc
          ? memory::desc({d[0], d[1]}, int8 ? dt::u8 : dt::f32, tag::nc)
          : memory::desc({d[0], d[3], d[1], d[2]}, int8 ? dt::u8 : dt::f32,
                         tag::nhwc);
  memory input(inputMd, eng);
  fill(input, 1);
  std::vector<memory> outputs;
  for (const Layer &layer : row.layers) {
    const memory &src = outputs.empty() ? input : outputs.back();
    const memory *residual =
        layer.residual >= 0 ? &outputs[layer.residual] : nullptr;
    if (!builder.add(layer, src, residual)) {
      std::printf("onednn %s %s - unsupported (layer %zu)\n", row.name.c_str(),
                  precision, outputs.size());
      std::fflush(stdout);
      return;
    }
    outputs.push_back(builder.output());
  }
  double ms = medianMs(builder.steps, strm, repeat);
  std::printf("onednn %s %s median %.4f ms impl %s\n", row.name.c_str(),
              precision, ms, implSummary(builder.steps).c_str());
  std::fflush(stdout);
}

/// Sets OpenMP's thread count (when oneDNN uses it) and returns the
/// thread count OpenMP reports afterwards, or 1 without OpenMP.
int setThreads(int count) {
  using SetFn = void (*)(int);
  using GetFn = int (*)();
  auto set =
      reinterpret_cast<SetFn>(dlsym(RTLD_DEFAULT, "omp_set_num_threads"));
  auto get =
      reinterpret_cast<GetFn>(dlsym(RTLD_DEFAULT, "omp_get_max_threads"));
  if (set)
    set(count);
  return get ? get() : 1;
}

const char *isaName(cpu_isa isa) {
  switch (isa) {
  case cpu_isa::avx512_core_amx:
    return "avx512_core_amx";
  case cpu_isa::avx512_core_bf16:
    return "avx512_core_bf16";
  case cpu_isa::avx512_core_vnni:
    return "avx512_core_vnni";
  case cpu_isa::avx512_core:
    return "avx512_core";
  case cpu_isa::avx2_vnni:
    return "avx2_vnni";
  case cpu_isa::avx2:
    return "avx2";
  default:
    return "other";
  }
}

} // namespace

int main(int argc, char **argv) {
  int requested = 1;
  if (argc > 1 && std::strncmp(argv[1], "--threads=", 10) == 0) {
    requested = std::atoi(argv[1] + 10);
    --argc;
    ++argv;
  }
  int repeat = argc > 1 ? std::atoi(argv[1]) : 0;
  if (repeat < 1 || requested < 1) {
    std::fprintf(stderr,
                 "usage: %s [--threads=N] REPEAT NAME=SPEC...\n"
                 "  SPEC: conv:N,H,W,C,O,K,STRIDE,PAD,GROUPS[:relu|:relu6] | "
                 "fc:M,K,N[:relu|:relu6] | net:FILE\n",
                 argv[0]);
    return 1;
  }
  std::vector<Row> rows;
  for (int i = 2; i < argc; ++i) {
    Row row;
    if (!parseRow(argv[i], row)) {
      std::fprintf(stderr, "quant-bench-onednn: bad row '%s'\n", argv[i]);
      return 1;
    }
    rows.push_back(row);
  }

  int threads = setThreads(requested);
  engine eng(engine::kind::cpu, 0);
  stream strm(eng);
  const version_t *v = version();
  std::printf("onednn version %d.%d.%d isa %s\n", v->major, v->minor,
              v->patch, isaName(get_effective_cpu_isa()));
  std::printf("onednn threads %d\n", threads);
  for (const Row &row : rows) {
    timeRow(row, /*int8=*/false, repeat, eng, strm);
    timeRow(row, /*int8=*/true, repeat, eng, strm);
  }
  return 0;
}
