"""Generated mutants: standard mutation operators applied by a tool to the modules that hold the
README's guarantees, so that the tests meet regressions nobody chose (``tests/mutations.toml``
holds the ones somebody did).

The generator reads each module with :mod:`ast` and, for every place an operator applies, makes a
*mutant*: one text edit of the exact source span of one node, checked to parse and to change the
module's syntax tree. Docstrings, logging calls, type annotations, ``assert`` statements, imports,
``help=`` texts and the inside of f-strings are left alone.

Operators (the id's third part):

``negate``   a condition negated (``if x`` -> ``if not (x)``, ``not x`` -> ``x``)
``if-true``/``if-false``  an ``if`` condition removed: the branch always / never taken
``bool``     ``and`` <-> ``or``; ``drop-operand`` one operand of ``and``/``or`` removed
``compare``  ``==`` <-> ``!=``, ``<`` <-> ``<=``, ``>`` <-> ``>=``, ``in`` <-> ``not in``,
             ``is`` <-> ``is not``
``arith``    ``+`` <-> ``-``, ``*`` <-> ``/``, ``//`` -> ``*``, ``|`` <-> ``&`` (and ``+=`` etc.)
``const``    a number n -> n + 1, ``True`` <-> ``False``, a string s -> ``"XX" s "XX"``
``delete``   a statement with an effect (a call, an attribute or item assigned, ``raise``,
             ``continue``, ``break``) replaced by ``pass``
``return``   ``return value`` -> ``return None``
``drop-arg`` one keyword argument, or the last of several positional ones, left out of a call

A mutant's id is ``file::function::operator::hash``; the hash covers the function, the operator,
the original text and its replacement (and which of identical ones it is), not line numbers, so
ids stay the same while other code in the file changes.
"""

from __future__ import annotations

import ast
import copy
import hashlib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

_LOGGING_NAMES = {"log", "logger", "logging", "_log", "_logger", "LOG", "LOGGER"}
_LOGGING_METHODS = {"debug", "info", "warning", "warn", "error", "exception", "critical", "log"}
_TEXT_KEYWORDS = {"help", "description", "epilog", "metavar"}
_COMPARE_SWAP = {ast.Eq: ast.NotEq, ast.NotEq: ast.Eq, ast.Lt: ast.LtE, ast.LtE: ast.Lt,
                 ast.Gt: ast.GtE, ast.GtE: ast.Gt, ast.In: ast.NotIn, ast.NotIn: ast.In,
                 ast.Is: ast.IsNot, ast.IsNot: ast.Is}
_ARITH_SWAP = {ast.Add: ast.Sub, ast.Sub: ast.Add, ast.Mult: ast.Div, ast.Div: ast.Mult,
               ast.FloorDiv: ast.Mult, ast.Mod: ast.FloorDiv, ast.Pow: ast.Mult,
               ast.BitOr: ast.BitAnd, ast.BitAnd: ast.BitOr}
#: Expressions that never need parentheses around them where an expression stood.
_ATOMS = (ast.Name, ast.Attribute, ast.Call, ast.Constant, ast.Subscript, ast.List, ast.Dict,
          ast.Set, ast.ListComp, ast.DictComp, ast.SetComp, ast.JoinedStr)


@dataclass(frozen=True)
class Mutant:
    id: str
    file: str
    operator: str
    line: int
    #: Character offsets of the replaced span in the file's text.
    start: int
    end: int
    original: str
    replacement: str

    def apply(self, text: str) -> str:
        """``text`` with this mutant's edit, or a ValueError when the span no longer holds the
        original (the file changed since the mutant was made)."""
        if text[self.start:self.end] != self.original:
            raise ValueError(f"{self.id}: the file changed since the mutant was made")
        mutated = text[:self.start] + self.replacement + text[self.end:]
        try:
            compile(mutated, self.file, "exec")
        except SyntaxError as error:
            raise ValueError(f"{self.id}: the mutated module does not compile: {error}") from None
        return mutated

    def diff(self) -> str:
        """The edit as a user reads it: the line, before and after."""
        before = self.original.split("\n")[0] + (" ..." if "\n" in self.original else "")
        return f"{self.file}:{self.line} [{self.operator}]\n- {before}\n+ {self.replacement}"


def _is_logging_call(node: ast.AST) -> bool:
    if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
            and node.func.attr in _LOGGING_METHODS):
        return False
    owner = node.func.value
    if isinstance(owner, ast.Name):
        return owner.id in _LOGGING_NAMES
    return isinstance(owner, ast.Attribute) and owner.attr in {"logger", "log"}


def _is_docstring(stmt: ast.stmt) -> bool:
    return (isinstance(stmt, ast.Expr) and isinstance(stmt.value, ast.Constant)
            and isinstance(stmt.value.value, str))


def _expr_text(node: ast.expr) -> str:
    text = ast.unparse(node)
    return text if isinstance(node, _ATOMS) else f"({text})"


def _negated(test: ast.expr) -> ast.expr:
    if isinstance(test, ast.UnaryOp) and isinstance(test.op, ast.Not):
        return test.operand
    return ast.UnaryOp(op=ast.Not(), operand=test)


