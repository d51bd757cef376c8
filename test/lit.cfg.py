# -*- Python -*-
# lit configuration of the quant-opt regression tests.

import os

import lit.formats
from lit.llvm import llvm_config
from lit.llvm.subst import ToolSubst

config.name = "QUANT-OPT"
config.test_format = lit.formats.ShTest(not llvm_config.use_lit_shell)
config.suffixes = [".mlir", ".test"]
config.excludes = ["CMakeLists.txt", "README.md", "lit.cfg.py", "check-coverage.py",
                   "lit.site.cfg.py", "qops_reference.py", "preserve.py", "Inputs", "consumer"]

config.test_source_root = os.path.dirname(__file__)
config.test_exec_root = os.path.join(config.quantops_obj_root, "test")

config.substitutions.append(("%quantops_src_root", config.quantops_src_root))
config.substitutions.append(("%quantops_obj_root", config.quantops_obj_root))
config.substitutions.append(("%mlir_dir", config.mlir_dir))
config.substitutions.append(("%cxx_compiler", config.cxx_compiler))

llvm_config.use_default_substitutions()
llvm_config.with_environment("PATH", config.llvm_tools_dir, append_path=True)
# Scripts run by the tests find the project's tools on PATH.
llvm_config.with_environment("PATH", config.quantops_tools_dir, append_path=True)

# Debian's python with python3-numpy (the `python3` first on PATH may be
# another interpreter without it).
config.substitutions.append(("%numpy_python", "/usr/bin/python3"))

# bench/quant-bench-onednn is built (oneDNN installed).
if config.quantops_have_onednn:
    config.available_features.add("onednn")

tool_dirs = [config.quantops_tools_dir, config.llvm_tools_dir]
tools = ["quant-opt", "quant-translate", "quant-run"]
llvm_config.add_tool_substitutions(tools, tool_dirs)

# Host CPU features, for tests that run code of a given instruction set.
try:
    with open("/proc/cpuinfo") as cpuinfo:
        flags = next((line.split(":", 1)[1].split() for line in cpuinfo
                      if line.startswith("flags")), [])
except OSError:
    flags = []
for flag, feature in (("avx512_vnni", "avx512vnni"), ("avx_vnni", "avxvnni"),
                      ("avx512bw", "avx512bw"), ("avx512vbmi", "avx512vbmi"),
                      ("avx2", "avx2")):
    if flag in flags:
        config.available_features.add(feature)

# ONNX Runtime (the npm package onnxruntime-node that scripts/setup.sh
# installs for the benchmark's reference columns) loads in Node.js:
# test/Bench/ort-qdq.test runs its ORT part. The variables that locate it
# pass through to the tests.
for var in ("QUANT_ORT_DIR", "XDG_CACHE_HOME", "HOME"):
    if var in os.environ:
        config.environment[var] = os.environ[var]
try:
    import subprocess
    if subprocess.run(["node", os.path.join(config.quantops_src_root, "bench",
                                            "ort_run.js"), "--version"],
                      stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                      timeout=60).returncode == 0:
        config.available_features.add("ort")
except (OSError, subprocess.TimeoutExpired):
    pass
