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
                   "lit.site.cfg.py"]

config.test_source_root = os.path.dirname(__file__)
config.test_exec_root = os.path.join(config.quantops_obj_root, "test")

config.substitutions.append(("%quantops_src_root", config.quantops_src_root))
config.substitutions.append(("%quantops_obj_root", config.quantops_obj_root))

llvm_config.use_default_substitutions()
llvm_config.with_environment("PATH", config.llvm_tools_dir, append_path=True)

tool_dirs = [config.quantops_tools_dir, config.llvm_tools_dir]
tools = ["quant-opt"]
llvm_config.add_tool_substitutions(tools, tool_dirs)
