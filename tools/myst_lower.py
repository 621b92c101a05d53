"""Lower MyST Markdown to the plain Markdown that Colab, Jupyter and VS Code render.

The site reads MyST (directives, roles, glue); a notebook renderer reads
CommonMark plus a little HTML. :func:`lower` parses a cell with myst-parser's own
parser and the extensions the site enables, so a directive or role is found by the
same grammar the site uses (never by a regular expression), and rewrites the
source text at the places the parse points to:

- a directive (backtick or colon fence) is replaced by its lowering, see
  :mod:`myst_directives`; its body is lowered recursively;
- a role is replaced by text, a link or a number, see :data:`ROLES`;
- targets ``(label)=`` and ``%`` comments are dropped.

Anything without a rule raises :class:`LoweringError` naming the page and line, so
a new construct fails generation instead of reaching a learner as raw markup.

Why not sphinx-tojupyter (tried on this book): it works from the built document,
so glued numbers exist only when the page's outputs do (with execution off they
vanish without a warning), ``{doc}`` becomes a relative ``.ipynb`` link Colab cannot
open, and an unknown construct is dropped without an error.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from markdown_it.renderer import RendererHTML
from myst_directives import lower_directive
from myst_nb.core.variables import format_plain_text
from myst_parser.config.main import MdParserConfig
from myst_parser.parsers.mdit import create_md_parser

REPO = Path(__file__).resolve().parents[1]

# Marks a number that comes from the site's run, not the learner's (explained in
# the notebook's header cell).
SITE_MARK = "<sup>†</sup>"


class LoweringError(ValueError):
    """A MyST construct that the notebooks cannot show; names page and line."""


@dataclass
class Context:
    """What lowering a page needs to know besides the page's text.

    Attributes
    ----------
    page : Path
        The page (for messages and relative paths).
    baseurl : str
        The published site, e.g. ``https://org.github.io/repo/``.
    repo_url, branch : str
        The repository, for Colab links and files.
    glue : dict
        ``{key: text/plain}`` of the page's glued values from the site's run.
    labels : dict
        ``{label: (docname, title)}`` of every target in the book.
    titles : dict
        ``{docname: title}`` of every page.
    student : bool
        Lowering for a student edition (solutions are dropped).
    """

    page: Path
    baseurl: str
    repo_url: str
    branch: str
    glue: dict = field(default_factory=dict)
    labels: dict = field(default_factory=dict)
    titles: dict = field(default_factory=dict)
    student: bool = False
    line: int = 0  # line of the cell in the page, for messages

    def fail(self, line, message):
        raise LoweringError(f"{self.page.name}:{self.line + line + 1}: {message}")

    def page_url(self, docname, anchor=""):
        url = f"{self.baseurl.rstrip('/')}/{docname}.html"
        return f"{url}#{anchor}" if anchor else url

    def repo_file_url(self, path):
        """URL of a file of the repository (raw for images, blob otherwise)."""
        return f"{self.repo_url}/blob/{self.branch}/{path}"

    def colab_url(self, path):
        repo = self.repo_url.removeprefix("https://github.com/")
        return f"https://colab.research.google.com/github/{repo}/blob/{self.branch}/{path}"

    def docname(self, target):
        """Docname (``book/data``) of a ``{doc}`` target relative to the page."""
        if target.startswith("/"):
            return target.lstrip("/").removesuffix(".md")
        base = self.page.parent.relative_to(self.page.parents[1]).as_posix()
        parts = [*base.split("/"), *target.removesuffix(".md").split("/")]
        out = []
        for p in parts:
            if p == "..":
                out.pop()
            elif p not in ("", "."):
                out.append(p)
        return "/".join(out)


def book_config(root=REPO):
    """myst-parser's settings with the MyST extensions ``_config.yml`` enables (the build's)."""
    import yaml

    config = yaml.safe_load((root / "_config.yml").read_text(encoding="utf-8"))
    return MdParserConfig(enable_extensions=set(config["parse"]["myst_enable_extensions"]))


def parser(root=REPO):
    """myst-parser's own markdown-it parser, with the book's settings (:func:`book_config`)."""
    return create_md_parser(book_config(root), RendererHTML)


MD = parser()


def split_title_target(text):
    """``"Title <target>"`` -> ``("Title", "target")``; ``"target"`` -> ``(None, "target")``."""
    text = " ".join(text.split())
    if text.endswith(">") and "<" in text:
        title, _, target = text[:-1].rpartition("<")
        return title.strip() or None, target.strip()
    return None, text


def role_glue(ctx, line, text):
    key, _, fmt = text.rpartition(":") if ":" in text else (text, "", "")
    if "::" in key:
        ctx.fail(line, f"glue from another page is not supported: {text!r}")
    if key not in ctx.glue:
        ctx.fail(
            line,
            f"glued value {key!r} is not in the site-run snapshot: build the book "
            "(nox -s book), then refresh it (nox -s notebooks -- --snapshot)",
        )
    try:
        return format_plain_text(ctx.glue[key], fmt) + SITE_MARK
    except ValueError as err:  # the site's build fails on it too
        return ctx.fail(line, f"glued value {key!r} = {ctx.glue[key]} cannot take {fmt!r}: {err}")


def role_doc(ctx, line, text):
    title, target = split_title_target(text)
    docname = ctx.docname(target)
    if docname not in ctx.titles:
        ctx.fail(line, f"{{doc}} target {target!r} is not a page of the book")
    return f"[{title or ctx.titles[docname]}]({ctx.page_url(docname)})"


def role_ref(ctx, line, text):
    title, label = split_title_target(text)
    if label not in ctx.labels:
        ctx.fail(line, f"{{ref}} target {label!r} is not defined in any page")
    docname, label_title = ctx.labels[label]
    return f"[{title or label_title}]({ctx.page_url(docname, label)})"


def role_colab(ctx, line, text):
    title, target = split_title_target(text)
    return f"[{title or f'Open {target} in Colab'}]({ctx.colab_url(target)})"


def role_download(ctx, line, text):
    title, target = split_title_target(text)
    path = ctx.docname(target) if not target.startswith("/") else target.lstrip("/")
    return f"[{title or target}]({ctx.repo_file_url(path)})"


def role_code_ref(ctx, line, text):
    """Python cross-references: the name in code (``~`` keeps the last part)."""
    title, target = split_title_target(text)
    if title:
        return f"`{title}`"
    if target.startswith("~"):
        target = target[1:].rsplit(".", 1)[-1]
    return f"`{target}`"


ROLES = {
    "glue": role_glue,
    "glue:text": role_glue,
    "doc": role_doc,
    "ref": role_ref,
    "numref": role_ref,
    "colab": role_colab,
    "download": role_download,
    "math": lambda ctx, line, text: f"${text}$",
    "sub": lambda ctx, line, text: f"<sub>{text}</sub>",
    "sup": lambda ctx, line, text: f"<sup>{text}</sup>",
    "kbd": lambda ctx, line, text: f"<kbd>{text}</kbd>",
    "code": lambda ctx, line, text: f"`{text}`",
    "abbr": lambda ctx, line, text: text.split("(")[0].strip(),
    "term": lambda ctx, line, text: split_title_target(text)[0] or split_title_target(text)[1],
    "eq": lambda ctx, line, text: f"({text})",
}
PY_ROLES = ("func", "class", "meth", "mod", "attr", "obj", "data", "exc", "any", "const")
ROLES.update(dict.fromkeys(PY_ROLES, role_code_ref))
ROLES.update({f"py:{name}": role_code_ref for name in PY_ROLES})


def _role_span(text, start, name, content):
    """``(begin, end)`` offsets of the role's source in ``text`` at or after ``start``."""
    opener = "{" + name + "}"
    begin = text.find(opener + "`", start)
    while begin >= 0:
        j = begin + len(opener)
        n = len(text[j:]) - len(text[j:].lstrip("`"))
        close = text.find("`" * n, j + n)
        if close >= 0 and text[j + n : close].split() == content.split():
            return begin, close + n
        begin = text.find(opener + "`", begin + 1)
    return None


