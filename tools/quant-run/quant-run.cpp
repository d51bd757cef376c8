//===- quant-run.cpp - the quant-run driver -------------------------------===//
//
// JIT-executes a function of a module at any stage on .npy inputs. Flags
// only: the work is in lib/Runtime.
//
//===----------------------------------------------------------------------===//

#include "quant-ops/InitAll.h"
#include "quant-ops/Runtime/Runner.h"
#include "quant-ops/ToolSupport/RemarkPrinter.h"
#include "quant-ops/ToolSupport/ToolSupport.h"

#include "mlir/Dialect/LLVMIR/LLVMDialect.h"
#include "mlir/IR/DialectRegistry.h"
#include "mlir/IR/MLIRContext.h"
#include "mlir/InitAllDialects.h"
#include "mlir/InitAllExtensions.h"
#include "mlir/Parser/Parser.h"
#include "mlir/Support/FileUtilities.h"

#include "llvm/Support/CommandLine.h"
#include "llvm/Support/Format.h"
#include "llvm/Support/InitLLVM.h"
#include "llvm/Support/SourceMgr.h"

#include <algorithm>

using namespace mlir;
namespace cl = llvm::cl;

static int fail(const llvm::Twine &message) {
  llvm::errs() << "quant-run: error: " << message << "\n";
  return 1;
}

/// Prints an array as `output #i: [shape] dtype` and its values.
static void printArray(llvm::raw_ostream &os, size_t index,
                       const qops::NpyArray &array) {
  os << "output #" << index << ": [";
  llvm::interleaveComma(array.getShape(), os);
  os << "] " << qops::getNpyDTypeName(array.getDType()) << "\n";
  for (int64_t i = 0, e = array.getNumElements(); i < e; ++i) {
    if (i)
      os << (i % 8 == 0 ? "\n" : " ");
    switch (array.getDType()) {
    case qops::NpyDType::F32:
      os << llvm::format("%.9g", reinterpret_cast<const float *>(array.data())[i]);
      break;
    case qops::NpyDType::F64:
      os << llvm::format("%.17g", reinterpret_cast<const double *>(array.data())[i]);
      break;
    case qops::NpyDType::I8:
      os << static_cast<int>(reinterpret_cast<const int8_t *>(array.data())[i]);
      break;
    case qops::NpyDType::U8:
      os << static_cast<int>(reinterpret_cast<const uint8_t *>(array.data())[i]);
      break;
    case qops::NpyDType::I32:
      os << reinterpret_cast<const int32_t *>(array.data())[i];
      break;
    case qops::NpyDType::I64:
      os << reinterpret_cast<const int64_t *>(array.data())[i];
      break;
    }
  }
  os << "\n";
}

