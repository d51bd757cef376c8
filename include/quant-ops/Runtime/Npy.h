//===- Npy.h - NumPy .npy arrays in and out ----------------------*- C++ -*-===//
//
// Reads and writes the NumPy .npy format (versions 1-3, C order,
// little-endian) for the element types the compiler's functions exchange.
//
//===----------------------------------------------------------------------===//

#ifndef QUANTOPS_RUNTIME_NPY_H
#define QUANTOPS_RUNTIME_NPY_H

#include "llvm/ADT/ArrayRef.h"
#include "llvm/ADT/StringRef.h"
#include "llvm/Support/Error.h"

#include <cstdint>
#include <cstdlib>
#include <memory>
#include <string>
#include <vector>

namespace mlir::qops {

/// Element types of .npy arrays the runtime exchanges.
enum class NpyDType { F32, F64, I8, U8, I32, I64 };

/// Bytes per element of `dtype`.
size_t getNpyItemSize(NpyDType dtype);
/// The short name used in messages ("f32", "u8", ...).
llvm::StringRef getNpyDTypeName(NpyDType dtype);
/// The NumPy type string written to the header ("<f4", "|u1", ...).
llvm::StringRef getNpyDescr(NpyDType dtype);
/// The numpy scalar type name ("float32", "uint8", ...).
llvm::StringRef getNumpyTypeName(NpyDType dtype);

/// A C-order array with 64-byte aligned storage.
class NpyArray {
public:
  /// A zero-filled array. The storage is null when it cannot be allocated;
  /// `allocate` says so as an error instead.
  NpyArray(NpyDType dtype, llvm::ArrayRef<int64_t> shape);
  /// A zero-filled array, or an error naming `what` when its size overflows
  /// or the memory cannot be allocated.
  static llvm::Expected<NpyArray> allocate(NpyDType dtype,
                                           llvm::ArrayRef<int64_t> shape,
                                           const llvm::Twine &what);

  NpyDType getDType() const { return dtype; }
  llvm::ArrayRef<int64_t> getShape() const { return shape; }
  int64_t getNumElements() const;
  size_t getSizeInBytes() const {
    return getNumElements() * getNpyItemSize(dtype);
  }
  char *data() { return storage.get(); }
  const char *data() const { return storage.get(); }

private:
  struct Free {
    void operator()(char *p) const { std::free(p); }
  };
  NpyDType dtype;
  std::vector<int64_t> shape;
  std::unique_ptr<char, Free> storage;
};

/// Reads a .npy file. Errors name the file and say what is wrong (missing,
/// truncated, not .npy, Fortran order, big-endian or unsupported dtype).
llvm::Expected<NpyArray> readNpy(llvm::StringRef path);

/// Parses the bytes of a .npy file; errors name `path`.
llvm::Expected<NpyArray> parseNpy(llvm::StringRef bytes, llvm::StringRef path);

/// Writes `array` as a version 1.0 .npy file.
llvm::Error writeNpy(llvm::StringRef path, const NpyArray &array);

} // namespace mlir::qops

#endif // QUANTOPS_RUNTIME_NPY_H
