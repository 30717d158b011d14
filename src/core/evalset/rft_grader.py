"""Edit Scope's reinforcement fine-tuning grader (`editscope export --to rft`).

Scores a model's answer to an exported task exactly as `editscope replay` grades it:
the mean of scope (1 when no line of the window outside the selection changed and
nothing was inserted outside it, else 0) and reference (1 for a normalised exact match
with the edit the person accepted, else the line similarity). An answer without a
usable edit scores 0. The answer is parsed as Edit Scope parses it, in the task's
format: the whole window in one fenced block, or SEARCH/REPLACE blocks.

Standard library only, no network, no state: the service runs `grade(sample, item)`
once per sample, where `item` is the exported line and `sample["output_text"]` the
model's answer. Kept in step with src/core/prompt/parse.ts, src/core/prompt/window.ts
and src/core/evalset/grade.ts; test/unit/rft.test.ts runs both on the same answers.
"""

import re

# JavaScript's \s (and what its trim() removes), which the TypeScript code means by
# whitespace; Python's differs in a few code points.
_WS = "\t\n\v\f\r \u00a0\u1680" + "".join(map(chr, range(0x2000, 0x200B))) + "\u2028\u2029\u202f\u205f\u3000\ufeff"
# JavaScript's `.`: anything but a line terminator.
_DOT = "[^\n\r\u2028\u2029]"

_OPEN = re.compile("^ {0,3}(`{3,}|~{3,})(" + _DOT + "*)$")
_CLOSE = re.compile("^ {0,3}(`{3,}|~{3,})[" + _WS + "]*$")
_SEARCH = re.compile("^<{5,9} ?SEARCH[" + _WS + "]*$")
_DIVIDER = re.compile("^={5,9}[" + _WS + "]*$")
_REPLACE = re.compile("^>{5,9} ?REPLACE[" + _WS + "]*$")
_LINE_BREAK = re.compile("\r\n|\r|\n")
_LINE = re.compile("([^\r\n]*)(\r\n|\r|\n)|([^\r\n]+)$")
_TRAILING_WS = re.compile("[" + _WS + "]+$")


class Unusable(Exception):
    """The answer holds no edit Edit Scope would apply (it would be a model error)."""


def _blank(text):
    return text.strip(_WS) == ""


def _split(text):
    """Lines as (content, terminator) pairs, as src/core/text/lines.ts splits them."""
    out = []
    for m in _LINE.finditer(text):
        if m.group(3) is not None:
            out.append((m.group(3), ""))
        else:
            out.append((m.group(1), m.group(2)))
    return out


def _fenced_blocks(text):
    lines = _LINE_BREAK.split(text)
    blocks = []
    i = 0
    while i < len(lines):
        m = _OPEN.match(lines[i])
        if not m or (m.group(1)[0] == "`" and "`" in m.group(2)):
            i += 1
            continue
        fence = m.group(1)
        body = []
        closed = False
        i += 1
        while i < len(lines):
            c = _CLOSE.match(lines[i])
            if c and c.group(1)[0] == fence[0] and len(c.group(1)) >= len(fence):
                closed = True
                break
            body.append(lines[i])
            i += 1
        blocks.append(("\n".join(body), closed))
        i += 1
    return blocks


def parse_whole(answer):
    """The "whole" format: exactly one closed, non-blank fenced block."""
    blocks = _fenced_blocks(answer)
    if len(blocks) != 1:
        raise Unusable("%d code blocks; expected exactly one" % len(blocks))
    body, closed = blocks[0]
    if not closed:
        raise Unusable("the code block is never closed")
    if _blank(body):
        raise Unusable("the code block is empty")
    return body


def parse_search_replace(answer):
    """The "search-replace" format: (search, replace) pairs, fenced or not."""
    lines = _LINE_BREAK.split(answer)
    edits = []
    i = 0
    while i < len(lines):
        if not _SEARCH.match(lines[i]):
            i += 1
            continue
        search, replace = [], []
        part = search
        i += 1
        while i < len(lines):
            if part is search and _DIVIDER.match(lines[i]):
                part = replace
            elif part is replace and _REPLACE.match(lines[i]):
                part = None
                break
            else:
                part.append(lines[i])
            i += 1
        if part is not None:
            raise Unusable("SEARCH/REPLACE block %d is never closed" % (len(edits) + 1))
        edits.append(("\n".join(search), "\n".join(replace)))
        i += 1
    if not edits:
        raise Unusable("no SEARCH/REPLACE block")
    return edits


