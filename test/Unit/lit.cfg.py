# -*- Python -*-
# lit configuration that runs the GoogleTest unit tests under unittests/.

import os

import lit.formats

config.name = "QUANT-OPT-Unit"
config.suffixes = []
config.test_exec_root = os.path.join(config.quantops_obj_root, "unittests")
config.test_source_root = config.test_exec_root
# Every executable named *Tests under build/unittests is a gtest binary.
config.test_format = lit.formats.GoogleTest(".", "Tests")
