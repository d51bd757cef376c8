"""Writes MLIR text nested `depth` levels deep in one of four ways.

usage: make_nested.py KIND DEPTH OUT
  dense   a dense literal [[[...1.0...]]] of a rank-DEPTH tensor
  tuple   a function argument of type tuple<tuple<...f32...>>
  region  builtin.module regions inside each other
  attr    a nested array attribute [[[...]]] on a runnable @main
"""
import sys

kind, depth, out = sys.argv[1], int(sys.argv[2]), sys.argv[3]
if kind == "dense":
    shape = "1x" * depth + "f32"
    text = ("func.func @main() -> tensor<%s> {\n"
            "  %%c = arith.constant dense<%s1.0%s> : tensor<%s>\n"
            "  return %%c : tensor<%s>\n}\n"
            % (shape, "[" * depth, "]" * depth, shape, shape))
elif kind == "tuple":
    text = ("func.func private @f(%s) -> ()\n"
            % ("tuple<" * depth + "f32" + ">" * depth))
elif kind == "region":
    text = "module {" * depth + "}" * depth + "\n"
elif kind == "attr":
    text = ("func.func @main(%%x: tensor<1x4xf32>) -> tensor<1x4xf32> "
            "attributes {qops.deep = %s1%s} {\n"
            "  %%0 = qops.relu %%x : tensor<1x4xf32>\n"
            "  return %%0 : tensor<1x4xf32>\n}\n"
            % ("[" * depth, "]" * depth))
else:
    sys.exit("unknown kind " + kind)
with open(out, "w") as f:
    f.write(text)