def apply_search_replace(window_text, edits):
    """Each SEARCH must match the window exactly once; applied in order."""
    text = window_text.replace("\r\n", "\n").replace("\r", "\n")
    for k, (search, replace) in enumerate(edits, 1):
        if _blank(search):
            raise Unusable("SEARCH/REPLACE block %d has an empty SEARCH part" % k)
        at = text.find(search)
        if at < 0:
            raise Unusable("SEARCH/REPLACE block %d does not match" % k)
        if text.find(search, at + 1) >= 0:
            raise Unusable("SEARCH/REPLACE block %d matches more than one place" % k)
        text = text[:at] + replace + text[at + len(search):]
    return text


def edited_window(item, answer):
    """The window as Edit Scope would write it back: (content, terminator) pairs."""
    window = item["window_text"]
    if item.get("format") == "search-replace":
        replacement = apply_search_replace(window, parse_search_replace(answer))
    else:
        replacement = parse_whole(answer)
    original = _split(window)
    # A fenced block cannot say which line endings it meant or whether the last line
    # ended: both follow the original (src/core/prompt/window.ts, spliceWindow).
    crlf = sum(1 for _, e in original if e == "\r\n")
    lf = sum(1 for _, e in original if e == "\n")
    eol = "\r\n" if crlf > lf else "\n"
    last_eol = original[-1][1] if original else "\n"
    if replacement == "":
        return []
    lines = _LINE_BREAK.split(replacement)
    if len(lines) > 1 and lines[-1] == "":
        lines.pop()
    return [(line, eol) for line in lines[:-1]] + [(lines[-1], last_eol)]


def scope_grade(item, edited):
    """1 when the edit stays in the selection: no window line outside it changed (its
    terminator included) or deleted, and nothing inserted outside it (an insertion at
    either edge is in scope). The change is placed as Edit Scope's diff places it where
    lines repeat: the lines the texts agree on from the top first, then from the bottom."""
    original = _split(item["window_text"])
    n, m = len(original), len(edited)
    head = 0
    while head < min(n, m) and original[head] == edited[head]:
        head += 1
    tail = 0
    while tail < min(n, m) - head and original[n - 1 - tail] == edited[m - 1 - tail]:
        tail += 1
    if head == n and tail == 0 and n == m:
        return 1
    return 1 if head >= item["selection_start"] - 1 and n - tail <= item["selection_end"] else 0


def _normalized(text):
    lines = [_TRAILING_WS.sub("", line) for line in _LINE_BREAK.split(text)]
    while lines and lines[-1] == "":
        lines.pop()
    return lines


def _common_lines(a, b):
    """Length of the longest common subsequence: the equal ends, then Myers' O(ND) walk."""
    head = 0
    while head < min(len(a), len(b)) and a[head] == b[head]:
        head += 1
    tail = 0
    while tail < min(len(a), len(b)) - head and a[len(a) - 1 - tail] == b[len(b) - 1 - tail]:
        tail += 1
    a = a[head:len(a) - tail]
    b = b[head:len(b) - tail]
    n, m = len(a), len(b)
    if n == 0 or m == 0:
        return head + tail
    furthest = {1: 0}
    for d in range(n + m + 1):
        for k in range(-d, d + 1, 2):
            if k == -d or (k != d and furthest[k - 1] < furthest[k + 1]):
                x = furthest[k + 1]
            else:
                x = furthest[k - 1] + 1
            y = x - k
            while x < n and y < m and a[x] == b[y]:
                x += 1
                y += 1
            furthest[k] = x
            if x >= n and y >= m:
                return head + tail + (n + m - d) // 2
    return 0


def reference_grade(edited_text, reference):
    """1 for a normalised exact match, else 2 x common lines / all lines."""
    a = _normalized(edited_text)
    b = _normalized(reference)
    if a == b:
        return 1.0
    return 2.0 * _common_lines(a, b) / (len(a) + len(b))


def grades(item, answer):
    """(scope, reference or None) for an answer, or None when it holds no usable edit."""
    try:
        edited = edited_window(item, answer)
    except Unusable:
        return None
    scope = scope_grade(item, edited)
    reference = item.get("reference")
    if reference is None:
        return scope, None
    return scope, reference_grade("".join(c + e for c, e in edited), reference)


def grade(sample, item):
    answer = sample.get("output_text") if isinstance(sample, dict) else None
    if not isinstance(answer, str):
        return 0.0
    g = grades(item, answer)
    if g is None:
        return 0.0
    scope, reference = g
    return float(scope) if reference is None else (scope + reference) / 2.0
