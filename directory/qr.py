"""QR codes drawn on the server as inline SVG: sharp at any print size, nothing to download."""

import functools

import segno
from django.utils.safestring import mark_safe


@functools.lru_cache(maxsize=1024)
def qr_svg(url, label):
    """An <svg> QR code for `url`, named `label` for screen readers; scales to its CSS size.

    Medium error correction survives a crumpled or photocopied sheet; the quiet zone segno
    draws around the code is what phone cameras need to find it.
    """
    svg = segno.make(url, error="m").svg_inline(
        scale=1, omitsize=True, svgclass="qr", light="#fff", title=label
    )
    # segno escapes the title; the role makes screen readers read it as one image.
    return mark_safe(svg.replace("<svg ", '<svg role="img" ', 1))
