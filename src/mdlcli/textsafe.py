"""Text from a course file made safe to show on a terminal, in a pipe or in an error message."""

# C0 controls to their visible symbols (ESC to ␛), DEL to ␡, C1 controls to the replacement mark.
_VISIBLE = {c: 0x2400 + c for c in range(0x20)} | {0x7F: 0x2421} | dict.fromkeys(range(0x80, 0xA0), 0xFFFD)


_VISIBLE_KEEPING_LINES = {c: v for c, v in _VISIBLE.items() if c != ord("\n")}


def clean(text: str) -> str:
    """One line with every control character (ANSI escapes included) shown, never obeyed."""
    if text.isprintable():
        return text
    return " ".join(text.splitlines()).replace("\t", " ").translate(_VISIBLE)


def without_controls(text: str) -> str:
    """Line breaks kept, every other control character shown as its symbol (for iCalendar TEXT)."""
    return text.translate(_VISIBLE_KEEPING_LINES)