def _relink(text, pos, href, ctx):
    """Make a relative link absolute: a page -> the site, another file -> the repository."""
    if not href or "://" in href or href.startswith(("#", "mailto:")):
        return text, pos
    path, _, anchor = href.partition("#")
    if path.endswith((".md", ".ipynb")) or "." not in Path(path).name:
        url = ctx.page_url(ctx.docname(path.removesuffix(".ipynb")), anchor)
    else:
        url = ctx.repo_file_url(ctx.docname(path))
    k = text.find(f"]({href}", pos)
    if k < 0:
        return text, pos
    return text[: k + 2] + url + text[k + 2 + len(href) :], k + 2 + len(url)


def lower_inline(text, token, ctx, line):
    """``text`` (the source of one inline token) with its roles replaced."""
    pos = 0
    for child in token.children or []:
        if child.type == "link_open":
            text, pos = _relink(text, pos, child.attrGet("href") or "", ctx)
        if child.type != "myst_role":
            continue
        name = child.meta["name"]
        here = line + text.count("\n", 0, pos)
        if name not in ROLES:
            ctx.fail(here, f"unknown role {{{name}}}: add a rule to tools/myst_lower.py")
        span = _role_span(text, pos, name, child.content)
        if span is None:
            ctx.fail(here, f"cannot locate role {{{name}}}`{child.content}` in the source")
        new = ROLES[name](ctx, line + text.count("\n", 0, span[0]), child.content)
        text = text[: span[0]] + new + text[span[1] :]
        pos = span[0] + len(new)
    return text


