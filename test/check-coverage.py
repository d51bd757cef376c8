#!/usr/bin/env python3
"""Checks that the tests cover the dialect (issue contract).

usage: check-coverage.py ops    OPS_TD OPS_MLIR
       check-coverage.py diags  SOURCE_DIR TEST_FILE...

`ops`:   every op mnemonic defined in the .td file appears as `qops.<name>`
         in the round-trip test.
`diags`: every diagnostic text fragment emitted by the C++ sources (string
         literals streamed into a diagnostic) appears in one of the test
         files. Prints what is missing and exits 1.
"""
import pathlib
import re
import sys


def check_ops(td, test):
    text = pathlib.Path(td).read_text()
    names = re.findall(r'^def QOps_\w+Op\s*:\s*QOps_\w+<"(\w+)"', text, re.M)
    tested = pathlib.Path(test).read_text()
    missing = [n for n in names if f"qops.{n} " not in tested]
    print(f"ops: {len(names)} defined, {len(names) - len(missing)} in {test}")
    return missing


# A fragment worth checking: a literal streamed after `<<` or passed to
# emitOpError(...), long enough to be specific.
LITERAL = re.compile(r'(?:<<|emitOpError\()\s*"((?:[^"\\]|\\.)*)"')


def check_diags(src_dir, tests):
    corpus = "".join(pathlib.Path(t).read_text() for t in tests)
    # Test files wrap long messages across C++ string literals: join them.
    corpus = re.sub(r'"\s*\n\s*"', "", corpus)
    fragments = set()
    for path in sorted(pathlib.Path(src_dir).rglob("*.cpp")):
        for frag in LITERAL.findall(path.read_text()):
            # C++ escapes: the tests hold the text as printed.
            frag = frag.replace('\\"', '"').replace("\\\\", "\\").strip()
            if len(frag) >= 12 and re.search(r"[a-z]{3}", frag):
                fragments.add(frag)
    missing = sorted(f for f in fragments if f not in corpus)
    print(f"diagnostics: {len(fragments)} fragments, "
          f"{len(fragments) - len(missing)} covered")
    return missing


def main(argv):
    if len(argv) >= 4 and argv[1] == "ops":
        missing = check_ops(argv[2], argv[3])
    elif len(argv) >= 4 and argv[1] == "diags":
        missing = check_diags(argv[2], argv[3:])
    else:
        print(__doc__, file=sys.stderr)
        return 2
    for m in missing:
        print(f"missing: {m}")
    return 1 if missing else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
