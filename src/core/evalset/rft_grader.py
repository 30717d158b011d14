"""Edit Scope's reinforcement fine-tuning grader (`editscope export --to rft`).

Scores a model's answer to an exported task exactly as `editscope replay` grades it: the
mean of scope (1 when no line of the window outside the selection changed and nothing was
inserted outside it, no editable file changed outside its lines and no other file was
written, else 0) and a reference grade for every file with what it must hold (1 for a
normalised exact match with the edit the person accepted, or for an editable file the
accepted edit left alone its own text, else the line similarity). An answer without a
usable edit scores 0. The answer is parsed as Edit Scope parses it, in the task's format:
the whole window in the block holding the file, or SEARCH/REPLACE blocks applied as whole
lines; an answer that ends inside a code block was cut off and is never usable. A
`sample["finish_reason"]` of "length" scores 0, as replay grades a truncated answer.

Standard library only, no network, no state: the service runs `grade(sample, item)`
once per sample, where `item` is the exported line and `sample["output_text"]` the
model's answer. This is the one copy of src/core/prompt/ (fences.ts, tags.ts, parse.ts,
searchReplace.ts, applyBlocks.ts, multiFile.ts, window.ts) and src/core/evalset/gradeItem.ts
kept by hand, since the service runs this file alone; test/unit/evalset.graders.test.ts runs it,
the TypeScript and the promptfoo assertions on the cases of test/fixtures/grader-cases/.
"""

import re

# JavaScript's \s (and what its trim() removes), which the TypeScript code means by
# whitespace; Python's differs in a few code points.
_WS = "\t\n\v\f\r \u00a0\u1680" + "".join(map(chr, range(0x2000, 0x200B))) + "\u2028\u2029\u202f\u205f\u3000\ufeff"
# JavaScript's `.`: anything but a line terminator.
_DOT = "[^\n\r\u2028\u2029]"

_SEARCH = re.compile("(?:<{5,9}|-{3,9}) ?SEARCH>?")
_DIVIDER = re.compile("={5,9}")
_REPLACE = re.compile("(?:>{5,9}|\\+{3,9}) ?REPLACE<?")
_OPENER = re.compile("( *)(`{3,}|~{3,})(" + _DOT + "*)")
_TAG = re.compile("[" + _WS + "]*([^" + _WS + "{:]*)")
_FENCE_LINE = re.compile("[" + _WS + "]*(```|~~~)")
_LINE_BREAK = re.compile("\r\n|\r|\n")
_LINE = re.compile("([^\r\n]*)(\r\n|\r|\n)|([^\r\n]+)$")
_TRAILING_WS = re.compile("[" + _WS + "]+$")

# Block tags and file extensions by language family (src/core/prompt/tags.ts).
_FAMILIES = {
    "js": (["ts", "tsx", "typescript", "js", "jsx", "javascript", "mjs", "cjs", "node"], ["ts", "tsx", "mts", "cts", "js", "jsx", "mjs", "cjs"]),
    "python": (["py", "python", "python3", "py3", "pyi"], ["py", "pyi", "pyw"]),
    "shell": (["sh", "bash", "shell", "zsh", "fish", "ksh", "csh", "tcsh", "console", "shellsession", "terminal"], ["sh", "bash", "zsh", "fish", "ksh"]),
    "powershell": (["powershell", "pwsh", "ps1", "ps"], ["ps1", "psm1"]),
    "batch": (["bat", "batch", "cmd"], ["bat", "cmd"]),
    "diff": (["diff", "patch", "udiff"], ["diff", "patch"]),
    "markdown": (["md", "markdown", "mdx"], ["md", "markdown", "mdx"]),
    "json": (["json", "jsonc", "json5"], ["json", "jsonc", "json5"]),
    "yaml": (["yaml", "yml"], ["yaml", "yml"]),
    "toml": (["toml"], ["toml"]),
    "html": (["html", "htm", "xhtml"], ["html", "htm", "xhtml"]),
    "xml": (["xml", "svg"], ["xml", "svg", "xsd", "xsl"]),
    "css": (["css", "scss", "sass", "less"], ["css", "scss", "sass", "less"]),
    "sql": (["sql"], ["sql"]),
    "go": (["go", "golang"], ["go"]),
    "rust": (["rust", "rs"], ["rs"]),
    "java": (["java"], ["java"]),
    "kotlin": (["kotlin", "kt", "kts"], ["kt", "kts"]),
    "c": (["c", "h", "cpp", "c++", "cc", "cxx", "hpp", "objc"], ["c", "h", "cpp", "cc", "cxx", "hpp", "hh", "hxx", "m", "mm"]),
    "csharp": (["cs", "csharp", "c#"], ["cs"]),
    "ruby": (["ruby", "rb"], ["rb"]),
    "php": (["php"], ["php"]),
    "swift": (["swift"], ["swift"]),
}
_NEVER_THE_FILE = {"shell", "powershell", "batch", "diff"}
_BY_TAG = {t: f for f, (tags, _) in _FAMILIES.items() for t in tags}
_BY_EXTENSION = {e: f for f, (_, exts) in _FAMILIES.items() for e in exts}


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


