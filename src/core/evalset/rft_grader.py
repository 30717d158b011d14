"""Edit Scope's reinforcement fine-tuning grader (`editscope export --to rft`).

Scores a model's answer to an exported task exactly as `editscope replay` grades it: the
mean of scope (1 when no line of the window outside the selection changed and nothing was
inserted outside it, no editable file changed outside its lines and no other file was
written, else 0; a change outside that the in-scope change needs, such as the import it
uses, is supporting and allowed, as replay allows it) and a reference grade for every file with what it must hold (1 for a
normalised exact match with the edit the person accepted, or for an editable file the
accepted edit left alone its own text, else the line similarity). An answer without a
usable edit scores 0. The answer is parsed as Edit Scope parses it, in the task's format:
the whole window in the block holding the file, or SEARCH/REPLACE blocks applied as whole
lines; an answer that ends inside a code block was cut off and is never usable. A
`sample["finish_reason"]` of "length" scores 0, as replay grades a truncated answer.

Standard library only, no network, no state: the service runs `grade(sample, item)`
once per sample, where `item` is the exported line and `sample["output_text"]` the
model's answer. This is the one copy of src/core/prompt/ (fences.ts, tags.ts, parse.ts,
searchReplace.ts, applyBlocks.ts, multiFile.ts, window.ts), src/core/evalset/gradeItem.ts and
src/core/relevance/ (with the hunks of src/core/analysis/ and the scanners of
src/core/locality/ it reads) kept by hand, since the service runs this file alone;
test/unit/evalset.graders.test.ts runs it, the TypeScript and the promptfoo assertions on the
cases of test/fixtures/grader-cases/, and test/unit/evalset.rftSupporting.test.ts holds its
hunks and supporting ones to the TypeScript's on generated edits.
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
_FOLD_CHARS = " \t\v\f\r\u00a0\ufeff"
_FOLD = re.compile("[" + _FOLD_CHARS + "]+")
# How far a deletion or insertion may slide among look-alike lines (hunks.ts, MAX_SLIDE).
_MAX_SLIDE = 200


def _folded(content):
    return _FOLD.sub(" ", content).strip(" ")


# Blank lines past which an edge's next line of code is not looked for (hunks.ts, EDGE_BLANKS).
_EDGE_BLANKS = 20


def _indent_width(content):
    return len(content) - len(content.lstrip(_FOLD_CHARS))


def _edge_cost(x, kx, p):
    """hunks.ts, edgeCost: how badly a block's edge just before line p of its side cuts the
    code there: the indentation of the next line of code, plus 0 after a blank line, 1
    before one, 2 between code lines, 3 where the indentation changes; 0 at a file's edge."""
    if p <= 0 or p >= len(x):
        return 0
    nxt = p
    while nxt < len(x) and nxt < p + _EDGE_BLANKS and not kx[nxt]:
        nxt += 1
    indent = _indent_width(x[nxt][0]) if nxt < len(x) and nxt < p + _EDGE_BLANKS else 0
    if not kx[p - 1]:
        return indent
    if not kx[p]:
        return indent + 1
    return indent + (2 if _indent_width(x[p - 1][0]) == indent else 3)


def _slide(x, y, x0, x1, y0, in_scope, bounds=None):
    """How far a deletion (x the original) or insertion (x the edited text) of lines
    x[x0:x1], at y[y0] on the other side, moves among look-alike lines: to where the most
    lines around it match exactly, among those to one in scope (in_scope(shift)), then to
    where its edges cut the code most cleanly (_edge_cost), the nearest such place first
    (hunks.ts, slideToRawMatches). `bounds`: (x_low, y_low, x_high, y_high), the edges of
    the blocks beside it, when there are others."""
    x_low, y_low, x_high, y_high = bounds or (0, 0, len(x), len(y))
    kx = [_folded(c) for c, _ in x]
    up = 0
    while up < _MAX_SLIDE and x0 - up - 1 >= x_low and y0 - up - 1 >= y_low and kx[x0 - up - 1] == kx[x1 - up - 1]:
        up += 1
    down = 0
    while down < _MAX_SLIDE and x1 + down < x_high and y0 + down < y_high and kx[x0 + down] == kx[x1 + down]:
        down += 1

    def score(shift):
        n = sum(1 for t in range(-up, shift) if x[x0 + t][0] == y[y0 + t][0])
        return n + sum(1 for t in range(shift, down) if x[x1 + t][0] == y[y0 + t][0])

    def edges(shift):
        return _edge_cost(x, kx, x0 + shift) + _edge_cost(x, kx, x1 + shift)

    best, best_score, best_in, best_edges = 0, score(0), in_scope(0), edges(0)
    for shift in range(-up, down + 1):
        sc = score(shift)
        is_in = in_scope(shift)
        ed = edges(shift)
        if sc > best_score or (sc == best_score and (is_in if is_in != best_in else ed < best_edges if ed != best_edges else abs(shift) < abs(best))):
            best, best_score, best_in, best_edges = shift, sc, is_in, ed
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
    foreign = False
    refs = []
    for name, (role, original, edited, _) in files.items():
        if role == "other":
            if edited != original:
                scope = 0
                foreign = True
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
    if scope == 0 and not foreign:
        editable = []
        for name, (role, original, edited, _) in files.items():
            if role == "target":
                regions = [(item["selection_start"], item["selection_end"])]
            else:
                spec = next(x for x in item["edit_files"] if x["path"] == name)
                regions = [(spec["start"], spec.get("end", spec["start"]))] if "start" in spec else []
            editable.append({"file": name, "role": role, "original": original, "edited": edited, "regions": regions})
        scope = 1 if _supporting_scope(editable) == 1 else 0
    return scope, refs


# Supporting hunks. replay does not count a hunk outside the selection that the in-scope
# change needs (an import it uses, a new helper it calls, a call site of a signature it
# changed, a test of it): src/core/relevance/supporting.ts decides, from the code, on the
# analysis's hunks. What follows is its port, with the parts of the analysis that make the
# hunks (src/core/analysis/fastDiff.ts, anchoredDiff.ts with the `diff` package's Myers,
# reanchor.ts, hunks.ts) and the scanners of src/core/locality/ it reads code with (mask.ts,
# imports.ts, scope.ts). It runs only where the scope above is 0, on JavaScript, TypeScript
# and Python files; test/unit/evalset.graders.test.ts holds it to the TypeScript.

class _Lines:
    """A text as src/core/text/lines.ts splits it, with each line's whitespace-folded key."""

    def __init__(self, text):
        self.text = text
        self.pairs = pairs = _split(text)
        self.lines = [c for c, _ in pairs]
        self.full = [c + e for c, e in pairs]
        self.keys = [_folded(c) for c in self.lines]
        self.count = len(pairs)
        self.starts, self.ends = [], []
        at = 0
        for c, e in pairs:
            self.starts.append(at)
            self.ends.append(at + len(c))
            at += len(c) + len(e)
        self.starts.append(at)


def _agreeing(a, i, b, j, limit):
    lim = min(limit, a.count - i, b.count - j)
    k = 0
    while k < lim and a.full[i + k] == b.full[j + k]:
        k += 1
    return k


def _walk_diff(a, b, walk):
    """fastDiff.ts, walkDiff: the texts walked in step, each mismatch window diffed exactly."""
    n, m = a.count, b.count
    out = []

    def eq(i, j):
        return a.full[i] == b.full[j] or a.keys[i] == b.keys[j]

    def agree_at(i, j):
        for k in range(3):
            if i + k >= n or j + k >= m:
                return i + k >= n and j + k >= m
            if not eq(i + k, j + k):
                return False
        return True

    def resync(i, j):
        for d in range(1, 161):
            for di in range(d + 1):
                dj = d - di
                if i + di > n or j + dj > m:
                    continue
                if agree_at(i + di, j + dj):
                    return (i + di, j + dj)
        return None

    i = j = windows = 0
    while i < n and j < m:
        same = _agreeing(a, i, b, j, n)
        if same > 0:
            walk[i] = (j, same)
        i += same
        j += same
        if i >= n or j >= m:
            break
        if a.keys[i] == b.keys[j]:
            i0, j0 = i, j
            while True:
                i += 1
                j += 1
                if not (i < n and j < m and a.full[i] != b.full[j] and a.keys[i] == b.keys[j]):
                    break
            walk[i0] = (j0, i0 - i)
            continue
        if windows >= 2000:
            break
        wi, wj = i, j
        r = resync(i, j)
        settled = False
        while r and r[0] - wi < 1000 and r[1] - wj < 1000:
            k = _agreeing(a, r[0], b, r[1], 20)
            while k < 20 and r[0] + k < n and r[1] + k < m and eq(r[0] + k, r[1] + k):
                k += 1
            if k == 20:
                settled = True
                break
            if r[0] + k >= n or r[1] + k >= m:
                if r[0] + k >= n and r[1] + k >= m:
                    settled = True
                break
            r = resync(r[0] + k, r[1] + k)
        if not r or not settled:
            _diff_window(a, wi, n, b, wj, m, out)
            return out
        _diff_window(a, wi, r[0], b, wj, r[1], out)
        windows += 1
        i, j = r
    if windows >= 2000 and (i < n or j < m):
        _diff_window(a, i, n, b, j, m, out)
        return out
    if i < n or j < m:
        out.append([i, n, j, m])
    return out


