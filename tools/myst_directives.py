"""Lowering rules for MyST directives (see :mod:`myst_lower`).

Each rule takes the parsed directive and returns plain Markdown:

- admonitions (``note``, ``tip``, ``admonition`` ...) -> a blockquote with a bold
  title; with ``:class: dropdown`` -> a collapsed ``<details>`` block;
- ``dropdown`` and non-gated ``solution`` -> ``<details>`` (dropped in student
  editions);
- ``exercise`` and ``exercise-start`` -> a headed section;
- ``solution-start`` / ``solution-end`` -> markers that tools/notebooks.py turns
  into collapsed solution cells (full notebook) or removes (student edition),
  since a gated solution spans several cells;
- ``literalinclude`` -> the included code, ``code-block`` -> a fenced block,
  ``math`` -> ``$$``, ``figure``/``image`` -> an image with its caption,
  ``table`` -> the table under its caption.

A directive's body is MyST again: :func:`lower_directive` lowers it with the ``lower``
function it is given (:func:`myst_lower.lower` passes itself), so this module imports
nothing from :mod:`myst_lower` and the two form no import circle.

Why not sphinx-tojupyter (tried on this book): it turns an admonition into a
top-level heading, a dropdown into open text (the answers shown), shows
sphinx-exercise solutions openly and drops figure captions and alt text.
"""

from __future__ import annotations

import logging
from types import SimpleNamespace

ADMONITIONS = {
    "admonition": None,
    "note": "Note",
    "tip": "Tip",
    "hint": "Hint",
    "important": "Important",
    "warning": "Warning",
    "caution": "Caution",
    "attention": "Attention",
    "danger": "Danger",
    "error": "Error",
    "seealso": "See also",
    "margin": None,
    "sidebar": None,
    "topic": None,
    "epigraph": None,
}
SOLUTION_START = "<!-- dnncourse:solution-start -->"
SOLUTION_END = "<!-- dnncourse:solution-end -->"
INCLUDE_OPTIONS = {
    "pyobject", "lines", "start-after", "end-before", "start-at", "end-at", "language",
    "caption", "dedent", "linenos", "emphasize-lines", "lineno-start", "name", "class",
}  # fmt: skip


def parse(token):
    """``(name, argument, options, body, body_line)`` of a fenced directive."""
    name, _, argument = token.info.strip()[1:].partition("}")
    lines = token.content.split("\n")
    options, k = {}, 0
    if lines and lines[0].strip() == "---":  # YAML option block
        import yaml

        end = lines.index("---", 1)
        options = yaml.safe_load("\n".join(lines[1:end])) or {}
        k = end + 1
    else:
        while k < len(lines) and lines[k].startswith(":") and lines[k].count(":") >= 2:
            key, _, value = lines[k][1:].partition(":")
            options[key.strip()] = value.strip()
            k += 1
    body = "\n".join(lines[k:]).strip("\n")
    return name.strip(), argument.strip(), options, body, k + 1


def blockquote(title, body):
    head = f"**{title}**\n\n" if title else ""
    return "\n".join(f"> {x}" if x else ">" for x in (head + body).split("\n"))


def details(title, body):
    return f"<details>\n<summary><b>{title}</b></summary>\n\n{body}\n\n</details>"


