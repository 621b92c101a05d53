"""Checking a learner's arguments at the door: one clear error per mistake.

Every public function of the course checks what it is given before it does any
work, so that nothing a learner can pass reaches NumPy, TensorFlow or Python
internals as a raw error, and nothing wrong is silently accepted. The messages
follow the data loaders' style: where, what was expected, what was got, the fix::

    holdout(), argument val_fraction: expected a number in [0, 1), got 1.5 (a float).
    Pass a fraction such as val_fraction=0.2.

A wrong kind of object raises ``TypeError``; a wrong value, shape, length or
range raises ``ValueError``. Every error is raised ``from None``: one traceback per
mistake. Numbers are shown so that the message cannot contradict itself
(:func:`number`, :func:`describe`): ``1.0000000000000002``, never ``1``.

Use :class:`Arguments`, made once per call with the function's name::

    door = Arguments("holdout")
    X, y = door.rows("X", X), door.rows("y", y)
    door.same_length(("X", X), ("y", y))
    val_fraction = door.real("val_fraction", val_fraction, low=0, high=1, high_open=True)
"""

from __future__ import annotations

import math
import numbers
import os
from collections.abc import Mapping

import numpy as np

#: Array kinds (``dtype.kind``) that hold numbers: booleans, integers, floats.
NUMERIC = "biuf"
_KIND_NAMES = {
    "U": "text",
    "S": "bytes",
    "O": "Python objects",
    "c": "complex numbers",
    "M": "dates",
    "m": "time spans",
    "V": "raw records",
}


def to_numpy(value, dtype=None):
    """``np.asarray(value, dtype)``; a PyTorch tensor (Keras' torch backend) is detached first.

    A model's output on the torch backend tracks gradients, and NumPy cannot convert
    such a tensor; ``keras.ops.convert_to_numpy`` would, but this module imports no Keras.
    """
    detach = getattr(value, "detach", None)
    if callable(detach) and callable(getattr(value, "cpu", None)):
        value = detach().cpu().numpy()
    return np.asarray(value, dtype=dtype)


def number(value):
    """A number as text that reads back as the same number.

    Whole floats below 1e15 print as integers (``140``, exactly 140.0), every other
    float as its shortest round-trip ``repr`` (``1.0000000000000002``, ``1.9999999``,
    ``0.10000000149011612`` for float32 0.1), so a message cannot say "expected at
    most 1, got 1" for a value just above 1.
    """
    if isinstance(value, (bool, np.bool_)):
        return repr(bool(value))
    if isinstance(value, numbers.Integral):
        return str(int(value))
    v = float(value)
    if math.isfinite(v) and v == math.floor(v) and abs(v) < 1e15:
        return str(int(v))
    return repr(v)


def describe(value):
    """What a learner passed, for the "got ..." part of a message (exact, short)."""
    if value is None:
        return "None"
    if isinstance(value, (bool, np.bool_)):
        return f"{bool(value)!r} (a bool)"
    if isinstance(value, numbers.Integral):
        kind = "an int" if type(value) is int else f"a NumPy {np.asarray(value).dtype}"
        return f"{int(value)} ({kind})"
    if isinstance(value, numbers.Real):
        kind = "a float" if type(value) is float else f"a NumPy {np.asarray(value).dtype}"
        return f"{float(value)!r} ({kind})"
    if isinstance(value, (str, bytes)):
        text = repr(value)
        text = text if len(text) <= 60 else text[:57] + "..."
        return f"{text} (a {type(value).__name__})"
    if isinstance(value, np.ndarray):
        if value.ndim == 0:
            return f"a 0-d array holding {value.item()!r}"
        return f"an array of shape {value.shape} and dtype {value.dtype}"
    if isinstance(value, type):
        return f"the class {value.__name__} itself (not an object made from it)"
    if callable(value) and hasattr(value, "__name__"):
        return f"the function {value.__name__}"
    if isinstance(value, (list, tuple)):
        return f"{_a(type(value).__name__)} of {len(value)} item{'s' * (len(value) != 1)}"
    if isinstance(value, Mapping):
        return (
            f"{_a(type(value).__name__)} with keys {', '.join(map(str, list(value)[:6])) or 'none'}"
        )
    shape = getattr(value, "shape", None)
    if isinstance(shape, tuple):
        return f"{_a(type(value).__name__)} of shape {shape}"
    return f"{_a(type(value).__name__)}"


def _a(noun):
    """``noun`` with its indefinite article: "a list", "an Axes"."""
    return f"{'an' if noun[:1].lower() in 'aeiou' else 'a'} {noun}"


