//===- ONNXImportFuzzer.cpp - libFuzzer: mutated ONNX models --------------===//
//
// Imports the input bytes as an ONNX model. Malformed, truncated or
// unsupported models must end in diagnostics. The model is named as a file
// of a scratch directory that holds `weights.bin` (4 KiB), so that tensors
// with external data (fuzz/seeds/onnx: offsets, lengths, `..`, absolute
// paths, symlinks) reach the external-data reader.
//
//===----------------------------------------------------------------------===//

#include "quant-ops/Import/ONNXImporter.h"
#include "quant-ops/InitAll.h"

#include "mlir/IR/Diagnostics.h"
#include "mlir/IR/MLIRContext.h"

#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/raw_ostream.h"

#include <cstdint>
#include <cstdlib>
#include <string>

using namespace mlir;

namespace {
/// The scratch directory of the model: weights.bin and a symlink to it.
std::string makeModelDirectory() {
  llvm::SmallString<128> prefix, dir;
  llvm::sys::path::system_temp_directory(/*ErasedOnReboot=*/true, prefix);
  llvm::sys::path::append(prefix, "quant-fuzz-onnx");
  if (llvm::sys::fs::createUniqueDirectory(prefix, dir))
    return "/nonexistent";
  llvm::SmallString<128> weights(dir);
  llvm::sys::path::append(weights, "weights.bin");
  std::error_code ec;
  llvm::raw_fd_ostream os(weights, ec);
  for (int i = 0; i < 4096; ++i)
    os << static_cast<char>((i * 37) & 0x7f);
  llvm::SmallString<128> link(dir);
  llvm::sys::path::append(link, "link.bin");
  (void)llvm::sys::fs::create_link(weights, link);
  static std::string created;
  created = std::string(dir);
  std::atexit([] { (void)llvm::sys::fs::remove_directories(created); });
  return created;
}
} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  static DialectRegistry *registry = [] {
    auto *r = new DialectRegistry();
    qops::registerAllDialects(*r);
    return r;
  }();
  static const std::string modelPath = makeModelDirectory() + "/fuzz.onnx";
  MLIRContext context(*registry);
  context.disableMultithreading();
  ScopedDiagnosticHandler silence(&context, [](Diagnostic &) {
    return success();
  });
  qops::ONNXImportOptions options;
  (void)qops::importONNXModelFromBytes(
      llvm::StringRef(reinterpret_cast<const char *>(data), size), modelPath,
      &context, options);
  return 0;
}