def literalinclude(argument, options, ctx, line):
    """The included code, cut by Sphinx's own reader (the one the site's build uses)."""
    from sphinx.directives.code import LiteralIncludeReader

    unknown = set(options) - INCLUDE_OPTIONS
    if unknown:
        ctx.fail(line, f"literalinclude: unsupported options {sorted(unknown)}")
    path = (ctx.page.parent / argument).resolve()
    if not path.is_file():
        ctx.fail(line, f"literalinclude: no file {argument}")

    # As Sphinx's option spec converts them: ``:dedent:`` an optional number (bare: all the
    # common indent), every other option a string (a YAML block may give ``lines: 3``).
    def sphinx_value(key, value):
        if key == "dedent":  # bare, or a YAML block's ``dedent:``: all the common indent
            return None if value is None or not str(value).strip() else int(value)
        return "" if value is None else str(value)

    # Sphinx only logs some mistakes (a line range past the end), which its -W build
    # turns into errors: here they fail too, naming the page and line.
    warnings = []
    handler = logging.Handler(logging.WARNING)
    handler.emit = lambda record: warnings.append(record.getMessage())
    sphinx_logger = logging.getLogger("sphinx.sphinx.directives.code")
    sphinx_logger.addHandler(handler)
    try:
        options = {k: sphinx_value(k, v) for k, v in options.items()}
        code, _ = LiteralIncludeReader(
            str(path), options, SimpleNamespace(source_encoding="utf-8")
        ).read()
    except (ValueError, TypeError) as err:  # a bad option, an object or marker not found
        ctx.fail(line, f"literalinclude: {err}")
    finally:
        sphinx_logger.removeHandler(handler)
    if warnings:
        ctx.fail(line, f"literalinclude: {warnings[0]}")
    language = options.get("language", "python" if path.suffix == ".py" else "")
    caption = f"*{options['caption']}*\n\n" if options.get("caption") else ""
    return f"{caption}```{language}\n{code.strip(chr(10))}\n```"


def figure(name, argument, options, body, ctx, line, lower):
    url = argument
    if "://" not in url:
        path = (ctx.page.parent / argument).resolve().relative_to(ctx.page.parents[1])
        repo = ctx.repo_url.replace("https://github.com/", "https://raw.githubusercontent.com/")
        url = f"{repo}/{ctx.branch}/{path.as_posix()}"
    alt = options.get("alt", "")
    caption = f"\n\n*{lower(body, ctx, line)}*" if name == "figure" and body else ""
    return f"![{alt}]({url}){caption}"


def lower_directive(token, ctx, line, lower):
    """Plain Markdown for the directive ``token`` (at ``line`` of the cell).

    ``lower(text, ctx, line)`` lowers MyST Markdown: the directive's body and captions.
    """
    name, argument, options, body, body_line = parse(token)
    options = options if isinstance(options, dict) else {}
    dropdown = "dropdown" in str(options.get("class", "")).split()

    def inner():
        return lower(body, ctx, line + body_line)

    if name in ADMONITIONS:
        title = argument or ADMONITIONS[name]
        if dropdown:
            return details(title or "Details", inner())
        return blockquote(title, inner())
    if name == "dropdown":
        return details(argument or "Details", inner())
    if name == "solution":
        return "" if ctx.student else details("Solution", inner())
    if name in ("exercise", "exercise-start"):
        title = f"Exercise: {argument}" if argument else "Exercise"
        head = f'<a id="{options["label"]}"></a>\n\n' if options.get("label") else ""
        return f"{head}#### {title}\n\n{inner()}" if name == "exercise" else f"{head}#### {title}"
    if name == "exercise-end":
        return ""
    if name == "solution-start":
        return SOLUTION_START
    if name == "solution-end":
        return SOLUTION_END
    if name == "literalinclude":
        return literalinclude(argument, options, ctx, line)
    if name in ("code-block", "code", "sourcecode"):
        return f"```{argument}\n{body}\n```"
    if name == "math":
        return f"$$\n{body}\n$$"
    if name in ("figure", "image"):
        return figure(name, argument, options, body, ctx, line, lower)
    if name == "table":  # a Markdown table with a caption
        anchor = f'<a id="{options["name"]}"></a>\n\n' if options.get("name") else ""
        caption = f"**Table.** {lower(argument, ctx, line)}\n\n" if argument else ""
        return f"{anchor}{caption}{inner()}"
    if name == "tableofcontents":
        return ""
    return ctx.fail(line, f"unknown directive {{{name}}}: add a rule to tools/myst_directives.py")
