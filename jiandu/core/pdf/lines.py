"""Chinese line breaking (kinsoku, GB/T 15834 and common typesetting practice)."""


# --- Chinese line breaking (kinsoku, GB/T 15834 and common typesetting practice) ---------------

# Closing punctuation may not start a line; opening punctuation may not end one.
NO_LINE_START = frozenset("，。；：、）》！？…—’”」』〕】〉｝］,.;:!?)]}%％·・‰℃")
NO_LINE_END = frozenset("（《“‘「『〔【〈｛［([{")


def _is_word(ch: str) -> bool:
    return ch.isascii() and ch.isalnum()


def _breakable(line: str, rest: str) -> bool:
    """A line may end after `line` with `rest` following it."""
    if not line or not rest:
        return True
    if rest[0] in NO_LINE_START or line[-1] in NO_LINE_END:
        return False
    return not (_is_word(line[-1]) and _is_word(rest[0]))  # keep numbers and Latin words whole


def break_lines(text: str, width: float, measure) -> list[str]:
    """Break one paragraph into lines no wider than `width` (as `measure(str)` reports), character
    by character as Chinese is set, but never starting a line with closing punctuation (，。；：、）》…)
    nor ending one with opening punctuation (（《“…), and without splitting a number or a Latin word.
    The characters that would break a rule move to the next line together (push-out); a run that
    cannot be broken at all is broken where it overflows."""
    lines: list[str] = []
    line = ""
    for ch in text:
        if not line or measure(line + ch) <= width:
            line += ch
            continue
        cut = len(line)
        while cut > 0 and not _breakable(line[:cut], line[cut:] + ch):
            cut -= 1
        if cut == 0:
            cut = len(line)  # nothing acceptable: break where it overflows
        lines.append(line[:cut])
        line = line[cut:] + ch
        while len(line) > 1 and measure(line) > width:  # a long unbreakable run carried over
            lines.append(line[:-1])
            line = line[-1]
    lines.append(line)
    return lines