def _answer_lines(answer):
    """src/core/prompt/fences.ts, answerLines."""
    if answer.startswith("\ufeff"):
        answer = answer[1:]
    return _LINE_BREAK.split(answer)


# Fences (src/core/prompt/fences.ts): a fence is (char, length, indent).

def _opening_fence(line):
    m = _OPENER.fullmatch(line)
    if not m or (m.group(2)[0] == "`" and "`" in m.group(3)):
        return None
    return (m.group(2)[0], len(m.group(2)), len(m.group(1))), _TAG.match(m.group(3)).group(1).lower()


def _closes_fence(line, fence):
    char, length, indent = fence
    i = len(line) - len(line.lstrip(" "))
    if i > indent + 3:
        return False
    n = len(line[i:]) - len(line[i:].lstrip(char))
    return n >= length and line[i + n:].strip(_WS) == ""


def _fenced_blocks(lines, nested):
    """(lines, closed, tag, fence) for every block; see fencedBlocks."""
    blocks = []
    i = 0
    while i < len(lines):
        opened = _opening_fence(lines[i])
        if not opened:
            i += 1
            continue
        fence, tag = opened
        deep = nested(fence)
        body = []
        depth = 0
        closed = False
        i += 1
        while i < len(lines):
            line = lines[i]
            if _closes_fence(line, fence):
                if depth == 0:
                    closed = True
                    break
                depth -= 1
            elif deep:
                inner = _opening_fence(line)
                if inner and inner[1] and inner[0][0] == fence[0] and inner[0][1] >= fence[1]:
                    depth += 1
            k = 0
            while k < fence[2] and k < len(line) and line[k] == " ":
                k += 1
            body.append(line[k:])
            i += 1
        blocks.append((body, closed, tag, fence))
        i += 1
    return blocks


def _longest_fence_run(text, char):
    longest = 0
    for line in _LINE_BREAK.split(text):
        rest = line.lstrip(" \t")
        n = len(rest) - len(rest.lstrip(char))
        if n >= 3 and n > longest:
            longest = n
    return longest


def _tag_rules_out(tag, file):
    family = _BY_TAG.get(tag)
    if family is None:
        return False
    base = file[file.rfind("/") + 1:]
    dot = base.rfind(".")
    own = None if dot < 0 else _BY_EXTENSION.get(base[dot + 1:].lower())
    return family in _NEVER_THE_FILE if own is None else family != own


def _resembles(body, window_text):
    want = {line.strip(_WS) for line in _LINE_BREAK.split(window_text) if line.strip(_WS)}
    if not want:
        return False
    held = {line.strip(_WS) for line in body} & want
    return len(held) * 2 >= len(want)


def _fence_lines(lines, fence):
    run = fence[0] * fence[1]
    return sum(1 for line in lines if line.lstrip(_WS).startswith(run))


