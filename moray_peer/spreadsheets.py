"""Text that leaves the site in a CSV file must not run as a formula when a spreadsheet opens it.

A cell starting with one of FORMULA_STARTS is run as a formula (a tab or carriage return first
too, by some programs); `defuse` puts a quote before it, which `undefuse` takes off again when
the file comes back. A value that itself begins with quotes and then one of them gets one quote
more, so the quotes it had come back too.
"""

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def needs_quote(text):
    return text.lstrip("'").startswith(FORMULA_STARTS)


def defuse(text):
    return "'" + text if needs_quote(text) else text


def undefuse(text):
    return text[1:] if text.startswith("'") and needs_quote(text[1:]) else text
