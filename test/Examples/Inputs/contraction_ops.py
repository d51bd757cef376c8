#!/usr/bin/env python3
"""Prints, for each linalg.generic with reduction loops in a linalg module,
the arithmetic ops of its body: the int8 program's conv / matmul loops must
be integer multiply-accumulates, with no float op inside."""
import re
import sys

text = open(sys.argv[1]).read()
count = 0
for match in re.finditer(r"linalg\.generic \{[^}]*iterator_types = \[([^\]]*)\]\}(.*?)\n\s*\} -> ", text, re.S):
    if "reduction" not in match.group(1):
        continue
    ops = sorted(set(re.findall(r"= (arith\.[a-z_]+)", match.group(2))))
    count += 1
    print("reduction body:", " ".join(ops))
print("reduction generics:", count)
