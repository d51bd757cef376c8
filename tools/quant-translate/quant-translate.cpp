//===- quant-translate.cpp - the quant-translate driver -------------------===//
//
// ONNX model -> qops MLIR (--import-onnx), qops float / QDQ program -> ONNX
// model (--export-onnx), and LLVM-dialect module ->
// object file, assembly, LLVM IR or C header, with C entry points
// `<prefix>_<function>`. Flags only: the work is in lib/Import and
// lib/Target.
//
//===----------------------------------------------------------------------===//

#include "quant-ops/Export/ONNXExporter.h"
#include "quant-ops/Import/ONNXImporter.h"
#include "quant-ops/InitAll.h"
#include "quant-ops/Target/ObjectEmitter.h"
#include "quant-ops/ToolSupport/ToolSupport.h"

#include "mlir/Dialect/LLVMIR/LLVMDialect.h"
#include "mlir/IR/DialectRegistry.h"
#include "mlir/IR/MLIRContext.h"
#include "mlir/Parser/Parser.h"
#include "mlir/Support/FileUtilities.h"
#include "mlir/Support/LLVM.h"

#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/CommandLine.h"
#include "llvm/Support/InitLLVM.h"
#include "llvm/Support/SourceMgr.h"
#include "llvm/Support/ToolOutputFile.h"

using namespace mlir;
namespace cl = llvm::cl;

namespace {
enum class Action {
  None,
  ImportONNX,
  ExportONNX,
  Object,
  Assembly,
  LLVMIR,
  Header
};
} // namespace