def parse_whole(answer, window_text, file, selection=None):
    """The "whole" format: the block holding the file (src/core/prompt/parse.ts,
    wholeFileBlockIn)."""
    runs = {"`": _longest_fence_run(window_text, "`"), "~": _longest_fence_run(window_text, "~")}
    nested = lambda fence: runs[fence[0]] >= fence[1]
    blocks = _fenced_blocks(_answer_lines(answer), nested)
    if not blocks:
        raise Unusable("no fenced code block")
    if any(not b[1] for b in blocks):
        raise Unusable("the answer ends inside a code block: it was cut off")
    candidates = [b for b in blocks if not _tag_rules_out(b[2], file)]
    if not candidates:
        raise Unusable("every code block is in another language")
    if len(candidates) == 1:
        chosen = candidates[0]
    else:
        like = [b for b in candidates if _resembles(b[0], window_text)]
        if len(like) != 1:
            raise Unusable("%d code blocks; expected exactly one with the file" % len(candidates))
        chosen = like[0]
    body, closed, _, fence = chosen
    if nested(fence) and _fence_lines(body, fence) != _fence_lines(_LINE_BREAK.split(window_text), fence):
        raise Unusable("where the block ends cannot be told")
    body = list(body)
    if all(_blank(line) for line in body):
        raise Unusable("the code block is empty")
    if selection and not _holds_surroundings(body, window_text, selection):
        raise Unusable("the code block holds only part of the text")
    # Blank edge lines the sent text lacks are the answer's layout (parse.ts, withoutExtraBlankEdges).
    sent = [c for c, _ in _split(window_text)]
    lead = max(0, _lead_blanks(body) - _lead_blanks(sent))
    trail = max(0, _trail_blanks(body) - _trail_blanks(sent))
    return "\n".join(body[lead:len(body) - trail])


def _holds_surroundings(body, window_text, selection):
    """src/core/prompt/parse.ts, holdsSurroundings."""
    start, end = selection
    lines = _LINE_BREAK.split(window_text)
    inside = {line.strip(_WS) for i, line in enumerate(lines) if start <= i + 1 <= end}
    around = {line.strip(_WS) for i, line in enumerate(lines) if not start <= i + 1 <= end and not _blank(line)} - inside
    if not around:
        return True
    held = {line.strip(_WS) for line in body} & around
    return len(held) * 2 >= len(around)


def _unclosed_end(rest, fence):
    """src/core/prompt/searchReplace.ts, unclosedEnd."""
    if not fence:
        return -1
    fence_at = [k for k, line in enumerate(rest) if _FENCE_LINE.match(line)]
    return fence_at[0] if len(fence_at) == 1 and _closes_fence(rest[fence_at[0]], fence) else -1


_NEAR_SEARCH = re.compile("(<+|-+) ?search>?", re.I)
_NEAR_REPLACE = re.compile("(>+|\\++) ?replace<?", re.I)
_NEAR_DIVIDER = re.compile("=+")


def _lookalike(lines):
    """Whether a line is almost a marker (src/core/prompt/searchReplace.ts, lookalikeNote)."""
    for line in lines:
        t = line.strip(_WS)
        if _SEARCH.fullmatch(t) or _REPLACE.fullmatch(t) or _DIVIDER.fullmatch(t):
            continue
        if _NEAR_SEARCH.fullmatch(t) or _NEAR_REPLACE.fullmatch(t) or (len(t) >= 4 and _NEAR_DIVIDER.fullmatch(t)):
            return True
    return False


