//===- RemarkPrinter.h - compact printing of remarks and warnings -*- C++ -*-===//
//
// A quantized DenseNet emits hundreds of remarks of a few kinds. This
// handler prints each remark and warning as one line located at the op's
// source location or ONNX node name, without the dump of the op, and
// prints each kind once with a count at the end.
//
//===----------------------------------------------------------------------===//

#ifndef QUANTOPS_TOOLSUPPORT_REMARKPRINTER_H
#define QUANTOPS_TOOLSUPPORT_REMARKPRINTER_H

#include "mlir/IR/Diagnostics.h"
#include "mlir/Support/LLVM.h"

#include "llvm/ADT/StringMap.h"

#include <string>
#include <vector>

namespace mlir {
class Location;
class MLIRContext;

namespace qops {

/// How much of the remarks and warnings RemarkPrinter shows.
enum class RemarkDetail {
  /// The first remark of each kind (same text but for the numbers in it),
  /// then one line per repeated kind with its count.
  Summary,
  /// Every remark.
  All,
  /// Every remark with MLIR's note printing the whole op.
  Ops,
};

/// Formats `loc` as a diagnostic location: `file:line:col` when it holds
/// one, else the (ONNX node) name of a name location, else `<unknown>`.
std::string formatLocation(Location loc);

/// While alive, prints the remarks and warnings emitted in `context` to `os`
/// as `<location>: remark: <message>` lines (see formatLocation) according
/// to `detail`, without MLIR's op dump unless `detail` is Ops. Errors are
/// printed in full: those at a file location by the handlers registered
/// before it (with the source line), the others here, at their name. On
/// destruction prints, for each kind of remark or warning that occurred
/// more than once in summary mode, a line with its count and first
/// location.
class RemarkPrinter {
public:
  RemarkPrinter(MLIRContext *context, RemarkDetail detail,
                llvm::raw_ostream &os);
  ~RemarkPrinter();

  RemarkPrinter(const RemarkPrinter &) = delete;
  RemarkPrinter &operator=(const RemarkPrinter &) = delete;

private:
  LogicalResult handle(Diagnostic &diagnostic);
  void print(Diagnostic &diagnostic);

  /// One kind of remark or warning and how often it occurred.
  struct Kind {
    DiagnosticSeverity severity;
    std::string text;
    std::string firstLocation;
    unsigned count;
  };

  MLIRContext *context;
  RemarkDetail detail;
  llvm::raw_ostream &os;
  DiagnosticEngine::HandlerID handlerId;
  std::vector<Kind> kinds;
  llvm::StringMap<size_t> kindIndex;
};

} // namespace qops
} // namespace mlir

#endif // QUANTOPS_TOOLSUPPORT_REMARKPRINTER_H