class _Finder:
    """Walks one module and yields (node, operator, replacement text) for every mutation."""

    def __init__(self) -> None:
        self.found: list[tuple[ast.AST, str, str, str]] = []  # node, qualname, operator, text
        self.scope: list[str] = []

    def add(self, node: ast.AST, operator: str, replacement: str) -> None:
        self.found.append((node, ".".join(self.scope) or "<module>", operator, replacement))

    # -- statements ------------------------------------------------------------------------------
    def body(self, stmts: list[ast.stmt]) -> None:
        for i, stmt in enumerate(stmts):
            if i == 0 and _is_docstring(stmt):
                continue
            self.stmt(stmt)

    def stmt(self, node: ast.stmt) -> None:  # noqa: C901 - one case per statement kind
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            if not isinstance(node, ast.ClassDef):
                for default in node.args.defaults + [d for d in node.args.kw_defaults if d]:
                    self.expr(default)
            self.scope.append(node.name)
            self.body(node.body)
            self.scope.pop()
        elif isinstance(node, (ast.Import, ast.ImportFrom, ast.Assert, ast.Global, ast.Nonlocal,
                               ast.Pass)):
            return
        elif isinstance(node, ast.If):
            if isinstance(node.test, ast.Name) and node.test.id == "TYPE_CHECKING":
                return
            self.add(node.test, "negate", _expr_text(_negated(node.test)))
            self.add(node.test, "if-true", "True")
            self.add(node.test, "if-false", "False")
            self.expr(node.test)
            self.body(node.body)
            self.body(node.orelse)
        elif isinstance(node, ast.While):
            self.add(node.test, "negate", _expr_text(_negated(node.test)))
            self.expr(node.test)
            self.body(node.body)
            self.body(node.orelse)
        elif isinstance(node, (ast.For, ast.AsyncFor)):
            self.expr(node.iter)
            self.body(node.body)
            self.body(node.orelse)
        elif isinstance(node, (ast.With, ast.AsyncWith)):
            for item in node.items:
                self.expr(item.context_expr)
            self.body(node.body)
        elif isinstance(node, ast.Try):
            self.body(node.body)
            for handler in node.handlers:
                self.body(handler.body)
            self.body(node.orelse)
            self.body(node.finalbody)
        elif isinstance(node, ast.Return):
            if node.value is not None and not isinstance(node.value, ast.Constant):
                self.add(node, "return", "return None")
            if node.value is not None:
                self.expr(node.value)
        elif isinstance(node, ast.Expr):
            if _is_logging_call(node.value) or isinstance(node.value, ast.Constant):
                return
            self.add(node, "delete", "pass")
            self.expr(node.value)
        elif isinstance(node, ast.AugAssign):
            self.add(node, "delete", "pass")
            swapped = _ARITH_SWAP.get(type(node.op))
            if swapped:
                self.add(node, "arith", ast.unparse(ast.AugAssign(node.target, swapped(),
                                                                  node.value)))
            self.expr(node.value)
        elif isinstance(node, (ast.Assign, ast.AnnAssign)):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            if any(isinstance(t, ast.Name) and t.id in {"__all__", "__slots__"}
                   for t in targets):
                return
            if all(isinstance(t, (ast.Attribute, ast.Subscript)) for t in targets):
                self.add(node, "delete", "pass")
            if node.value is not None:
                self.expr(node.value)
        elif isinstance(node, (ast.Raise, ast.Continue, ast.Break, ast.Delete)):
            self.add(node, "delete", "pass")
        elif isinstance(node, ast.Match):
            self.expr(node.subject)
            for case in node.cases:
                self.body(case.body)

    # -- expressions -----------------------------------------------------------------------------
    def expr(self, node: ast.expr | None) -> None:  # noqa: C901 - one case per operator
        if node is None or isinstance(node, ast.JoinedStr):
            return
        if isinstance(node, ast.Call):
            if _is_logging_call(node):
                return
            self._call(node)
        elif isinstance(node, ast.BoolOp):
            other = ast.Or() if isinstance(node.op, ast.And) else ast.And()
            self.add(node, "bool", _expr_text(ast.BoolOp(other, node.values)))
            for i in range(len(node.values)):
                rest = node.values[:i] + node.values[i + 1:]
                kept = rest[0] if len(rest) == 1 else ast.BoolOp(node.op, rest)
                self.add(node, "drop-operand", _expr_text(kept))
        elif isinstance(node, ast.Compare):
            for i, op in enumerate(node.ops):
                swapped = _COMPARE_SWAP.get(type(op))
                if swapped:
                    ops = list(node.ops)
                    ops[i] = swapped()
                    self.add(node, "compare", _expr_text(ast.Compare(node.left, ops,
                                                                     node.comparators)))
        elif isinstance(node, ast.BinOp):
            swapped = _ARITH_SWAP.get(type(node.op))
            formatting = isinstance(node.op, ast.Mod) and isinstance(node.left, ast.Constant)
            if swapped and not formatting:
                self.add(node, "arith", _expr_text(ast.BinOp(node.left, swapped(), node.right)))
        elif isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.Not):
            self.add(node, "negate", _expr_text(node.operand))
        elif isinstance(node, ast.IfExp):
            self.add(node.test, "negate", _expr_text(_negated(node.test)))
        elif isinstance(node, ast.Constant):
            self._constant(node)
        elif isinstance(node, (ast.ListComp, ast.SetComp, ast.GeneratorExp, ast.DictComp)):
            for generator in node.generators:
                for condition in generator.ifs:
                    self.add(condition, "negate", _expr_text(_negated(condition)))
        elif isinstance(node, ast.Lambda):
            self.expr(node.body)
            return
        for child in ast.iter_child_nodes(node):
            if isinstance(child, ast.expr) and not (isinstance(node, ast.Call)
                                                    and child is node.func):
                self.expr(child)
            elif isinstance(child, ast.comprehension):
                self.expr(child.iter)
                for condition in child.ifs:
                    self.expr(condition)
            elif isinstance(child, ast.keyword) and child.arg not in _TEXT_KEYWORDS:
                self.expr(child.value)

    def _call(self, node: ast.Call) -> None:
        for i, keyword in enumerate(node.keywords):
            if keyword.arg is None:
                continue
            call = copy.copy(node)
            call.keywords = node.keywords[:i] + node.keywords[i + 1:]
            self.add(node, "drop-arg", ast.unparse(call))
        positional = node.args
        if len(positional) >= 2 and not any(isinstance(a, ast.Starred) for a in positional):
            call = copy.copy(node)
            call.args = positional[:-1]
            self.add(node, "drop-arg", ast.unparse(call))
        if isinstance(node.func, ast.Attribute):
            self.expr(node.func.value)

    def _constant(self, node: ast.Constant) -> None:
        value = node.value
        if isinstance(value, bool):
            self.add(node, "const", repr(not value))
        elif isinstance(value, (int, float)):
            self.add(node, "const", repr(value + 1))
        elif isinstance(value, str):
            self.add(node, "const", repr("XX" + value + "XX"))
        elif isinstance(value, bytes):
            self.add(node, "const", repr(b"XX" + value + b"XX"))