def parse_search_replace(answer):
    """The "search-replace" format: (search lines, replace lines) pairs
    (src/core/prompt/searchReplace.ts, searchReplaceBlocksIn)."""
    lines = _answer_lines(answer)
    edits = []
    fence = None
    i = 0
    while i < len(lines):
        if _REPLACE.fullmatch(lines[i].strip(_WS)):
            raise Unusable("a REPLACE marker outside a block")
        if not _SEARCH.fullmatch(lines[i].strip(_WS)):
            if fence:
                if _closes_fence(lines[i], fence):
                    fence = None
            else:
                opened = _opening_fence(lines[i])
                fence = opened[0] if opened else None
            i += 1
            continue
        search, replace = [], []
        i += 1
        while i < len(lines):
            m = lines[i].strip(_WS)
            if _DIVIDER.fullmatch(m):
                break
            if _SEARCH.fullmatch(m) or _REPLACE.fullmatch(m):
                raise Unusable("a marker before the divider")
            search.append(lines[i])
            i += 1
        if i >= len(lines):
            raise Unusable("a SEARCH part never reaches its divider")
        closed = False
        i += 1
        while i < len(lines):
            m = lines[i].strip(_WS)
            if _REPLACE.fullmatch(m):
                closed = True
                break
            if _DIVIDER.fullmatch(m) or _SEARCH.fullmatch(m):
                raise Unusable("a marker inside a REPLACE part")
            replace.append(lines[i])
            i += 1
        if not closed:
            end = -1 if _lookalike(replace) else _unclosed_end(replace, fence)
            if end < 0:
                raise Unusable("a block never closed")
            replace = replace[:end]
            fence = None
        edits.append((search, replace))
        i += 1
    if not edits:
        raise Unusable("no SEARCH/REPLACE block")
    if fence:
        raise Unusable("the answer ends inside a code block: it was cut off")
    return edits


def _find(keys, pattern):
    m = len(pattern)
    return [at for at in range(len(keys) - m + 1) if keys[at:at + m] == pattern]


def _indent(line):
    return line[:len(line) - len(line.lstrip(_WS))]


def _shift_at(lines, at, search):
    shift = None
    for k, s in enumerate(search):
        if _blank(s):
            continue
        fi, si = _indent(lines[at + k]), _indent(s)
        if fi.endswith(si):
            here = (fi[:len(fi) - len(si)], "")
        elif si.endswith(fi):
            here = ("", si[:len(si) - len(fi)])
        else:
            return None
        if shift is None:
            shift = here
        elif shift != here:
            return None
    return shift


def _reindent(lines, shift):
    add, remove = shift
    out = []
    for line in lines:
        if _blank(line):
            out.append(line)
        elif add:
            out.append(add + line)
        elif line.startswith(remove):
            out.append(line[len(remove):])
        else:
            return None
    return out


def _lead_blanks(ls):
    i = 0
    while i < len(ls) and _blank(ls[i]):
        i += 1
    return i


def _trail_blanks(ls):
    i = 0
    while i < len(ls) and _blank(ls[len(ls) - 1 - i]):
        i += 1
    return i


def _fit_edges(lines, at, length, sl, st, replace):
    """src/core/prompt/applyBlocks.ts, fitEdges."""
    before = 0
    while before < sl and at - before - 1 >= 0 and _blank(lines[at - before - 1]):
        before += 1
    after = 0
    while after < st and at + length + after < len(lines) and _blank(lines[at + length + after]):
        after += 1
    r = replace[min(sl - before, _lead_blanks(replace)):]
    r = r[:len(r) - min(st - after, _trail_blanks(r))]
    return at - before, length + before + after, r


def _locate(lines, search, replace):
    """(at, length, replace lines) for one block (src/core/prompt/applyBlocks.ts, locate)."""
    sl, st = _lead_blanks(search), _trail_blanks(search)
    variants = [search] + ([search[sl:len(search) - st]] if sl or st else [])

    def place(at, v, r):
        return (at, len(v), r) if v is search else _fit_edges(lines, at, len(v), sl, st, r)

    for s in variants:
        at = _find(lines, s)
        if len(at) == 1:
            return place(at[0], s, replace)
        if len(at) > 1:
            raise Unusable("a block matches more than one place")
    keys = [line.lstrip(_WS) for line in lines]
    for s in variants:
        shifted = []
        for at in _find(keys, [line.lstrip(_WS) for line in s]):
            shift = _shift_at(lines, at, s)
            if shift is not None:
                shifted.append((at, shift))
        if len(shifted) > 1:
            raise Unusable("a block matches more than one place once shifted")
        if len(shifted) == 1:
            at, shift = shifted[0]
            r = _reindent(replace, shift)
            if r is None:
                raise Unusable("a REPLACE part cannot be re-indented")
            return place(at, s, r)
    raise Unusable("a block does not match")


