//===- ToolSupport.cpp - shared driver support of the quant-* tools -------===//
//
// The bracket-depth pre-scan, the large-stack thread and quant-opt's main.
//
//===----------------------------------------------------------------------===//

#include "quant-ops/ToolSupport/ToolSupport.h"
#include "quant-ops/ToolSupport/RemarkPrinter.h"
#include "quant-ops/Support/RegularFile.h"

#include "mlir/IR/DialectRegistry.h"
#include "mlir/Pass/PassInstrumentation.h"
#include "mlir/Pass/PassManager.h"
#include "mlir/Support/FileUtilities.h"
#include "mlir/Tools/mlir-opt/MlirOptMain.h"

#include "llvm/ADT/SmallVector.h"
#include "llvm/Support/CommandLine.h"
#include "llvm/Support/InitLLVM.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/SourceMgr.h"
#include "llvm/Support/ToolOutputFile.h"
#include "llvm/Support/raw_ostream.h"
#include "llvm/Support/thread.h"

#include <optional>
#include <tuple>

using namespace mlir;

/// The opening bracket `close` closes.
static char getOpening(char close) {
  switch (close) {
  case ')':
    return '(';
  case ']':
    return '[';
  case '}':
    return '{';
  default:
    return '<';
  }
}

LogicalResult mlir::qops::checkNestingDepth(const llvm::SourceMgr &sourceMgr,
                                            unsigned bufferId,
                                            unsigned maxDepth) {
  const llvm::MemoryBuffer *buffer = sourceMgr.getMemoryBuffer(bufferId);
  StringRef text = buffer->getBuffer();
  // The open brackets, innermost last. A closing bracket pops up to its
  // opening one, so a `<` that never closes (as in `(d0 >= 0)` there is a
  // `>` that closes nothing) is dropped with the enclosing group instead of
  // counting forever; `->` is an arrow, not a bracket.
  SmallVector<char> open;
  for (size_t i = 0, e = text.size(); i < e; ++i) {
    char c = text[i];
    switch (c) {
    case '"':
      // A string literal: up to the closing quote, over escapes.
      for (++i; i < e && text[i] != '"' && text[i] != '\n'; ++i)
        if (text[i] == '\\')
          ++i;
      break;
    case '/':
      if (i + 1 < e && text[i + 1] == '/')
        i = std::min(text.find('\n', i), e);
      break;
    case '(':
    case '[':
    case '{':
    case '<':
      open.push_back(c);
      if (open.size() > maxDepth) {
        auto [line, column] = sourceMgr.getLineAndColumn(
            llvm::SMLoc::getFromPointer(text.data() + i), bufferId);
        llvm::errs() << buffer->getBufferIdentifier() << ":" << line << ":"
                     << column
                     << ": error: brackets nested deeper than " << maxDepth
                     << " levels; the input is rejected before parsing "
                        "(deeper nesting would overflow the parser's "
                        "stack)\n";
        return failure();
      }
      break;
    case '>':
      if (i > 0 && text[i - 1] == '-')
        break;
      if (!open.empty() && open.back() == '<')
        open.pop_back();
      break;
    case ')':
    case ']':
    case '}': {
      char opening = getOpening(c);
      auto it = llvm::find(llvm::reverse(open), opening);
      if (it != open.rend())
        open.truncate(std::distance(it, open.rend()) - 1);
      break;
    }
    default:
      break;
    }
  }
  return success();
}

std::unique_ptr<llvm::MemoryBuffer>
mlir::qops::openSourceFile(StringRef path, std::string *error) {
  if (path != "-") {
    llvm::Expected<std::unique_ptr<llvm::MemoryBuffer>> buffer =
        readRegularFile(path);
    if (!buffer) {
      *error = (path + ": cannot read: " +
                llvm::toString(buffer.takeError()))
                   .str();
      return nullptr;
    }
    return std::move(*buffer);
  }
  // Standard input, in chunks, refusing more than kMaxStdinBytes.
  std::string text;
  char chunk[1 << 16];
  while (true) {
    llvm::Expected<size_t> count = llvm::sys::fs::readNativeFile(
        llvm::sys::fs::getStdinHandle(), llvm::MutableArrayRef(chunk));
    if (!count) {
      *error = "<stdin>: cannot read: " + llvm::toString(count.takeError());
      return nullptr;
    }
    if (*count == 0)
      break;
    if (text.size() + *count > kMaxStdinBytes) {
      *error = "<stdin>: more than " + std::to_string(kMaxStdinBytes) +
               " bytes of input; pass a file instead";
      return nullptr;
    }
    text.append(chunk, *count);
  }
  return llvm::MemoryBuffer::getMemBufferCopy(text, "<stdin>");
}

