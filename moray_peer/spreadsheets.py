"""Text that leaves the site in a CSV file must not run as a formula when a spreadsheet opens it.

A cell starting with one of FORMULA_STARTS is run as a formula (a tab or carriage return first
too, by some programs); `defuse` puts a quote before it, which `undefuse` takes off again when
the file comes back.
"""

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def defuse(text):
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def undefuse(text):
    return text[1:] if text.startswith("'") and text[1:].startswith(FORMULA_STARTS) else text
