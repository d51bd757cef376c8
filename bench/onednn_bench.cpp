//===- onednn_bench.cpp - oneDNN timings on the benchmark layers ----------===//
//
// Usage: quant-bench-onednn REPEAT NAME=SPEC...
//
//   SPEC  conv:N,H,W,C,O,K,STRIDE,PAD,GROUPS[:relu]   NHWC input [N,H,W,C],
//                                                      O filters of KxK
//         fc:M,K,N[:relu]                              [M,K] x [N,K]^T
//
// The reference the project's int8 code is compared against (bench/run.sh
// passes the shapes bench/layers.py wrote to layers.txt). For every layer it
// times one oneDNN primitive (convolution or inner product, with bias) on one
// thread, twice:
//
//   fp32  f32 activations, weights, bias and output;
//   int8  u8 activations x s8 weights, s32 bias, u8 output (s8 when the
//         layer has no ReLU, whose output is signed), per-output-channel
//         output scales: the requantization of the project's int8 ops.
//
// ReLU is a fused eltwise post-op (the layers' `clamp_min = 0`). Activations
// are NHWC (`nhwc`) and FC activations row-major; oneDNN picks the weight
// layout (`format_tag::any`) and the weights are reordered into it once,
// outside the timing. Each timing is a few warm-up calls, then REPEAT calls
// timed one by one; the median is printed as one machine-readable line:
//
//   onednn NAME fp32 median 1.234 ms impl brgconv:avx512_core
//   onednn NAME int8 - unsupported
//
// Threads: Debian's oneDNN runs on OpenMP; run.sh sets OMP_NUM_THREADS=1 and
// this program also calls omp_set_num_threads(1), looked up at run time so
// that it needs no OpenMP headers or link flags, and prints the thread count
// it ends up with (`onednn threads 1`).
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
#include <string>
#include <unordered_map>
#include <vector>

using namespace dnnl;
using tag = memory::format_tag;
using dt = memory::data_type;