/// Parses, runs and writes the outputs (on a large stack: see main).
static int run(llvm::StringRef inputFile, llvm::StringRef entry,
               llvm::ArrayRef<std::string> inputs,
               llvm::ArrayRef<std::string> outputs, unsigned repeat,
               int threads) {
  DialectRegistry registry;
  registerAllDialects(registry);
  registerAllExtensions(registry);
  qops::registerAllDialects(registry);
  MLIRContext context(registry);

  std::string error;
  auto file = qops::openSourceFile(inputFile, &error);
  if (!file)
    return fail(error);
  auto sourceMgr = std::make_shared<llvm::SourceMgr>();
  unsigned bufferId =
      sourceMgr->AddNewSourceBuffer(std::move(file), llvm::SMLoc());
  if (failed(qops::checkNestingDepth(*sourceMgr, bufferId)))
    return 1;
  SourceMgrDiagnosticHandler diagnostics(*sourceMgr, &context);
  OwningOpRef<ModuleOp> module =
      parseSourceFile<ModuleOp>(sourceMgr, &context);
  if (!module)
    return 1;
  // The lowering's warnings as quant-opt prints them.
  qops::RemarkPrinter remarks(&context, qops::RemarkDetail::Summary,
                              llvm::errs());

  std::vector<qops::NpyArray> arrays;
  for (const std::string &path : inputs) {
    auto array = qops::readNpy(path);
    if (!array)
      return fail(llvm::toString(array.takeError()));
    arrays.push_back(std::move(*array));
  }

  qops::RunOptions options;
  options.entry = entry.str();
  options.repeat = repeat;
  options.threads = threads;
  auto result = qops::runFunction(*module, options, arrays);
  if (!result)
    return fail(llvm::toString(result.takeError()));

  if (!outputs.empty() && outputs.size() != result->outputs.size())
    return fail("@" + entry + " has " + llvm::Twine(result->outputs.size()) +
                " result(s), but " + llvm::Twine(outputs.size()) +
                " --output file(s) were given");
  for (auto [i, array] : llvm::enumerate(result->outputs)) {
    if (outputs.empty()) {
      printArray(llvm::outs(), i, array);
      continue;
    }
    if (llvm::Error err = qops::writeNpy(outputs[i], array))
      return fail(llvm::toString(std::move(err)));
  }

  if (!result->callMilliseconds.empty()) {
    std::vector<double> times = result->callMilliseconds;
    std::sort(times.begin(), times.end());
    double median = times.size() % 2
                        ? times[times.size() / 2]
                        : (times[times.size() / 2 - 1] + times[times.size() / 2]) / 2;
    llvm::outs() << llvm::format(
        "quant-run: @%s: %zu timed calls, median %.4f ms, min %.4f ms per call\n",
        entry.str().c_str(), times.size(), median, times.front());
  }
  return 0;
}

int main(int argc, char **argv) {
  llvm::InitLLVM init(argc, argv);
  cl::OptionCategory category("quant-run options");
  cl::opt<std::string> inputFile(cl::Positional, cl::desc("<module.mlir>"),
                                 cl::Required, cl::cat(category));
  cl::opt<std::string> entry("entry",
                             cl::desc("Function to run (default: main)"),
                             cl::init("main"), cl::cat(category));
  cl::list<std::string> inputs(
      "input",
      cl::desc("A .npy file per function input, in order. An input of "
               "shape [1, ...] also accepts [N, ...]: the function then runs "
               "N times and outputs are stacked on axis 0"),
      cl::value_desc("file.npy"), cl::cat(category));
  cl::list<std::string> outputs(
      "output",
      cl::desc("A .npy file per function result, in order (without any, "
               "the results are printed)"),
      cl::value_desc("file.npy"), cl::cat(category));
  cl::opt<unsigned> repeat(
      "repeat",
      cl::desc("Time K more runs of every call and print the median and "
               "minimum time per call (the allocator is left as it is: the "
               "intermediate tensors of a planned entry function live in "
               "one workspace allocated before the first call)"),
      cl::value_desc("K"), cl::init(0), cl::cat(category));
  // libLLVM registers a hidden `-threads` of its own; quant-run's is the
  // contract's (--threads=N).
  if (cl::Option *other = cl::getRegisteredOptions().lookup("threads"))
    other->removeArgument();
  cl::opt<int> threads(
      "threads",
      cl::desc("Run the function's parallel loops (the independent "
               "iterations of its layers: convolutions, matrix products, "
               "element-wise ops, copies) on N threads, through the trailing "
               "quant_parallel argument of the lowered function, which the "
               "object's _parallel entry passes on (default 1; results are "
               "bit-identical for every N)"),
      cl::value_desc("N"), cl::init(1), cl::cat(category));
  cl::HideUnrelatedOptions(category);
  cl::ParseCommandLineOptions(
      argc, argv,
      "quant-run: JIT-execute a function of a qops, linalg or LLVM-dialect "
      "module on .npy inputs\n");

  if (threads < 1 || threads > qops::kMaxRunThreads)
    return fail("--threads must be between 1 and " +
                llvm::Twine(qops::kMaxRunThreads) + ", got " +
                llvm::Twine(threads.getValue()));

  // Deeply nested input and deep recursion in the JIT-compiled code get a
  // large stack; the parser never sees nesting beyond the pre-scan's limit.
  return qops::runOnLargeStack([&] {
    return run(inputFile, entry, inputs, outputs, repeat, threads);
  });
}