def _int_text(text):
    """The whole number ``text`` spells (``"42"``, ``" -3 "``), or None (``"²"``, ``"-+3"``)."""
    try:
        return int(text)
    except ValueError:
        return None


def _finite_text(text):
    """Whether ``text`` spells a finite number (``"0.2"``, not ``"nan"`` or ``"abc"``)."""
    try:
        return math.isfinite(float(text))
    except ValueError:
        return False


def shape_text(shape):
    """``(n, 28, 28)`` from ``("n", 28, 28)``; ``None`` entries print as letters."""
    dims = [("n" if i == 0 else "d") if d is None else str(d) for i, d in enumerate(shape)]
    return f"({dims[0]},)" if len(dims) == 1 else f"({', '.join(dims)})"


def _interval(low, high, low_open, high_open):
    if low is not None and high is not None:
        return (
            f"in {'(' if low_open else '['}{number(low)}, {number(high)}{')' if high_open else ']'}"
        )
    if low is not None:
        return f"{'>' if low_open else '>='} {number(low)}"
    if high is not None:
        return f"{'<' if high_open else '<='} {number(high)}"
    return ""


class Arguments:
    """The argument checks of one call of the public function ``func``.

    Each method returns the value (converted where that is the only sensible
    reading: a NumPy integer to ``int``, an array-like to an ndarray) or raises
    one ``TypeError``/``ValueError`` naming ``func``, the argument, what was
    expected, what was got and the fix.
    """

    def __init__(self, func):
        self.func = func

    def where(self, name):
        return f"{self.func}(), argument {name}"

    def fail(self, name, expected, got, fix, error=ValueError):
        """Raise ``error`` with the course's message; ``from None``: one traceback."""
        message = f"{self.where(name)}: expected {expected}, got {got}."
        raise error(f"{message} {fix}" if fix else message) from None

    # --- scalars -------------------------------------------------------------------

    def integer(self, name, value, *, low=None, high=None, example=None, fix=None):
        """A whole number (``int`` or NumPy integer, not ``bool``) in ``[low, high]``."""
        example = low if example is None else example
        if isinstance(value, (bool, np.bool_)) or not isinstance(value, numbers.Integral):
            # The plain reading of a whole float or of digits as text beats a general fix.
            hint = fix or f"Pass a whole number such as {name}={example}."
            if isinstance(value, numbers.Real) and not isinstance(value, (bool, np.bool_)):
                v = float(value)
                if math.isfinite(v) and v == int(v):
                    hint = f"Pass {name}={int(v)}."
            elif isinstance(value, str) and _int_text(value) is not None:
                hint = f"Pass {name}={_int_text(value)} (a number, not text)."
            self.fail(name, f"a whole number {_interval(low, high, 0, 0)}".rstrip(),
                      describe(value), hint, TypeError)  # fmt: skip
        value = int(value)
        if (low is not None and value < low) or (high is not None and value > high):
            self.fail(name, f"a whole number {_interval(low, high, 0, 0)}", describe(value),
                      fix or f"Pass a whole number such as {name}={example}.")  # fmt: skip
        return value

    def seed(self, name, value, *, allow_none=True):
        """A random seed: a whole number in [0, 2**32 - 1] (what NumPy and Keras accept), or None."""
        if value is None and allow_none:
            return None
        fix = f"Pass a whole number such as {name}=0" + (
            f", or {name}=None to follow the global seed." if allow_none else "."
        )
        return self.integer(name, value, low=0, high=2**32 - 1, fix=fix)

    def real(self, name, value, *, low=None, high=None, low_open=False, high_open=False,
             example=None, fix=None):  # fmt: skip
        """A finite real number (``int``, ``float`` or NumPy scalar, not ``bool``) in range."""
        expected = f"a number {_interval(low, high, low_open, high_open)}".rstrip()
        hint = fix or (f"Pass a number such as {name}={example}." if example is not None else "")
        if isinstance(value, (bool, np.bool_)) or not isinstance(value, numbers.Real):
            if isinstance(value, str) and _finite_text(value):
                hint = fix or f"Pass {name}={float(value)!r} (a number, not text)."
            self.fail(name, expected, describe(value), hint, TypeError)
        v = float(value)
        if (
            not math.isfinite(v)
            or (low is not None and (v <= low if low_open else v < low))
            or (high is not None and (v >= high if high_open else v > high))
        ):
            self.fail(name, expected, describe(value), hint)
        return value

    def boolean(self, name, value):
        """``True`` or ``False`` (a NumPy bool too), not 0/1 or a string."""
        if not isinstance(value, (bool, np.bool_)):
            self.fail(name, "True or False", describe(value),
                      f"Pass {name}=True or {name}=False.", TypeError)  # fmt: skip
        return bool(value)

    def text(self, name, value, *, allow_none=False, example="..."):
        """A ``str`` (or None when allowed)."""
        if value is None and allow_none:
            return None
        if not isinstance(value, str):
            expected = "a str" + (" or None" if allow_none else "")
            self.fail(name, expected, describe(value), f"Pass {name}={example!r}.", TypeError)
        return value

    def path(self, name, value):
        """A file path: ``str`` or ``os.PathLike`` of ``str``, not empty."""
        if isinstance(value, os.PathLike):
            try:
                value = os.fspath(value)
            except TypeError:
                value = None
        if not isinstance(value, str) or not value.strip() or "\x00" in value:
            self.fail(name, "a file path (str or pathlib.Path)", describe(value),
                      f"Pass the file's path, e.g. {name}='my_data.csv'.", TypeError)  # fmt: skip
        return value

    def function(self, name, value, example):
        """Something callable."""
        if not callable(value):
            self.fail(name, "a function", describe(value), f"Pass a function, e.g. {example}.",
                      TypeError)  # fmt: skip
        return value

    def choice(self, name, value, options):
        """One of ``options`` (compared with ``==``; the type must match too)."""
        for option in options:
            if type(value) is type(option) and value == option:
                return value
        shown = ", ".join(repr(o) for o in options)
        error = ValueError if any(type(value) is type(o) for o in options) else TypeError
        self.fail(name, f"one of {shown}", describe(value),
                  f"Pass {name}={options[0]!r}.", error)  # fmt: skip
        return None  # unreachable

    def names(self, name, value, *, count=None, low=1, unique=True, example=("a", "b")):
        """A sequence of non-empty ``str`` (a list or tuple; a single str is refused)."""
        fix = f"Pass a list of names, e.g. {name}={list(example)!r}."
        if isinstance(value, str) or not isinstance(value, (list, tuple, np.ndarray)):
            got = describe(value)
            if isinstance(value, str) and "," in value:
                fix = f"Pass {name}={[s.strip() for s in value.split(',')]!r}."
            self.fail(name, "a list of names (str)", got, fix, TypeError)
        items = list(value)
        for i, item in enumerate(items):
            if not isinstance(item, str) or not item.strip():
                self.fail(f"{name}[{i}]", "a non-empty str", describe(item), fix, TypeError)
        if count is not None and len(items) != count:
            self.fail(name, f"{count} names", f"{len(items)} ({', '.join(items)})", fix)
        if len(items) < low:
            self.fail(name, f"at least {low} name{'s' * (low != 1)}", f"{len(items)}", fix)
        if unique and len(set(items)) != len(items):
            twice = sorted({s for s in items if items.count(s) > 1})
            self.fail(name, "different names", f"{', '.join(twice)} more than once", fix)
        return items

    def units(self, name, value, *, count=None, high=10_000, example=(16,)):
        """Layer sizes, as a tuple of ints: a tuple or list (a range, a 1-D array) of whole numbers.

        ``count`` fixes how many; ``high`` bounds each, so that a slip such as
        ``10**9`` is refused before Keras tries to allocate the weights.
        """
        many = f"{count} whole numbers" if count is not None else "a tuple of whole numbers"
        expected = f"{many} in [1, {number(high)}] (units per layer)"
        fix = f"Pass a tuple of sizes, e.g. {name}={tuple(example)!r}."
        one = isinstance(value, numbers.Integral) and not isinstance(value, (bool, np.bool_))
        if one and count is None:
            fix = f"Pass a tuple, even for one layer: {name}=({int(value)},)."
        if not isinstance(value, (list, tuple, range)) and not (
            isinstance(value, np.ndarray) and value.ndim == 1
        ):
            self.fail(name, expected, describe(value), fix, TypeError)
        if count is not None and len(value) != count:
            self.fail(name, expected, describe(value), fix)
        # as Python ints: Keras' layers refuse NumPy integers
        return tuple(self.integer(f"{name}[{i}]", n, low=1, high=high, fix=fix)
                     for i, n in enumerate(value))  # fmt: skip

    # --- arrays --------------------------------------------------------------------

    def array(self, name, value, *, shape=None, ndim=None, kinds=NUMERIC, finite=True,
              low_rows=0, fix=None, what="an array of numbers"):  # fmt: skip
        """``value`` as an ndarray, checked before anything else touches it.

        Parameters
        ----------
        shape : tuple, optional
            Expected shape; ``None`` entries match any size (``(None, 2)``: n rows of 2).
        ndim : int or (int, int), optional
            Expected number of dimensions, or an inclusive range (``(1, None)``: >= 1).
        kinds : str
            Allowed ``dtype.kind`` letters (default: bool, int, unsigned, float).
        finite : bool
            Refuse NaN and infinity in float arrays.
        low_rows : int
            Fewest rows (length of the first axis).
        """
        expected = what + (f" of shape {shape_text(shape)}" if shape is not None else "")
        fix = fix or (
            f"Pass {name} as a NumPy array"
            + (f" of shape {shape_text(shape)}." if shape is not None else ".")
        )
        if value is None or isinstance(value, (str, bytes, Mapping, set, frozenset)):
            self.fail(name, expected, describe(value), fix, TypeError)
        try:
            array = to_numpy(value)
        except (ValueError, TypeError) as err:  # ragged lists, objects refusing conversion
            ragged = "inhomogeneous" in str(err) or "sequence" in str(err)
            got = "rows of different lengths (a ragged list)" if ragged else describe(value)
            self.fail(name, expected, got, fix)
        if array.dtype.kind not in kinds:
            kind = _KIND_NAMES.get(array.dtype.kind, f"dtype {array.dtype}")
            got = f"an array of {kind} (dtype {array.dtype})"
            if array.dtype.kind == "U":
                fix = f"{fix} Convert text with np.asarray({name}, dtype=float)."
            self.fail(name, expected, got, fix, TypeError)
        if ndim is not None:
            lo, hi = (ndim, ndim) if isinstance(ndim, int) else ndim
            if array.ndim < lo or (hi is not None and array.ndim > hi):
                dims = f"{lo}" if lo == hi else f"at least {lo}" if hi is None else f"{lo} to {hi}"
                dims += " dimension" if dims == "1" or dims.endswith(" 1") else " dimensions"
                if array.ndim == 0:
                    got = f"a single value ({describe(value)})"
                else:
                    got = f"an array of shape {array.shape} ({array.ndim} dimensions)"
                self.fail(name, f"{expected} with {dims}", got, fix)
        if shape is not None and (
            array.ndim != len(shape)
            or any(w is not None and g != w for g, w in zip(array.shape, shape, strict=True))
        ):
            self.fail(name, expected, f"an array of shape {array.shape}", fix)
        if array.ndim and len(array) < low_rows:
            rows = f"{low_rows} row{'s' * (low_rows != 1)}"
            self.fail(name, f"{expected} with at least {rows}", f"{len(array)} rows",
                      f"Pass at least {rows} in {name} (is a slice such as [n:] past the end?).")  # fmt: skip
        if finite and array.dtype.kind == "f" and array.size and not np.isfinite(array).all():
            bad = np.argwhere(~np.isfinite(array))[0]
            at = tuple(map(int, bad)) if array.ndim > 1 else int(bad[0]) if array.ndim else None
            value_at = array[tuple(bad)]  # a single value (0-d) has no index to name
            self.fail(name, "finite numbers", number(value_at) + f" at index {at}" * (at is not None),
                      f"Remove or fill in the rows with missing or infinite values in {name}.")  # fmt: skip
        return array

    def rows(self, name, value, *, low_rows=1, **kwargs):
        """An array with one row per sample: at least one dimension and ``low_rows`` rows."""
        kwargs.setdefault("ndim", (1, None))
        return self.array(name, value, low_rows=low_rows, **kwargs)

    def labels(self, name, value, n_classes, *, class_names=None):
        """Class labels: a 1-D array of whole numbers 0..n_classes-1 (int or integral float)."""
        y = self.array(name, value, ndim=1, what="an array of class labels")
        bad = (y < 0) | (y >= n_classes) | (y != np.round(y) if y.dtype.kind == "f" else False)
        if bad.any():
            names = f", one per name in class_names ({', '.join(class_names)})" \
                if class_names is not None else ""  # fmt: skip
            self.fail(name, f"whole-number labels 0 to {n_classes - 1}{names}",
                      f"a label {number(y[bad][0])} at index {int(np.flatnonzero(bad)[0])}",
                      f"Pass labels 0..{n_classes - 1}, or a name for every class.")  # fmt: skip
        return y.astype(np.int64)

    def same_length(self, *named):
        """The arrays ``(name, array)`` all have the same number of rows."""
        lengths = [(name, len(a)) for name, a in named]
        if len({n for _, n in lengths}) > 1:
            (first, n0), *rest = lengths
            other = next((name, n) for name, n in rest if n != n0)
            names = ", ".join(name for name, _ in named)
            raise ValueError(
                f"{self.func}(), arguments {names}: expected the same number of rows "
                f"(one per sample), got {n0} in {first} and {other[1]} in {other[0]}. Pass "
                f"matching arrays, e.g. both sliced with the same rows."
            ) from None