namespace {

/// One benchmark layer as given on the command line.
struct Layer {
  std::string name;
  bool isConv = false;
  // conv: N, H, W, C, O, K, stride, pad, groups; fc: M, K, N.
  std::vector<int64_t> dims;
  bool relu = false;
};

/// Parses NAME=conv:...[:relu] or NAME=fc:...[:relu]; false when malformed.
bool parseLayer(const char *arg, Layer &layer) {
  const char *eq = std::strchr(arg, '=');
  if (!eq)
    return false;
  layer.name.assign(arg, eq);
  std::string rest = eq + 1;
  size_t colon = rest.find(':');
  if (colon == std::string::npos)
    return false;
  std::string kind = rest.substr(0, colon);
  std::string shape = rest.substr(colon + 1);
  size_t act = shape.find(':');
  if (act != std::string::npos) {
    if (shape.substr(act + 1) != "relu")
      return false;
    layer.relu = true;
    shape.resize(act);
  }
  layer.isConv = kind == "conv";
  if (!layer.isConv && kind != "fc")
    return false;
  const char *p = shape.c_str();
  while (*p) {
    char *end;
    long long v = std::strtoll(p, &end, 10);
    if (end == p || v < 0)
      return false;
    layer.dims.push_back(v);
    p = *end == ',' ? end + 1 : end;
    if (*end && *end != ',')
      return false;
  }
  size_t want = layer.isConv ? 9 : 3;
  if (layer.dims.size() != want)
    return false;
  for (size_t i = 0; i < want; ++i)
    if (layer.dims[i] <= 0 && !(layer.isConv && i == 7)) // pad may be 0
      return false;
  if (layer.isConv && (layer.dims[3] % layer.dims[8] || layer.dims[4] % layer.dims[8]))
    return false;
  return true;
}

/// Fills a memory object with deterministic pseudo-random bytes reduced to
/// small values of its data type (the timing does not depend on them, but
/// fp32 must stay finite and normal).
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

using Clock = std::chrono::steady_clock;

/// Median of `repeat` timed calls of `prim` after warm-up calls, in ms.
double medianMs(const primitive &prim, stream &strm,
                const std::unordered_map<int, memory> &args, int repeat) {
  for (int i = 0; i < 3; ++i)
    prim.execute(strm, args);
  strm.wait();
  std::vector<double> ms;
  ms.reserve(repeat);
  for (int i = 0; i < repeat; ++i) {
    Clock::time_point start = Clock::now();
    prim.execute(strm, args);
    strm.wait();
    ms.push_back(
        std::chrono::duration<double, std::milli>(Clock::now() - start).count());
  }
  std::nth_element(ms.begin(), ms.begin() + ms.size() / 2, ms.end());
  return ms[ms.size() / 2];
}

/// Times `layer` in one precision and prints its line.
void timeLayer(const Layer &layer, bool int8, int repeat, engine &eng,
               stream &strm) {
  const char *precision = int8 ? "int8" : "fp32";
  dt srcType = int8 ? dt::u8 : dt::f32;
  dt weightType = int8 ? dt::s8 : dt::f32;
  dt biasType = int8 ? dt::s32 : dt::f32;
  dt dstType = int8 ? (layer.relu ? dt::u8 : dt::s8) : dt::f32;

  memory::desc srcMd, weightAnyMd, weightUserMd, biasMd, dstMd;
  int64_t outChannels;
  const std::vector<int64_t> &d = layer.dims;
  if (layer.isConv) {
    int64_t n = d[0], h = d[1], w = d[2], c = d[3], o = d[4], k = d[5],
            stride = d[6], pad = d[7], groups = d[8];
    int64_t oh = (h + 2 * pad - k) / stride + 1;
    int64_t ow = (w + 2 * pad - k) / stride + 1;
    outChannels = o;
    srcMd = memory::desc({n, c, h, w}, srcType, tag::nhwc);
    dstMd = memory::desc({n, o, oh, ow}, dstType, tag::nhwc);
    if (groups == 1) {
      weightAnyMd = memory::desc({o, c, k, k}, weightType, tag::any);
      weightUserMd = memory::desc({o, c, k, k}, weightType, tag::ohwi);
    } else {
      memory::dims wd = {groups, o / groups, c / groups, k, k};
      weightAnyMd = memory::desc(wd, weightType, tag::any);
      weightUserMd = memory::desc(wd, weightType, tag::gohwi);
    }
  } else {
    int64_t m = d[0], k = d[1], n = d[2];
    outChannels = n;
    srcMd = memory::desc({m, k}, srcType, tag::nc);
    dstMd = memory::desc({m, n}, dstType, tag::nc);
    weightAnyMd = memory::desc({n, k}, weightType, tag::any);
    weightUserMd = memory::desc({n, k}, weightType, tag::oi);
  }
  biasMd = memory::desc({outChannels}, biasType, tag::x);

  primitive_attr attr;
  if (int8) {
    std::vector<float> scales(outChannels);
    for (int64_t i = 0; i < outChannels; ++i)
      scales[i] = 1.0f / 256 * (1 + static_cast<float>(i % 7) / 8);
    attr.set_output_scales(/*mask: per output channel*/ 1 << 1, scales);
  }
  if (layer.relu) {
    post_ops ops;
    ops.append_eltwise(1.0f, algorithm::eltwise_relu, 0.0f, 0.0f);
    attr.set_post_ops(ops);
  }

  primitive prim;
  memory::desc weightMd;
  std::string impl;
  if (layer.isConv) {
    int64_t stride = d[6], pad = d[7];
    convolution_forward::desc desc(
        prop_kind::forward_inference, algorithm::convolution_direct, srcMd,
        weightAnyMd, biasMd, dstMd, {stride, stride}, {pad, pad}, {pad, pad});
    convolution_forward::primitive_desc pd(desc, attr, eng,
                                           /*allow_empty=*/true);
    if (!pd) {
      std::printf("onednn %s %s - unsupported\n", layer.name.c_str(),
                  precision);
      return;
    }
    weightMd = pd.weights_desc();
    impl = pd.impl_info_str();
    prim = convolution_forward(pd);
  } else {
    inner_product_forward::desc desc(prop_kind::forward_inference, srcMd,
                                     weightAnyMd, biasMd, dstMd);
    inner_product_forward::primitive_desc pd(desc, attr, eng,
                                             /*allow_empty=*/true);
    if (!pd) {
      std::printf("onednn %s %s - unsupported\n", layer.name.c_str(),
                  precision);
      return;
    }
    weightMd = pd.weights_desc();
    impl = pd.impl_info_str();
    prim = inner_product_forward(pd);
  }

  memory src(srcMd, eng), bias(biasMd, eng), dst(dstMd, eng);
  memory userWeights(weightUserMd, eng), weights(weightMd, eng);
  fill(src, 1);
  fill(bias, 2);
  fill(userWeights, 3);
  // The weight reorder into oneDNN's layout happens once, untimed.
  reorder(userWeights, weights).execute(strm, userWeights, weights);
  strm.wait();

  std::unordered_map<int, memory> args = {{DNNL_ARG_SRC, src},
                                          {DNNL_ARG_WEIGHTS, weights},
                                          {DNNL_ARG_BIAS, bias},
                                          {DNNL_ARG_DST, dst}};
  double ms = medianMs(prim, strm, args, repeat);
  std::printf("onednn %s %s median %.4f ms impl %s\n", layer.name.c_str(),
              precision, ms, impl.c_str());
  std::fflush(stdout);
}

/// Restricts OpenMP (when oneDNN uses it) to one thread and returns the
/// thread count OpenMP reports afterwards, or 1 without OpenMP.
int singleThread() {
  using SetFn = void (*)(int);
  using GetFn = int (*)();
  auto set = reinterpret_cast<SetFn>(dlsym(RTLD_DEFAULT, "omp_set_num_threads"));
  auto get = reinterpret_cast<GetFn>(dlsym(RTLD_DEFAULT, "omp_get_max_threads"));
  if (set)
    set(1);
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
  int repeat = argc > 1 ? std::atoi(argv[1]) : 0;
  std::vector<Layer> layers;
  for (int i = 2; i < argc; ++i) {
    Layer layer;
    if (!parseLayer(argv[i], layer)) {
      std::fprintf(stderr, "quant-bench-onednn: bad layer '%s'\n", argv[i]);
      return 1;
    }
    layers.push_back(layer);
  }
  if (repeat < 1) {
    std::fprintf(stderr,
                 "usage: %s REPEAT NAME=conv:N,H,W,C,O,K,STRIDE,PAD,GROUPS"
                 "[:relu] | NAME=fc:M,K,N[:relu] ...\n",
                 argv[0]);
    return 1;
  }

  int threads = singleThread();
  engine eng(engine::kind::cpu, 0);
  stream strm(eng);
  const version_t *v = version();
  std::printf("onednn version %d.%d.%d isa %s\n", v->major, v->minor,
              v->patch, isaName(get_effective_cpu_isa()));
  std::printf("onednn threads %d\n", threads);
  for (const Layer &layer : layers) {
    timeLayer(layer, /*int8=*/false, repeat, eng, strm);
    timeLayer(layer, /*int8=*/true, repeat, eng, strm);
  }
  return 0;
}
