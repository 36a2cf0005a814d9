#!/usr/bin/env python3
"""Writes recoveryd.conf(5)'s scdoc source: the template with its key
reference generated from policy/recoveryd.conf, the one place the defaults
and their meaning are written.

The file's format, from its first [Section] on: blocks separated by blank
lines. A block of comments alone is prose about the section; a block of
comments followed by one or more "Key = default" lines documents those keys.
Anything else (a key without a comment, a comment after a key) is an error,
so a key cannot be added without its documentation.

Usage: policy_reference.py TEMPLATE POLICY_FILE OUTPUT
"""

import re
import sys

MARKER = "{{POLICY_KEYS}}"
SECTION = re.compile(r"^\[([A-Za-z]+)\]$")
SETTING = re.compile(r"^([A-Za-z][A-Za-z0-9]*)\s*=\s*(.*)$")


class FormatError(Exception):
    pass


def scdoc_text(text):
    """Escapes scdoc's markup; `quoted` words become bold."""
    text = text.replace("\\", "\\\\").replace("*", "\\*").replace("_", "\\_")
    return re.sub(r"`([^`]+)`", r"*\1*", text)


def blocks_of(lines):
    """Yields (line number, [lines]) for each run of non-blank lines."""
    block, start = [], 0
    for number, line in enumerate(lines, 1):
        if line.strip():
            if not block:
                start = number
            block.append(line.rstrip())
        elif block:
            yield start, block
            block = []
    if block:
        yield start, block


def entry(section, start, block):
    """One block as scdoc: a prose paragraph, or the keys and their text."""
    comments = [line for line in block if line.startswith("#")]
    settings = block[len(comments):]
    where = f"line {start}"
    if not comments:
        raise FormatError(f"{where}: [{section}] {block[0]!r} has no comment above it")
    if any(line.startswith("#") for line in settings):
        raise FormatError(f"{where}: a comment after a setting: put a blank line between them")
    text = scdoc_text(" ".join(line.lstrip("#").strip() for line in comments))
    if not settings:
        return [text, ""]
    out = []
    for line in settings:
        match = SETTING.match(line)
        if not match:
            raise FormatError(f"{where}: expected 'Key = value', got {line!r}")
        key, value = match.groups()
        shown = f"_{scdoc_text(value)}_" if value else "(empty)"
        out.append(f"*{key}* = {shown}")
    # Several keys under one text: one line each ("++" breaks the line).
    out = [line + " ++" for line in out[:-1]] + out[-1:]
    out += ["\t" + text, ""]
    return out


def reference(policy_text):
    lines = policy_text.splitlines()
    first = next((i for i, line in enumerate(lines) if SECTION.match(line)), None)
    if first is None:
        raise FormatError("no [Section] found")
    out, section = [], None
    body_start = first
    for start, block in blocks_of(lines[first:]):
        start += body_start
        header = SECTION.match(block[0])
        if header:
            section = header.group(1)
            out += [f"## [{section}]", ""]
            block = block[1:]
            start += 1
        if block:
            out += entry(section, start, block)
    return "\n".join(out).rstrip() + "\n"


def main(template_path, policy_path, output_path):
    with open(template_path, encoding="utf-8") as f:
        template = f.read()
    with open(policy_path, encoding="utf-8") as f:
        policy = f.read()
    if template.count(MARKER) != 1:
        raise FormatError(f"{template_path}: expected one line {MARKER}")
    try:
        keys = reference(policy)
    except FormatError as error:
        raise FormatError(f"{policy_path}: {error}") from None
    with open(output_path, "w", encoding="utf-8") as f:
        f.write(template.replace(MARKER + "\n", keys))


if __name__ == "__main__":
    if len(sys.argv) != 4:
        sys.exit(__doc__)
    try:
        main(*sys.argv[1:])
    except FormatError as error:
        sys.exit(f"policy_reference.py: {error}")