def apply_search_replace(window_text, edits):
    """The window after the blocks, as (content, terminator) pairs: whole lines, each block
    matching exactly one place (src/core/prompt/applyBlocks.ts). A byte-order mark stays
    the file's, never part of a line a block matches (src/core/prompt/answer.ts)."""
    bom = "\ufeff" if window_text.startswith("\ufeff") else ""
    pairs = _split(window_text[len(bom):])
    lines = [c for c, _ in pairs]
    eols = [e for _, e in pairs]
    eol = "\r\n" if sum(1 for e in eols if e == "\r\n") * 2 > len(eols) else "\n"
    for search, replace in edits:
        if all(_blank(line) for line in search):
            raise Unusable("an empty SEARCH part")
        at, length, new = _locate(lines, search, replace)
        new_eols = [eol] * len(new)
        last_eol = eols[at + length - 1]
        if new:
            new_eols[-1] = last_eol
        elif at + length == len(lines) and last_eol == "" and at > 0:
            eols[at - 1] = ""
        lines[at:at + length] = new
        eols[at:at + length] = new_eols
    if bom:
        if not lines:
            return [(bom, "")]
        lines[0] = bom + lines[0]
    return list(zip(lines, eols))


def edited_window(item, answer, finish_reason="stop"):
    """The window as Edit Scope would write it back: (content, terminator) pairs."""
    if finish_reason == "length":
        raise Unusable("the answer was cut off")
    window = item["window_text"]
    if item.get("format") == "search-replace":
        return apply_search_replace(window, parse_search_replace(answer))
    selection = (item["selection_start"], item["selection_end"]) if "selection_start" in item else None
    return _splice_whole(window, parse_whole(answer, window, item.get("file") or "", selection))


def _splice_whole(text, replacement):
    """The whole of `text` replaced by a fenced block's text, as (content, terminator) pairs.
    A fenced block cannot say which line endings it meant or whether the last line ended:
    both follow the original, and lines left as they were at either end keep their own
    (src/core/prompt/window.ts, spliceWindow; multiFile.ts, wholeFile for a new file)."""
    original = _split(text)
    if not original:
        return _split(replacement if replacement == "" or replacement.endswith("\n") else replacement + "\n")
    crlf = sum(1 for _, e in original if e == "\r\n")
    lf = sum(1 for _, e in original if e == "\n")
    eol = "\r\n" if crlf > lf else "\n"
    last_eol = original[-1][1]
    if replacement == "":
        return []
    lines = _LINE_BREAK.split(replacement)
    if len(lines) > 1 and lines[-1] == "":
        lines.pop()
    # The byte-order mark follows the file's whatever the block held.
    lines[0] = ("\ufeff" if text.startswith("\ufeff") else "") + (lines[0][1:] if lines[0].startswith("\ufeff") else lines[0])
    was = [c for c, _ in original]
    head = 0
    while head < len(lines) and head < len(was) and lines[head] == was[head]:
        head += 1
    tail = 0
    while tail < len(lines) - head and tail < len(was) - head and lines[-1 - tail] == was[-1 - tail]:
        tail += 1
    out = []
    for i, line in enumerate(lines):
        if i == len(lines) - 1:
            end = last_eol
        elif i < head:
            end = original[i][1]
        elif i >= len(lines) - tail:
            end = original[len(was) - (len(lines) - i)][1]
        else:
            end = eol
        out.append((line, end))
    return out


