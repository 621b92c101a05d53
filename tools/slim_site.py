"""Make the built site lighter: keep only the Font Awesome icons the site uses.

The theme ships Font Awesome's "all icons" script (``_static/scripts/fontawesome.js``,
about 1.5 MB, 540 kB gzipped), which every page loads to draw a dozen icons, and
its web fonts (the solid one, 156 kB, draws the admonition icons). This rewrites
the script in place with the same Font Awesome code and only the icon definitions
whose names (or aliases) appear in the built HTML or in the site's own scripts,
and subsets each ``.woff2`` font to the icons kept plus every icon character the
site's stylesheets use; so every icon still renders as before. Run after the
build (``nox -s book`` does); it only touches ``_build/html``.

It also re-encodes the opaque figures (``_images/*.png``, Matplotlib's RGBA output)
with a 256-colour palette, which keeps line plots and grey digits visually the same at
about a quarter of the bytes; a figure whose palette version is not smaller is
left as it was.

And it drops the search index from the pages that cannot use it. The theme loads
``searchindex.js`` (about 26 kB gzipped) and Sphinx's search scripts on every page
for its search-as-you-type box, which is off here (``search_as_you_type`` is not
set); the search button sends the query to ``search.html``, which keeps them.

    python tools/slim_site.py [_build/html]
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

FONTAWESOME = Path("_static") / "scripts" / "fontawesome.js"
# One icon definition in a pack: name:[width,height,[aliases],"unicode",path or [paths]]
STRING = r'"(?:[^"\\]|\\.)*"'
ENTRY = re.compile(
    rf'(?P<key>{STRING}|[A-Za-z_$][\w$]*):\[(?P<w>\d+),(?P<h>\d+),\[(?P<aliases>[^\]]*)\],'
    rf'(?P<code>{STRING}),(?P<path>{STRING}|\[(?:{STRING},?)*\])\]'
)  # fmt: skip
# A pack: `var p={...}` followed, in the same function, by d("fab",p) and the like.
PACK = re.compile(r"var (?P<var>[A-Za-z_$][\w$]*)=\{(?P<body>(?:[^{}]|\{[^{}]*\})*)\}")


def used_icon_names(site):
    """Every ``fa-NAME`` token in the site's HTML and its own (non-Font Awesome) scripts."""
    names = set()
    files = list(site.rglob("*.html")) + [
        p for p in (site / "_static").rglob("*.js") if p.name != "fontawesome.js"
    ]
    for path in files:
        names |= set(
            re.findall(r"\bfa-([a-z0-9]+(?:-[a-z0-9]+)*)", path.read_text(errors="ignore"))
        )
    return names


def stylesheet_icons(site):
    """Font Awesome code points the site's CSS draws itself (admonition icons and the like).

    Rules of Font Awesome's own icon classes (``.fa-rocket:before{content:...}``)
    are skipped: those icons are drawn by the script, and only if kept there.
    """
    found = set()
    for path in (site / "_static").rglob("*.css"):
        for selector, body in re.findall(r"([^{}]+)\{([^{}]*)\}", path.read_text(errors="ignore")):
            if all(re.match(r"\s*\.fa-[\w-]+:+(before|after)\s*$", s) for s in selector.split(",")):
                continue
            found |= {ord(c) for c in body if 0xE000 <= ord(c) <= 0xF8FF}
            found |= {int(h, 16) for h in re.findall(r"\\([ef][0-9a-f]{3})\b", body)}
    return found


def subset_fonts(site, codepoints):
    """Subset every Font Awesome ``.woff2`` to ``codepoints``; return (bytes before, after)."""
    from fontTools import subset

    before = after = 0
    for font in (site / "_static").rglob("fa-*.woff2"):
        before += font.stat().st_size
        options = subset.Options(flavor="woff2", layout_features=["*"], notdef_outline=True)
        loaded = subset.load_font(str(font), options)
        subsetter = subset.Subsetter(options)
        subsetter.populate(unicodes=codepoints)
        subsetter.subset(loaded)
        subset.save_font(loaded, str(font), options)
        after += font.stat().st_size
    return before, after