def definition_list(lines):
    """A definition list (not CommonMark) as bold terms, each followed by its definition."""
    out = []
    for line in lines:
        if line.startswith((":", "~")):
            out += ["", line[1:].strip()]
        elif line.strip() and not line[0].isspace():
            out += ["", f"**{line.strip()}**"]
        else:
            out.append(line.strip())
    return out[1:] if out and out[0] == "" else out


def lower(text, ctx, line=0):
    """Lower the MyST Markdown ``text`` (a cell, or a directive's body) to Markdown.

    Parameters
    ----------
    text : str
        MyST Markdown.
    ctx : Context
        Page, site and glue data.
    line : int
        Line of ``text`` in the cell, for messages.
    """
    lines = text.split("\n")
    # Work bottom-up so that earlier line numbers stay valid.
    blocks = []
    for token in MD.parse(text):
        if token.map is None:
            continue
        start, end = token.map
        if token.type in ("fence", "colon_fence") and token.info.strip().startswith("{"):
            indent = lines[start][: len(lines[start]) - len(lines[start].lstrip())]
            new = lower_directive(token, ctx, line + start, lower)
            new_lines = [(indent + x) if x.strip() else "" for x in new.split("\n")]
            blocks.append((start, end, new_lines if new else []))
        elif token.type in ("myst_target", "myst_line_comment"):
            blocks.append((start, end, []))
        elif token.type == "dl_open":  # roles inside are lowered in the next pass
            blocks.append((start, end, "dl"))
        elif token.type == "inline":  # (a definition term's map is empty: one line)
            blocks.append((start, max(end, start + 1), token))
    # A definition list is rewritten after the inline text inside it (same start line).
    for start, end, new in sorted(blocks, key=lambda b: (b[0], b[2] != "dl"), reverse=True):
        if new == "dl":
            lines[start:end] = definition_list(lines[start:end])
        elif isinstance(new, list):
            lines[start:end] = new
        else:
            segment = "\n".join(lines[start:end])
            lines[start:end] = lower_inline(segment, new, ctx, line + start).split("\n")
    out = "\n".join(lines)
    while "\n\n\n" in out:
        out = out.replace("\n\n\n", "\n\n")
    return out.strip("\n")