# Whitespace as Edit Scope's diff folds it (src/core/text/lines.ts, isSpaceCode).
_FOLD = re.compile("[ \t\v\f\r\u00a0\ufeff]+")
# How far a deletion or insertion may slide among look-alike lines (hunks.ts, MAX_SLIDE).
_MAX_SLIDE = 200


def _folded(content):
    return _FOLD.sub(" ", content).strip(" ")


def _slide(x, y, x0, x1, y0, in_scope):
    """How far a deletion (x the original) or insertion (x the edited text) of lines
    x[x0:x1], at y[y0] on the other side, moves among look-alike lines: to where the most
    lines around it match exactly, among those to one in scope (in_scope(shift)), the
    nearest such place first (hunks.ts, slideToRawMatches)."""
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

    best, best_score, best_in = 0, score(0), in_scope(0)
    for shift in range(-up, down + 1):
        sc = score(shift)
        is_in = in_scope(shift)
        if sc > best_score or (sc == best_score and (is_in if is_in != best_in else abs(shift) < abs(best))):
            best, best_score, best_in = shift, sc, is_in
    return best


def scope_grade(item, edited):
    """1 when the edit stays in the selection: no window line outside it changed (in
    whitespace or its terminator too) or deleted, and nothing inserted outside it (an
    insertion at either edge is in scope). Where lines repeat, a change is placed where
    Edit Scope's diff places it: lines are compared with whitespace folded, the texts
    agree from the top first, then from the bottom, and a lone deletion or insertion
    slides to where the most lines around it match exactly."""
    return _scope(item["window_text"], edited, item["selection_start"], item["selection_end"])


def _scope(text, edited, first, last):
    """scope_grade for any text and its lines first..last (1-based, inclusive)."""
    o = _split(text)
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

    def inside(line):
        return first <= line <= last

    if a0 == a1 and b0 < b1:
        # An insertion after line a0 is in scope from just before the selection to its end.
        shift = _slide(e, o, b0, b1, a0, lambda s: first - 1 <= a0 + s <= last)
        a0, a1, b0, b1 = a0 + shift, a1 + shift, b0 + shift, b1 + shift
    elif b0 == b1 and a0 < a1:
        shift = _slide(o, e, a0, a1, b0, lambda s: inside(a0 + s + 1) and inside(a1 + s))
        a0, a1, b0, b1 = a0 + shift, a1 + shift, b0 + shift, b1 + shift

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
    """Length of the longest common subsequence: the equal ends, then, of the lines both
    sides hold (no other line can be common), Myers' O(ND) walk."""
    head = 0
    while head < min(len(a), len(b)) and a[head] == b[head]:
        head += 1
    tail = 0
    while tail < min(len(a), len(b)) - head and a[len(a) - 1 - tail] == b[len(b) - 1 - tail]:
        tail += 1
    a = a[head:len(a) - tail]
    b = b[head:len(b) - tail]
    shared = set(a) & set(b)
    a = [line for line in a if line in shared]
    b = [line for line in b if line in shared]
    n, m = len(a), len(b)
    if n == 0 or m == 0:
        return head + tail
    offset = n + m + 1
    furthest = [0] * (2 * offset + 1)
    for d in range(n + m + 1):
        for k in range(-d, d + 1, 2):
            if k == -d or (k != d and furthest[offset + k - 1] < furthest[offset + k + 1]):
                x = furthest[offset + k + 1]
            else:
                x = furthest[offset + k - 1] + 1
            y = x - k
            while x < n and y < m and a[x] == b[y]:
                x += 1
                y += 1
            furthest[offset + k] = x
            if x >= n and y >= m:
                return head + tail + (n + m - d) // 2
    return head + tail


def reference_grade(edited_text, reference):
    """1 for a normalised exact match, else 2 x common lines / all lines."""
    a = _normalized(edited_text)
    b = _normalized(reference)
    if a == b:
        return 1.0
    return 2.0 * _common_lines(a, b) / (len(a) + len(b))