def slim(script, keep):
    """``script`` with only the icon entries named (or aliased) in ``keep``; and the counts."""
    kept = dropped = 0
    codepoints = set()

    def pack(match):
        nonlocal kept, dropped
        body = match.group("body")
        entries = list(ENTRY.finditer(body))
        if len(entries) < 20:  # not an icon pack: some other object literal
            return match.group(0)
        chosen = []
        for e in entries:
            names = {e.group("key").strip('"')} | set(re.findall(r'"([^"]+)"', e.group("aliases")))
            if names & keep:
                chosen.append(e.group(0))
                codepoints.add(int(e.group("code").strip('"'), 16))
        kept += len(chosen)
        dropped += len(entries) - len(chosen)
        return f"var {match.group('var')}={{{','.join(chosen)}}}"

    return PACK.sub(pack, script), kept, dropped, codepoints


def shrink_images(site):
    """Palette-encode every PNG figure of the site; return (bytes before, after)."""
    from PIL import Image

    before = after = 0
    for path in sorted((site / "_images").glob("*.png")):
        size = path.stat().st_size
        before += size
        with Image.open(path) as image:
            image.load()
            rgba = image.convert("RGBA")
        if rgba.getchannel("A").getextrema()[0] < 255:
            after += size
            continue  # transparent pixels: keep the figure exactly as drawn
        small = rgba.convert("RGB").quantize(
            colors=256, method=Image.Quantize.FASTOCTREE, dither=Image.Dither.NONE
        )
        trial = path.with_suffix(".slim.png")
        small.save(trial, optimize=True)
        if trial.stat().st_size < size:
            trial.replace(path)
        else:
            trial.unlink()
        after += path.stat().st_size
    return before, after


SEARCH_SCRIPTS = re.compile(
    r'[ \t]*<script src="(?:\.\./)*(?:searchindex\.js|_static/searchtools\.js'
    r'|_static/language_data\.js)[^"]*"></script>\n?'
)
SEARCH_AS_YOU_TYPE_OFF = "DOCUMENTATION_OPTIONS.search_as_you_type = false;"


def drop_unused_search(site):
    """Remove the search scripts from pages whose search-as-you-type is off; return the count."""
    n = 0
    for path in sorted(site.rglob("*.html")):
        if path.name == "search.html":
            continue  # the search page runs the search
        text = path.read_text(encoding="utf-8")
        if SEARCH_AS_YOU_TYPE_OFF not in text:
            continue  # the theme would use them: keep
        slimmer, k = SEARCH_SCRIPTS.subn("", text)
        if k:
            path.write_text(slimmer, encoding="utf-8")
            n += 1
    return n


def main(argv=None):
    argv = sys.argv[1:] if argv is None else argv
    site = Path(argv[0] if argv else "_build/html")
    path = site / FONTAWESOME
    if not path.is_file():
        print(f"slim_site: {path} not found; nothing to do")
        return 0
    before = path.stat().st_size
    keep = used_icon_names(site)
    text, kept, dropped, codepoints = slim(path.read_text(encoding="utf-8"), keep)
    if kept == 0:
        raise SystemExit(f"slim_site: no icon of {sorted(keep)} found in {path}; left it as it was")
    path.write_text(text, encoding="utf-8")
    print(f"slim_site: {path}: kept {kept} icons, dropped {dropped}; "
          f"{before / 1e3:.0f} kB -> {path.stat().st_size / 1e3:.0f} kB")  # fmt: skip
    fonts_before, fonts_after = subset_fonts(site, codepoints | stylesheet_icons(site))
    print(
        f"slim_site: Font Awesome woff2 fonts {fonts_before / 1e3:.0f} kB -> {fonts_after / 1e3:.0f} kB"
    )
    images_before, images_after = shrink_images(site)
    print(f"slim_site: figures {images_before / 1e3:.0f} kB -> {images_after / 1e3:.0f} kB")
    print(
        f"slim_site: search index dropped from {drop_unused_search(site)} pages that cannot use it"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
