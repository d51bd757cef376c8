//===- RegularFile.h - bounded reads of regular files -----------*- C++ -*-===//
//
// Data files (.npy arrays, ONNX models and their external weights) are read
// only from regular files and never past a size known before reading: a
// device (/dev/zero), a FIFO or a directory would otherwise be read until
// memory runs out, or block forever.
//
//===----------------------------------------------------------------------===//

#ifndef QUANTOPS_SUPPORT_REGULARFILE_H
#define QUANTOPS_SUPPORT_REGULARFILE_H

#include "llvm/ADT/Twine.h"
#include "llvm/Support/Error.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/MemoryBuffer.h"

#include <cstdint>
#include <memory>
#include <optional>

namespace mlir::qops {

/// What a file type is called in a diagnostic.
inline llvm::StringRef describeFileType(llvm::sys::fs::file_type type) {
  using llvm::sys::fs::file_type;
  switch (type) {
  case file_type::directory_file: return "a directory";
  case file_type::character_file: return "a character device";
  case file_type::block_file: return "a block device";
  case file_type::fifo_file: return "a FIFO";
  case file_type::socket_file: return "a socket";
  default: return "not a regular file";
  }
}

/// The size of the regular file `path` (symbolic links followed), or an
/// error "<reason>" (without the path) when it is missing, unreadable or not
/// a regular file.
inline llvm::Expected<uint64_t> getRegularFileSize(const llvm::Twine &path) {
  llvm::sys::fs::file_status status;
  if (std::error_code ec = llvm::sys::fs::status(path, status))
    return llvm::createStringError(ec, ec.message());
  if (status.type() != llvm::sys::fs::file_type::regular_file)
    return llvm::createStringError(
        std::make_error_code(std::errc::invalid_argument),
        "not a regular file (" + describeFileType(status.type()) + ")");
  return status.getSize();
}

/// Reads `length` bytes at `offset` of the regular file `path` (the rest of
/// the file when `length` is absent). Refuses non-regular files before
/// opening them (a FIFO would block the open) and slices that do not lie
/// inside the file. Errors hold the reason only; the caller names the file.
inline llvm::Expected<std::unique_ptr<llvm::MemoryBuffer>>
readRegularFile(const llvm::Twine &path, uint64_t offset = 0,
                std::optional<uint64_t> length = std::nullopt) {
  llvm::Expected<uint64_t> size = getRegularFileSize(path);
  if (!size)
    return size.takeError();
  auto invalid = [](const llvm::Twine &message) {
    return llvm::createStringError(
        std::make_error_code(std::errc::invalid_argument), message);
  };
  if (offset > *size)
    return invalid("offset " + llvm::Twine(offset) + " is past the end of " +
                   llvm::Twine(*size) + "-byte file");
  uint64_t count = length ? *length : *size - offset;
  if (count > *size - offset)
    return invalid("needs " + llvm::Twine(count) + " bytes at offset " +
                   llvm::Twine(offset) + ", but the file holds " +
                   llvm::Twine(*size) + " bytes");

  if (count == 0)
    return llvm::MemoryBuffer::getMemBufferCopy("", path);

  llvm::Expected<llvm::sys::fs::file_t> file =
      llvm::sys::fs::openNativeFileForRead(path);
  if (!file)
    return file.takeError();
  // The file may have been replaced since the first look: check it again
  // through the open descriptor.
  llvm::sys::fs::file_status status;
  std::error_code ec = llvm::sys::fs::status(*file, status);
  if (!ec && (status.type() != llvm::sys::fs::file_type::regular_file ||
              status.getSize() != *size))
    ec = std::make_error_code(std::errc::invalid_argument);
  llvm::ErrorOr<std::unique_ptr<llvm::MemoryBuffer>> buffer = ec;
  if (!ec)
    buffer = llvm::MemoryBuffer::getOpenFileSlice(
        *file, path, count, static_cast<int64_t>(offset));
  llvm::sys::fs::closeFile(*file);
  if (!buffer)
    return llvm::createStringError(buffer.getError(),
                                   buffer.getError().message());
  return std::move(*buffer);
}

} // namespace mlir::qops

#endif // QUANTOPS_SUPPORT_REGULARFILE_H
