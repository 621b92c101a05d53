"""Code cells of a page as a learner gets them in a notebook.

The site hides plumbing with myst-nb tags that Colab and Jupyter ignore, so the
generator applies them itself:

- ``glue(...)`` calls (and the import of ``glue``) are removed from every cell:
  their values already stand in the text as numbers (see tools/site_run.py);
- a ``remove-cell`` cell (the page's checks of its own claims, glue) is always
  dropped: nothing of the build reaches a learner's notebook. A visible cell that
  reads a name only such a cell binds stops the generator (:func:`hidden_names_used`);
- a ``remove-input`` cell stays: the learner needs its output;
- tags that only the site's executor reads (``skip-execution``, ``remove-*``)
  are dropped, so that a notebook runs everywhere as it runs in Colab;
- a figure cell's caption and alt text (``mystnb`` metadata) become a Markdown
  cell under it;
- each code cell records which code cell of the page it comes from
  (``dnncourse.page_cell``), so that the site's download button can serve this
  notebook with the outputs of the site's run (book/_ext/course_ext.py).

Why not sphinx-tojupyter (tried on this book): it drops every cell tag, loses
``remove-input`` cells with their output, and has no check that a visible cell
reads a name only a removed cell binds.
"""

from __future__ import annotations

import ast

import nbformat
from myst_lower import lower

SITE_ONLY_TAGS = {"skip-execution", "remove-cell", "remove-input", "remove-output"}


def _is_glue(stmt):
    """A statement that only glues values: ``glue(...)``, or a loop/if of such."""
    if isinstance(stmt, ast.Expr) and isinstance(stmt.value, ast.Call):
        func = stmt.value.func
        return getattr(func, "id", getattr(func, "attr", None)) == "glue"
    if isinstance(stmt, ast.For | ast.If | ast.With):
        return all(_is_glue(s) for s in stmt.body) and not getattr(stmt, "orelse", [])
    if isinstance(stmt, ast.ImportFrom):
        return [a.name for a in stmt.names] == ["glue"]
    return False


def strip_glue(source):
    """``source`` without its glue statements (unchanged when it is not plain Python)."""
    try:
        tree = ast.parse(source)
    except SyntaxError:  # IPython magics: leave as written
        return source
    lines = source.split("\n")
    drop = set()

    def visit(body):
        for stmt in body:
            if _is_glue(stmt):
                drop.update(range(stmt.lineno - 1, stmt.end_lineno))
            else:  # glue inside a loop or a branch that also does other work
                for name in ("body", "orelse", "finalbody"):
                    visit(getattr(stmt, name, []))

    visit(tree.body)
    kept = [line.removesuffix("  # fmt: skip") for k, line in enumerate(lines) if k not in drop]
    text = "\n".join(kept)
    while "\n\n\n\n" in text:
        text = text.replace("\n\n\n\n", "\n\n\n")
    return text.strip("\n")


def _parse(source):
    try:
        return ast.parse(source)
    except SyntaxError:  # IPython magics: no names
        return None


def _arguments(args):
    every = args.posonlyargs + args.args + args.kwonlyargs + [args.vararg, args.kwarg]
    return {a.arg for a in every if a is not None}


def _defaults(args):
    return [*args.defaults, *filter(None, args.kw_defaults)]


