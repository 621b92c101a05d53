"""MyST lowering for the notebooks: each rule, and that every page's constructs have one."""

from __future__ import annotations

import sys

import pytest
from conftest import REPO

sys.path.insert(0, str(REPO / "tools"))

import notebooks
from myst_lower import MD, ROLES, Context, LoweringError, lower


def ctx(**kw):
    titles = {"book/data": "The data", "book/regression": "Regression"}
    labels = {"sec-x": ("book/regression", "Section X")}
    base = {
        "page": REPO / "book" / "regression.md",
        "baseurl": "https://org.github.io/repo/",
        "repo_url": "https://github.com/org/repo",
        "branch": "main",
        "glue": {"n": "80", "mse": "0.0981234", "s": "'text'"},
        "labels": labels,
        "titles": titles,
    }
    return Context(**{**base, **kw})


def test_admonition_becomes_blockquote_with_bold_title():
    out = lower(":::{admonition} Learning goals\n:class: tip\n- one\n- two\n:::", ctx())
    assert out == "> **Learning goals**\n>\n> - one\n> - two"


def test_note_without_title_gets_its_kind():
    assert lower(":::{note}\nText.\n:::", ctx()) == "> **Note**\n>\n> Text."


def test_dropdown_answer_in_a_list_is_collapsed_and_indented():
    src = "1. Why?\n\n   :::{admonition} Answer\n   :class: dropdown\n   Because.\n   :::\n"
    out = lower(src, ctx())
    assert (
        "   <details>\n   <summary><b>Answer</b></summary>\n\n   Because.\n\n   </details>" in out
    )


def test_glue_text_shows_the_site_number_marked():
    out = lower("MSE {glue:text}`mse:.3f` on {glue:text}`n` points", ctx())
    assert out == "MSE 0.098<sup>†</sup> on 80<sup>†</sup> points"


def test_glue_string_has_no_quotes():
    assert lower("{glue:text}`s`", ctx()) == "text<sup>†</sup>"


def test_missing_glue_key_names_page_and_line():
    with pytest.raises(LoweringError, match=r"regression.md:2: .*'nope'"):
        lower("x\n{glue:text}`nope`", ctx())


def test_doc_ref_and_colab_become_absolute_links():
    out = lower("{doc}`data`, {ref}`sec-x`, {colab}`Open <book/exercises/r.ipynb>`", ctx())
    assert out == (
        "[The data](https://org.github.io/repo/book/data.html), "
        "[Section X](https://org.github.io/repo/book/regression.html#sec-x), "
        "[Open](https://colab.research.google.com/github/org/repo/blob/main/book/exercises/r.ipynb)"
    )


def test_role_spanning_lines_is_replaced():
    assert lower("see {doc}`the\ndata <data>` here", ctx()) == (
        "see [the data](https://org.github.io/repo/book/data.html) here"
    )


def test_literalinclude_pyobject_gives_the_code(tmp_path):
    (tmp_path / "book").mkdir()
    (tmp_path / "m.py").write_text(
        "import x\n\n\ndef f(a):\n    return a\n\n\ndef g():\n    pass\n"
    )
    src = "```{literalinclude} ../m.py\n:pyobject: f\n```"
    out = lower(src, ctx(page=tmp_path / "book" / "p.md"))
    assert out == "```python\ndef f(a):\n    return a\n```"


MODULE = "class A:\n    def f(self):\n        # start\n        return 1\n        # end\n"


@pytest.mark.parametrize(
    ("options", "code"),
    [
        (":lines: 2-4\n:dedent:", "def f(self):\n    # start\n    return 1"),
        (":lines: 4\n:dedent: 4", "    return 1"),
        (":start-after: # start\n:end-before: # end\n:dedent: 8", "return 1"),
        ("---\nlines: 4\ndedent: 8\n---", "return 1"),  # a YAML block gives numbers
        ("---\nlines: 4\ndedent:\n---", "return 1"),  # ... and None for a bare key
    ],
)
def test_literalinclude_options_cut_as_sphinx_does(tmp_path, options, code):
    (tmp_path / "book").mkdir()
    (tmp_path / "m.py").write_text(MODULE)
    out = lower(
        f"```{{literalinclude}} ../m.py\n{options}\n```", ctx(page=tmp_path / "book" / "p.md")
    )
    assert out == f"```python\n{code}\n```"