int mlir::qops::runOnLargeStack(llvm::function_ref<int()> work,
                                unsigned stackBytes) {
  int result = 1;
  llvm::thread thread(std::optional<unsigned>(stackBytes),
                      [&] { result = work(); });
  thread.join();
  return result;
}

namespace {
/// Owns a RemarkPrinter for the life of a pass manager: it sees the
/// pipeline's remarks before MlirOptMain's handler and prints the counts
/// when the pass manager goes.
struct RemarkPrinterInstrumentation : public PassInstrumentation {
  RemarkPrinterInstrumentation(MLIRContext *context, qops::RemarkDetail detail)
      : printer(context, detail, llvm::errs()) {}
  qops::RemarkPrinter printer;
};
} // namespace

int mlir::qops::quantOptMain(int argc, char **argv, StringRef toolName,
                             DialectRegistry &registry) {
  llvm::InitLLVM init(argc, argv);
  static llvm::cl::opt<RemarkDetail> remarkDetail(
      "remark-detail",
      llvm::cl::desc("How the passes' remarks and warnings are printed (one "
                     "line each, at the op's file location or ONNX node "
                     "name):"),
      llvm::cl::values(
          clEnumValN(RemarkDetail::Summary, "summary",
                     "the first of each kind, then its count (default)"),
          clEnumValN(RemarkDetail::All, "all", "every one"),
          clEnumValN(RemarkDetail::Ops, "ops",
                     "every one, with the op printed in full")),
      llvm::cl::init(RemarkDetail::Summary));
  std::string inputFilename, outputFilename;
  std::tie(inputFilename, outputFilename) =
      registerAndParseCLIOptions(argc, argv, toolName, registry);
  MlirOptMainConfig config = MlirOptMainConfig::createFromCLOptions();
  // The pipeline's remarks through a RemarkPrinter (not when the test
  // harness checks diagnostics), then the pipeline from the command line.
  if (!config.shouldVerifyDiagnostics()) {
    MlirOptMainConfig fromCommandLine = config;
    RemarkDetail detail = remarkDetail;
    config.setPassPipelineSetupFn(
        [fromCommandLine, detail](PassManager &pm) -> LogicalResult {
          pm.addInstrumentation(std::make_unique<RemarkPrinterInstrumentation>(
              pm.getContext(), detail));
          return fromCommandLine.setupPassPipeline(pm);
        });
  }
  // Listings read no input.
  if (config.shouldShowDialects() || config.shouldListPasses())
    return asMainReturnCode(
        MlirOptMain(argc, argv, inputFilename, outputFilename, registry));

  return runOnLargeStack([&]() -> int {
    std::string error;
    std::unique_ptr<llvm::MemoryBuffer> file =
        openSourceFile(inputFilename, &error);
    if (!file) {
      llvm::errs() << llvm::sys::path::filename(argv[0]) << ": error: " << error
                   << "\n";
      return 1;
    }
    {
      // Scan a non-owning view: MlirOptMain takes the buffer itself.
      llvm::SourceMgr sourceMgr;
      unsigned id = sourceMgr.AddNewSourceBuffer(
          llvm::MemoryBuffer::getMemBuffer(file->getMemBufferRef(),
                                           /*RequiresNullTerminator=*/false),
          llvm::SMLoc());
      if (failed(checkNestingDepth(sourceMgr, id)))
        return 1;
    }
    auto output = openOutputFile(outputFilename, &error);
    if (!output) {
      llvm::errs() << error << "\n";
      return 1;
    }
    if (failed(MlirOptMain(output->os(), std::move(file), registry, config)))
      return 1;
    output->keep();
    return 0;
  });
}
