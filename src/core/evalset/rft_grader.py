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


# Whitespace as Edit Scope's diff folds it (src/core/text/lines.ts, isSpaceCode).
_FOLD = re.compile("[ \t\v\f\r\u00a0\ufeff]+")
# How far a deletion or insertion may slide among look-alike lines (hunks.ts, MAX_SLIDE).
_MAX_SLIDE = 200


def _folded(content):
    return _FOLD.sub(" ", content).strip(" ")


def _slide(x, y, x0, x1, y0):
    """How far a deletion (x the original) or insertion (x the edited text) of lines
    x[x0:x1], at y[y0] on the other side, moves among look-alike lines: to where the most
    lines around it match exactly, the nearest such place first (hunks.ts, slideToRawMatches)."""
    kx = [_folded(c) for c, _ in x]
    up = 0
    while up < _MAX_SLIDE and x0 - up - 1 >= 0 and y0 - up - 1 >= 0 and kx[x0 - up - 1] == kx[x1 - up - 1]:
        up += 1
    down = 0
    while down < _MAX_SLIDE and x1 + down < len(x) and y0 + down < len(y) and kx[x0 + down] == kx[x1 + down]:
        down += 1

    def score(shift):
        n = sum(1 for t in range(-up, shift) if x[x0 + t][0] == y[y0 + t][0])
        return n + sum(1 for t in range(shift, down) if x[x1 + t][0] == y[y0 + t][0])

    best, best_score = 0, score(0)
    for shift in range(-up, down + 1):
        sc = score(shift)
        if sc > best_score or (sc == best_score and abs(shift) < abs(best)):
            best, best_score = shift, sc
    return best


def scope_grade(item, edited):
    """1 when the edit stays in the selection: no window line outside it changed (in
    whitespace or its terminator too) or deleted, and nothing inserted outside it (an
    insertion at either edge is in scope). Where lines repeat, a change is placed where
    Edit Scope's diff places it: lines are compared with whitespace folded, the texts
    agree from the top first, then from the bottom, and a lone deletion or insertion
    slides to where the most lines around it match exactly."""
    first, last = item["selection_start"], item["selection_end"]
    o = _split(item["window_text"])
    e = edited
    n, m = len(o), len(e)
    ko = [_folded(c) for c, _ in o]
    ke = [_folded(c) for c, _ in e]
    head = 0
    while head < min(n, m) and ko[head] == ke[head]:
        head += 1
    tail = 0
    while tail < min(n, m) - head and ko[n - 1 - tail] == ke[m - 1 - tail]:
        tail += 1
    a0, a1, b0, b1 = head, n - tail, head, m - tail
    if a0 == a1 and b0 < b1:
        shift = _slide(e, o, b0, b1, a0)
        a0, a1, b0, b1 = a0 + shift, a1 + shift, b0 + shift, b1 + shift
    elif b0 == b1 and a0 < a1:
        shift = _slide(o, e, a0, a1, b0)
        a0, a1, b0, b1 = a0 + shift, a1 + shift, b0 + shift, b1 + shift

    def inside(line):
        return first <= line <= last

    # Lines paired around the change that differ in whitespace or terminator only.
    for i in range(a0):
        if o[i] != e[i] and not inside(i + 1):
            return 0
    for i in range(a1, n):
        if o[i] != e[i - a1 + b1] and not inside(i + 1):
            return 0
    if a0 < a1:
        return 1 if inside(a0 + 1) and inside(a1) else 0
    if b0 < b1:
        # An insertion after line a0 is in scope from just before the selection to its end.
        return 1 if first - 1 <= a0 <= last else 0
    return 1


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