class _Scope(ast.NodeVisitor):
    """The names one scope binds and reads, nested scopes resolved.

    ``ast.walk`` does not know scopes: it yields the loop variable of a
    comprehension (local to the comprehension since Python 3) and a function's
    parameters as if the cell bound or read them. This visitor keeps them apart:
    ``bound`` holds what the scope itself binds (a comprehension's walrus target
    included); ``read`` what it loads from outside a nested function, lambda or
    comprehension, that is from this scope or the notebook's namespace.
    """

    def __init__(self):
        self.bound, self.read, self.globals = set(), set(), set()

    def _nested(self, body, params=(), enclosing=()):
        """Visit a nested scope; what it reads and does not bind is read here."""
        inner = _Scope()
        inner.bound.update(params)
        for node in body:
            inner.visit(node)
        self.read |= inner.read - (inner.bound - inner.globals)
        self.bound |= inner.globals  # `global x` then `x = ...` binds x here
        for node in enclosing:
            self.visit(node)

    def visit_Name(self, node):
        (self.read if isinstance(node.ctx, ast.Load) else self.bound).add(node.id)

    def visit_Global(self, node):
        self.globals.update(node.names)

    visit_Nonlocal = visit_Global

    def visit_Import(self, node):
        self.bound.update((a.asname or a.name).split(".")[0] for a in node.names)

    visit_ImportFrom = visit_Import

    def visit_ExceptHandler(self, node):
        if node.name:
            self.bound.add(node.name)
        self.generic_visit(node)

    def visit_FunctionDef(self, node):
        self.bound.add(node.name)
        args = node.args
        # Decorators and default values are evaluated where the def is.
        self._nested(node.body, _arguments(args), [*node.decorator_list, *_defaults(args)])

    visit_AsyncFunctionDef = visit_FunctionDef

    def visit_Lambda(self, node):
        self._nested([node.body], _arguments(node.args), _defaults(node.args))

    def visit_ClassDef(self, node):
        self.bound.add(node.name)
        for expr in [*node.decorator_list, *node.bases, *(k.value for k in node.keywords)]:
            self.visit(expr)
        self._nested(node.body)

    def _comprehension(self, node, elements):
        first, *rest = node.generators
        self.visit(first.iter)  # the first iterable is evaluated outside
        inner = _Scope()
        for gen in node.generators:
            inner.visit(gen.target)
        targets = set(inner.bound)
        conditions = [c for g in node.generators for c in g.ifs]
        for part in [*conditions, *(g.iter for g in rest), *elements]:
            inner.visit(part)
        # A walrus inside a comprehension binds in the enclosing scope (PEP 572).
        walrus = {n.target.id for n in ast.walk(node) if isinstance(n, ast.NamedExpr)}
        self.bound |= walrus
        self.read |= inner.read - targets

    def visit_ListComp(self, node):
        self._comprehension(node, [node.elt])

    visit_SetComp = visit_GeneratorExp = visit_ListComp

    def visit_DictComp(self, node):
        self._comprehension(node, [node.key, node.value])


def _scope(source):
    scope = _Scope()
    tree = _parse(source)
    if tree is not None:
        scope.visit(tree)
    return scope


def bound_names(source):
    """Names a cell binds in the notebook's namespace.

    Assignments, imports, ``def`` and ``class`` at any depth of the cell's own
    code; not the variables of comprehensions, nor a function's parameters and
    locals (they never reach the namespace).
    """
    return _scope(source).bound


def used_names(source):
    """Names a cell reads from the notebook's namespace (builtins included).

    Also what the bodies of its functions, lambdas and comprehensions read from
    outside them; not their own variables and parameters.
    """
    return _scope(source).read


def _reads_before_binds(body, bound):
    """Names ``body`` reads before it binds them; ``bound`` grows with its bindings.

    In the order the statements run: ``import x`` then ``x.f()`` reads nothing
    from outside, ``x = x + 1`` does. A loop's, ``with``'s or handler's target is
    bound before its body runs.
    """
    free = set()

    def scope(*nodes):
        found = _Scope()
        for node in nodes:
            found.visit(node)
        return found

    for stmt in body:
        if isinstance(stmt, ast.For | ast.AsyncFor):
            free |= scope(stmt.iter).read - bound
            bound |= scope(stmt.target).bound
            free |= _reads_before_binds(stmt.body + stmt.orelse, bound)
        elif isinstance(stmt, ast.If | ast.While):
            free |= scope(stmt.test).read - bound
            free |= _reads_before_binds(stmt.body + stmt.orelse, bound)
        elif isinstance(stmt, ast.With | ast.AsyncWith):
            items = scope(*(i.context_expr for i in stmt.items))
            free |= items.read - bound
            bound |= items.bound | scope(*filter(None, (i.optional_vars for i in stmt.items))).bound
            free |= _reads_before_binds(stmt.body, bound)
        elif isinstance(stmt, ast.Try):
            free |= _reads_before_binds(stmt.body, bound)
            for handler in stmt.handlers:
                free |= scope(*filter(None, [handler.type])).read - bound
                bound |= {handler.name} if handler.name else set()
                free |= _reads_before_binds(handler.body, bound)
            free |= _reads_before_binds(stmt.orelse + stmt.finalbody, bound)
        else:
            found = scope(stmt)
            free |= found.read - bound
            bound |= found.bound
    return free