@pytest.mark.parametrize(
    ("options", "what"),
    [
        (":lines: 4-9", "out of range"),  # Sphinx only warns
        (":lines: 9-12", "no lines pulled"),
        (":pyobject: g", "not found"),
        (":dedent: x", "invalid literal"),
        (":start-after: # nowhere", "not found"),
    ],
)
def test_literalinclude_mistakes_fail_naming_the_page(tmp_path, options, what):
    (tmp_path / "book").mkdir()
    (tmp_path / "m.py").write_text(MODULE)
    with pytest.raises(LoweringError, match=f"p.md:1: literalinclude: .*{what}"):
        lower(
            f"```{{literalinclude}} ../m.py\n{options}\n```", ctx(page=tmp_path / "book" / "p.md")
        )


def test_exercise_block_becomes_a_headed_section():
    src = ":::{exercise-start}\n:label: ex-a\n:::\nDo it.\n:::{exercise-end}\n:::"
    out = lower(src, ctx())
    assert out == '<a id="ex-a"></a>\n\n#### Exercise\nDo it.'


def test_targets_and_comments_are_dropped():
    assert lower("(sec-x)=\n## X\n% a comment\ntext", ctx()) == "## X\ntext"


@pytest.mark.parametrize(
    ("src", "what"),
    [(":::{card}\nx\n:::", "unknown directive {card}"), ("{foo}`x`", "unknown role {foo}")],
)
def test_unknown_constructs_fail_naming_them(src, what):
    with pytest.raises(LoweringError, match=f"regression.md:1: {what}"):
        lower(src, ctx())


def test_every_page_uses_only_constructs_the_converter_handles():
    """Every directive and role of every page (and figure caption) has a rule."""
    from myst_directives import lower_directive  # noqa: F401  (the rules exist)

    handled = set(ROLES)
    problems = []
    for md in notebooks.executable_pages():
        for cell in notebooks.jupytext.read(md).cells:
            if cell.cell_type != "markdown":
                continue
            for tok in MD.parse(cell.source):
                for child in tok.children or []:
                    if child.type == "myst_role" and child.meta["name"] not in handled:
                        problems.append(f"{md.name}: role {{{child.meta['name']}}}")
    assert not problems, problems
    # Directives: generation raises on any directive without a rule, and
    # test_notebooks.py::test_every_notebook_is_in_sync_with_its_page generates every page.


def test_relative_links_become_absolute():
    out = lower("[iris](iris.md#top), [csv](../data/a.csv), [web](https://x.org/a.md)", ctx())
    assert out == (
        "[iris](https://org.github.io/repo/book/iris.html#top), "
        "[csv](https://github.com/org/repo/blob/main/data/a.csv), [web](https://x.org/a.md)"
    )


def test_glue_calls_go_at_any_depth_and_the_rest_stays():
    from nb_cells import strip_glue

    src = (
        "from dnncourse.glue import glue\nx = 1\nglue('a', x, display=False)\n"
        "for k in range(2):\n    print(k)\n    glue(f'k{k}', k)\n"
        "for k in range(2):\n    glue(f'j{k}', k)\nprint(x)  # fmt: skip"
    )
    assert strip_glue(src) == "x = 1\nfor k in range(2):\n    print(k)\nprint(x)"


def test_definition_list_becomes_bold_terms():
    out = lower("Epoch\n: one pass over {glue:text}`n` points\n\nBatch\n: a few", ctx())
    assert out == "**Epoch**\n\none pass over 80<sup>†</sup> points\n\n**Batch**\n\na few"


def test_table_keeps_its_caption_and_anchor():
    src = ":::{table} Errors and {glue:text}`n` fixes.\n:name: tab-x\n\n| a | b |\n| - | - |\n| 1 | 2 |\n:::"
    assert lower(src, ctx()) == (
        '<a id="tab-x"></a>\n\n**Table.** Errors and 80<sup>†</sup> fixes.\n\n| a | b |\n| - | - |\n| 1 | 2 |'
    )


def test_a_page_that_fails_keeps_both_its_notebooks(monkeypatch):
    real = notebooks.page_notebook

    def page_notebook(md, **kw):
        if md.stem == "iris":
            raise LoweringError("iris.md:1: broken")
        return real(md, **kw)

    monkeypatch.setattr(notebooks, "page_notebook", page_notebook)
    monkeypatch.setattr(notebooks, "executable_pages", lambda: [REPO / "book" / "iris.md"])
    errors = []
    files = notebooks.expected_files(errors)
    assert errors == ["iris.md:1: broken"]
    assert files == {REPO / "book" / "iris.ipynb": None, REPO / "book/exercises/iris.ipynb": None}