def _diff_window(a, a0, a1, b, b0, b1, out, anchor_first=False):
    """anchoredDiff.ts, diffWindow: one window diffed on whitespace-folded lines."""
    if a0 == a1 or b0 == b1 or (a1 - a0 == 1 and b1 - b0 == 1):
        if a0 != a1 or b0 != b1:
            out.append([a0, a1, b0, b1])
        return
    blocks = []
    _diff_range(a.keys[a0:a1], 0, a1 - a0, b.keys[b0:b1], 0, b1 - b0, blocks, anchor_first)
    for x0, x1, y0, y1 in blocks:
        out.append([a0 + x0, a0 + x1, b0 + y0, b0 + y1])


def _diff_range(a, a0, a1, b, b0, b1, out, anchor_first):
    while a0 < a1 and b0 < b1 and a[a0] == b[b0]:
        a0 += 1
        b0 += 1
    while a0 < a1 and b0 < b1 and a[a1 - 1] == b[b1 - 1]:
        a1 -= 1
        b1 -= 1
    if a0 == a1 and b0 == b1:
        return
    if a0 == a1 or b0 == b1:
        out.append([a0, a1, b0, b1])
        return
    n, m = a1 - a0, b1 - b0
    if n + m <= 2000 and not anchor_first:
        _myers(a, a0, a1, b, b0, b1, out, None)
        return
    anchors = _unique_anchors(a, a0, a1, b, b0, b1)
    if not anchors and n + m <= 2000:
        _myers(a, a0, a1, b, b0, b1, out, None)
        return
    if not anchors:
        if not _myers(a, a0, a1, b, b0, b1, out, max(16, 4000000 // (n + m))):
            out.append([a0, a1, b0, b1])
        return
    pa, pb = a0, b0
    for ia, ib in anchors:
        _diff_range(a, pa, ia, b, pb, ib, out, anchor_first)
        pa, pb = ia + 1, ib + 1
    _diff_range(a, pa, a1, b, pb, b1, out, anchor_first)


def _unique_anchors(a, a0, a1, b, b0, b1):
    """Lines unique on both sides, the longest run of them in the same order (patience)."""
    ca, cb = {}, {}
    for i in range(a0, a1):
        ca[a[i]] = ca.get(a[i], 0) + 1
    for j in range(b0, b1):
        cb[b[j]] = cb.get(b[j], 0) + 1
    at_b = {b[j]: j for j in range(b0, b1) if ca.get(b[j]) == 1 and cb[b[j]] == 1}
    pairs = [(i, at_b[a[i]]) for i in range(a0, a1) if a[i] in at_b]
    if not pairs:
        return []
    tails, prev = [], [0] * len(pairs)
    for p, (_, v) in enumerate(pairs):
        lo, hi = 0, len(tails)
        while lo < hi:
            mid = (lo + hi) >> 1
            if pairs[tails[mid]][1] < v:
                lo = mid + 1
            else:
                hi = mid
        prev[p] = tails[lo - 1] if lo > 0 else -1
        if lo == len(tails):
            tails.append(p)
        else:
            tails[lo] = p
    chain = []
    p = tails[-1]
    while p >= 0:
        chain.append(pairs[p])
        p = prev[p]
    return chain[::-1]


def _js_diff(old, new, max_edit):
    """The `diff` package's diffArrays (its Myers, ties broken as it breaks them): the
    changes as (count, added, removed), or None past max_edit."""
    new_len, old_len = len(new), len(old)
    limit = new_len + old_len if max_edit is None else min(new_len + old_len, max_edit)

    def extract(path, diag):
        old_pos = path[0]
        new_pos = old_pos - diag
        common = 0
        while new_pos + 1 < new_len and old_pos + 1 < old_len and old[old_pos + 1] == new[new_pos + 1]:
            new_pos += 1
            old_pos += 1
            common += 1
        if common:
            path[1] = (common, False, False, path[1])
        path[0] = old_pos
        return new_pos

    def add_to(path, added, removed, inc):
        last = path[1]
        if last is not None and last[1] == added and last[2] == removed:
            return [path[0] + inc, (last[0] + 1, added, removed, last[3])]
        return [path[0] + inc, (1, added, removed, last)]

    def build(last):
        out = []
        while last is not None:
            out.append(last[:3])
            last = last[3]
        return out[::-1]

    best = {0: [-1, None]}
    new_pos = extract(best[0], 0)
    if best[0][0] + 1 >= old_len and new_pos + 1 >= new_len:
        return build(best[0][1])
    lowest, highest = None, None
    edit = 1
    while edit <= limit:
        diag = -edit if lowest is None else max(lowest, -edit)
        while diag <= (edit if highest is None else min(highest, edit)):
            remove, add = best.get(diag - 1), best.get(diag + 1)
            if remove is not None:
                best[diag - 1] = None
            can_add = add is not None and 0 <= add[0] - diag < new_len
            can_remove = remove is not None and remove[0] + 1 < old_len
            if not can_add and not can_remove:
                best[diag] = None
                diag += 2
                continue
            if not can_remove or (can_add and remove[0] < add[0]):
                base = add_to(add, True, False, 0)
            else:
                base = add_to(remove, False, True, 1)
            new_pos = extract(base, diag)
            if base[0] + 1 >= old_len and new_pos + 1 >= new_len:
                return build(base[1])
            best[diag] = base
            if base[0] + 1 >= old_len:
                highest = diag - 1 if highest is None else min(highest, diag - 1)
            if new_pos + 1 >= new_len:
                lowest = diag + 1 if lowest is None else max(lowest, diag + 1)
            diag += 2
        edit += 1
    return None


def _myers(a, a0, a1, b, b0, b1, out, max_edit):
    changes = _js_diff(a[a0:a1], b[b0:b1], max_edit)
    if changes is None:
        return False
    i, j, open_ = a0, b0, None
    for count, added, removed in changes:
        if not added and not removed:
            if open_:
                out.append(open_)
                open_ = None
            i += count
            j += count
            continue
        if not open_:
            open_ = [i, i, j, j]
        if removed:
            i += count
            open_[1] = i
        else:
            j += count
            open_[3] = j
    if open_:
        out.append(open_)
    return True


_DISTINCT = re.compile(r"[\w$]{3}", re.A)


def _reanchor(a, b, blocks):
    """reanchor.ts: clusters of blocks joined by a line removed in one and added in
    another, diffed again anchored on unique lines when that reads better."""
    if len(blocks) < 2:
        return blocks
    first, last = {}, {}
    for k, (a0, a1, _, _) in enumerate(blocks):
        for i in range(a0, a1):
            if _DISTINCT.search(a.lines[i]):
                first.setdefault(a.keys[i], k)
                last[a.keys[i]] = k
    if not first:
        return blocks
    spans = []
    for k, (_, _, b0, b1) in enumerate(blocks):
        for j in range(b0, b1):
            if not _DISTINCT.search(b.lines[j]) or b.keys[j] not in first:
                continue
            f, l = first[b.keys[j]], last[b.keys[j]]
            if f != k or l != k:
                spans.append([min(f, k), max(l, k)])
    clusters = []
    for s in sorted(spans, key=lambda s: s[0]):
        if clusters and s[0] <= clusters[-1][1]:
            clusters[-1][1] = max(clusters[-1][1], s[1])
        else:
            clusters.append(list(s))
    if not clusters:
        return blocks

    def changed(bs):
        return sum(x[1] - x[0] + x[3] - x[2] for x in bs)

    out, nxt = [], 0
    for p, q in clusters:
        out.extend(blocks[nxt:p])
        again = []
        _diff_window(a, blocks[p][0], blocks[q][1], b, blocks[p][2], blocks[q][3], again, True)
        span = blocks[p:q + 1]
        out.extend(again if len(again) < len(span) and changed(again) <= changed(span) else span)
        nxt = q + 1
    out.extend(blocks[nxt:])
    return out


def _region_holds(regions, first, last):
    return any(first >= s and last <= e for s, e in regions)


def _slide_blocks(blocks, a, b, regions):
    """hunks.ts, slideToRawMatches: each pure deletion or insertion among look-alike lines
    placed as _slide places the one change of the scope above."""
    for k, blk in enumerate(blocks):
        dele = blk[2] == blk[3]
        if dele == (blk[0] == blk[1]):
            continue
        x, y, x0, x1, y0 = (a, b, blk[0], blk[1], blk[2]) if dele else (b, a, blk[2], blk[3], blk[0])
        prev = blocks[k - 1] if k > 0 else None
        nxt = blocks[k + 1] if k + 1 < len(blocks) else None
        bounds = ((prev[1] if dele else prev[3]) if prev else 0, (prev[3] if dele else prev[1]) if prev else 0,
                  (nxt[0] if dele else nxt[2]) if nxt else x.count, (nxt[2] if dele else nxt[0]) if nxt else y.count)

        def in_scope(shift):
            if not regions:
                return False
            return _region_holds(regions, x0 + shift + 1, x1 + shift) if dele else _region_holds(regions, y0 + shift + 1, y0 + shift)

        best = _slide(x.pairs, y.pairs, x0, x1, y0, in_scope, bounds)
        if best:
            blocks[k] = [x0 + best, x1 + best, y0 + best, y0 + best] if dele else [y0 + best, y0 + best, x0 + best, x1 + best]
    return blocks


_BLANK_CHARS = re.compile("[\n \t\v\f\r\u00a0\ufeff]+")


def _whitespace_only(a, b, a0, a1, b0, b1):
    """lineCompare.ts, sameNonSpace: the same characters but for whitespace and line breaks."""
    return _BLANK_CHARS.sub("", "".join(a.lines[a0:a1])) == _BLANK_CHARS.sub("", "".join(b.lines[b0:b1]))


def _changed_runs(a, b, regions):
    """hunks.ts, changedRuns: [a0, a1, b0, b1, whitespace only] runs, adjacent ones merged."""
    walk = {}
    blocks = _slide_blocks(_reanchor(a, b, _walk_diff(a, b, walk)), a, b, regions)
    runs = []

    def push(a0, a1, b0, b1, ws):
        if runs and runs[-1][1] == a0 and runs[-1][3] == b0:
            runs[-1][1], runs[-1][3] = a1, b1
            runs[-1][4] = runs[-1][4] and ws
        else:
            runs.append([a0, a1, b0, b1, ws])

    pos = [0, 0]

    def equal_up_to(a_end):
        i, j = pos
        while i < a_end:
            rec = walk.get(i)
            known = rec[1] if rec and rec[0] == j else 0
            if known < 0:
                e = min(a_end, i - known)
                push(i, e, j, j + e - i, True)
                j += e - i
                i = e
                continue
            if known > 0:
                k = min(known, a_end - i)
                i += k
                j += k
                continue
            same = _agreeing(a, i, b, j, a_end - i)
            i += same
            j += same
            if i >= a_end:
                break
            push(i, i + 1, j, j + 1, True)
            i += 1
            j += 1
        pos[0], pos[1] = i, j

    for a0, a1, b0, b1 in blocks:
        equal_up_to(a0)
        push(a0, a1, b0, b1, _whitespace_only(a, b, a0, a1, b0, b1))
        pos[0], pos[1] = a1, b1
    equal_up_to(a.count)
    return runs


def _similarity(p, q):
    if p == q:
        return 1.0
    most = max(len(p), len(q))
    lim = min(len(p), len(q))
    pre = 0
    while pre < lim and p[pre] == q[pre]:
        pre += 1
    suf = 0
    while suf < lim - pre and p[len(p) - 1 - suf] == q[len(q) - 1 - suf]:
        suf += 1
    return (pre + suf) / most


def _align_lines(a, b, a0, a1, b0, b1):
    """hunks.ts, alignLines: each edited line's original line in a monotone alignment, or -1."""
    n, m = a1 - a0, b1 - b0
    align = [-1] * m

    def proportional():
        return [a0 + min(n - 1, (k * n) // m) for k in range(m)]

    if n == 0 or m == 0:
        return align
    if n * m > 250000:
        return proportional()
    sim = [[_similarity(a.keys[a0 + x], b.keys[b0 + y]) for y in range(m)] for x in range(n)]
    score = [[0.0] * (m + 1) for _ in range(n + 1)]
    for x in range(1, n + 1):
        for y in range(1, m + 1):
            s = sim[x - 1][y - 1]
            diag = score[x - 1][y - 1] + s if s >= 0.3 else -1
            score[x][y] = max(diag, score[x - 1][y], score[x][y - 1])
    x, y, aligned = n, m, 0
    while x > 0 and y > 0:
        s = sim[x - 1][y - 1]
        if s >= 0.3 and score[x][y] == score[x - 1][y - 1] + s:
            align[y - 1] = a0 + x - 1
            aligned += 1
            x -= 1
            y -= 1
        elif score[x][y] == score[x - 1][y]:
            x -= 1
        else:
            y -= 1
    return proportional() if aligned == 0 else align


def _split_at_regions(a, b, runs, regions):
    """hunks.ts, splitAtRegions: runs cut where they cross a region's edge."""
    if not regions:
        return runs
    cuts = sorted({c for s, e in regions for c in (s - 1, e)})
    out = []

    def in_scope_at(index0):
        return any(s <= index0 + 1 <= e for s, e in regions)

    for run in runs:
        a0, a1, b0, b1, _ = run
        inner = [c for c in cuts if a0 < c < a1]
        if not inner:
            out.append(run)
            continue
        align = _align_lines(a, b, a0, a1, b0, b1)
        for cut in inner:
            after = in_scope_at(cut) and not in_scope_at(cut - 1)
            last_before = first_after = -1
            for k, x in enumerate(align):
                if x < 0:
                    continue
                if x < cut:
                    last_before = k
                elif first_after < 0:
                    first_after = k
            # Positions in the alignment count from the run's first edited line.
            if after:
                b_cut = run[2] + (0 if last_before < 0 else last_before + 1)
            else:
                b_cut = run[2] + (len(align) if first_after < 0 else first_after)
            b_cut = max(b0, b_cut)
            out.append([a0, cut, b0, b_cut, _whitespace_only(a, b, a0, cut, b0, b_cut)])
            a0, b0 = cut, b_cut
        out.append([a0, a1, b0, b1, _whitespace_only(a, b, a0, a1, b0, b1)])
    return out


def _hunks(original, edited, regions):
    """The analysis's hunks of an edit (analyze.ts: changedRuns, splitAtRegions, toHunks,
    markMoves), each a dict with the fields relevance reads."""
    a, b = _Lines(original), _Lines(edited)
    out = []
    for a0, a1, b0, b1, ws in _split_at_regions(a, b, _changed_runs(a, b, regions), regions):
        n, m = a1 - a0, b1 - b0
        if not regions:
            scope = "in"
        elif n > 0:
            scope = "in" if _region_holds(regions, a0 + 1, a1) else "out"
        else:
            scope = "in" if _region_holds(regions, a0 + 1, a0) else "out"
        out.append({"originalStart": a0 + 1 if n > 0 else a0, "originalLines": n, "editedStart": b0 + 1 if m > 0 else b0,
                    "editedLines": m, "scope": scope, "whitespaceOnly": ws, "moved": False, "link": None})

    def key(t, start, count):
        parts = [t.keys[k] for k in range(start, start + count) if t.keys[k]]
        return "\n".join(parts) if len(parts) >= 2 else None

    deletions = {}
    for h in out:
        if h["editedLines"] == 0 and h["originalLines"] > 0:
            k = key(a, h["originalStart"] - 1, h["originalLines"])
            if k:
                deletions.setdefault(k, []).append(h)
    if deletions:
        for h in out:
            if h["originalLines"] != 0 or h["editedLines"] == 0:
                continue
            k = key(b, h["editedStart"] - 1, h["editedLines"])
            if k and deletions.get(k):
                deletions[k].pop(0)["moved"] = True
                h["moved"] = True
    return out


# Code read as locality reads it (src/core/locality/mask.ts, imports.ts, scope.ts).

def _source_language(file):
    """locality/mask.ts, sourceLanguageOf (analysis/language.ts, languageOf)."""
    dot = file.rfind(".")
    ext = "" if dot < 0 else file[dot + 1:].lower()
    if ext in ("py", "pyi", "pyw"):
        return "python"
    return "js" if ext in ("ts", "tsx", "mts", "cts", "js", "jsx", "mjs", "cjs") else None


def _blanked(s):
    return re.sub("[^\r\n]", " ", s) if "\n" in s or "\r" in s else " " * len(s)


class _Masker:
    """mask.ts, Out: the text with comments blanked (`code`), and strings' insides too (`all`)."""

    def __init__(self, text):
        self.text = text
        self.code, self.all = [], []
        self.at = 0
        self.prev = ""

    def keep_to(self, to):
        if to <= self.at:
            return
        run = self.text[self.at:to]
        self.code.append(run)
        self.all.append(run)
        k = to - 1
        while k >= self.at and k < len(self.text) and self.text[k] in " \t\n\r":
            k -= 1
        if self.at <= k < len(self.text):
            self.prev = self.text[k]
        self.at = to

    def hide_to(self, to):
        if to <= self.at:
            return
        blank = _blanked(self.text[self.at:to])
        self.code.append(blank)
        self.all.append(blank)
        self.at = to

    def text_to(self, to):
        if to <= self.at:
            return
        run = self.text[self.at:to]
        self.code.append(run)
        self.all.append(_blanked(run))
        self.at = to

    def string_to(self, to, quote):
        opening = min(self.at + quote, to)
        q = self.text[self.at:self.at + quote]
        close = to - quote if to - self.at >= 2 * quote and self.text.startswith(q, to - quote) else to
        self.keep_to(opening)
        self.text_to(close)
        self.keep_to(to)
        self.prev = '"'

    def result(self):
        self.keep_to(len(self.text))
        return "".join(self.code), "".join(self.all)


_JS_SPECIAL = re.compile("[/\"'`{}]")
_REGEX_AFTER_WORD = re.compile(r"\b(?:return|typeof|case|do|else|in|of|void|yield|await|throw|new|delete|instanceof)\s*\Z", re.A)


def _regex_can_start(prev, text, at):
    nxt = text[at + 1] if at + 1 < len(text) else ""
    if (prev == "<" and re.fullmatch("[A-Za-z>]", nxt)) or (prev == "}" and nxt == ">"):
        return False
    if prev == "" or prev in "(,=:[!&|?{};+-*%<>~^":
        return True
    return _REGEX_AFTER_WORD.search(text[max(0, at - 16):at]) is not None


def _mask_js(text):
    out = _Masker(text)
    n = len(text)
    templates = []
    state = {"i": 0, "depth": 0}

    def template_body():
        i = state["i"]
        out.keep_to(i)
        while i < n and text[i] != "`" and not (text[i] == "$" and i + 1 < n and text[i + 1] == "{"):
            i += 2 if text[i] == "\\" else 1
        i = min(i, n)
        out.text_to(i)
        if i >= n:
            state["i"] = i
            return
        if text[i] == "`":
            i += 1
        else:
            i += 2
            templates.append(state["depth"])
            state["depth"] += 1
        out.keep_to(i)
        state["i"] = i

    while True:
        m = _JS_SPECIAL.search(text, state["i"]) if state["i"] <= n else None
        if not m:
            break
        i = m.start()
        c = text[i]
        nxt = text[i + 1] if i + 1 < n else ""
        if c == "/" and nxt == "/":
            out.keep_to(i)
            end = text.find("\n", i)
            i = n if end < 0 else end
            out.hide_to(i)
        elif c == "/" and nxt == "*":
            out.keep_to(i)
            end = text.find("*/", i + 2)
            i = n if end < 0 else end + 2
            out.hide_to(i)
        elif c in "\"'":
            out.keep_to(i)
            i += 1
            while i < n and text[i] != c and text[i] != "\n":
                i += 2 if text[i] == "\\" else 1
            if i < n and text[i] == c:
                i += 1
            out.string_to(min(i, n), 1)
        elif c == "`":
            state["i"] = i + 1
            template_body()
            continue
        elif c == "/":
            out.keep_to(i)
            if not _regex_can_start(out.prev, text, i):
                state["i"] = i + 1
                continue
            i += 1
            cls = False
            while i < n and text[i] != "\n" and (cls or text[i] != "/"):
                if text[i] == "\\":
                    i += 1
                elif text[i] == "[":
                    cls = True
                elif text[i] == "]":
                    cls = False
                i += 1
            if i < n and text[i] == "/":
                i += 1
                while i < n and re.fullmatch("[a-zA-Z]", text[i]):
                    i += 1
            out.hide_to(i)
            out.prev = "r"
        elif c == "{":
            state["depth"] += 1
            i += 1
        else:
            state["depth"] -= 1
            i += 1
            if templates and templates[-1] == state["depth"]:
                templates.pop()
                state["i"] = i
                template_body()
                continue
        state["i"] = i
    return out.result()


_PY_SPECIAL = re.compile("[#\"']")
_STRING_PREFIX = re.compile(r"(?<!\w)[rRbBuUfF]{1,2}\Z", re.A)


def _mask_python(text):
    out = _Masker(text)
    n = len(text)
    i = 0
    while True:
        m = _PY_SPECIAL.search(text, i) if i <= n else None
        if not m:
            break
        i = m.start()
        c = text[i]
        out.keep_to(i)
        if c == "#":
            end = text.find("\n", i)
            i = n if end < 0 else end
            out.hide_to(i)
            continue
        triple = text.startswith(c * 3, i)
        q = c * 3 if triple else c
        start = i
        i += len(q)
        while i < n and not text.startswith(q, i) and (triple or text[i] != "\n"):
            i += 2 if text[i] == "\\" else 1
        if i < n and text.startswith(q, i):
            i += len(q)
        end = min(i, n)
        prefix = _STRING_PREFIX.search(text[max(0, start - 3):start])
        if prefix and re.search("[fF]", prefix.group(0)):
            closed = text.startswith(q, end - len(q)) and end - len(q) >= start + len(q)
            _f_string(out, text, start + len(q), end - (len(q) if closed else 0), end)
        else:
            out.string_to(end, len(q))
    return out.result()


def _f_string(out, text, frm, to, end):
    out.keep_to(frm)
    i = frm
    while i < to:
        if text[i] == "{" and i + 1 < len(text) and text[i + 1] == "{":
            i += 2
            continue
        if text[i] != "{":
            i += 2 if text[i] == "\\" else 1
            continue
        out.text_to(i)
        depth = 0
        while i < to:
            if text[i] == "{":
                depth += 1
            elif text[i] == "}":
                depth -= 1
                if depth == 0:
                    break
            i += 1
        i = min(i + 1, to)
        out.keep_to(i)
    out.text_to(to)
    out.keep_to(end)
    out.prev = '"'


def _mask(text, lang):
    return _mask_python(text) if lang == "python" else _mask_js(text)


_ID = r"[A-Za-z_$][\w$]*"
_TS_IMPORT = re.compile(r"""\bimport\s+(?:type\s+)?([^;'"`]*?)\s*\bfrom\s*(['"])([^'"\n]+)\2""", re.A)
_TS_REEXPORT = re.compile(r"""\bexport\s+(?:type\s+)?(\*(?:\s+as\s+%s)?|\{[^}]*\})\s*from\s*(['"])([^'"\n]+)\2""" % _ID, re.A)
_TS_REQUIRE = re.compile(r"""\b(?:const|let|var)\s+(\{[^}]*\}|%s)\s*=\s*(?:await\s+)?(?:require|import)\(\s*(['"])([^'"\n]+)\2\s*\)(?:\s*\.\s*(%s))?(?!\s*[.(\[])""" % (_ID, _ID), re.A)
_TS_IMPORT_THEN = re.compile(r"""\bimport\(\s*(['"])([^'"\n]+)\1\s*\)\s*\.then\(\s*(?:async\s+)?(?:\(\s*(\{[^}]*\}|%s)\s*[,)]|(%s)\s*=>)""" % (_ID, _ID), re.A)
_TS_AWAIT_IMPORT = re.compile(r"""\b(?:const|let|var)\s+(\{[^}]*\}|%s)\s*=\s*\(\s*await\s+import\(\s*(['"])([^'"\n]+)\2\s*\)\s*\)(?:\s*\.\s*(%s))?(?!\s*[.(\[])""" % (_ID, _ID), re.A)
_TS_ALIAS = re.compile(r"""\b(?:const|let|var)\s+(\{[^}]*\}|%s)\s*=\s*(%s)(?:\s*\.\s*(%s))?\s*(?:;|\n|\Z)""" % (_ID, _ID, _ID), re.A)
_TS_IMPORT_EQUALS = re.compile(r"""\bimport\s+(%s)\s*=\s*require\(\s*(['"])([^'"\n]+)\2\s*\)""" % _ID, re.A)
_PY_FROM = re.compile(r"^[ \t]*from[ \t]+(\.*[\w.]*)[ \t]+import[ \t]+(\([^)]*\)|[^\n]*)", re.M | re.A)
_PY_IMPORT = re.compile(r"^[ \t]*import[ \t]+([^\n]+)", re.M | re.A)


def _brace_list(lst, rename):
    """imports.ts, braceList: [(local, imported)] of `{ a, b as c }` or `{ a, b: c }`."""
    body = re.sub(r"^\{|\}[\s\S]*\Z", "", lst)
    names = []
    for part in body.split(","):
        p = re.sub(r"^type\s+", "", part.strip(_WS), flags=re.A)
        if not p:
            continue
        pieces = re.split(r"\s+as\s+", p, flags=re.A) if rename == "as" else re.split(r"\s*:\s*", p, flags=re.A)
        imported = pieces[0]
        local = (pieces[1] if len(pieces) > 1 else imported).strip(_WS)
        if re.fullmatch(_ID, local, re.A):
            names.append((local, re.sub(r"^['\"]|['\"]\Z", "", imported.strip(_WS))))
    return names


def _import_clause(clause):
    names = []
    brace = clause.find("{")
    head = re.sub(r",\s*\Z", "", clause[:brace] if brace >= 0 else clause, flags=re.A)
    for part in head.split(","):
        p = part.strip(_WS)
        if not p:
            continue
        ns = re.fullmatch(r"\*\s+as\s+(%s)" % _ID, p, re.A)
        if ns:
            names.append((ns.group(1), "*"))
        elif re.fullmatch(_ID, p, re.A):
            names.append((p, "default"))
    if brace >= 0:
        names.extend(_brace_list(clause[brace:], "as"))
    return names


def _imports(masked, lang):
    """imports.ts, importsOf, less re-exports: [(at, end, [(local, imported)])]."""
    out = []
    if lang == "python":
        text = re.sub(r"\\\r?\n", "  ", masked)
        for m in _PY_FROM.finditer(text):
            names = []
            for part in re.sub("[()]", "", m.group(2)).split(","):
                pieces = re.split(r"\s+as\s+", part.strip(_WS), flags=re.A)
                if not pieces[0]:
                    continue
                names.append(((pieces[1] if len(pieces) > 1 else pieces[0]).strip(_WS), pieces[0].strip(_WS)))
            out.append((m.start(), m.end(), names))
        for m in _PY_IMPORT.finditer(text):
            for part in m.group(1).split(","):
                pieces = re.split(r"\s+as\s+", part.strip(_WS), flags=re.A)
                if not pieces[0] or not re.fullmatch(r"[\w.]+", pieces[0], re.A):
                    continue
                out.append((m.start(), m.end(), [((pieces[1].strip(_WS) if len(pieces) > 1 else pieces[0]), "*")]))
        return out
    for m in _TS_IMPORT.finditer(masked):
        out.append((m.start(), m.end(), _import_clause(m.group(1))))
    for m in _TS_IMPORT_EQUALS.finditer(masked):
        out.append((m.start(), m.end(), [(m.group(1), "*")]))
    for rx in (_TS_REQUIRE, _TS_AWAIT_IMPORT):
        for m in rx.finditer(masked):
            member = m.group(4)
            if m.group(1).startswith("{"):
                names = [] if member else _brace_list(m.group(1), ":")
            else:
                names = [(m.group(1), member or "*")]
            out.append((m.start(), m.end(), names))
    for m in _TS_IMPORT_THEN.finditer(masked):
        param = m.group(3) if m.group(3) is not None else m.group(4)
        out.append((m.start(), m.end(), _brace_list(param, ":") if param.startswith("{") else [(param, "*")]))
    by_local = {}
    for _, _, names in out:
        for local, imported in names:
            by_local[local] = imported
    aliases = []
    if by_local:
        for m in _TS_ALIAS.finditer(masked):
            if m.group(2) not in by_local:
                continue
            source = by_local[m.group(2)]
            member = m.group(3)
            if m.group(1).startswith("{"):
                names = [] if member or source != "*" else _brace_list(m.group(1), ":")
            elif source == "*":
                names = [(m.group(1), member or "*")]
            else:
                names = [] if member else [(m.group(1), source)]
            if names:
                aliases.append((m.start(), m.start() + m.group(0).find("="), names))
    return out + aliases


_TYPE_KEYWORDS = {"as", "satisfies", "extends", "implements", "keyof", "is", "infer", "readonly", "unique"}
_WORD_CHAR = re.compile(r"[\w$]", re.A)


def _type_position(masked, at):
    """scope.ts, typePosition: whether the name at `at` is read as a type."""
    angle = 0
    i = at - 1
    while i >= 0 and at - i < 400:
        c = masked[i]
        if _WORD_CHAR.match(c):
            k = i
            while k > 0 and _WORD_CHAR.match(masked[k - 1]):
                k -= 1
            word = masked[k:i + 1]
            if word in _TYPE_KEYWORDS:
                return True
            if word == "typeof" or re.fullmatch(r"return|new|await|yield|case|in|of|delete|void|throw|const|let|var", word):
                return False
            before = masked[:k]
            if k > 0 and _WORD_CHAR.match(before.rstrip()[-1:] or " ") and not re.search(r"\.\s*\Z", before) and not re.search(r"\.\s*\Z", masked[k:at]):
                return False
            i = k - 1
            continue
        if c == ">":
            angle += 1
        elif c == "<":
            if angle == 0:
                return re.search(r"[\w$]\s*\Z", masked[max(0, i - 40):i], re.A) is not None
            angle -= 1
        elif c == "," and angle > 0:
            pass
        elif c == ":":
            return _annotation_colon(masked, i)
        elif c == "=":
            return angle == 0 and re.search(r"\btype\s+[\w$]+\s*(?:<[^=]*>)?\s*\Z", masked[max(0, i - 200):i], re.A) is not None and masked[i + 1:i + 2] not in ("=", ">")
        elif not re.match(r"[\w$.\s\[\]|&]", c, re.A):
            return False
        i -= 1
    return False


def _annotation_colon(masked, colon):
    before = masked[max(0, colon - 200):colon].rstrip()
    if before.endswith(")"):
        return True
    name = re.search(r"([\w$]+)\s*[?!]?\Z", before, re.A)
    if not name:
        return False
    lead = before[:len(before) - len(name.group(0))].rstrip()
    if re.search(r"\b(?:const|let|var|readonly|public|private|protected|static|declare|accessor|override)\Z", lead, re.A):
        return True
    if lead.endswith("?"):
        return False
    opened = _unmatched_opener(masked, colon)
    if opened < 0:
        return False
    if masked[opened] == "(":
        return re.search(r"[(,]\Z|\.\.\.\Z", lead) is not None
    head = masked[max(0, opened - 200):opened]
    return masked[opened] == "{" and re.search(r"(?:\binterface\s+[\w$<>,\s]+|\btype\s+[\w$]+\s*(?:<[^=]*>)?\s*=\s*|\bclass\b[^{};]*|:\s*|<\s*|\|\s*|&\s*)\Z", head, re.A) is not None and re.search(r"[{;,]\Z|^\Z", lead[-1:] or "") is not None


_CONTROL = re.compile(r"\b(?:if|for|while|switch|with|return|typeof|await|new|in|of|void|delete|throw|yield)\s*\Z", re.A)


def _in_ranges(offset, ranges):
    return any(at <= offset < end for at, end in ranges)


def _js_declaration_scopes(masked, name, imports):
    out = []
    for m in re.finditer(r"(?<![\w$.])%s(?![\w$])" % re.escape(name), masked, re.A):
        d = m.start()
        if _in_ranges(d, imports):
            continue
        before = masked[max(0, d - 20):d]
        if re.search(r"\b(?:class|enum)\s+\Z", before, re.A):
            value, type_ = True, True
        elif re.search(r"\b(?:type|interface)\s+\Z", before, re.A):
            value, type_ = False, True
        else:
            value, type_ = True, False
        scope = _enclosing_block(masked, d) if type_ and not value else _js_declaration_scope(masked, d, len(name))
        if scope:
            out.append((scope[0], scope[1], value, type_))
    return out


def _js_declaration_scope(masked, d, length):
    before = masked[max(0, d - 40):d]
    after = masked[d + length:d + length + 3]
    if re.search(r"\b(?:const|let|var|function\s*\*?|class)\s+\Z", before, re.A):
        return _enclosing_block(masked, d)
    if re.match(r"\s*=>", masked[d + length:d + length + 4]):
        return _arrow_body(masked, d + length + masked[d + length:].find("=>") + 2, d)
    prev = before.rstrip()[-3:]
    if not (re.search(r"(?:[(,{\[]|\.\.\.)\Z", prev) and re.match(r"\s*(?:[,)}\]:?]|=(?![=>]))", after)):
        return None
    opened = _unmatched_opener(masked, d)
    if opened < 0:
        return None
    if masked[opened] in "{[":
        if re.search(r"\b(?:const|let|var)\s*\Z", masked[max(0, opened - 20):opened], re.A):
            return _enclosing_block(masked, opened)
        if not re.search(r"[(,]\Z", masked[max(0, opened - 20):opened].rstrip()):
            return None
        opened = _unmatched_opener(masked, opened)
        if opened < 0 or masked[opened] != "(":
            return None
    close = _matching(masked, opened)
    if close < 0:
        return None
    lead = masked[max(0, opened - 30):opened]
    if _CONTROL.search(lead) and not re.search(r"\bcatch\s*\Z", lead, re.A):
        return None
    tail = re.match(r"\s*(?::[^{};=]*?)?\s*(=>|\{)", masked[close + 1:close + 200])
    if not tail:
        return None
    if tail.group(1) == "=>":
        return _arrow_body(masked, close + 1 + len(tail.group(0)), opened)
    end = _matching(masked, close + len(tail.group(0)))
    return (opened, len(masked) if end < 0 else end)


def _arrow_body(masked, after_arrow, frm):
    nxt = re.search(r"\S", masked[after_arrow:])
    if nxt and nxt.group(0) == "{":
        end = _matching(masked, after_arrow + nxt.start())
        return (frm, len(masked) if end < 0 else end)
    depth = 0
    for i in range(after_arrow, len(masked)):
        c = masked[i]
        if c in "([{":
            depth += 1
        elif c in ")]}":
            if depth == 0:
                return (frm, i)
            depth -= 1
        elif depth == 0 and (c == ";" or c == "," or (c == "\n" and masked[after_arrow:i].strip(_WS))):
            return (frm, i)
    return (frm, len(masked))


def _enclosing_block(masked, offset):
    """The `{ }` block holding `offset`, or None at the module's top level."""
    opened = _unmatched_opener(masked, offset, "{", "}")
    if opened < 0:
        return None
    end = _matching(masked, opened)
    return (opened, len(masked) if end < 0 else end)


def _unmatched_opener(masked, offset, opens="([{", closes=")]}"):
    """The nearest of `opens` before `offset` still open there, or -1."""
    depth = 0
    for i in range(offset - 1, -1, -1):
        c = masked[i]
        if c in closes:
            depth += 1
        elif c in opens:
            if depth == 0:
                return i
            depth -= 1
    return -1


def _matching(masked, opened):
    depth = 0
    for i in range(opened, len(masked)):
        c = masked[i]
        if c in "([{":
            depth += 1
        elif c in ")]}":
            depth -= 1
            if depth == 0:
                return i
    return -1


def _bracket_depth(masked, frm, to):
    depth = 0
    for i in range(frm, to):
        c = masked[i]
        if c in "([{":
            depth += 1
        elif c in ")]}":
            depth -= 1
            if depth < 0:
                return -1
    return depth


def _indent_of(line):
    return len(line) - len(line.lstrip(" \t"))


def _statement_starts(lines):
    out = []
    depth = 0
    continued = False
    for i, line in enumerate(lines):
        out.append(out[i - 1] if depth > 0 or continued else i)
        for c in line:
            depth = max(0, depth + (1 if c in "([{" else -1 if c in ")]}" else 0))
        continued = re.search(r"\\\s*\Z", line) is not None
    return out


def _python_shadowed(masked, lines, starts, statement, use, name, imports):
    """scope.ts, pythonShadowed: a function around the use binds the name, or a lambda or
    comprehension around it does."""
    line = 0
    lo, hi = 0, len(starts) - 1
    while lo <= hi:
        mid = (lo + hi) >> 1
        if starts[mid] <= use:
            line, lo = mid, mid + 1
        else:
            hi = mid - 1
    n = re.escape(name)
    binds = [
        re.compile(r"^[ \t]*(?:[\w.\[\]]+[ \t]*,[ \t]*)*%s[ \t]*(?:,[^=\n]*)?(?::[^=\n]*)?(?:[-+*/%%&|^@]|\*\*|//|>>|<<)?=(?!=)" % n, re.A),
        re.compile(r"\bfor\b[^\n]*?\b%s\b[^\n]*?\bin\b" % n, re.A),
        re.compile(r"\bas[ \t]+%s\b" % n, re.A),
        re.compile(r"^[ \t]*(?:async[ \t]+)?(?:def|class)[ \t]+%s\b" % n, re.A),
        re.compile(r"\(?[ \t]*%s[ \t]*:=" % n, re.A),
    ]
    first = statement[line]
    own = masked[starts[first]:use]
    sig = re.match(r"[ \t]*(?:async[ \t]+)?def[ \t]+\w+[ \t]*\(", lines[first], re.A)
    if sig and use >= starts[first] + len(sig.group(0)) and re.search(r"[(,*]\Z", own.rstrip()) and _bracket_depth(masked, starts[first] + len(sig.group(0)), use) == 0:
        return True
    if re.search(r"\blambda\b[^:]*\b%s\b[^:]*:" % n, own, re.A) or re.search(r"\blambda\b[^:]*\Z", own, re.A):
        return True
    stmt_end = next((k for k in range(line + 1, len(statement)) if statement[k] == k), -1)
    whole = masked[starts[first]:len(masked) if stmt_end < 0 else starts[stmt_end]]
    if re.search(r"\bfor[ \t]+(?:(?!\bin\b)[\w, ()])*?\b%s\b(?:(?!\bin\b)[\w, ()])*\bin\b" % n, whole, re.A) and not re.match(r"[ \t]*(?:async[ \t]+)?for\b", lines[first], re.A):
        return True
    indent = _indent_of(lines[first])
    i = first - 1
    while i >= 0 and indent > 0:
        ln = lines[i]
        if statement[i] != i or not ln.strip(_WS) or _indent_of(ln) >= indent:
            i -= 1
            continue
        indent = _indent_of(ln)
        if not re.match(r"[ \t]*(?:async[ \t]+)?def\b", ln, re.A):
            i -= 1
            continue
        sig_end = i
        while sig_end + 1 < len(lines) and statement[sig_end + 1] == i:
            sig_end += 1
        signature = "\n".join(lines[i:sig_end + 1])
        params = signature[signature.find("(") + 1:]
        if re.search(r"(?:^|[(,*])\s*%s\s*(?=[:=,)])" % n, params, re.A):
            return True
        end = sig_end
        while end + 1 < len(lines) and (not lines[end + 1].strip(_WS) or _indent_of(lines[end + 1]) > indent or statement[end + 1] != end + 1):
            end += 1
        if re.search(r"^[ \t]*(?:global|nonlocal)\b[^\n]*\b%s\b" % n, "\n".join(lines[sig_end + 1:end + 1]), re.M | re.A):
            return False
        for k in range(sig_end + 1, end + 1):
            if statement[k] != k or _in_ranges(starts[k] + _indent_of(lines[k]), imports):
                continue
            if any(rx.search(lines[k]) for rx in binds):
                return True
        i -= 1
    return False


class _Code:
    """relevance/code.ts, Code: one side of a file read as code."""

    def __init__(self, text, lang):
        self.lang = lang
        self.code, self.all = _mask(text, lang)
        self.lines = self.all.split("\n")
        self.starts = []
        at = 0
        for line in self.lines:
            self.starts.append(at)
            at += len(line) + 1
        self.imports = _imports(self.code, lang)
        self._shadow = None
        self._imported = None

    def line_at(self, offset):
        return _line_of_offset(self.starts, len(self.starts), offset)

    def shadowed(self, offset, name):
        ranges = [(at, end) for at, end, _ in self.imports]
        if self.lang == "python":
            if self._shadow is None:
                self._shadow = _statement_starts(self.lines)
            return _python_shadowed(self.all, self.lines, self.starts, self._shadow, offset, name, ranges)
        if self._shadow is None:
            self._shadow = {}
        if name not in self._shadow:
            found = _js_declaration_scopes(self.all, name, ranges)
            self._shadow[name] = ([(s, e) for s, e, v, _ in found if v], [(s, e) for s, e, _, t in found if t])
        values, types = self._shadow[name]
        return any(s <= offset <= e for s, e in (types if _type_position(self.all, offset) else values))

    def is_blank_code(self, line):
        return not re.sub("[\"'`]", "", self.lines[line] if line < len(self.lines) else "").strip(_WS)

    def uses(self, frm, to):
        """[(name, line, offset, member)]: member None for a bare name, else what it is a member of."""
        out = []
        ident = re.compile(r"[A-Za-z_]\w*" if self.lang == "python" else r"[A-Za-z_$][\w$]*", re.A)
        for l in range(frm, min(to, len(self.lines))):
            line = self.lines[l]
            for m in ident.finditer(line):
                if re.search(r"[\w$]\Z", line[:m.start()], re.A):
                    continue
                before = line[:m.start()].rstrip(_WS)
                member = None
                if before.endswith("."):
                    mm = re.search(r"([A-Za-z_$][\w$]*)\s*\.\Z", before, re.A)
                    member = mm.group(1) if mm else ""
                out.append((m.group(0), l, self.starts[l] + m.start(), member))
        return out

    def imports_in(self, frm, to):
        names, lines = [], set()
        for at, end, bound in self.imports:
            first = self.line_at(at)
            last = self.line_at(max(at, end - 1))
            if last < frm or first >= to:
                continue
            lines.update(range(first, last + 1))
            names.extend(local for local, _ in bound if local != "*")
        return names, lines

    def imported_names(self):
        if self._imported is None:
            self._imported = {local for _, _, bound in self.imports for local, _ in bound}
        return self._imported

    def definitions_in(self, frm, to):
        """[(name, kind, line, header end, end, nested)]."""
        out = []
        for l in range(max(0, frm), min(to, len(self.lines))):
            d = _definition_at(self.lines[l], self.lang) or self._class_attribute(l)
            if d:
                indent = _indent_of(self.lines[l])
                header_end = self._header_end(l)
                out.append((d[1], d[0], l, header_end, self._body_end(l, header_end, indent), indent > 0))
        return out

    def _class_attribute(self, l):
        if self.lang != "python":
            return None
        m = re.match(r"([ \t]+)([A-Za-z_]\w*)[ \t]*(?::[^=\n]*)?=(?!=)", self.lines[l], re.A)
        if not m:
            return None
        for k in range(l - 1, -1, -1):
            t = self.lines[k]
            if not t.strip(_WS):
                continue
            if _indent_of(t) >= len(m.group(1)):
                continue
            return ("const", m.group(2)) if re.match(r"\s*class\b", t, re.A) else None
        return None

    def _header_end(self, l):
        depth = 0
        for k in range(l, min(len(self.lines), l + 40)):
            for c in self.lines[k]:
                depth += 1 if c in "([" else -1 if c in ")]" else 0
            if depth <= 0:
                return k
        return l

    def _body_end(self, l, header_end, indent):
        if self.lang == "python":
            last = header_end
            for k in range(header_end + 1, len(self.lines)):
                t = self.lines[k]
                if not t.strip(_WS):
                    continue
                if _indent_of(t) <= indent:
                    break
                last = k
            return last
        depth = 0
        opened = False
        for k in range(l, len(self.lines)):
            for c in self.lines[k]:
                if c in "{([":
                    depth += 1
                    opened = True
                elif c in "})]":
                    depth -= 1
            if opened and depth <= 0:
                return k
            if not opened and k > header_end and re.search(r";\s*\Z", self.lines[k - 1]):
                return k - 1
            if not opened and re.search(r";\s*\Z", self.lines[k]):
                return k
        return len(self.lines) - 1


def _line_of_offset(starts, count, offset):
    k = 0
    lo, hi = 0, count - 1
    while lo <= hi:
        mid = (lo + hi) >> 1
        if starts[mid] <= offset:
            k, lo = mid, mid + 1
        else:
            hi = mid - 1
    return k


def _is_callable(kind, line):
    return not re.fullmatch(r"const|let|var|class|interface|type|enum", kind) or re.search(r"=\s*(?:async\s*)?(?:\(|function\b|[A-Za-z_$][\w$]*\s*=>)", line, re.A) is not None


_JS_DECL = re.compile(r"[ \t]*(?:export[ \t]+)?(?:default[ \t]+)?(?:declare[ \t]+)?(?:abstract[ \t]+)?(?:async[ \t]+)?(function\s*\*?|class|const|let|var|interface|type|enum)\s+([A-Za-z_$][\w$]*)", re.A)
_JS_METHOD = re.compile(r"[ \t]+(?:(?:public|private|protected|static|readonly|override|get|set|async)[ \t]+)*([A-Za-z_$][\w$]*)\s*(?:<[^>]*>)?\s*\((?:[^;]*\)\s*(?::[^=;{]*)?\{\s*\Z|[^)]*\Z)", re.A)
_JS_KEYWORDS = {"if", "for", "while", "switch", "catch", "return", "function", "with", "super", "else", "do", "try"}


def _definition_at(line, lang):
    """code.ts, definitionAt: (kind, name) of the definition a masked line opens, or None."""
    if lang == "python":
        d = re.match(r"[ \t]*(?:async[ \t]+)?(def|class)[ \t]+([A-Za-z_]\w*)", line, re.A)
        if d:
            return (d.group(1), d.group(2))
        c = re.match(r"([A-Za-z_]\w*)[ \t]*(?::[^=\n]*)?=(?!=)", line, re.A)
        return ("const", c.group(1)) if c else None
    d = _JS_DECL.match(line)
    if d:
        return (re.sub(r"\s*\*\Z", "", d.group(1)), d.group(2))
    m = _JS_METHOD.match(line)
    if not m or m.group(1) in _JS_KEYWORDS:
        return None
    return ("", m.group(1))


class _Side:
    """supporting.ts, Side: one file of the answer, each side read as code on first need."""

    def __init__(self, f):
        self.f = f
        self.lang = _source_language(f["file"])
        self.hunks = f["hunks"]
        self.candidates = [h for h in self.hunks if h["scope"] == "out" and not h["whitespaceOnly"] and not h["moved"]]
        self.used = None
        self._orig = self._edit = self._raw_orig = self._raw_edit = None

    @property
    def raw_orig(self):
        if self._raw_orig is None:
            self._raw_orig = _Lines(self.f["original"])
        return self._raw_orig

    @property
    def raw_edit(self):
        if self._raw_edit is None:
            self._raw_edit = _Lines(self.f["edited"])
        return self._raw_edit

    @property
    def orig(self):
        if self._orig is None:
            self._orig = _Code(_prefix(self.f["original"], self.raw_orig, _reach(self.hunks, _original_span)), self.lang)
        return self._orig

    @property
    def edit(self):
        if self._edit is None:
            self._edit = _Code(_prefix(self.f["edited"], self.raw_edit, _reach(self.hunks, _edited_span)), self.lang)
        return self._edit


def _edited_span(h):
    return (h["editedStart"] - 1, h["editedStart"] - 1 + h["editedLines"])


def _original_span(h):
    return (h["originalStart"] - 1, h["originalStart"] - 1 + h["originalLines"])


def _reach(hunks, span):
    last = 0
    for h in hunks:
        if h["scope"] != "out" or h["originalLines"] + h["editedLines"] <= 400:
            last = max(last, span(h)[1])
    return last + 400


def _prefix(text, raw, lines):
    return text if lines >= raw.count else text[:raw.starts[lines]]


def _raw_defines(raw, lang, name):
    text = raw.text
    at = text.find(name)
    while at >= 0:
        l = _line_of_offset(raw.starts, raw.count, at)
        d = _definition_at(raw.lines[l], lang)
        if (d and d[1] == name) or re.search(r"^\s+%s\s*(?::[^=]*)?=(?!=)" % name, raw.lines[l], re.A):
            return True
        at = text.find(name, at + len(name))
    return False


def _any_line(t, span, test):
    return any(test(t.lines[l]) for l in range(span[0], min(span[1], t.count)))


_COMMENT_OR_BLANK = re.compile(r"\s*(?:$|#|//|/\*|\*)")


def _used_by(s):
    if s.used is not None:
        return s.used
    bare, member = {}, {}
    for h in s.hunks:
        if h["scope"] == "out" or h["editedLines"] == 0:
            continue
        for name, line, at, of in s.edit.uses(*_edited_span(h)):
            into = bare if of is None else member
            if name in into:
                continue
            if of is None and s.edit.shadowed(at, name):
                continue
            into[name] = line + 1
    s.used = (bare, member)
    return s.used


def _code_lines(c, span):
    return [l for l in range(span[0], span[1]) if not c.is_blank_code(l)]


def _import_link(s, h):
    frm, to = _edited_span(h)
    if h["editedLines"] == 0 or not _any_line(s.raw_edit, (max(0, frm - 20), to), lambda l: re.search(r"\b(?:import|require|from)\b", l, re.A)):
        return None
    added, lines = s.edit.imports_in(frm, to)
    if not added or any(l not in lines for l in _code_lines(s.edit, (frm, to))):
        return None
    if h["originalLines"]:
        _, removed = s.orig.imports_in(*_original_span(h))
        if any(l not in removed for l in _code_lines(s.orig, _original_span(h))):
            return None
    had = s.orig.imported_names()
    bare = _used_by(s)[0]
    within = _local_scope(s.edit, frm)

    def used_at(n):
        line = bare.get(n.split(".")[0])
        return line if line is not None and (not within or within[0] <= line - 1 <= within[1]) else None

    needed = [n for n in added if n not in had and used_at(n) is not None]
    return ("import", needed) if needed else None


def _local_scope(c, line):
    if c.lang != "python":
        return None
    indent = _indent_of(c.lines[line] if line < len(c.lines) else "")
    l = line - 1
    while l >= 0 and indent > 0:
        t = c.lines[l]
        lead = _indent_of(t)
        if not t.strip(_WS) or lead >= indent:
            l -= 1
            continue
        indent = lead
        if re.match(r"\s*(?:async\s+)?def\b", t, re.A):
            d = c.definitions_in(l, l + 1)
            return (d[0][2], d[0][4]) if d else None
        l -= 1
    return None


def _definition_link(s, h):
    if h["editedLines"] == 0 or _any_line(s.raw_orig, _original_span(h), lambda l: not _COMMENT_OR_BLANK.match(l)):
        return None
    lang = s.lang

    def opens(l):
        return _definition_at(l, lang) is not None or (lang == "python" and re.match(r"\s+[A-Za-z_]\w*\s*(?::[^=]*)?=(?!=)", l, re.A))

    if not _any_line(s.raw_edit, _edited_span(h), opens):
        return None
    if _code_lines(s.orig, _original_span(h)):
        return None
    frm, to = _edited_span(h)
    defs = [d for d in s.edit.definitions_in(frm, to) if d[4] < to]
    if not defs:
        return None

    def covered(l):
        return any(d[2] <= l <= d[4] for d in defs) or re.match(r"\s*@", s.edit.lines[l])

    if any(not covered(l) for l in _code_lines(s.edit, (frm, to))):
        return None
    bare, member = _used_by(s)
    needed = [d[0] for d in defs if (d[0] in bare or (d[5] and d[0] in member)) and not _raw_defines(s.raw_orig, lang, d[0])]
    return ("definition", needed) if needed else None


def _raw_header_end(raw, l):
    depth = 0
    for k in range(l, min(raw.count, l + 40)):
        for c in raw.lines[k]:
            depth += 1 if c in "([" else -1 if c in ")]" else 0
        if depth <= 0:
            return k
    return l + 40


def _signatures(raw, lang, name):
    texts = []
    text = raw.text
    at = text.find(name)
    while at >= 0:
        l = _line_of_offset(raw.starts, raw.count, at)
        d = _definition_at(raw.lines[l], lang)
        if d and d[1] == name:
            if not _is_callable(d[0], raw.lines[l]):
                return None
            end = _raw_header_end(raw, l)
            texts.append(re.sub(r"\s+", "", "".join(raw.lines[l:end + 1])))
            at = raw.ends[l]
        at = text.find(name, at + len(name))
    return "\n".join(sorted(texts))


def _touched_headers(sides):
    """[(side, hunk, raw, line, name)] for each definition whose header overlaps an in-scope change."""
    out = []
    for s in sides:
        for h in s.hunks:
            if h["scope"] != "in" or h["whitespaceOnly"]:
                continue
            for raw, span in ((s.raw_orig, _original_span(h)), (s.raw_edit, _edited_span(h))):
                if span[0] == span[1]:
                    continue
                for l in range(max(0, span[0] - 40), min(span[1], raw.count)):
                    d = _definition_at(raw.lines[l], s.lang)
                    if d and _raw_header_end(raw, l) >= span[0]:
                        out.append((s, h, raw, l, d[1]))
    return out


def _changed_symbols(sides, touched):
    out = {}
    for s, h, raw, l, name in _touched_headers(sides):
        if name in out or name not in touched:
            continue
        before = _signatures(s.raw_orig, s.lang, name)
        after = _signatures(s.raw_edit, s.lang, name)
        if before is not None and after is not None and before != after:
            out[name] = (s.f["file"], re.match(r"\s", raw.lines[l]) is not None)
    return out


def _exercised_symbols(sides, changed):
    out = set(changed)
    for s in sides:
        for h in s.hunks:
            if h["scope"] != "in" or h["whitespaceOnly"] or h["editedLines"] == 0:
                continue
            first = h["editedStart"] - 1
            own = _definition_at(s.edit.lines[first] if first < len(s.edit.lines) else "", s.lang)
            if own:
                out.add(own[1])
            indent = _indent_of(s.edit.lines[first] if first < len(s.edit.lines) else "")
            l = first - 1
            while l >= 0 and indent > 0:
                line = s.edit.lines[l]
                lead = _indent_of(line)
                if not line.strip(_WS) or lead >= indent:
                    l -= 1
                    continue
                indent = lead
                d = _definition_at(line, s.lang)
                if d:
                    out.add(d[1])
                l -= 1
    return out


def _reference_link(s, h, touched, changed_now):
    if not touched:
        return None

    def mentions(l):
        return any(n in l for n in touched)

    if not _any_line(s.raw_edit, _edited_span(h), mentions) and not _any_line(s.raw_orig, _original_span(h), mentions):
        return None
    changed = changed_now()
    if not changed:
        return None
    names = []

    def side_covered(code, span):
        lines = _code_lines(code, span)
        if not lines:
            return True
        imported = code.imported_names()

        def is_ref(u):
            name, line, at, of = u
            c = changed.get(name)
            if not c:
                return False
            d = _definition_at(code.lines[line], code.lang)
            if d and d[1] == name:
                return False
            module_member = bool(of) and of in imported
            if c[0] == s.f["file"]:
                return not code.shadowed(at, name) if of is None else c[1] or module_member
            return name in imported if of is None else c[1] or module_member

        depth = 0
        for l in lines:
            refs = [u for u in code.uses(l, l + 1) if is_ref(u)]
            for r in refs:
                if r[0] not in names:
                    names.append(r[0])
            if not refs and depth <= 0:
                return False
            for ch in code.lines[l]:
                depth += 1 if ch in "([{" else -1 if ch in ")]}" else 0
            if depth < 0:
                depth = 0
        return True

    if not side_covered(s.edit, _edited_span(h)) or not side_covered(s.orig, _original_span(h)) or not names:
        return None
    return ("reference", names)


_TEST_FILE = re.compile(r"(?:^|/)(?:tests?|__tests__|spec)/|(?:^|/)test_[^/]*\.py\Z|_test\.py\Z|\.(?:test|spec)\.[cm]?[jt]sx?\Z")


def _test_link(s, h, exercised):
    if h["editedLines"] == 0 or not _any_line(s.raw_edit, _edited_span(h), lambda l: any(n in l for n in exercised)):
        return None
    names = [u[0] for u in s.edit.uses(*_edited_span(h)) if u[0] in exercised]
    return ("test", names) if names else None


def _mark_supporting(files):
    """supporting.ts, markSupporting: each file's out-of-scope hunks that the in-scope change
    needs become supporting (the hunks' scope is changed in place)."""
    sides = [_Side(f) for f in files if f["role"] != "other" and _source_language(f["file"])]
    if not any(s.candidates for s in sides) or not any(h["scope"] == "in" and not h["whitespaceOnly"] for s in sides for h in s.hunks):
        return
    touched = {name for _, _, _, _, name in _touched_headers(sides)}
    memo = {}

    def changed_now():
        if "changed" not in memo:
            memo["changed"] = _changed_symbols(sides, touched) if touched else {}
        return memo["changed"]

    multi = any(f["role"] == "edit" for f in files)
    progress = True
    while progress:
        progress = False
        for s in sides:
            for h in s.candidates:
                if h["scope"] != "out" or h["originalLines"] + h["editedLines"] > 400:
                    continue
                tests = multi and s.f["role"] == "edit" and _TEST_FILE.search(s.f["file"].replace("\\", "/"))
                link = _import_link(s, h) or _definition_link(s, h) or _reference_link(s, h, touched, changed_now)
                if not link and tests:
                    if "exercised" not in memo:
                        memo["exercised"] = _exercised_symbols(sides, changed_now())
                    link = _test_link(s, h, memo["exercised"])
                if not link:
                    continue
                h["scope"] = "supporting"
                h["link"] = link
                s.used = None
                progress = True
    for s in sides:
        _blank_lines_of_new_definitions(s)


def _blank_lines_of_new_definitions(s):
    defs = [h for h in s.hunks if h["link"] and h["link"][0] == "definition"]
    if not defs:
        return

    def blank(t, frm, to):
        return not _any_line(t, (frm, to), lambda l: l.strip(_WS) != "")

    for h in s.hunks:
        if h["scope"] != "out" or not h["whitespaceOnly"] or not blank(s.raw_edit, *_edited_span(h)) or not blank(s.raw_orig, *_original_span(h)):
            continue
        b0, b1 = _edited_span(h)
        for d in defs:
            d0, d1 = _edited_span(d)
            if (d1 <= b0 and b0 - d1 <= 2 and blank(s.raw_edit, d1, b0)) or (b1 <= d0 and d0 - b1 <= 2 and blank(s.raw_edit, b1, d0)):
                h["scope"] = "supporting"
                h["link"] = ("definition", d["link"][1])
                break


def _supporting_scope(files):
    """1 when every hunk of the files outside what the task lets the model change is one the
    in-scope change needs, 0 when one is not, None when the hunks show nothing outside (the
    scope above found something: it is not overruled). `files`: [{file, role, original,
    edited, regions}], regions as [(first, last)] lines, none for a file wholly editable."""
    for f in files:
        f["hunks"] = _hunks(f["original"], f["edited"], f["regions"]) if f["edited"] != f["original"] else []
    if not any(h["scope"] == "out" for f in files for h in f["hunks"]):
        return None
    _mark_supporting(files)
    return 0 if any(h["scope"] == "out" for f in files for h in f["hunks"]) else 1


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
    scope = scope_grade(item, edited)
    if scope == 0 and _source_language(item.get("file") or ""):
        target = {"file": item["file"], "role": "target", "original": item["window_text"], "edited": _text(edited), "regions": [(item["selection_start"], item["selection_end"])]}
        scope = 1 if _supporting_scope([target]) == 1 else 0
    return scope, ([] if reference is None else [reference_grade(_text(edited), reference)])


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
