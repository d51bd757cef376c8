//===- Npy.cpp - NumPy .npy arrays in and out -----------------------------===//
//
// A small, strict reader and writer of the .npy format.
//
//===----------------------------------------------------------------------===//

#include "quant-ops/Runtime/Npy.h"
#include "quant-ops/Support/RegularFile.h"

#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/raw_ostream.h"

#include <cstring>
#include <limits>
#include <optional>

using namespace mlir::qops;
using llvm::StringRef;

namespace {
struct DTypeInfo {
  NpyDType dtype;
  StringRef name;
  StringRef descr;
  StringRef numpyName;
  size_t size;
};
} // namespace

static const DTypeInfo kDTypes[] = {
    {NpyDType::F32, "f32", "<f4", "float32", 4},
    {NpyDType::F64, "f64", "<f8", "float64", 8},
    {NpyDType::I8, "i8", "|i1", "int8", 1},
    {NpyDType::U8, "u8", "|u1", "uint8", 1},
    {NpyDType::I32, "i32", "<i4", "int32", 4},
    {NpyDType::I64, "i64", "<i8", "int64", 8},
};

static const DTypeInfo &info(NpyDType dtype) {
  return *llvm::find_if(kDTypes,
                        [&](const DTypeInfo &i) { return i.dtype == dtype; });
}

size_t mlir::qops::getNpyItemSize(NpyDType dtype) { return info(dtype).size; }
StringRef mlir::qops::getNpyDTypeName(NpyDType dtype) {
  return info(dtype).name;
}
StringRef mlir::qops::getNpyDescr(NpyDType dtype) { return info(dtype).descr; }
StringRef mlir::qops::getNumpyTypeName(NpyDType dtype) {
  return info(dtype).numpyName;
}

/// The bytes of an array, or nothing when they overflow (with the 64-byte
/// rounding of its storage).
static std::optional<size_t> arrayBytes(NpyDType dtype,
                                        llvm::ArrayRef<int64_t> shape) {
  unsigned __int128 bytes = getNpyItemSize(dtype);
  for (int64_t d : shape) {
    if (d < 0)
      return std::nullopt;
    bytes *= static_cast<uint64_t>(d);
    if (bytes > std::numeric_limits<size_t>::max() - 64)
      return std::nullopt;
  }
  return static_cast<size_t>(bytes);
}

NpyArray::NpyArray(NpyDType dtype, llvm::ArrayRef<int64_t> shape)
    : dtype(dtype), shape(shape.begin(), shape.end()) {
  std::optional<size_t> size = arrayBytes(dtype, shape);
  if (!size)
    return;
  size_t rounded = (std::max<size_t>(*size, 1) + 63) / 64 * 64;
  storage.reset(static_cast<char *>(std::aligned_alloc(64, rounded)));
  if (storage)
    std::memset(storage.get(), 0, rounded);
}

llvm::Expected<NpyArray> NpyArray::allocate(NpyDType dtype,
                                            llvm::ArrayRef<int64_t> shape,
                                            const llvm::Twine &what) {
  std::optional<size_t> size = arrayBytes(dtype, shape);
  std::string shapeText =
      "[" +
      llvm::join(llvm::map_range(shape,
                                 [](int64_t d) { return std::to_string(d); }),
                 ", ") +
      "] " + getNpyDTypeName(dtype).str();
  if (!size)
    return llvm::createStringError(llvm::inconvertibleErrorCode(),
                                   what + ": " + shapeText +
                                       " needs more than 2^64 bytes");
  NpyArray array(dtype, shape);
  if (!array.data())
    return llvm::createStringError(
        llvm::inconvertibleErrorCode(),
        what + ": " + shapeText + " needs " + llvm::Twine(*size) +
            " bytes, which cannot be allocated");
  return std::move(array);
}

int64_t NpyArray::getNumElements() const {
  int64_t count = 1;
  for (int64_t d : shape)
    count *= d;
  return count;
}

static llvm::Error fail(StringRef path, const llvm::Twine &message) {
  return llvm::createStringError(llvm::inconvertibleErrorCode(),
                                 path + ": " + message);
}

/// The text after `'key':` in the header dictionary, or "".
static StringRef headerValue(StringRef header, StringRef key) {
  size_t pos = header.find(("'" + key + "'").str());
  if (pos == StringRef::npos)
    return "";
  StringRef rest = header.drop_front(pos + key.size() + 2).ltrim();
  if (!rest.consume_front(":"))
    return "";
  return rest.ltrim();
}

llvm::Expected<NpyArray> mlir::qops::readNpy(StringRef path) {
  // A regular file only: a device or a FIFO would be read until memory
  // runs out (or block).
  auto buffer = readRegularFile(path);
  if (!buffer)
    return fail(path, "cannot read: " + llvm::toString(buffer.takeError()));
  return parseNpy((*buffer)->getBuffer(), path);
}