# A multi-file task (item["files"], item["edit_files"]): the answer is cut into one part per
# file as src/core/prompt/multiFile.ts does, each part read by the rules above.
_PATH_LINE = re.compile(r"\s*(?:#{1,6}\s+|[-*]\s+)?(?:\*\*|__)?(?:(?:file|path|filename)\s*:\s*)?(?:\*\*|__)?`?([^\s`*]+?)`?(?:\*\*|__)?:?\s*", re.I | re.A)
_PATHLIKE = re.compile(r"[\w@.+~\-/\\]+", re.A)
_INFO_PATH = re.compile(r"\s*[`~]{3,}\s*(?:[\w+#.-]*[\s:]+)?([^\s`]+)\s*", re.A)
_PATH_COMMENT = re.compile(r"\s*(?://|#|--|;|<!--|/\*)\s*(?:(?:file|path|filename)\s*:\s*)?`?([^\s`*]+?)`?\s*(?:-->|\*/)?\s*", re.I | re.A)


def _is_path(p):
    return bool(_PATHLIKE.fullmatch(p)) and re.search(r"[./\\]", p) is not None and not re.fullmatch(r"\.+", p)


def _path_of_block(fence_line, first, after):
    """(path, its own line) a block names in its fence's info string, on its first line as
    a comment, or bare on its first line before a SEARCH marker."""
    m = _INFO_PATH.fullmatch(fence_line)
    if m and _is_path(m.group(1)) and re.search(r"[/\\]|\.\w+$", m.group(1), re.A):
        return m.group(1), False
    bare = "" if first is None else first.strip(_WS)
    if _is_path(bare) and re.search(r"[/\\]|\.\w+$", bare, re.A) and after is not None and _SEARCH.fullmatch(after.strip(_WS)):
        return bare, True
    c = None if first is None else _PATH_COMMENT.fullmatch(first)
    if c and _is_path(c.group(1)) and re.search(r"\.[A-Za-z]\w*$", c.group(1), re.A):
        return c.group(1), True
    return None


def normalize_path(written):
    """A path as the task names files: forward slashes, no ./ segments, no repeated
    separators. Only an exact match names a task's file, never a shared suffix."""
    p = re.sub(r"/{2,}", "/", written.replace("\\", "/"))
    p = re.sub(r"^(?:\./)+", "", p)
    return re.sub(r"/(?:\./)+", "/", p)


def split_by_file(answer):
    """[(path or None, body, body with its path comment or None, that comment or None)]
    (src/core/prompt/multiFile.ts, splitByFile)."""
    lines = _answer_lines(answer)

    def opens(line):
        return _opening_fence(line) is not None or _SEARCH.fullmatch(line.strip(_WS)) is not None

    starts = []  # [line, from, path, comment line or None]
    fence, in_search = None, False
    for i, line in enumerate(lines):
        marker = line.strip(_WS)
        if in_search:
            if _REPLACE.fullmatch(marker):
                in_search = False
            continue
        if _SEARCH.fullmatch(marker):
            in_search = True
            continue
        if fence:
            if _closes_fence(line, fence):
                fence = None
            continue
        opened = _opening_fence(line)
        if opened:
            fence = opened[0]
            after = i + 2
            while after < len(lines) and not lines[after].strip(_WS):
                after += 1
            own = _path_of_block(line, lines[i + 1] if i + 1 < len(lines) else None, lines[after] if after < len(lines) else None)
            headed = bool(starts) and starts[-1][1] == i
            if own and not headed:
                starts.append([i, i, own[0], i + 1 if own[1] else None])
            elif own and own[1] and headed and normalize_path(own[0]) == normalize_path(starts[-1][2]):
                starts[-1][3] = i + 1
            continue
        m = _PATH_LINE.fullmatch(line)
        if not m or not _is_path(m.group(1)):
            continue
        n = i + 1
        while n < len(lines) and not lines[n].strip(_WS):
            n += 1
        if n < len(lines) and opens(lines[n]):
            starts.append([i, n, m.group(1), None])
    segments = []
    first = starts[0][0] if starts else len(lines)
    if any(opens(line) for line in lines[:first]):
        segments.append((None, "\n".join(lines[:first]), None, None))
    for k, (at, frm, path, comment) in enumerate(starts):
        part = lines[frm:starts[k + 1][0] if k + 1 < len(starts) else len(lines)]
        if comment is None:
            segments.append((path, "\n".join(part), None, None))
        else:
            c = comment - frm
            segments.append((path, "\n".join(part[:c] + part[c + 1:]), "\n".join(part), lines[comment]))
    return segments