int main(int argc, char **argv) {
  llvm::InitLLVM init(argc, argv);
  cl::OptionCategory category("quant-translate options");
  cl::opt<std::string> inputFile(cl::Positional, cl::desc("<input.mlir>"),
                                 cl::init("-"), cl::cat(category));
  cl::opt<std::string> outputFile("o", cl::desc("Output file (default: stdout)"),
                                  cl::value_desc("file"), cl::init("-"),
                                  cl::cat(category));
  cl::opt<Action> action(
      cl::desc("What to emit (exactly one):"),
      cl::values(
          clEnumValN(Action::ImportONNX, "import-onnx",
                     "Import an ONNX model (opsets 11-21) as qops MLIR: "
                     "NCHW at the function boundary, NHWC inside"),
          clEnumValN(Action::ExportONNX, "export-onnx",
                     "Write a qops float or QDQ program (--quantize-int8="
                     "\"... emit=qdq\") as an ONNX model (opset 17, NCHW, "
                     "QuantizeLinear / DequantizeLinear, weights as integer "
                     "initializers)"),
          clEnumValN(Action::Object, "emit-obj",
                     "Object file with C entry points <prefix>_<function>"),
          clEnumValN(Action::Assembly, "emit-asm", "Assembly of that object"),
          clEnumValN(Action::LLVMIR, "emit-llvm",
                     "Optimized LLVM IR of that object"),
          clEnumValN(Action::Header, "emit-header",
                     "C header declaring the entry points with the shape "
                     "and element type of every argument")),
      cl::init(Action::None), cl::cat(category));
  cl::opt<std::string> prefix(
      "prefix",
      cl::desc("Prefix of the C symbols: func.func @main becomes "
               "<prefix>_main (default: model)"),
      cl::init("model"), cl::cat(category));
  cl::opt<std::string> mcpu(
      "mcpu", cl::desc("Target CPU (default: the host CPU and its features)"),
      cl::init(""), cl::cat(category));
  cl::opt<std::string> mtriple(
      "mtriple", cl::desc("Target triple (default: the host's)"),
      cl::init(""), cl::cat(category));
  cl::opt<std::string> mattr(
      "mattr", cl::desc("Extra target features, e.g. +avx2,-avx512f"),
      cl::init(""), cl::cat(category));
  cl::opt<int64_t> batch(
      "batch",
      cl::desc("--import-onnx: the size of a dynamic leading (batch) "
               "dimension (default: 1)"),
      cl::init(1), cl::cat(category));
  cl::opt<std::string> exportFunction(
      "export-function",
      cl::desc("--export-onnx: the function to write (default: the only "
               "one)"),
      cl::init(""), cl::cat(category));
  cl::opt<unsigned> optLevel(
      "O", cl::desc("LLVM optimization level 0-3 (default: 3)"), cl::Prefix,
      cl::init(3), cl::cat(category));
  cl::HideUnrelatedOptions(category);
  cl::ParseCommandLineOptions(
      argc, argv,
      "quant-translate: ONNX models to qops MLIR and back, and LLVM-dialect "
      "modules "
      "from `quant-opt --qops-to-llvm` to object files, assembly and C "
      "headers\n");

  if (action == Action::None) {
    llvm::errs() << "quant-translate: choose what to do: --import-onnx, "
                    "--export-onnx, --emit-obj, --emit-asm, --emit-llvm or "
                    "--emit-header\n";
    return 1;
  }
  if (batch < 1) {
    llvm::errs() << "quant-translate: --batch=" << batch
                 << " must be at least 1\n";
    return 1;
  }
  if (optLevel > 3) {
    llvm::errs() << "quant-translate: -O" << optLevel
                 << " is not an optimization level (0-3)\n";
    return 1;
  }
  if (prefix.empty() || !llvm::all_of(prefix, [](char c) {
        return llvm::isAlnum(c) || c == '_';
      }) || llvm::isDigit(prefix.front())) {
    llvm::errs() << "quant-translate: --prefix='" << prefix
                 << "' is not a C identifier\n";
    return 1;
  }

  // The work runs on a large stack; the parser never sees nesting beyond
  // the pre-scan's limit.
  return qops::runOnLargeStack([&]() -> int {
    DialectRegistry registry;
    qops::registerAllDialects(registry);
    registry.insert<LLVM::LLVMDialect>();
    MLIRContext context(registry);

    std::string error;
    if (action == Action::ImportONNX) {
      SourceMgrDiagnosticHandler diagnostics(*std::make_shared<llvm::SourceMgr>(),
                                             &context);
      qops::ONNXImportOptions importOptions;
      importOptions.batch = batch;
      OwningOpRef<ModuleOp> module =
          qops::importONNXModel(inputFile, &context, importOptions);
      if (!module)
        return 1;
      auto output = openOutputFile(outputFile, &error);
      if (!output) {
        llvm::errs() << "quant-translate: " << error << "\n";
        return 1;
      }
      // With locations: later diagnostics name the ONNX node.
      module->print(output->os(), OpPrintingFlags().enableDebugInfo(
                                      /*enable=*/true, /*prettyForm=*/false));
      output->keep();
      return 0;
    }

    auto input = qops::openSourceFile(inputFile, &error);
    if (!input) {
      llvm::errs() << "quant-translate: error: " << error << "\n";
      return 1;
    }
    auto sourceMgr = std::make_shared<llvm::SourceMgr>();
    unsigned bufferId =
        sourceMgr->AddNewSourceBuffer(std::move(input), llvm::SMLoc());
    if (failed(qops::checkNestingDepth(*sourceMgr, bufferId)))
      return 1;
    SourceMgrDiagnosticHandler diagnostics(*sourceMgr, &context);
    OwningOpRef<ModuleOp> module =
        parseSourceFile<ModuleOp>(sourceMgr, &context);
    if (!module)
      return 1;

    if (action == Action::ExportONNX) {
      std::string bytes;
      llvm::raw_string_ostream stream(bytes);
      qops::ONNXExportOptions exportOptions;
      exportOptions.functionName = exportFunction;
      if (failed(qops::exportONNXModel(*module, stream, exportOptions)))
        return 1;
      auto output = openOutputFile(outputFile, &error);
      if (!output) {
        llvm::errs() << "quant-translate: " << error << "\n";
        return 1;
      }
      output->os() << bytes;
      output->keep();
      return 0;
    }

    if (failed(qops::addCEntryPoints(*module, prefix)))
      return 1;

    auto output = openOutputFile(outputFile, &error);
    if (!output) {
      llvm::errs() << "quant-translate: " << error << "\n";
      return 1;
    }
    if (action == Action::Header) {
      if (failed(qops::emitCHeader(*module, prefix, output->os())))
        return 1;
    } else {
      qops::ObjectEmitterOptions options;
      options.triple = mtriple;
      options.cpu = mcpu;
      options.features = mattr;
      options.optLevel = optLevel;
      qops::EmitKind kind = action == Action::Object     ? qops::EmitKind::Object
                            : action == Action::Assembly ? qops::EmitKind::Assembly
                                                         : qops::EmitKind::LLVMIR;
      if (failed(qops::emitModule(*module, options, kind, output->os())))
        return 1;
    }
    output->keep();
    return 0;
  });
}
