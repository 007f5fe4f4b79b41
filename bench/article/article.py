"""Runs the article's scripts for `pyport bench --suite article`.

  article.py sum SCRIPT --limit N          print the article's own sum_primes(2, N) result as JSON
  article.py run SCRIPT [--limit N] [--io-seconds S]
                                           run SCRIPT with LIMIT / the sleep length changed, nothing else

With the article's own values the harness runs the scripts directly; this runner exists only for the
smaller workloads of --limit and --io-seconds. The source is patched at the syntax-tree level, so the code
that runs is the article's, byte for byte apart from the constants named.
"""
import argparse
import ast
import json
import os
import sys

# pyport's modules from python/ (this file is bench/article/article.py)
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "python"))
from pyport.profile.kernel import article_sum_primes, load  # noqa: E402

del sys.path[0]  # the article's script runs with the path it would have had


class Patch(ast.NodeTransformer):
    def __init__(self, limit, io_seconds):
        self.limit = limit
        self.io_seconds = io_seconds
        self.patched = []

    def visit_Assign(self, node):
        if self.limit is not None and any(isinstance(t, ast.Name) and t.id == "LIMIT" for t in node.targets):
            node.value = ast.Constant(value=self.limit)
            self.patched.append("LIMIT")
        return self.generic_visit(node)

    def visit_Call(self, node):
        f = node.func
        if (
            self.io_seconds is not None
            and isinstance(f, ast.Attribute)
            and f.attr == "sleep"
            and isinstance(f.value, ast.Name)
            and f.value.id == "time"
        ):
            node.args = [ast.Constant(value=self.io_seconds)]
            self.patched.append("sleep")
        return self.generic_visit(node)


def main(argv):
    parser = argparse.ArgumentParser(prog="article.py")
    parser.add_argument("mode", choices=["sum", "run"])
    parser.add_argument("script")
    parser.add_argument("--limit", type=int)
    parser.add_argument("--io-seconds", type=float)
    args = parser.parse_args(argv)
    tree = load(args.script)

    if args.mode == "sum":
        limit = args.limit if args.limit is not None else 200000
        sum_primes = article_sum_primes(tree)
        mid = limit // 2
        print(json.dumps({"limit": limit, "sum": sum_primes(2, limit),
                          "lower": sum_primes(2, mid), "upper": sum_primes(mid, limit)}))
        return 0

    patch = Patch(args.limit, args.io_seconds)
    tree = ast.fix_missing_locations(patch.visit(tree))
    if args.limit is not None and "LIMIT" not in patch.patched:
        raise SystemExit("pyport: --limit given but the script assigns no LIMIT")
    if args.io_seconds is not None and "sleep" not in patch.patched:
        raise SystemExit("pyport: --io-seconds given but the script calls no time.sleep")
    sys.argv = [args.script]
    exec(compile(tree, args.script, "exec"), {"__name__": "__main__", "__file__": args.script})
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
