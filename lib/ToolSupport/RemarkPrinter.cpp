//===- RemarkPrinter.cpp - compact printing of remarks and warnings -------===//
//
// One line per remark at a readable location, no op dumps, repeated kinds
// counted.
//
//===----------------------------------------------------------------------===//

#include "quant-ops/ToolSupport/RemarkPrinter.h"

#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/Location.h"
#include "mlir/IR/MLIRContext.h"

#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/raw_ostream.h"

using namespace mlir;
using namespace mlir::qops;

/// The note MLIR attaches to op diagnostics with the op printed in full
/// (-mlir-print-op-on-diagnostic, on by default in quant-opt).
static constexpr llvm::StringLiteral kOpDumpNote = "see current operation: ";

/// The file location or name inside `loc`, depth first.
static std::optional<std::string> findReadable(Location loc) {
  if (auto file = dyn_cast<FileLineColLoc>(loc))
    return (file.getFilename().getValue() + ":" + Twine(file.getLine()) +
            ":" + Twine(file.getColumn()))
        .str();
  if (auto name = dyn_cast<NameLoc>(loc)) {
    // A name wrapping a file location: the file location says more.
    if (std::optional<std::string> child = findReadable(name.getChildLoc()))
      return child;
    if (!name.getName().getValue().empty())
      return name.getName().getValue().str();
    return std::nullopt;
  }
  if (auto callSite = dyn_cast<CallSiteLoc>(loc))
    return findReadable(callSite.getCallee());
  if (auto fused = dyn_cast<FusedLoc>(loc)) {
    for (Location part : fused.getLocations())
      if (std::optional<std::string> text = findReadable(part))
        return text;
    return std::nullopt;
  }
  if (auto opaque = dyn_cast<OpaqueLoc>(loc))
    return findReadable(opaque.getFallbackLocation());
  return std::nullopt;
}

std::string mlir::qops::formatLocation(Location loc) {
  return findReadable(loc).value_or("<unknown>");
}

/// The kind of a message: its text with every number replaced by `N`, so
/// that "concat input #0 ..." and "concat input #3 ..." are one kind.
static std::string getKindText(StringRef message) {
  std::string text;
  for (size_t i = 0, e = message.size(); i < e;) {
    // Digits inside a name (relu6, /block12/Concat) are part of it.
    bool inName = i > 0 && (llvm::isAlnum(message[i - 1]) ||
                            message[i - 1] == '_' || message[i - 1] == '/');
    if (!llvm::isDigit(message[i]) || inName) {
      text += message[i++];
      continue;
    }
    // A number: digits, a decimal point, an exponent.
    while (i < e && (llvm::isDigit(message[i]) || message[i] == '.' ||
                     ((message[i] == 'e' || message[i] == 'E') && i + 1 < e &&
                      (llvm::isDigit(message[i + 1]) ||
                       message[i + 1] == '-' || message[i + 1] == '+'))))
      i += (message[i] == 'e' || message[i] == 'E') ? 2 : 1;
    text += 'N';
  }
  return text;
}

static StringRef getSeverityName(DiagnosticSeverity severity) {
  switch (severity) {
  case DiagnosticSeverity::Note:
    return "note";
  case DiagnosticSeverity::Warning:
    return "warning";
  case DiagnosticSeverity::Remark:
    return "remark";
  case DiagnosticSeverity::Error:
    return "error";
  }
  return "remark";
}

RemarkPrinter::RemarkPrinter(MLIRContext *context, RemarkDetail detail,
                             llvm::raw_ostream &os)
    : context(context), detail(detail), os(os) {
  handlerId = context->getDiagEngine().registerHandler(
      [this](Diagnostic &diagnostic) { return handle(diagnostic); });
}

RemarkPrinter::~RemarkPrinter() {
  context->getDiagEngine().eraseHandler(handlerId);
  for (const Kind &kind : kinds) {
    if (kind.count < 2)
      continue;
    os << kind.firstLocation << ": " << getSeverityName(kind.severity)
       << ": " << kind.count << " times in all, first here ("
       << kind.count - 1
       << " more not shown; --remark-detail=all prints each): " << kind.text
       << "\n";
  }
  os.flush();
}

void RemarkPrinter::print(Diagnostic &diagnostic) {
  os << formatLocation(diagnostic.getLocation()) << ": "
     << getSeverityName(diagnostic.getSeverity()) << ": " << diagnostic
     << "\n";
  for (Diagnostic &note : diagnostic.getNotes()) {
    std::string text = note.str();
    if (diagnostic.getSeverity() != DiagnosticSeverity::Error &&
        detail != RemarkDetail::Ops && StringRef(text).starts_with(kOpDumpNote))
      continue;
    os << formatLocation(note.getLocation()) << ": note: " << text << "\n";
  }
}

LogicalResult RemarkPrinter::handle(Diagnostic &diagnostic) {
  DiagnosticSeverity severity = diagnostic.getSeverity();
  if (severity == DiagnosticSeverity::Error) {
    // Errors are all printed, with their notes. Those at a file location
    // go on to the source manager's handler, which also shows the line.
    if (diagnostic.getLocation()->findInstanceOf<FileLineColLoc>())
      return failure();
    print(diagnostic);
    return success();
  }
  if (severity != DiagnosticSeverity::Remark &&
      severity != DiagnosticSeverity::Warning)
    return failure(); // Stray notes as before.
  if (detail == RemarkDetail::Summary) {
    std::string text = getKindText(diagnostic.str());
    std::string key = (getSeverityName(severity) + ":" + text).str();
    auto [it, inserted] = kindIndex.try_emplace(key, kinds.size());
    if (!inserted) {
      ++kinds[it->second].count;
      return success();
    }
    kinds.push_back(
        {severity, text, formatLocation(diagnostic.getLocation()), 1});
  }
  print(diagnostic);
  return success();
}