llvm::Expected<NpyArray> mlir::qops::parseNpy(StringRef bytes,
                                              StringRef path) {

  if (!bytes.starts_with("\x93NUMPY") || bytes.size() < 10)
    return fail(path, "not a .npy file (missing the \\x93NUMPY magic)");
  unsigned major = static_cast<unsigned char>(bytes[6]);
  size_t headerLength, headerStart;
  if (major == 1) {
    headerLength = static_cast<unsigned char>(bytes[8]) |
                   static_cast<unsigned char>(bytes[9]) << 8;
    headerStart = 10;
  } else if (major == 2 || major == 3) {
    if (bytes.size() < 12)
      return fail(path, "truncated .npy header");
    headerLength = 0;
    for (int i = 3; i >= 0; --i)
      headerLength = headerLength << 8 | static_cast<unsigned char>(bytes[8 + i]);
    headerStart = 12;
  } else {
    return fail(path, "unsupported .npy format version " + llvm::Twine(major));
  }
  if (bytes.size() < headerStart + headerLength)
    return fail(path, "truncated .npy header");
  StringRef header = bytes.substr(headerStart, headerLength);

  // 'descr': '<f4'
  StringRef descr = headerValue(header, "descr");
  if (!descr.consume_front("'") || descr.find('\'') == StringRef::npos)
    return fail(path, "malformed .npy header: no 'descr'");
  descr = descr.take_until([](char c) { return c == '\''; });
  std::string normalized = descr.str();
  if (normalized == "<i1" || normalized == "i1")
    normalized = "|i1";
  if (normalized == "<u1" || normalized == "u1")
    normalized = "|u1";
  const DTypeInfo *dtype = llvm::find_if(
      kDTypes, [&](const DTypeInfo &i) { return i.descr == normalized; });
  if (dtype == std::end(kDTypes))
    return fail(path, "unsupported dtype '" + descr +
                          "' (supported: float32 <f4, float64 <f8, int8 |i1, "
                          "uint8 |u1, int32 <i4, int64 <i8, little-endian)");

  // 'fortran_order': False
  StringRef order = headerValue(header, "fortran_order");
  if (order.starts_with("True"))
    return fail(path, "Fortran-order arrays are not supported; save a "
                      "C-order array (numpy.ascontiguousarray)");
  if (!order.starts_with("False"))
    return fail(path, "malformed .npy header: no 'fortran_order'");

  // 'shape': (1, 8, 8, 3)
  StringRef shapeText = headerValue(header, "shape");
  if (!shapeText.consume_front("(") || shapeText.find(')') == StringRef::npos)
    return fail(path, "malformed .npy header: no 'shape'");
  shapeText = shapeText.take_until([](char c) { return c == ')'; });
  std::vector<int64_t> shape;
  llvm::SmallVector<StringRef> parts;
  shapeText.split(parts, ',', -1, /*KeepEmpty=*/false);
  for (StringRef part : parts) {
    part = part.trim();
    if (part.empty())
      continue;
    int64_t dim;
    if (part.getAsInteger(10, dim) || dim < 0)
      return fail(path, "malformed .npy shape '(" + shapeText + ")'");
    shape.push_back(dim);
  }

  // Check the declared size against the data present before allocating:
  // a hostile header must not make us allocate (or overflow).
  size_t dataStart = headerStart + headerLength;
  uint64_t available = bytes.size() - dataStart;
  unsigned __int128 needed = dtype->size;
  bool overflows = false;
  for (int64_t d : shape) {
    needed *= static_cast<uint64_t>(d);
    if (needed > std::numeric_limits<uint64_t>::max()) {
      overflows = true;
      break;
    }
  }
  if (overflows || needed != available)
    return fail(path, "holds " + llvm::Twine(available) +
                          " data bytes, but shape (" + shapeText + ") of " +
                          dtype->name + " needs " +
                          (overflows ? std::string("more than 2^64")
                                     : std::to_string(uint64_t(needed))));
  NpyArray array(dtype->dtype, shape);
  std::memcpy(array.data(), bytes.data() + dataStart, array.getSizeInBytes());
  return std::move(array);
}

llvm::Error mlir::qops::writeNpy(StringRef path, const NpyArray &array) {
  // Python tuple syntax: (), (5,), (1, 2, 3).
  std::string shape = llvm::join(
      llvm::map_range(array.getShape(),
                      [](int64_t d) { return std::to_string(d); }),
      ", ");
  if (array.getShape().size() == 1)
    shape += ",";
  std::string header = "{'descr': '" + getNpyDescr(array.getDType()).str() +
                       "', 'fortran_order': False, 'shape': (" + shape + ")";
  header += ", }";
  // Pad with spaces so that the data starts on a 64-byte boundary.
  size_t total = 10 + header.size() + 1;
  header.append((64 - total % 64) % 64, ' ');
  header += '\n';

  std::error_code ec;
  llvm::raw_fd_ostream os(path, ec, llvm::sys::fs::OF_None);
  if (ec)
    return fail(path, "cannot write: " + ec.message());
  os << "\x93NUMPY" << '\x01' << '\x00';
  os << static_cast<char>(header.size() & 0xff)
     << static_cast<char>((header.size() >> 8) & 0xff);
  os << header;
  os.write(array.data(), array.getSizeInBytes());
  os.close();
  if (os.has_error())
    return fail(path, "write failed: " + os.error().message());
  return llvm::Error::success();
}
