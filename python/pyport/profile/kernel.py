"""The article's trial-division kernel, taken from its own script (python/article/cpu_perf.py): the function the
calibration probe (probe.py) times and `pyport bench --suite article` (bench/article/article.py) runs.
"""
import ast
import os

CPU_PERF = os.path.join(os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))), "article", "cpu_perf.py")


def load(path):
    with open(path, encoding="utf-8") as f:
        return ast.parse(f.read(), filename=path)


def article_sum_primes(tree):
    """The article's sum_primes, with `return total` appended (the article only prints it, commented out)."""
    for node in tree.body:
        if isinstance(node, ast.FunctionDef) and node.name == "sum_primes":
            node.body.append(ast.Return(value=ast.Name(id="total", ctx=ast.Load())))
            module = ast.fix_missing_locations(ast.Module(body=[node], type_ignores=[]))
            namespace = {}
            exec(compile(module, "<cpu_perf.py:sum_primes>", "exec"), namespace)
            return namespace["sum_primes"]
    raise SystemExit("pyport: no function sum_primes in the script")