def names_read_first(source):
    """Names a cell reads from the notebook's namespace before it binds them itself."""
    tree = _parse(source)
    return set() if tree is None else _reads_before_binds(tree.body, set())


def hidden_names_used(cells):
    """Names that a visible code cell reads and only a ``remove-cell`` cell bound.

    The notebooks drop every ``remove-cell`` cell, so such a visible cell would
    fail there with a ``NameError``. Walks the cells in page order: a name counts
    as hidden from the last hidden cell that binds it until a kept cell binds it
    again. Glue calls are ignored (the notebooks drop them too).

    Returns
    -------
    list of (int, str, set of str)
        ``(index of the visible cell in cells, its first line, names)``.
    """
    hidden, problems = {}, []
    for k, cell in enumerate(cells):
        if cell.cell_type != "code":
            continue
        source = strip_glue(cell.source)
        bound = bound_names(source)
        if "remove-cell" in cell.metadata.get("tags", []):
            hidden.update(dict.fromkeys(bound, k))
            continue
        if names := names_read_first(source) & hidden.keys():
            first = source.strip().splitlines()[0] if source.strip() else ""
            problems.append((k, first, names))
        for name in bound:
            hidden.pop(name, None)
    return problems


def figure_note(cell, ctx):
    """The Markdown cell with a figure cell's caption and alt text, or ``None``."""
    meta = cell.metadata.pop("mystnb", None) or {}
    caption = (meta.get("figure") or {}).get("caption")
    alt = (meta.get("image") or {}).get("alt")
    name = (meta.get("figure") or {}).get("name")
    if not (caption or alt):
        return None
    parts = [f'<a id="{name}"></a>'] if name else []
    if caption:
        parts.append(f"**Figure.** {lower(caption, ctx)}")
    if alt:
        parts.append(
            f"<details>\n<summary>Text description of the figure</summary>\n\n{alt}\n\n</details>"
        )
    # Marked for tools/student.py: a caption stays visible even inside a solution.
    return nbformat.v4.new_markdown_cell("\n\n".join(parts), metadata={"figure_note": True})


def code_cells(cells, ctx):
    """Apply the rules of the module docstring to the page's cells, in order.

    Raises
    ------
    ValueError
        When a visible cell reads a name that only a ``remove-cell`` cell binds.
    """
    if problems := hidden_names_used(cells):
        where = "; ".join(f"code cell {first!r} reads {sorted(n)}" for _, first, n in problems)
        raise ValueError(
            f"{ctx.page.name}: a visible cell reads names that only a hidden (remove-cell) "
            f"cell binds, and the notebooks drop hidden cells: {where}. Bind them in a "
            "visible cell, or move the cell that reads them into the hidden one."
        )
    out, ordinal = [], -1
    for cell in cells:
        if cell.cell_type != "code":
            out.append(cell)
            continue
        ordinal += 1
        # Which code cell of the page this is: the site's download gets its outputs.
        cell.metadata["dnncourse"] = {"page_cell": ordinal}
        tags = cell.metadata.get("tags", [])
        source = strip_glue(cell.source)
        if "remove-cell" in tags or not source:
            continue
        cell.source = source
        kept_tags = [t for t in tags if t not in SITE_ONLY_TAGS]
        if kept_tags:
            cell.metadata["tags"] = kept_tags
        else:
            cell.metadata.pop("tags", None)
        note = figure_note(cell, ctx)
        out.append(cell)
        if note is not None:
            out.append(note)
    return out
