//===- NpyFuzzer.cpp - libFuzzer: mutated .npy files ------------------------===//
//
// Parses the input bytes as a .npy file (what quant-run and --calibrate
// read). Bad files must be errors; a parsed array's data must be readable.
//
//===----------------------------------------------------------------------===//

#include "quant-ops/Runtime/Npy.h"

#include "llvm/Support/Error.h"

#include <cstdint>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  llvm::Expected<mlir::qops::NpyArray> array = mlir::qops::parseNpy(
      llvm::StringRef(reinterpret_cast<const char *>(data), size), "fuzz.npy");
  if (!array) {
    llvm::consumeError(array.takeError());
    return 0;
  }
  // Touch every byte: the size the header claims must be backed by data.
  volatile uint8_t sink = 0;
  const uint8_t *bytes = reinterpret_cast<const uint8_t *>(array->data());
  for (size_t i = 0, e = array->getSizeInBytes(); i < e; ++i)
    sink ^= bytes[i];
  (void)sink;
  return 0;
}