def _char_offsets(text: str) -> tuple[list[int], list[str]]:
    lines = text.splitlines(keepends=True)
    starts, position = [], 0
    for line in lines:
        starts.append(position)
        position += len(line)
    return starts, lines


def _position(starts: list[int], lines: list[str], lineno: int, col: int) -> int:
    """Character offset of (1-based line, UTF-8 byte column): ast counts columns in bytes."""
    line = lines[lineno - 1]
    return starts[lineno - 1] + len(line.encode("utf-8")[:col].decode("utf-8"))


def _changes(original: str, replacement: str, statement: bool) -> bool:
    """The replacement parses where the original stood and means something else. (Parsing the
    two snippets rather than the whole module keeps generating thousands of mutants quick; the
    runner compiles each mutated module before its tests run.)"""
    def tree(snippet: str) -> str:
        if statement:
            return ast.dump(ast.parse(snippet))
        return ast.dump(ast.parse(f"({snippet})", mode="eval"))
    try:
        return tree(original) != tree(replacement)
    except SyntaxError:
        return False


def generate(root: Path, file: str) -> list[Mutant]:
    """Every mutant of ``file`` (relative to ``root``), in source order."""
    text = (root / file).read_text(encoding="utf-8")
    tree = ast.parse(text)
    finder = _Finder()
    finder.body(tree.body)
    starts, lines = _char_offsets(text)
    mutants: list[Mutant] = []
    seen: set[tuple[int, int, str]] = set()
    names: dict[str, int] = {}
    for node, qualname, operator, replacement in finder.found:
        start = _position(starts, lines, node.lineno, node.col_offset)
        end = _position(starts, lines, node.end_lineno, node.end_col_offset)
        original = text[start:end]
        if (start, end, replacement) in seen or original == replacement:
            continue
        seen.add((start, end, replacement))
        if not _changes(original, replacement, isinstance(node, ast.stmt)):
            continue
        key = f"{qualname}|{operator}|{original}|{replacement}"
        names[key] = names.get(key, 0) + 1
        digest = hashlib.sha1(f"{key}|{names[key]}".encode()).hexdigest()[:8]
        mutants.append(Mutant(id=f"{file}::{qualname}::{operator}::{digest}", file=file,
                              operator=operator, line=node.lineno, start=start, end=end,
                              original=original, replacement=replacement))
    return mutants


def sample_key(seed: int, mutant_id: str) -> str:
    """Order of a seeded sample: a mutant keeps its place while others come and go."""
    return hashlib.sha1(f"{seed}|{mutant_id}".encode()).hexdigest()


def iter_files(root: Path, patterns: list[str]) -> Iterator[str]:
    """The files (relative, sorted) that ``patterns`` (globs under ``root``) name."""
    found: set[str] = set()
    for pattern in patterns:
        for path in root.glob(pattern):
            if path.is_file() and path.name != "__init__.py":
                found.add(path.relative_to(root).as_posix())
    yield from sorted(found)