def _text(pairs):
    return "".join(c + e for c, e in pairs)


def files_from_answer(item, answer):
    """{path: (role, original, edited)} for every file a multi-file answer leaves: the target
    (its window), each editable file, and any other file it writes to (src/core/prompt/
    multiFile.ts, filesFromAnswer; a file outside the task is read as absent)."""
    target = item["file"]
    files = {target: ["target", item["window_text"], item["window_text"], True]}
    for f in item.get("edit_files") or []:
        files[f["path"]] = ["edit", f["text"], f["text"], True]
    segments = split_by_file(answer)
    if not segments:
        raise Unusable("no block under a file path")
    written = set()
    for path, body, with_comment, comment in segments:
        name = target if path is None else normalize_path(path)
        if path is None and any(p is not None and normalize_path(p) == target for p, _, _, _ in segments):
            raise Unusable("a code block with no file path before it")
        if name not in files:
            files[name] = ["other", "", "", False]
        f = files[name]
        if comment is not None and any(c.strip(_WS) == comment.strip(_WS) for c, _ in _split(f[1])):
            body = with_comment
        if item.get("format") == "search-replace":
            edits = parse_search_replace(body)
            if not f[3] and all(_blank("\n".join(s)) for s, _ in edits):
                f[2] = _text(_splice_whole("", "".join(line + "\n" for _, r in edits for line in r)))
            else:
                f[2] = _text(apply_search_replace(f[2], edits))
        else:
            if name in written:
                raise Unusable("two code blocks for one file")
            f[2] = _text(_splice_whole(f[1], parse_whole(body, f[1], name)))
        written.add(name)
    return files


def _multi_grades(item, answer):
    """(scope, [reference grades]) of a multi-file answer: scope 0 when a file it may not
    change is changed, or an editable file outside its lines; every file with what it must
    hold graded against it."""
    files = files_from_answer(item, answer)
    scope = 1
    refs = []
    for name, (role, original, edited, _) in files.items():
        if role == "other":
            if edited != original:
                scope = 0
            continue
        if role == "target":
            if edited != original and _scope(original, _split(edited), item["selection_start"], item["selection_end"]) == 0:
                scope = 0
            if item.get("reference") is not None:
                refs.append(reference_grade(edited, item["reference"]))
            continue
        spec = next(x for x in item["edit_files"] if x["path"] == name)
        if edited != original and "start" in spec and _scope(original, _split(edited), spec["start"], spec.get("end", spec["start"])) == 0:
            scope = 0
        if spec.get("reference") is not None:
            refs.append(reference_grade(edited, spec["reference"]))
    return scope, refs


def grades(item, answer, finish_reason="stop"):
    """(scope, [reference grades]) for an answer, or None when it holds no usable edit."""
    if finish_reason == "length":
        return None
    try:
        if isinstance(item.get("files"), list) or isinstance(item.get("edit_files"), list):
            return _multi_grades(item, answer)
        edited = edited_window(item, answer, finish_reason)
    except Unusable:
        return None
    reference = item.get("reference")
    return scope_grade(item, edited), ([] if reference is None else [reference_grade(_text(edited), reference)])


def grade(sample, item):
    answer = sample.get("output_text") if isinstance(sample, dict) else None
    if not isinstance(answer, str):
        return 0.0
    g = grades(item, answer, sample.get("finish_reason") or "stop")
    if g is None:
        return 0.0
    scope, references = g
    parts = [float(scope)] + references
    return sum(parts) / len(parts)
