//===- Pipelines.cpp - named pass pipelines of quant-opt ------------------===//
//
// The qops-to-LLVM lowering pipeline.
//
//===----------------------------------------------------------------------===//

#include "quant-ops/Pipelines/Pipelines.h"
#include "quant-ops/Conversion/LoweringSupport/LoweringSupport.h"
#include "quant-ops/Conversion/QOpsToLinalg/QOpsToLinalg.h"
#include "quant-ops/Dialect/QOps/Transforms/Passes.h"

#include "mlir/Conversion/AffineToStandard/AffineToStandard.h"
#include "mlir/Conversion/ArithToLLVM/ArithToLLVM.h"
#include "mlir/Conversion/ControlFlowToLLVM/ControlFlowToLLVM.h"
#include "mlir/Conversion/FuncToLLVM/ConvertFuncToLLVMPass.h"
#include "mlir/Conversion/IndexToLLVM/IndexToLLVM.h"
#include "mlir/Conversion/MathToLLVM/MathToLLVM.h"
#include "mlir/Conversion/MathToLibm/MathToLibm.h"
#include "mlir/Conversion/MemRefToLLVM/MemRefToLLVM.h"
#include "mlir/Conversion/ReconcileUnrealizedCasts/ReconcileUnrealizedCasts.h"
#include "mlir/Conversion/SCFToControlFlow/SCFToControlFlow.h"
#include "mlir/Conversion/UBToLLVM/UBToLLVM.h"
#include "mlir/Conversion/VectorToLLVM/ConvertVectorToLLVMPass.h"
#include "mlir/Conversion/VectorToSCF/VectorToSCF.h"
#include "mlir/Dialect/Bufferization/Pipelines/Passes.h"
#include "mlir/Dialect/Bufferization/Transforms/Passes.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/Linalg/Passes.h"
#include "mlir/Dialect/MemRef/Transforms/Passes.h"
#include "mlir/Pass/PassRegistry.h"
#include "mlir/Transforms/Passes.h"

using namespace mlir;

void mlir::qops::buildQOpsToLLVMPipeline(OpPassManager &pm,
                                         const QOpsToLLVMOptions &options) {
  // Recursion would overflow the stack at run time: reject it first.
  pm.addPass(createQOpsCheckCallGraphPass());
  // qops -> linalg on tensors.
  pm.addPass(createQOpsRecordSignaturePass());
  ConvertQOpsToLinalgPassOptions toLinalg;
  toLinalg.targetCpu = options.targetCpu;
  pm.addPass(createConvertQOpsToLinalgPass(toLinalg));
  pm.addPass(createCanonicalizerPass());
  if (options.fuseElementwise)
    pm.addNestedPass<func::FuncOp>(createQOpsFuseElementwisePass());
  pm.addPass(createCanonicalizerPass());
  if (options.vectorize) {
    QOpsTileAndVectorizePassOptions tiling;
    tiling.targetCpu = options.targetCpu;
    pm.addNestedPass<func::FuncOp>(createQOpsTileAndVectorizePass(tiling));
    pm.addPass(createCanonicalizerPass());
  }

  // Tensors -> buffers. Results become caller-provided out-parameters.
  pm.addNestedPass<func::FuncOp>(createQOpsCopyReturnedArgumentsPass());
  bufferization::OneShotBufferizePassOptions bufferization;
  bufferization.bufferizeFunctionBoundaries = true;
  bufferization.functionBoundaryTypeConversion =
      bufferization::LayoutMapOption::IdentityLayoutMap;
  pm.addPass(bufferization::createOneShotBufferizePass(bufferization));
  bufferization::BufferResultsToOutParamsPassOptions outParams;
  outParams.hoistStaticAllocs = true;
  outParams.modifyPublicFunctions = true;
  pm.addPass(bufferization::createBufferResultsToOutParamsPass(outParams));
  // A static memory plan: intermediate buffers become views of one
  // workspace argument (no allocation per call).
  pm.addPass(createQOpsPlanMemoryPass());
  bufferization::BufferDeallocationPipelineOptions deallocation;
  bufferization::buildBufferDeallocationPipeline(pm, deallocation);
  pm.addPass(createQOpsExpandCopiesPass());
  pm.addNestedPass<func::FuncOp>(createQOpsHoistVectorTransfersPass());
  pm.addPass(createCanonicalizerPass());

  // Buffers -> loops -> LLVM. Functions take bare pointers (static shapes,
  // identity layouts), the ABI of the emitted objects.
  // The kernels' parallel loop bands (and those of the remaining linalg
  // ops) become functions of an iteration range, which the entry's caller
  // may spread over threads.
  if (options.parallel) {
    QOpsOutlineParallelLoopsPassOptions outline;
    outline.minWork = options.parallelMinWork;
    pm.addPass(createQOpsOutlineParallelLoopsPass(outline));
  }
  pm.addNestedPass<func::FuncOp>(createConvertLinalgToLoopsPass());
  VectorTransferToSCFOptions vectorToSCF;
  vectorToSCF.enableFullUnroll();
  pm.addNestedPass<func::FuncOp>(createConvertVectorToSCFPass(vectorToSCF));
  pm.addPass(memref::createExpandStridedMetadataPass());
  pm.addPass(createLowerAffinePass());
  pm.addNestedPass<func::FuncOp>(createQOpsSCFToControlFlowPass());
  ConvertVectorToLLVMPassOptions vectorToLLVM;
  vectorToLLVM.vectorContractLowering =
      vector::VectorContractLowering::OuterProduct;
  vectorToLLVM.vectorTransposeLowering = vector::VectorTransposeLowering::Shuffle1D;
  pm.addNestedPass<func::FuncOp>(createQOpsLowerX86IntrinsicsPass());
  pm.addPass(createConvertVectorToLLVMPass(vectorToLLVM));
  pm.addPass(createConvertMathToLLVMPass());
  // What LLVM has no intrinsic for (math.erf) becomes a libm call (erff).
  pm.addPass(createConvertMathToLibmPass());
  pm.addPass(createFinalizeMemRefToLLVMConversionPass());
  pm.addPass(createArithToLLVMConversionPass());
  ConvertFuncToLLVMPassOptions funcToLLVM;
  funcToLLVM.useBarePtrCallConv = true;
  pm.addPass(createConvertFuncToLLVMPass(funcToLLVM));
  pm.addPass(createConvertControlFlowToLLVMPass());
  pm.addPass(createConvertIndexToLLVMPass());
  pm.addPass(createUBToLLVMConversionPass());
  pm.addPass(createReconcileUnrealizedCastsPass());
  pm.addPass(createCanonicalizerPass());
  if (options.parallel)
    pm.addPass(createQOpsParallelDispatchPass());
}

void mlir::qops::registerQOpsPipelines() {
  PassPipelineRegistration<QOpsToLLVMOptions>(
      "qops-to-llvm",
      "Lower qops (or linalg on tensors) to the LLVM dialect: qops -> linalg "
      "-> bufferized loops -> LLVM, with bare-pointer function arguments "
      "(inputs, then outputs) and the tensor signature kept in "
      "`qops.signature`",
      [](OpPassManager &pm, const QOpsToLLVMOptions &options) {
        buildQOpsToLLVMPipeline(pm, options);
      });
}
