"""The report of where each data set comes from: :func:`sources`."""

from __future__ import annotations

import difflib
import os

from ._files import DATASETS, ENV_VAR, data_dir_override, locate


def ignored_files():
    """Files in ``$DNNCOURSE_DATA_DIR`` that no loader reads, each with a hint.

    README files and hidden files are left out. A name close to a data file's
    (other case, other separator, extra extension) gets "did you mean ...".
    """
    override = data_dir_override()
    if override is None:
        return []
    wanted = [n for names in DATASETS.values() for n in names]
    out = []
    for entry in sorted(os.listdir(override)):
        if entry in wanted or entry.startswith(".") or entry.lower().startswith("readme"):
            continue
        close = difflib.get_close_matches(entry.lower().replace("-", "_"), wanted, n=1, cutoff=0.8)
        out.append(f"{entry} (did you mean {close[0]}?)" if close else entry)
    return out


class Sources(list):
    """:func:`sources`' answer: a list of :class:`Source`, printed as a small report."""

    ignored: list

    def __str__(self):
        setting = os.environ.get(ENV_VAR, "").strip() or "not set"
        lines = [f"{ENV_VAR}: {setting}", *(str(s) for s in self)]
        if self.ignored:
            lines.append(f"not read (no loader uses these names): {', '.join(self.ignored)}")
        return "\n".join(lines)

    def _repr_pretty_(self, p, cycle):  # IPython shows the report, not a list of objects
        p.text(str(self))


def sources():
    """Where every data set will be read from, and which files are not read.

    Returns
    -------
    Sources
        A list of :class:`Source` (regression, iris, mnist) that prints as a
        report; ``.ignored`` lists the files in ``$DNNCOURSE_DATA_DIR`` under
        names no loader reads.

    Raises
    ------
    FileNotFoundError
        As the loaders would: the search order of ``data._files.locate``.
    """
    report = Sources(locate(dataset) for dataset in DATASETS)
    report.ignored = ignored_files()
    return report
